//! VPN detection: which tunnels are up, whose they are, and the interfaces behind them.
//!
//! Reading is split from parsing. [`collect`] reads the OS (interfaces, routes, VPN client
//! processes, OS VPN services, split DNS) into a [`Collected`]; every OS-specific text format is
//! parsed by a pure function in [`linux`], [`macos`] or [`windows`], tested on captured outputs under
//! `tests/fixtures/`. [`classify`] is pure: it turns a [`Collected`] plus the targets' resolved
//! addresses into the report's [`Vpn`] list. Behaviour decides what is a VPN (an up tunnel with a
//! usable address that carries a route); names only say whose client it is.
//!
//! Issue 3 ("VPN detection on macOS, Windows and Linux") is the specification.

pub mod linux;
pub mod macos;
mod process;
pub(crate) mod run;
pub mod system;
pub mod windows;

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, UdpSocket};
use std::str::FromStr;

use serde::Serialize;

use crate::report::model::{Detection, DetectionStatus, Interface, Role, Vpn, VpnRole};

pub use process::{KNOWN_CLIENTS, KnownClient, match_client};

/// An IP prefix (`198.18.20.0/24`): a route's destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix {
    /// The network address (host bits may be set; they are ignored by [`Prefix::contains`]).
    pub addr: IpAddr,
    /// Prefix length in bits (0..=32 for IPv4, 0..=128 for IPv6).
    pub len: u8,
}

impl Prefix {
    /// A prefix; `len` is clamped to the address family's width.
    #[must_use]
    pub fn new(addr: IpAddr, len: u8) -> Prefix {
        let max = if addr.is_ipv4() { 32 } else { 128 };
        Prefix {
            addr,
            len: len.min(max),
        }
    }

    /// A host route's prefix (`/32` or `/128`).
    #[must_use]
    pub fn host(addr: IpAddr) -> Prefix {
        Prefix::new(addr, if addr.is_ipv4() { 32 } else { 128 })
    }

    /// True when `ip` lies inside this prefix (same address family only).
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.len))
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.len))
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// True for a host route (`/32`, `/128`).
    #[must_use]
    pub fn is_host(&self) -> bool {
        self.len == if self.addr.is_ipv4() { 32 } else { 128 }
    }

    /// True for the default route and for the halves VPN clients install instead of it.
    ///
    /// OpenVPN's `redirect-gateway def1` (and Tunnelblick, openconnect's vpnc-script on macOS)
    /// add `0.0.0.0/1` + `128.0.0.0/1`; WireGuard configs commonly use `::/1` + `8000::/1`, and
    /// some `2000::/3` (all global unicast). Such a route covers every address, so it says nothing
    /// about whose tunnel it is (issue 3: "a default route alone says nothing").
    #[must_use]
    pub fn is_default_like(&self) -> bool {
        match self.addr {
            IpAddr::V4(_) => self.len <= 1,
            IpAddr::V6(_) => self.len <= 3,
        }
    }

    /// The last address of the prefix (IPv4 broadcast address).
    fn last_v4(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(a) if self.len < 32 => {
                let host = u32::MAX >> u32::from(self.len);
                Some(Ipv4Addr::from(u32::from(a) | host))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

impl FromStr for Prefix {
    type Err = String;

    /// Parses `198.18.0.2/24`, `fe80::1%utun0/64` (the scope is dropped) or a bare address.
    fn from_str(s: &str) -> Result<Prefix, String> {
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr = addr.split('%').next().unwrap_or(addr);
        let addr: IpAddr = addr.parse().map_err(|_| format!("not an address: {s}"))?;
        let len = match len {
            Some(l) => l.parse::<u8>().map_err(|_| format!("bad prefix: {s}"))?,
            None => {
                if addr.is_ipv4() {
                    32
                } else {
                    128
                }
            }
        };
        Ok(Prefix::new(addr, len))
    }
}

/// One route from the OS routing table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteEntry {
    /// Where it leads.
    pub destination: Prefix,
    /// Next hop, when the route has one (None for on-link / interface routes).
    pub gateway: Option<IpAddr>,
    /// The interface name (the report's interface name: `tun0`, `utun4`, Windows friendly name).
    pub interface: String,
}

/// A running VPN client process. The command line is read only to look for a gateway host and
/// is never stored: this struct has no field that could hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VpnProcess {
    /// The client's name as people know it (`Pulse Secure`, `Cisco AnyConnect`, …).
    pub client: &'static str,
    /// The profile gateway host found in its command line, if any.
    pub matched_gateway: Option<String>,
    /// The tunnel device the process holds open, when the OS says (Linux `/proc/PID/fdinfo`).
    pub interface: Option<String>,
}

/// A VPN service the OS itself manages (macOS `scutil --nc`, NetworkManager, Windows RAS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsVpnService {
    /// The service's name as the user configured it.
    pub name: String,
    /// True when the OS says it is connected.
    pub connected: bool,
    /// Its type as the OS writes it (`PPP/L2TP`, `VPN/com.cisco.anyconnect`, `wireguard`, `ras`).
    pub kind: String,
    /// The interface it runs on, when the OS says.
    pub interface: Option<String>,
}

/// Resolvers the OS uses only for some domains (VPN split DNS), per interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitDns {
    /// The interface (or scope) the resolver is bound to; empty when the OS does not say.
    pub interface: String,
    /// Domains sent to these nameservers.
    pub domains: Vec<String>,
    /// The nameservers.
    pub nameservers: Vec<IpAddr>,
}

/// Everything gathered from the OS, before any probe ran.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// Interfaces, without hardware addresses.
    pub interfaces: Vec<Interface>,
    /// The routing table (main table on Linux).
    pub routes: Vec<RouteEntry>,
    /// Running VPN client processes.
    pub processes: Vec<VpnProcess>,
    /// OS-managed VPN services.
    pub services: Vec<OsVpnService>,
    /// VPN split-DNS resolvers (macOS `scutil --dns`).
    pub split_dns: Vec<SplitDns>,
    /// Evidence sources consulted (`interfaces`, `routes`, `processes`, `nmcli`, …).
    pub sources: Vec<String>,
    /// What could not be checked, and why.
    pub notes: Vec<String>,
}

impl Collected {
    /// The report's `vpn_detection` for this collection.
    #[must_use]
    pub fn detection(&self) -> Detection {
        Detection {
            status: DetectionStatus::Ran,
            detail: if self.notes.is_empty() {
                None
            } else {
                Some(self.notes.join("; "))
            },
            sources: self.sources.clone(),
        }
    }
}

/// Everything gathered from the OS, before any probe ran. Blocking; the caller runs it in
/// `spawn_blocking`. Must take < 50 ms typically.
///
/// `gateway_hosts` are the profile's VPN gateway host names, looked for in VPN client command
/// lines (which are then dropped).
#[must_use]
pub fn collect(gateway_hosts: &[String]) -> Collected {
    let mut c = Collected::default();
    // The process scan (sysinfo, the slowest part) runs beside the OS tools.
    let scanned = std::thread::scope(|scope| {
        let scan = scope.spawn(|| process::scan(gateway_hosts));
        match std::env::consts::OS {
            "linux" => linux::collect(&mut c),
            "macos" => macos::collect(&mut c),
            "windows" => windows::collect(&mut c),
            other => {
                c.interfaces = interfaces_from_netdev(&netdev::get_interfaces(), |_| None);
                c.sources.push("interfaces".into());
                c.notes.push(format!(
                    "routes not checked: reading the routing table is not implemented on {other}"
                ));
            }
        }
        scan.join()
            .unwrap_or_else(|_| Err("the process scan panicked".to_string()))
    });
    mark_default_routes(&mut c.interfaces, &c.routes);
    match scanned {
        Ok(p) => {
            c.processes = p;
            c.sources.push("processes".into());
        }
        Err(e) => c
            .notes
            .push(format!("VPN client processes not checked: {e}")),
    }
    c
}

/// Converts netdev's interfaces to the report's, with no MAC address. `kind_hint` may override
/// the kind (Linux sysfs type, for example).
pub(crate) fn interfaces_from_netdev(
    ifs: &[netdev::Interface],
    kind_hint: impl Fn(&netdev::Interface) -> Option<&'static str>,
) -> Vec<Interface> {
    use netdev::interface::types::InterfaceType as T;
    let mut ifs: Vec<&netdev::Interface> = ifs.iter().collect();
    ifs.sort_by_key(|i| i.index);
    ifs.into_iter()
        .map(|i| {
            let kind = kind_hint(i).unwrap_or(match i.if_type {
                T::Loopback => "loopback",
                T::Wireless80211 => "wifi",
                T::Ppp => "ppp",
                T::Tunnel => "tunnel",
                T::Ethernet | T::GigabitEthernet | T::FastEthernetT | T::FastEthernetFx => {
                    "ethernet"
                }
                _ if i.is_loopback() => "loopback",
                _ => "other",
            });
            let mut addresses: Vec<String> = i
                .ipv4
                .iter()
                .map(|n| format!("{}/{}", n.addr(), n.prefix_len()))
                .collect();
            addresses.extend(
                i.ipv6
                    .iter()
                    .map(|n| format!("{}/{}", n.addr(), n.prefix_len())),
            );
            Interface {
                // Windows: netdev's `name` is the adapter GUID; people know the friendly name.
                name: if std::env::consts::OS == "windows" {
                    i.friendly_name.clone().unwrap_or_else(|| i.name.clone())
                } else {
                    i.name.clone()
                },
                description: i.description.clone(),
                kind: kind.to_string(),
                up: i.is_up() && i.oper_state != netdev::interface::state::OperState::Down,
                point_to_point: i.is_point_to_point(),
                addresses,
                default_route: i.default,
            }
        })
        .collect()
}

/// Sets `default_route` on every interface that holds a default(-like) route.
fn mark_default_routes(interfaces: &mut [Interface], routes: &[RouteEntry]) {
    for i in interfaces.iter_mut() {
        if routes
            .iter()
            .any(|r| r.interface == i.name && r.destination.is_default_like())
        {
            i.default_route = true;
        }
    }
}

/// A usable address: not link-local, loopback, multicast or unspecified.
fn usable_addr(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => !(a.is_link_local() || a.is_loopback() || a.is_unspecified()),
        IpAddr::V6(a) => {
            !(is_v6_link_local(a) || a.is_loopback() || a.is_unspecified() || a.is_multicast())
        }
    }
}

fn is_v6_link_local(a: Ipv6Addr) -> bool {
    a.segments()[0] & 0xffc0 == 0xfe80
}

/// Adapter descriptions (Windows) and the client each one names.
///
/// Sources: issue 3's list ("Juniper Networks Virtual Adapter" = Pulse, "Cisco AnyConnect Secure
/// Mobility Client Virtual Miniport Adapter", "PANGP Virtual Ethernet Adapter", "Fortinet …",
/// "TAP-Windows Adapter V9", "WireGuard Tunnel", "Wintun") and DEPENDENCIES.md §3. Added from
/// the vendors' product names and **not verified on a Windows machine here**: "Pulse Secure" /
/// "Ivanti Secure Access" adapter descriptions of newer Pulse releases, "Cisco Secure Client"
/// (AnyConnect's rename in version 5), "OpenVPN …" (OpenVPN's Wintun and data-channel-offload
/// adapters), "Zscaler …". Matching is case-insensitive on a substring.
const ADAPTER_CLIENTS: &[(&str, &str)] = &[
    ("juniper networks virtual adapter", "Pulse Secure"),
    ("pulse secure", "Pulse Secure"),
    ("ivanti secure access", "Pulse Secure"),
    ("cisco anyconnect", "Cisco AnyConnect"),
    ("cisco secure client", "Cisco AnyConnect"),
    ("pangp", "GlobalProtect"),
    ("fortinet", "FortiClient"),
    ("tap-windows", "OpenVPN"),
    ("openvpn", "OpenVPN"),
    ("wireguard tunnel", "WireGuard"),
    ("zscaler", "Zscaler"),
    // Wintun is a generic driver (WireGuard's, also used by others): a tunnel, but no client name.
    ("wintun", ""),
    // RAS adapters of the built-in Windows VPN (IKEv2, L2TP, SSTP, PPTP) appear as PPP adapters.
    ("wan miniport", "Windows VPN"),
];

/// Tunnel-type adapters that are transition mechanisms, not VPNs (Windows).
const NOT_VPN_DESCRIPTIONS: &[&str] = &["teredo", "isatap", "6to4", "ip-https", "kernel debug"];

/// The client a Windows adapter description names: `Some("")` for a VPN adapter of no
/// particular client (Wintun), None for a description that is not a VPN adapter.
#[must_use]
pub fn client_from_description(description: &str) -> Option<&'static str> {
    let d = description.to_ascii_lowercase();
    ADAPTER_CLIENTS
        .iter()
        .find(|(needle, _)| d.contains(needle))
        .map(|(_, c)| *c)
}

/// Interface name prefixes of tunnels, and the client a prefix implies (if any).
///
/// Source: issue 3 (`utun*`, `ipsec*`, `ppp*` on macOS; `tun*`, `tap*`, `wg*`, `ppp*`,
/// `cscotun*`, `gpd*` on Linux) and DEPENDENCIES.md §3. `cscotun` is the Linux device of Cisco
/// AnyConnect, `gpd` that of GlobalProtect's Linux client, `wg` the wg-quick convention. Names
/// only ever name a client or back up a behaviour test; they never make a VPN by themselves
/// (the interface must also be up, addressed and carry a route).
const TUNNEL_PREFIXES: &[(&str, Option<&str>)] = &[
    ("cscotun", Some("Cisco AnyConnect")),
    ("gpd", Some("GlobalProtect")),
    ("wg", Some("WireGuard")),
    ("utun", None),
    ("ipsec", None),
    ("tun", None),
    ("tap", None),
    ("ppp", None),
];

fn name_prefix(name: &str) -> Option<Option<&'static str>> {
    TUNNEL_PREFIXES
        .iter()
        .find(|(p, _)| {
            name.strip_prefix(p).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit())
            })
        })
        .map(|(_, c)| *c)
}

/// Why an interface looks like a tunnel, or None.
fn tunnel_reason(i: &Interface) -> Option<String> {
    if i.kind == "loopback" {
        return None;
    }
    if let Some(d) = &i.description {
        let dl = d.to_ascii_lowercase();
        if NOT_VPN_DESCRIPTIONS.iter().any(|n| dl.contains(n)) {
            return None;
        }
        if client_from_description(d).is_some() {
            return Some(format!("adapter \"{d}\" is a VPN adapter"));
        }
    }
    if i.kind == "tunnel" || i.kind == "ppp" {
        return Some(format!("{} is a {} interface", i.name, i.kind));
    }
    if i.point_to_point {
        return Some(format!("{} is point-to-point", i.name));
    }
    if name_prefix(&i.name).is_some() {
        return Some(format!("{} has a tunnel name", i.name));
    }
    None
}

fn parsed_addresses(i: &Interface) -> Vec<Prefix> {
    i.addresses.iter().filter_map(|a| a.parse().ok()).collect()
}

/// Routes that show an interface carries traffic: not link-local, multicast, broadcast, or the
/// host route to one of its own addresses (every OS lists those for every interface).
fn carried_routes<'a>(i: &Interface, routes: &'a [RouteEntry]) -> Vec<&'a RouteEntry> {
    let own = parsed_addresses(i);
    routes
        .iter()
        .filter(|r| r.interface == i.name)
        .filter(|r| {
            let d = r.destination.addr;
            let link_local = match d {
                IpAddr::V4(a) => a.is_link_local() && r.destination.len >= 16,
                IpAddr::V6(a) => is_v6_link_local(a) && r.destination.len >= 10,
            };
            let multicast = match d {
                IpAddr::V4(a) => a.is_multicast() || a.is_broadcast(),
                IpAddr::V6(a) => a.is_multicast(),
            };
            let own_host = r.destination.is_host()
                && own.iter().any(|p| {
                    p.addr == d || p.last_v4().map(IpAddr::V4) == Some(d) || d.is_loopback()
                });
            !(link_local || multicast || own_host || d.is_loopback())
        })
        .collect()
}

/// One tunnel that passed the behaviour test, with what is known about it so far.
struct Tunnel<'a> {
    iface: &'a Interface,
    routes: Vec<&'a RouteEntry>,
    evidence: Vec<String>,
    client: Option<String>,
}

/// Pure: which tunnels are active VPNs and whose. `targets` = resolved addresses per role
/// (`Role::Mars`, `Role::Affiliate`, `Role::Gateway`), known after DNS; may be empty.
#[must_use]
pub fn classify(collected: &Collected, targets: &[(Role, Vec<IpAddr>)]) -> Vec<Vpn> {
    let mut tunnels: Vec<Tunnel> = Vec::new();
    for i in &collected.interfaces {
        let Some(reason) = tunnel_reason(i) else {
            continue;
        };
        if !i.up {
            continue;
        }
        if tunnels.iter().any(|t| t.iface.name == i.name) {
            continue; // one entry per interface, exactly once
        }
        let usable: Vec<Prefix> = parsed_addresses(i)
            .into_iter()
            .filter(|p| usable_addr(p.addr))
            .collect();
        if usable.is_empty() {
            continue;
        }
        let routes = carried_routes(i, &collected.routes);
        if routes.is_empty() && !i.default_route {
            continue;
        }
        let mut evidence = vec![format!(
            "{reason}, up, with address {}",
            usable
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )];
        if i.default_route {
            let defaults: Vec<String> = routes
                .iter()
                .filter(|r| r.destination.is_default_like())
                .map(|r| r.destination.to_string())
                .collect();
            evidence.push(if defaults.is_empty() {
                format!("{} holds the default route", i.name)
            } else {
                format!(
                    "{} holds the default route ({})",
                    i.name,
                    defaults.join(", ")
                )
            });
        } else {
            let shown: Vec<String> = routes
                .iter()
                .take(3)
                .map(|r| r.destination.to_string())
                .collect();
            let more = routes.len().saturating_sub(3);
            evidence.push(format!(
                "{} carries route{} {}{}",
                i.name,
                if routes.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        for d in collected.split_dns.iter().filter(|d| d.interface == i.name) {
            evidence.push(format!(
                "{} resolves {} through {} (split DNS)",
                i.name,
                d.domains.join(", "),
                d.nameservers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        tunnels.push(Tunnel {
            iface: i,
            routes,
            evidence,
            client: None,
        });
    }

    name_clients(&mut tunnels, collected);

    let addrs = |role: Role| -> Vec<IpAddr> {
        targets
            .iter()
            .filter(|(r, _)| *r == role)
            .flat_map(|(_, a)| a.iter().copied())
            .collect()
    };
    let mut roles: Vec<Option<VpnRole>> = vec![None; tunnels.len()];
    for (role, vrole, label) in [
        (Role::Mars, VpnRole::Hms, "mars"),
        (Role::Affiliate, VpnRole::Affiliate, "the affiliate portal"),
    ] {
        for addr in addrs(role) {
            if let Some((idx, route)) = best_tunnel_route(&tunnels, collected, addr) {
                tunnels[idx].evidence.push(format!(
                    "route {} via {} covers {label} ({addr})",
                    route.destination, route.interface
                ));
                if roles[idx].is_none() || vrole == VpnRole::Hms {
                    roles[idx] = Some(vrole);
                }
            }
        }
    }
    gateway_evidence(&mut tunnels, &mut roles, collected, &addrs(Role::Gateway));

    tunnels
        .into_iter()
        .zip(roles)
        .map(|(t, role)| Vpn {
            interface: t.iface.name.clone(),
            client: t.client,
            role: role.unwrap_or(VpnRole::Unknown),
            gateway: None,
            network: None,
            evidence: t.evidence,
        })
        .collect()
}

/// The longest-prefix, non-default route to `addr` over all interfaces; Some when it is a
/// tunnel's (index into `tunnels`).
fn best_tunnel_route<'a>(
    tunnels: &[Tunnel<'a>],
    collected: &'a Collected,
    addr: IpAddr,
) -> Option<(usize, &'a RouteEntry)> {
    let best = collected
        .routes
        .iter()
        .filter(|r| !r.destination.is_default_like() && r.destination.contains(addr))
        .max_by_key(|r| {
            // Prefer the tunnel on equal length: it is the one the VPN client added.
            let on_tunnel = tunnels.iter().any(|t| t.iface.name == r.interface);
            (r.destination.len, on_tunnel)
        })?;
    let idx = tunnels.iter().position(|t| {
        t.iface.name == best.interface && t.routes.iter().any(|r| std::ptr::eq(*r, best))
    })?;
    Some((idx, best))
}

/// Gateway evidence: a client process naming the HMS gateway, or the host route to the gateway
/// address through a non-tunnel interface that full-tunnel clients add.
fn gateway_evidence(
    tunnels: &mut [Tunnel],
    roles: &mut [Option<VpnRole>],
    collected: &Collected,
    gateway_addrs: &[IpAddr],
) {
    let mut set_hms = |idx: usize, line: String, tunnels: &mut [Tunnel]| {
        tunnels[idx].evidence.push(line);
        roles[idx] = Some(VpnRole::Hms);
    };
    for p in &collected.processes {
        let Some(host) = &p.matched_gateway else {
            continue;
        };
        let idx = match &p.interface {
            Some(name) => tunnels.iter().position(|t| &t.iface.name == name),
            None => the_one(
                (0..tunnels.len())
                    .filter(|&i| tunnels[i].client.as_deref() == Some(p.client))
                    .collect(),
                tunnels.len(),
            ),
        };
        if let Some(idx) = idx {
            let line = format!(
                "{} process is connected to the HMS VPN gateway {host}",
                p.client
            );
            set_hms(idx, line, tunnels);
        }
    }
    for &gw in gateway_addrs {
        let Some(route) = collected.routes.iter().find(|r| {
            r.destination.is_host()
                && r.destination.addr == gw
                && !tunnels.iter().any(|t| t.iface.name == r.interface)
        }) else {
            continue;
        };
        // The host route is added by the full-tunnel client: its tunnel holds the default route.
        let idx = the_one(
            (0..tunnels.len())
                .filter(|&i| tunnels[i].iface.default_route)
                .collect(),
            tunnels.len(),
        );
        if let Some(idx) = idx {
            let line = format!(
                "host route to the HMS VPN gateway ({gw}) via {} keeps the tunnel's own traffic outside it",
                route.interface
            );
            set_hms(idx, line, tunnels);
        }
    }
}

/// Names each tunnel's client: adapter description, the process holding the device, an OS
/// service on that interface, the interface name; then, if exactly one tunnel and one client
/// remain unmatched, pairs them.
/// The tunnel a piece of evidence belongs to: the single candidate, or else the only tunnel
/// there is; `None` when it is ambiguous (then no tunnel gets the role from it).
fn the_one(candidates: Vec<usize>, tunnels: usize) -> Option<usize> {
    match candidates.as_slice() {
        [one] => Some(*one),
        _ if tunnels == 1 => Some(0),
        _ => None,
    }
}

fn name_clients(tunnels: &mut [Tunnel], c: &Collected) {
    for t in tunnels.iter_mut() {
        let from_desc = t
            .iface
            .description
            .as_deref()
            .and_then(client_from_description)
            .filter(|c| !c.is_empty());
        if let Some(name) = from_desc {
            t.client = Some(name.to_string());
            continue;
        }
        if let Some(p) = c
            .processes
            .iter()
            .find(|p| p.interface.as_deref() == Some(t.iface.name.as_str()))
        {
            t.client = Some(p.client.to_string());
            t.evidence
                .push(format!("{} process holds {}", p.client, t.iface.name));
            continue;
        }
        if let Some(s) = c
            .services
            .iter()
            .find(|s| s.connected && s.interface.as_deref() == Some(t.iface.name.as_str()))
        {
            t.client = Some(service_client(s));
            t.evidence.push(format!(
                "OS VPN service \"{}\" is connected on {}",
                s.name, t.iface.name
            ));
            continue;
        }
        if let Some(Some(name)) = name_prefix(&t.iface.name) {
            t.client = Some(name.to_string());
        }
    }
    let unnamed: Vec<usize> = (0..tunnels.len())
        .filter(|&i| tunnels[i].client.is_none())
        .collect();
    if unnamed.len() != 1 {
        return;
    }
    let named: Vec<&str> = tunnels.iter().filter_map(|t| t.client.as_deref()).collect();
    let mut candidates: Vec<(String, String)> = Vec::new();
    for p in c.processes.iter().filter(|p| p.interface.is_none()) {
        if !named.contains(&p.client) && !candidates.iter().any(|(n, _)| n == p.client) {
            candidates.push((
                p.client.to_string(),
                format!("{} process is running", p.client),
            ));
        }
    }
    for s in c
        .services
        .iter()
        .filter(|s| s.connected && s.interface.is_none())
    {
        let name = service_client(s);
        if !named.contains(&name.as_str()) && !candidates.iter().any(|(n, _)| *n == name) {
            candidates.push((name, format!("OS VPN service \"{}\" is connected", s.name)));
        }
    }
    if let [(name, why)] = candidates.as_slice() {
        let t = &mut tunnels[unnamed[0]];
        t.client = Some(name.clone());
        t.evidence
            .push(format!("{why} (the only unmatched VPN client)"));
    }
}

/// The client an OS VPN service stands for: a known client from its kind (macOS bundle ids such
/// as `VPN/com.cisco.anyconnect`), else the OS's own VPN named after the service.
fn service_client(s: &OsVpnService) -> String {
    let k = s.kind.to_ascii_lowercase();
    if let Some(c) = process::client_from_bundle_id(&k) {
        return c.to_string();
    }
    if k.contains("wireguard") {
        return "WireGuard".into();
    }
    if k == "ras" {
        return format!("Windows VPN \"{}\"", s.name);
    }
    format!("{} ({})", s.name, s.kind)
}

/// Which interface the OS would use to reach `dst` (UDP connect trick, no packet sent): (local
/// address, interface name). The interface is None when no interface owns the local address.
///
/// # Errors
/// The OS's error when it has no route (`NetworkUnreachable`) or the socket cannot be made.
pub fn route_to(
    dst: IpAddr,
    interfaces: &[Interface],
) -> Result<(IpAddr, Option<String>), std::io::Error> {
    let bind: IpAddr = if dst.is_ipv4() {
        Ipv4Addr::UNSPECIFIED.into()
    } else {
        Ipv6Addr::UNSPECIFIED.into()
    };
    let sock = UdpSocket::bind((bind, 0))?;
    // connect() on UDP only selects the route and source address; nothing is sent. Port 9
    // (discard) so that a mistake would never reach a real service.
    sock.connect((dst, 9))?;
    let local = sock.local_addr()?.ip();
    let name = interfaces
        .iter()
        .find(|i| parsed_addresses(i).iter().any(|p| p.addr == local))
        .map(|i| i.name.clone());
    Ok((local, name))
}

/// `hmsaccess interfaces [--json]`: no network probes; prints interfaces + vpns + detection,
/// human (plain text, aligned) or JSON `{"interfaces":[…],"vpns":[…],"vpn_detection":{…}}`.
///
/// With no DNS, roles can come only from client processes naming the embedded profile's gateway.
///
/// # Errors
/// Only errors writing to `out`.
pub fn interfaces_command(json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let profile = crate::profile::Profile::embedded();
    let gateways: Vec<String> = profile
        .target(Role::Gateway)
        .map(|t| vec![t.host.clone()])
        .unwrap_or_default();
    let collected = collect(&gateways);
    let vpns = classify(&collected, &[]);
    write_interfaces(out, json, &collected, &vpns)
}

/// The JSON shape of `hmsaccess interfaces --json`.
#[derive(Serialize)]
struct InterfacesJson<'a> {
    interfaces: &'a [Interface],
    vpns: &'a [Vpn],
    vpn_detection: Detection,
}

/// Renders a collection and its classification as `hmsaccess interfaces` does.
///
/// # Errors
/// Only errors writing to `out`.
pub fn write_interfaces(
    out: &mut dyn Write,
    json: bool,
    collected: &Collected,
    vpns: &[Vpn],
) -> std::io::Result<()> {
    if json {
        let doc = InterfacesJson {
            interfaces: &collected.interfaces,
            vpns,
            vpn_detection: collected.detection(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    let yn = |b: bool| if b { "yes" } else { "no" };
    let header = ["NAME", "KIND", "UP", "P2P", "DEFAULT", "ADDRESSES"];
    let rows: Vec<[String; 6]> = collected
        .interfaces
        .iter()
        .map(|i| {
            [
                match &i.description {
                    Some(d) if *d != i.name => format!("{} ({d})", i.name),
                    _ => i.name.clone(),
                },
                i.kind.clone(),
                yn(i.up).into(),
                yn(i.point_to_point).into(),
                yn(i.default_route).into(),
                if i.addresses.is_empty() {
                    "-".into()
                } else {
                    i.addresses.join(", ")
                },
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (k, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if k + 1 == cells.len() {
                s.push_str(&format!("  {cell}"));
            } else {
                s.push_str(&format!("  {cell:<w$}"));
            }
        }
        s
    };
    writeln!(out, "Interfaces")?;
    writeln!(out, "{}", line(&header))?;
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    writeln!(out)?;
    if vpns.is_empty() {
        writeln!(out, "VPN tunnels: none active")?;
    } else {
        writeln!(out, "VPN tunnels ({})", vpns.len())?;
        for v in vpns {
            let role = match v.role {
                VpnRole::Hms => "HMS VPN",
                VpnRole::Affiliate => "affiliate (hospital) VPN",
                VpnRole::Unknown => "unknown VPN",
            };
            writeln!(
                out,
                "  {}  {}  {role}",
                v.interface,
                v.client.as_deref().unwrap_or("client not identified")
            )?;
            for e in &v.evidence {
                writeln!(out, "      - {e}")?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "Sources checked: {}", collected.sources.join(", "))?;
    for n in &collected.notes {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
