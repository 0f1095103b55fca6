//! Windows: interfaces from netdev (GetAdaptersAddresses: friendly name, description and the
//! interface type Windows declares), or parsed from `ipconfig /all`; routes from the IP Helper
//! API (GetIpForwardTable2, through the `netroute` crate), else from `route print`; the built-in
//! VPN's connections from `rasdial`. Parsers are pure, compile on every OS, and rely on the
//! shape of each line rather than on its (localised) words wherever they can.
//!
//! An adapter's kind comes from what Windows says about it before its name: a VPN adapter
//! whose description the catalogue does not know (a vendor's renamed TAP driver, a new
//! Wintun-based client) is still a tunnel by its interface type ([`kind_from_windows_type`]).
//! No safe crate exposes the adapter's tunnel type or media type (`TunnelType`, `MediaType`,
//! `PhysicalMediumType`); the interface type and the catalogue's list of transition tunnels
//! (Teredo, ISATAP, 6to4, IP-HTTPS) decide without them.
//!
//! PowerShell (`Get-NetRoute`, `Get-VpnConnection`) is not used at run time: starting it takes
//! several hundred milliseconds, ten times the budget of `hmsaccess interfaces`.

use std::net::{IpAddr, Ipv4Addr};

use netdev::interface::types::InterfaceType;

use super::interfaces;
use super::prefix::Prefix;
use super::types::{Network, OsVpnService, RouteEntry};
use crate::clients;
use crate::os_tool::Tools;
use crate::report::model::InterfaceKind;

mod ipconfig;
pub mod registry;
pub use ipconfig::{parse_ipconfig_all, parse_ipconfig_dns};

/// How a `route print` row names its interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfRef {
    /// IPv4 table: the interface's own address.
    Addr(IpAddr),
    /// IPv6 table: the interface index (`If`).
    Index(u32),
}

/// One row of `route print`, before the interface is put by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRoute {
    /// Where it leads.
    pub destination: Prefix,
    /// Next hop; None for `On-link`.
    pub gateway: Option<IpAddr>,
    /// The interface.
    pub via: IfRef,
}

/// Parses `route print`: the interface list (index and description; the MAC column is
/// skipped) and both route tables' active routes. Pure.
///
/// Every word `route print` prints is localised ("On-link" is "Auf Verbindung" in German and
/// "En vínculo" in Spanish; the section titles change too), and a console in a legacy code
/// page turns accented letters into replacement characters. So lines are told apart by shape
/// alone: an IPv4 row is destination, mask, gateway (an address, or any number of words),
/// interface address and metric; an IPv6 row is interface index, metric, destination and
/// gateway, the gateway wrapping onto the next line after a long destination. The two
/// headings of each table ("Active Routes:" then "Persistent Routes:", in any language) are
/// the lines ending in a colon; rows after every second one are persistent and skipped.
#[must_use]
pub fn parse_route_print(text: &str) -> (Vec<(u32, String)>, Vec<RawRoute>) {
    let mut ifs = Vec::new();
    let mut routes = Vec::new();
    let mut headings = 0usize;
    let mut pending_v6: Option<(u32, Prefix)> = None;
    for line in text.lines() {
        let t = line.trim();
        let f: Vec<&str> = t.split_whitespace().collect();
        if let Some((ifindex, dest)) = pending_v6.take() {
            let wrapped = !f.is_empty() && !t.starts_with('=') && v6_row(&f).is_none();
            routes.push(RawRoute {
                destination: dest,
                gateway: if wrapped { gateway_words(&f) } else { None },
                via: IfRef::Index(ifindex),
            });
            if wrapped {
                continue;
            }
        }
        if let Some(entry) = interface_list_entry(t) {
            ifs.push(entry);
            continue;
        }
        let persistent = headings > 0 && headings.is_multiple_of(2);
        if let Some(r) = v4_row(&f) {
            if !persistent {
                routes.push(r);
            }
        } else if let Some((ifindex, dest, gateway)) = v6_row(&f) {
            if persistent {
                continue;
            }
            match gateway {
                Some(words) => routes.push(RawRoute {
                    destination: dest,
                    gateway: gateway_words(words),
                    via: IfRef::Index(ifindex),
                }),
                None => pending_v6 = Some((ifindex, dest)),
            }
        } else if t.ends_with(':') || t.ends_with('\u{ff1a}') {
            headings += 1;
        }
    }
    if let Some((ifindex, dest)) = pending_v6 {
        routes.push(RawRoute {
            destination: dest,
            gateway: None,
            via: IfRef::Index(ifindex),
        });
    }
    (ifs, routes)
}

/// An interface-list line: ` 18...00 ff 2a 3b 4c 5d ......<adapter description>`,
/// `  1...........................Software Loopback Interface 1`, or with an 8-byte address
/// and no dots before the description (` 13...00 00 00 00 00 00 00 e0 Microsoft ISATAP`).
fn interface_list_entry(t: &str) -> Option<(u32, String)> {
    let (idx, rest) = t.split_once("...")?;
    let idx = idx.trim().parse::<u32>().ok()?;
    let desc = rest.rsplit_once("..").map_or_else(
        || {
            rest.split_whitespace()
                .skip(8)
                .collect::<Vec<_>>()
                .join(" ")
        },
        |(_, d)| d.to_string(),
    );
    Some((idx, desc.trim_start_matches('.').trim().to_string()))
}

/// A gateway column: one address, or words ("On-link" in the system's language).
fn gateway_words(words: &[&str]) -> Option<IpAddr> {
    match words {
        [one] => one.split('%').next().and_then(|g| g.parse().ok()),
        _ => None,
    }
}

/// An IPv4 route row: `dest mask gateway… interface metric`, the mask a valid netmask.
fn v4_row(f: &[&str]) -> Option<RawRoute> {
    let [dest, mask, gateway @ .., iface, metric] = f else {
        return None;
    };
    if gateway.is_empty() {
        return None;
    }
    let dest = dest.parse::<Ipv4Addr>().ok()?;
    let mask = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let iface = iface.parse::<Ipv4Addr>().ok()?;
    metric.parse::<u32>().ok()?;
    if mask.leading_ones() != mask.count_ones() {
        return None;
    }
    let len = u8::try_from(mask.count_ones()).ok()?;
    Some(RawRoute {
        destination: Prefix::new(IpAddr::V4(dest), len),
        gateway: gateway_words(gateway),
        via: IfRef::Addr(IpAddr::V4(iface)),
    })
}

/// An IPv6 route row: `if metric dest/len [gateway…]`; the gateway words, or None when they
/// wrapped onto the next line.
fn v6_row<'a>(f: &'a [&'a str]) -> Option<(u32, Prefix, Option<&'a [&'a str]>)> {
    let [ifindex, metric, dest, gateway @ ..] = f else {
        return None;
    };
    let ifindex = ifindex.parse::<u32>().ok()?;
    metric.parse::<u32>().ok()?;
    let dest = dest.parse::<Prefix>().ok().filter(|p| p.addr.is_ipv6())?;
    Some((ifindex, dest, (!gateway.is_empty()).then_some(gateway)))
}

/// Puts routes on interfaces by name: IPv4 rows by local address, IPv6 rows by index. Rows
/// whose interface is unknown are dropped. Pure.
#[must_use]
pub fn resolve_routes(raw: &[RawRoute], ifs: &[(u32, String, Vec<IpAddr>)]) -> Vec<RouteEntry> {
    raw.iter()
        .filter_map(|r| {
            let name = ifs.iter().find(|(idx, _, addrs)| match &r.via {
                IfRef::Addr(a) => addrs.contains(a),
                IfRef::Index(i) => idx == i,
            })?;
            Some(RouteEntry {
                destination: r.destination,
                gateway: r.gateway.filter(|g| !g.is_unspecified()),
                interface: name.1.clone(),
            })
        })
        .collect()
}

/// Parses `rasdial` (no arguments): the names of the connected built-in VPN connections.
///
/// rasdial prints a heading (`Connected to`), one connection name per line and a closing
/// line (`Command completed successfully.`), or just `No connections` and the closing line;
/// the words are localised. English is read by its words; in another language the lines
/// between the first and the last are the names (two lines in all means none). Pure.
#[must_use]
pub fn parse_rasdial(text: &str) -> Vec<OsVpnService> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let names: &[&str] = match lines.as_slice() {
        ["Connected to", rest @ ..] => {
            let end = rest
                .iter()
                .position(|l| l.starts_with("Command completed"))
                .unwrap_or(rest.len());
            &rest[..end]
        }
        [first, names @ .., _] if !first.starts_with("No connections") => names,
        _ => &[],
    };
    names
        .iter()
        .map(|name| OsVpnService {
            name: (*name).to_string(),
            connected: true,
            kind: "RAS".into(),
            // The RAS adapter's friendly name is the connection's name.
            interface: Some((*name).to_string()),
        })
        .collect()
}

/// The report's kind of a Windows adapter from the interface type Windows declares for it
/// (`IfType` of GetAdaptersAddresses, as netdev reports it). Pure.
///
/// `IF_TYPE_PROP_VIRTUAL` (53, "proprietary virtual") is what VPN drivers declare: Wintun
/// (Tailscale, WireGuard's older releases, NordLynx), WireGuard-NT, OpenVPN's data-channel
/// offload, and the TAP driver that vendors rename (in `ipconfig /all` these are the "Unknown
/// adapter" headings); `IF_TYPE_TUNNEL` (131) and `IF_TYPE_PPP` (23, the built-in VPN) are
/// tunnels by definition. netdev leaves 53 as kind "other"; here it is a tunnel.
#[must_use]
pub fn kind_from_windows_type(if_type: &InterfaceType) -> InterfaceKind {
    use InterfaceKind as K;
    use InterfaceType as T;
    match if_type {
        T::Loopback => K::Loopback,
        T::Wireless80211 => K::Wifi,
        T::Ppp => K::Ppp,
        T::Tunnel | T::ProprietaryVirtual => K::Tunnel,
        T::Ethernet | T::GigabitEthernet | T::FastEthernetT | T::FastEthernetFx => K::Ethernet,
        _ => K::Other,
    }
}

/// One row of Windows' routing table as the IP Helper API gives it, before the interface is
/// put by name (by index, in both families). None for a row without an interface or with an
/// impossible prefix length. Pure.
#[must_use]
pub fn ip_helper_route(
    destination: IpAddr,
    prefix_len: u8,
    gateway: Option<IpAddr>,
    ifindex: Option<u32>,
) -> Option<RawRoute> {
    let max = if destination.is_ipv4() { 32 } else { 128 };
    if prefix_len > max {
        return None;
    }
    Some(RawRoute {
        destination: Prefix::new(destination, prefix_len),
        gateway: gateway.filter(|g| !g.is_unspecified()),
        via: IfRef::Index(ifindex?),
    })
}

/// Windows' routing table through the IP Helper API (GetIpForwardTable2).
#[cfg(windows)]
fn ip_helper_routes() -> Result<Vec<RawRoute>, String> {
    let rows = netroute::list_routes().map_err(|e| e.kind().to_string())?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            ip_helper_route(
                r.destination.addr,
                r.destination.prefix_len,
                r.gateway,
                r.ifindex,
            )
        })
        .collect())
}

/// Elsewhere there is no IP Helper API.
#[cfg(not(windows))]
fn ip_helper_routes() -> Result<Vec<RawRoute>, String> {
    Err("the IP Helper API exists only on Windows".into())
}

/// An interface's index, name and addresses: what routes are resolved against.
type IfTable = Vec<(u32, String, Vec<IpAddr>)>;

/// Interfaces as GetAdaptersAddresses reports them (through netdev).
fn interfaces_from_netdev(n: &mut Network, ifs: &[netdev::Interface]) -> IfTable {
    n.interfaces = interfaces::from_netdev(ifs, |i| {
        let d = i.description.as_deref().unwrap_or("");
        if clients::is_not_vpn_adapter(d) {
            return None;
        }
        Some(match clients::from_adapter(d) {
            Some(_) => InterfaceKind::Tunnel,
            None => kind_from_windows_type(&i.if_type),
        })
    });
    n.sources.push("interfaces".into());
    ifs.iter()
        .map(|i| {
            (
                i.index,
                i.friendly_name.clone().unwrap_or_else(|| i.name.clone()),
                i.ip_addrs(),
            )
        })
        .collect()
}

/// Interfaces from `ipconfig /all`, when the adapter API gave none (as macOS falls back to
/// `ifconfig`); an address's zone index (`%12`) is its adapter's index.
fn interfaces_from_ipconfig(tools: &dyn Tools, n: &mut Network) -> IfTable {
    let Some(text) = tools.run_noted(
        "ipconfig",
        &["/all"],
        "interfaces",
        &mut n.sources,
        &mut n.notes,
    ) else {
        return Vec::new();
    };
    let parsed = parse_ipconfig_all(&text);
    let table = parsed
        .iter()
        .filter_map(|(i, index)| Some(((*index)?, i.name.clone(), i.ips().collect())))
        .collect();
    n.interfaces = parsed.into_iter().map(|(i, _)| i).collect();
    table
}

/// Reads interfaces, routes and the built-in VPN's connections into `n` (processes are
/// scanned by the caller).
pub(crate) fn read(tools: &dyn Tools, n: &mut Network) {
    let table = match netdev::get_interfaces() {
        ifs if ifs.is_empty() => interfaces_from_ipconfig(tools, n),
        ifs => interfaces_from_netdev(n, &ifs),
    };
    match ip_helper_routes() {
        Ok(raw) => {
            n.routes = resolve_routes(&raw, &table);
            n.sources.push("routes".into());
        }
        Err(e) => {
            n.notes.push(format!(
                "the IP Helper routing table could not be read ({e}); using route print"
            ));
            if let Some(t) =
                tools.run_noted("route", &["print"], "routes", &mut n.sources, &mut n.notes)
            {
                let (_, raw) = parse_route_print(&t);
                n.routes = resolve_routes(&raw, &table);
            }
        }
    }
    if let Some(t) = tools.run_noted(
        "rasdial",
        &[],
        "Windows VPN connections",
        &mut n.sources,
        &mut n.notes,
    ) {
        n.services = parse_rasdial(&t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!(
            "{}/tests/fixtures/windows/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn route_print_fixture() {
        let (ifs, raw) = parse_route_print(&fixture("route_print_pulse.txt"));
        assert_eq!(ifs.len(), 6);
        assert_eq!(ifs[0], (18, "Juniper Networks Virtual Adapter".to_string()));
        assert_eq!(ifs[4], (1, "Software Loopback Interface 1".to_string()));
        assert_eq!(
            ifs[5],
            (15, "Microsoft Teredo Tunneling Adapter".to_string())
        );
        assert!(!format!("{ifs:?}").contains("3c 22"), "no MAC kept");
        let v4: Vec<&RawRoute> = raw
            .iter()
            .filter(|r| r.destination.addr.is_ipv4())
            .collect();
        assert_eq!(v4.len(), 18);
        assert_eq!(v4[0].destination.to_string(), "0.0.0.0/0");
        assert_eq!(v4[0].gateway, Some("192.168.1.1".parse().unwrap()));
        assert_eq!(v4[1].gateway, None, "On-link");
        let v6: Vec<&RawRoute> = raw
            .iter()
            .filter(|r| r.destination.addr.is_ipv6())
            .collect();
        assert_eq!(v6.len(), 11);
        let wrapped = v6
            .iter()
            .find(|r| r.destination.to_string() == "fe80::5c1e:9d2a:77b1:4a10/128")
            .unwrap();
        assert_eq!(wrapped.via, IfRef::Index(18));

        let table = vec![
            (
                18,
                "Ethernet 2".to_string(),
                vec!["10.250.3.17".parse().unwrap()],
            ),
            (
                12,
                "Wi-Fi".to_string(),
                vec!["192.168.1.23".parse().unwrap()],
            ),
            (
                1,
                "Loopback Pseudo-Interface 1".to_string(),
                vec!["127.0.0.1".parse().unwrap()],
            ),
        ];
        let r = resolve_routes(&raw, &table);
        let on = |n: &str| -> Vec<String> {
            r.iter()
                .filter(|e| e.interface == n)
                .map(|e| e.destination.to_string())
                .collect()
        };
        assert!(on("Ethernet 2").contains(&"198.18.20.0/24".to_string()));
        assert!(on("Ethernet 2").contains(&"fe80::/64".to_string()));
        assert!(on("Wi-Fi").contains(&"0.0.0.0/0".to_string()));
        assert!(on("Wi-Fi").contains(&"::/0".to_string()));
    }

    #[test]
    fn ipconfig_fixture() {
        let ifs = parse_ipconfig_all(&fixture("ipconfig_all_pulse.txt"));
        let names: Vec<&str> = ifs.iter().map(|(i, _)| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ethernet 2",
                "Ethernet 3",
                "Local Area Connection* 1",
                "Wi-Fi",
                "Teredo Tunneling Pseudo-Interface"
            ]
        );
        let (pulse, idx) = &ifs[0];
        assert_eq!(
            pulse.description.as_deref(),
            Some("Juniper Networks Virtual Adapter")
        );
        assert_eq!(pulse.kind, InterfaceKind::Tunnel);
        assert!(pulse.up);
        assert_eq!(
            pulse.addresses,
            ["fe80::5c1e:9d2a:77b1:4a10/64", "10.250.3.17/16"]
        );
        assert_eq!(*idx, Some(18));
        let (gp, _) = &ifs[1];
        assert!(!gp.up, "media disconnected");
        assert_eq!(gp.kind, InterfaceKind::Tunnel);
        let (wifi, _) = &ifs[3];
        assert_eq!(wifi.kind, InterfaceKind::Wifi);
        assert!(wifi.addresses.contains(&"192.168.1.23/24".to_string()));
        let text = format!("{ifs:?}");
        assert!(!text.contains("3C-22-FB"), "no MAC kept");
    }

    /// The decision from what Windows says (issue 13, class 3): the interface type decides
    /// when the description is not in the catalogue.
    #[test]
    fn kind_from_the_interface_type_windows_declares() {
        use InterfaceKind as K;
        use InterfaceType as T;
        for (t, kind) in [
            (T::ProprietaryVirtual, K::Tunnel),
            (T::Tunnel, K::Tunnel),
            (T::Ppp, K::Ppp),
            (T::Ethernet, K::Ethernet),
            (T::Wireless80211, K::Wifi),
            (T::Loopback, K::Loopback),
            (T::UnknownWithValue(144), K::Other),
            (T::Unknown, K::Other),
        ] {
            assert_eq!(kind_from_windows_type(&t), kind, "{t:?}");
        }
        // A Wintun adapter named by a vendor the catalogue does not know: a tunnel by its type,
        // so the behaviour test and the classifier see it.
        let i = crate::report::model::Interface {
            name: "Acme Secure".into(),
            description: Some("Acme Secure Tunnel".into()),
            kind: kind_from_windows_type(&T::ProprietaryVirtual),
            up: true,
            point_to_point: false,
            addresses: vec!["100.90.1.2/32".into()],
            default_route: false,
        };
        assert!(crate::netif::tunnel_reason(&i).is_some());
        assert_eq!(clients::from_adapter("Acme Secure Tunnel"), None);
    }

    #[test]
    fn ip_helper_rows_by_interface_index() {
        let r = ip_helper_route("10.250.0.0".parse().unwrap(), 16, None, Some(18)).unwrap();
        assert_eq!(r.destination.to_string(), "10.250.0.0/16");
        assert_eq!(r.via, IfRef::Index(18));
        let d = ip_helper_route(
            "0.0.0.0".parse().unwrap(),
            0,
            Some("192.168.1.1".parse().unwrap()),
            Some(12),
        )
        .unwrap();
        assert_eq!(d.gateway, Some("192.168.1.1".parse().unwrap()));
        let on_link = ip_helper_route(
            "::".parse().unwrap(),
            0,
            Some("::".parse().unwrap()),
            Some(3),
        );
        assert_eq!(
            on_link.unwrap().gateway,
            None,
            "an unspecified next hop is on-link"
        );
        assert!(ip_helper_route("10.0.0.0".parse().unwrap(), 33, None, Some(1)).is_none());
        assert!(ip_helper_route("10.0.0.0".parse().unwrap(), 8, None, None).is_none());
        let table = vec![(18, "Ethernet 2".to_string(), vec![])];
        assert_eq!(resolve_routes(&[r], &table)[0].interface, "Ethernet 2");
    }

    #[test]
    fn rasdial_fixtures() {
        let s = parse_rasdial(&fixture("rasdial_connected.txt"));
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["HMS VPN", "Lab SSTP"]);
        assert!(s.iter().all(|s| s.connected));
        assert!(parse_rasdial(&fixture("rasdial_none.txt")).is_empty());
    }

    /// Hand-written shapes (no real capture of a localised rasdial was found): the words of
    /// the heading and closing lines stand for any language.
    #[test]
    fn rasdial_localised_by_shape() {
        let s = parse_rasdial("Verbunden mit\r\nHMS VPN\r\nBefehl erfolgreich.\r\n");
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["HMS VPN"]);
        assert!(parse_rasdial("Keine Verbindungen\r\nBefehl erfolgreich.\r\n").is_empty());
        assert!(parse_rasdial("").is_empty());
        let english_cut = parse_rasdial("Connected to\r\nHMS VPN\r\n");
        assert_eq!(english_cut.len(), 1, "closing line missing");
    }
}

#[cfg(test)]
mod captures_tests;
