//! `hmsaccess interfaces [--json]`: the network interfaces and the VPN tunnels among them, with
//! no network probe. The reading is `os`'s and the classification `netif`'s; this module picks
//! the gateway host names out of the embedded profile and renders the result.

use std::io::{self, Write};

use serde::Serialize;

use super::output::finish_output;
use super::setup::fit;
use crate::exit::{Exit, Failure};
use crate::netif;
use crate::os::{self, Reading};
use crate::profile::Profile;
use crate::report::model::{Detection, Interface, Vpn};

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
    let known = crate::run::known_vpns(&Profile::embedded());
    let reading = os::read(&known.hosts(), |_| {});
    let vpns = netif::classify(&reading, &known, &[]);
    write_interfaces(out, json, &reading, &vpns)
}

/// The JSON shape of `hmsaccess interfaces --json`.
#[derive(Serialize)]
struct InterfacesJson<'a> {
    interfaces: &'a [Interface],
    vpns: &'a [Vpn],
    vpn_detection: Detection,
    /// VPN apps found installed (HMS clients first); null when not checked.
    installed_clients: Option<&'a [String]>,
}

/// Renders a reading and its classification as `hmsaccess interfaces` does.
///
/// # Errors
/// Only errors writing to `out`.
pub fn write_interfaces(
    out: &mut dyn Write,
    json: bool,
    reading: &Reading,
    vpns: &[Vpn],
) -> io::Result<()> {
    let collected = &reading.network;
    if json {
        let doc = InterfacesJson {
            interfaces: &collected.interfaces,
            vpns,
            vpn_detection: reading.detection(),
            installed_clients: collected.installed.as_deref(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
        return writeln!(out);
    }
    writeln!(out, "Interfaces")?;
    for i in &collected.interfaces {
        writeln!(out, "{}", fit(&interface_line(i), "  ", "      "))?;
        if !i.addresses.is_empty() {
            writeln!(out, "{}", fit(&i.addresses.join(", "), "      ", "      "))?;
        }
    }
    writeln!(out)?;
    if vpns.is_empty() {
        writeln!(out, "VPN tunnels: none active")?;
    } else {
        writeln!(out, "VPN tunnels ({})", vpns.len())?;
        for v in vpns {
            writeln!(out, "{}", fit(&vpn_line(v), "  ", "      "))?;
            for e in &v.evidence {
                writeln!(out, "{}", fit(e, "      - ", "        "))?;
            }
        }
    }
    if let Some(installed) = &collected.installed {
        writeln!(out)?;
        let list = if installed.is_empty() {
            "none found".to_string()
        } else {
            installed.join(", ")
        };
        writeln!(
            out,
            "{}",
            fit(&format!("VPN apps installed: {list}"), "", "  ")
        )?;
    }
    writeln!(out)?;
    let detection = reading.detection();
    let sources = format!("Sources checked: {}", detection.sources.join(", "));
    writeln!(out, "{}", fit(&sources, "", "  "))?;
    for n in reading.path.dns.notes.iter().chain(&collected.notes) {
        writeln!(out, "{}", fit(&format!("Note: {n}"), "", "  "))?;
    }
    Ok(())
}

/// `Ethernet 2 (Juniper Networks Virtual Adapter): tunnel, up, point-to-point, default route`.
fn interface_line(i: &Interface) -> String {
    let name = match &i.description {
        Some(d) if *d != i.name => format!("{} ({d})", i.name),
        _ => i.name.clone(),
    };
    let mut facts = vec![i.kind.as_str(), if i.up { "up" } else { "down" }];
    if i.point_to_point {
        facts.push("point-to-point");
    }
    if i.default_route {
        facts.push("default route");
    }
    format!("{name}: {}", facts.join(", "))
}

/// `utun4: Cisco AnyConnect, another VPN, server vpn.harvard.edu (Harvard University VPN)`.
fn vpn_line(v: &Vpn) -> String {
    let mut line = format!(
        "{}: {}, {}",
        v.interface,
        v.client.as_deref().unwrap_or("client not identified"),
        v.role.label()
    );
    match (&v.gateway, &v.network) {
        (Some(g), Some(n)) => line.push_str(&format!(", server {g} ({n})")),
        (Some(g), None) => line.push_str(&format!(", server {g}")),
        _ => {}
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::{Network, RouteEntry};
    use crate::report::model::{InterfaceKind as K, Role};

    fn iface(name: &str, kind: K, p2p: bool, default_route: bool, addrs: &[&str]) -> Interface {
        Interface {
            name: name.into(),
            description: None,
            kind,
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
        let c = Reading {
            network: Network {
                interfaces: vec![
                    iface("lo", K::Loopback, false, false, &["127.0.0.1/8", "::1/128"]),
                    iface(
                        "wlan0",
                        K::Wifi,
                        false,
                        true,
                        &["192.168.1.23/24", "fe80::1c2f:3a4b:5c6d:7e8f/64"],
                    ),
                    iface("tun0", K::Tunnel, true, false, &["10.250.3.17/32"]),
                ],
                routes: vec![
                    route("0.0.0.0/0", Some("192.168.1.1"), "wlan0"),
                    route("192.168.1.0/24", None, "wlan0"),
                    route("198.18.20.0/24", None, "tun0"),
                ],
                sources: vec!["interfaces".into(), "routes".into()],
                notes: vec!["nmcli not found: NetworkManager VPN connections not checked".into()],
                ..Network::default()
            },
            ..Reading::default()
        };
        let known = crate::run::known_vpns(&Profile::embedded());
        let v = netif::classify(
            &c,
            &known,
            &[(Role::Mars, vec!["198.18.20.10".parse().unwrap()])],
        );
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
            text.contains("  tun0: client not identified, HMS VPN\n"),
            "{text}"
        );
        assert!(
            text.contains("  wlan0: wifi, up, default route\n      192.168.1.23/24, fe80::"),
            "{text}"
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line:?}");
        }
        assert!(text.contains("Note: nmcli not found"), "{text}");
    }

    #[test]
    fn a_tunnel_line_names_its_server_and_network() {
        let v = Vpn {
            interface: "utun4".into(),
            client: Some("Cisco AnyConnect".into()),
            role: crate::report::model::VpnRole::Unknown,
            gateway: Some("vpn.harvard.edu".into()),
            network: Some("Harvard University VPN".into()),
            evidence: vec![],
        };
        let line = vpn_line(&v);
        assert!(line.starts_with("utun4: Cisco AnyConnect, "), "{line}");
        assert!(
            line.ends_with(", server vpn.harvard.edu (Harvard University VPN)"),
            "{line}"
        );
    }
}
