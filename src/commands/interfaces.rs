//! `hmsaccess interfaces [--json]`: the network interfaces and the VPN tunnels among them, with
//! no network probe. Collection and classification are `netif`'s; this module picks the gateway
//! host names out of the embedded profile and renders the result.

use std::io::{self, Write};

use serde::Serialize;

use super::finish_output;
use crate::exit::{Exit, Failure};
use crate::netif::{self, Collected};
use crate::profile::Profile;
use crate::report::model::{Detection, Interface, Role, Vpn};

/// Runs `hmsaccess interfaces`: the whole output is built first, then written at once.
pub(super) fn run(json: bool) -> Result<Exit, Failure> {
    let mut buf = Vec::new();
    interfaces_command(json, &mut buf)
        .map_err(|e| Failure::internal(format!("cannot list the interfaces: {e}")))?;
    // No MAC address leaves, not even inside an EUI-64 IPv6 address (contract 2).
    let text = crate::report::privacy::mask_text(&String::from_utf8_lossy(&buf));
    finish_output(io::stdout().lock().write_all(text.as_bytes()))?;
    Ok(Exit::Success)
}

/// `hmsaccess interfaces [--json]`: no network probes; prints interfaces + vpns + detection,
/// human (plain text, aligned) or JSON `{"interfaces":[…],"vpns":[…],"vpn_detection":{…}}`.
///
/// With no DNS, roles can come only from client processes naming the embedded profile's gateway.
///
/// # Errors
/// Only errors writing to `out`.
pub fn interfaces_command(json: bool, out: &mut dyn Write) -> io::Result<()> {
    let profile = Profile::embedded();
    let gateways: Vec<String> = profile
        .target(Role::Gateway)
        .map(|t| vec![t.host.clone()])
        .unwrap_or_default();
    let collected = netif::collect(&gateways);
    let vpns = netif::classify(&collected, &[]);
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
) -> io::Result<()> {
    if json {
        let doc = InterfacesJson {
            interfaces: &collected.interfaces,
            vpns,
            vpn_detection: collected.detection(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
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
            let role = v.role.label();
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
mod tests {
    use super::*;
    use crate::netif::RouteEntry;

    fn iface(name: &str, kind: &str, p2p: bool, default_route: bool, addrs: &[&str]) -> Interface {
        Interface {
            name: name.into(),
            description: None,
            kind: kind.into(),
            up: true,
            point_to_point: p2p,
            addresses: addrs.iter().map(ToString::to_string).collect(),
            default_route,
        }
    }

    fn route(dest: &str, gw: Option<&str>, iface: &str) -> RouteEntry {
        RouteEntry {
            destination: dest.parse().unwrap(),
            gateway: gw.map(|g| g.parse().unwrap()),
            interface: iface.into(),
        }
    }

    #[test]
    fn human_and_json_output() {
        // A laptop on home Wi-Fi with a split tunnel to MARS's /24.
        let c = Collected {
            interfaces: vec![
                iface("lo", "loopback", false, false, &["127.0.0.1/8", "::1/128"]),
                iface(
                    "wlan0",
                    "wifi",
                    false,
                    true,
                    &["192.168.1.23/24", "fe80::1c2f:3a4b:5c6d:7e8f/64"],
                ),
                iface("tun0", "tunnel", true, false, &["10.250.3.17/32"]),
            ],
            routes: vec![
                route("0.0.0.0/0", Some("192.168.1.1"), "wlan0"),
                route("192.168.1.0/24", None, "wlan0"),
                route("198.18.20.0/24", None, "tun0"),
            ],
            sources: vec!["interfaces".into(), "routes".into()],
            notes: vec!["nmcli not found: NetworkManager VPN connections not checked".into()],
            ..Collected::default()
        };
        let v = netif::classify(&c, &[(Role::Mars, vec!["198.18.20.10".parse().unwrap()])]);
        let mut out = Vec::new();
        write_interfaces(&mut out, true, &c, &v).unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(j["vpns"][0]["interface"], "tun0");
        assert_eq!(j["vpns"][0]["role"], "hms");
        assert_eq!(j["vpn_detection"]["status"], "ran");
        assert_eq!(j["interfaces"].as_array().unwrap().len(), 3);
        let mut out = Vec::new();
        write_interfaces(&mut out, false, &c, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("VPN tunnels (1)"), "{text}");
        assert!(
            text.contains("tun0  client not identified  HMS VPN"),
            "{text}"
        );
        assert!(text.contains("Note: nmcli not found"), "{text}");
    }
}
