//! Which tunnels are VPNs, and whose: the pure half of VPN detection, a function of the OS
//! reading ([`crate::os::Reading`]) and the targets' resolved addresses.
//!
//! Behaviour decides what is a VPN: an up tunnel-like interface with a usable address that carries
//! a route. Names (adapter descriptions, processes, OS services, interface names) only say whose
//! client it is. Whose VPN it is comes from `roles.rs`: first the server it is connected to, then
//! its routes.

use std::net::IpAddr;

use super::known::KnownVpns;
use super::roles;
use super::tunnel::{Tunnel, is_v6_link_local, parsed_addresses, usable_addr};
use crate::clients;
use crate::os::{OsVpnService, Prefix, Reading, RouteEntry};
use crate::report::model::{Interface, InterfaceKind, Role, Vpn, VpnRole};

/// Why an interface looks like a tunnel, or None.
pub fn tunnel_reason(i: &Interface) -> Option<String> {
    if i.kind == InterfaceKind::Loopback {
        return None;
    }
    if let Some(d) = &i.description {
        if clients::is_not_vpn_adapter(d) {
            return None;
        }
        if clients::from_adapter(d).is_some() {
            return Some(format!("adapter \"{d}\" is a VPN adapter"));
        }
    }
    if matches!(i.kind, InterfaceKind::Tunnel | InterfaceKind::Ppp) {
        return Some(format!("{} is a {} interface", i.name, i.kind.as_str()));
    }
    if i.point_to_point {
        return Some(format!("{} is point-to-point", i.name));
    }
    if clients::from_interface_name(&i.name).is_some() {
        return Some(format!("{} has a tunnel name", i.name));
    }
    None
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

/// Pure: which tunnels are active VPNs and whose. `known` are the VPN servers the profile knows;
/// `targets` = resolved addresses per role (`Role::Mars`, `Role::Affiliate`, `Role::Gateway`),
/// known after DNS; may be empty.
#[must_use]
pub fn classify(reading: &Reading, known: &KnownVpns, targets: &[(Role, Vec<IpAddr>)]) -> Vec<Vpn> {
    let mut tunnels: Vec<Tunnel> = Vec::new();
    for i in &reading.network.interfaces {
        if tunnels.iter().any(|t| t.iface.name == i.name) {
            continue; // one entry per interface, exactly once
        }
        tunnels.extend(tunnel(i, reading));
    }
    name_clients(&mut tunnels, reading);
    let roles = roles::assign(&mut tunnels, reading, known, targets);
    tunnels
        .into_iter()
        .zip(roles)
        .map(|(t, (role, network))| Vpn {
            interface: t.iface.name.clone(),
            client: t.client,
            role: role.unwrap_or(VpnRole::Unknown),
            gateway: t.gateway,
            network,
            evidence: t.evidence,
        })
        .collect()
}

/// The behaviour test: `i` is a VPN tunnel when it looks like a tunnel, is up, has a usable
/// address and carries a route (or holds the default route). Its first evidence lines say so.
fn tunnel<'a>(i: &'a Interface, reading: &'a Reading) -> Option<Tunnel<'a>> {
    let reason = tunnel_reason(i)?;
    if !i.up {
        return None;
    }
    let usable: Vec<Prefix> = parsed_addresses(i)
        .into_iter()
        .filter(|p| usable_addr(p.addr))
        .collect();
    if usable.is_empty() {
        return None;
    }
    let routes = carried_routes(i, &reading.network.routes);
    if routes.is_empty() && !i.default_route {
        return None;
    }
    let mut evidence = vec![
        format!("{reason}, up, with address {}", joined(&usable)),
        route_line(i, &routes),
    ];
    for d in reading
        .path
        .dns
        .split
        .iter()
        .filter(|d| d.interface == i.name)
    {
        evidence.push(format!(
            "{} resolves {} through {} (split DNS)",
            i.name,
            d.domains.join(", "),
            joined(&d.nameservers)
        ));
    }
    Some(Tunnel {
        iface: i,
        routes,
        evidence,
        client: None,
        gateway: None,
    })
}

/// `a, b, c`.
fn joined<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The evidence line on a tunnel's routes: the default route it holds, or up to three of the
/// routes it carries.
fn route_line(i: &Interface, routes: &[&RouteEntry]) -> String {
    if i.default_route {
        let defaults: Vec<String> = routes
            .iter()
            .filter(|r| r.destination.is_default_like())
            .map(|r| r.destination.to_string())
            .collect();
        return if defaults.is_empty() {
            format!("{} holds the default route", i.name)
        } else {
            format!(
                "{} holds the default route ({})",
                i.name,
                defaults.join(", ")
            )
        };
    }
    let shown: Vec<String> = routes
        .iter()
        .take(3)
        .map(|r| r.destination.to_string())
        .collect();
    let more = routes.len().saturating_sub(3);
    format!(
        "{} carries route{} {}{}",
        i.name,
        if routes.len() == 1 { "" } else { "s" },
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// Names each tunnel's client: adapter description, the process holding the device, an OS
/// service on that interface, the interface name; then, if exactly one tunnel and one client
/// remain unmatched, pairs them.
fn name_clients(tunnels: &mut [Tunnel], reading: &Reading) {
    let c = &reading.network;
    for t in tunnels.iter_mut() {
        let from_desc = t
            .iface
            .description
            .as_deref()
            .and_then(clients::from_adapter)
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
        if let Some(Some(name)) = clients::from_interface_name(&t.iface.name) {
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

/// The client an OS VPN service stands for: a known client from its kind (a macOS `VPN:<bundle
/// id>` the catalogue knows), else the OS's own VPN named after the service.
fn service_client(s: &OsVpnService) -> String {
    let k = s.kind.to_ascii_lowercase();
    if let Some(c) = clients::from_service_kind(&k) {
        return c.to_string();
    }
    // Windows RAS connections (`windows.rs` gives them the kind `RAS`) are named by the user.
    if k == "ras" {
        return format!("{} \"{}\"", clients::WINDOWS_VPN, s.name);
    }
    format!("{} ({})", s.name, s.kind)
}
