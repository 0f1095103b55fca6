//! Whose VPN each tunnel is (issue 11, situation 2): FIRST from the server it is connected to,
//! only then from the routes it carries.
//!
//! The server comes from a client process naming a known server on its command line (Linux:
//! `openconnect HOST`, `openvpn --remote HOST`; the command line itself is never kept), from the
//! client's own settings (GlobalProtect's portal and the tunnel addresses it records, Pulse's
//! connection store, AnyConnect's last server), or from the host route to the HMS VPN gateway
//! through a physical interface that full-tunnel clients add. A tunnel to a server the profile
//! lists as another VPN (Harvard University's, a hospital's) takes that VPN's role and name, and
//! is never the HMS VPN, whatever routes it carries. Then a route covering MARS makes a tunnel
//! the HMS VPN's, one covering the affiliate portal a hospital VPN's.

use std::net::IpAddr;

use super::classify::{Tunnel, parsed_addresses, usable_addr};
use super::{Collected, RouteEntry};
use crate::report::model::{Role, VpnRole};

/// A tunnel's role and the name of its network, when known.
pub(super) type Assigned = (Option<VpnRole>, Option<String>);

/// Each tunnel's role and network; adds the evidence lines (and gateways) to the tunnels.
pub(super) fn assign(
    tunnels: &mut [Tunnel],
    collected: &Collected,
    targets: &[(Role, Vec<IpAddr>)],
) -> Vec<Assigned> {
    let addrs = |role: Role| -> Vec<IpAddr> {
        targets
            .iter()
            .filter(|(r, _)| *r == role)
            .flat_map(|(_, a)| a.iter().copied())
            .collect()
    };
    from_processes(tunnels, collected);
    from_settings(tunnels, collected);
    from_host_route(tunnels, collected, &addrs(Role::Gateway));
    let mut roles: Vec<Assigned> = tunnels
        .iter_mut()
        .map(|t| by_gateway(t, collected))
        .collect();
    for (role, vrole, label) in [
        (Role::Mars, VpnRole::Hms, "mars"),
        (Role::Affiliate, VpnRole::Affiliate, "the affiliate portal"),
    ] {
        for addr in addrs(role) {
            let Some((idx, route)) = best_tunnel_route(tunnels, collected, addr) else {
                continue;
            };
            tunnels[idx].evidence.push(format!(
                "route {} via {} covers {label} ({addr})",
                route.destination, route.interface
            ));
            let fixed = roles[idx].1.is_some();
            if !fixed && (roles[idx].0.is_none() || vrole == VpnRole::Hms) {
                roles[idx].0 = Some(vrole);
            }
        }
    }
    roles
}

/// The role a tunnel's server gives it: the HMS VPN's, another listed VPN's (final: routes do
/// not change it), or nothing for a server the profile does not know.
fn by_gateway(t: &mut Tunnel, c: &Collected) -> Assigned {
    let Some(host) = t.gateway.clone() else {
        return (None, None);
    };
    let Some((name, role)) = c.known.network_of(&host) else {
        return (None, None);
    };
    t.evidence.push(if role == VpnRole::Hms {
        format!("{host} is the HMS VPN's server")
    } else {
        format!("{host} is the server of the {name}, not the HMS VPN")
    });
    (Some(role), Some(name.to_string()))
}

/// Sets a tunnel's server once (the first source wins) with the evidence line saying why.
fn set_gateway(t: &mut Tunnel, host: &str, why: String) {
    if t.gateway.is_none() {
        t.gateway = Some(host.to_string());
        t.evidence.push(why);
    }
}

/// A client process whose command line names a known server: the tunnel it holds open, or the
/// one tunnel of that client.
fn from_processes(tunnels: &mut [Tunnel], c: &Collected) {
    for p in &c.processes {
        let Some(host) = &p.matched_gateway else {
            continue;
        };
        let idx = match &p.interface {
            Some(name) => tunnels.iter().position(|t| &t.iface.name == name),
            None => the_one(tunnels, |t| t.client.as_deref() == Some(p.client)),
        };
        if let Some(idx) = idx {
            let why = format!("{} process is connected to {host}", p.client);
            set_gateway(&mut tunnels[idx], host, why);
        }
    }
}

/// What the clients' own settings say: a tunnel holding an address the client recorded for its
/// tunnel is that client's (and connected to its server); else the one tunnel of a client whose
/// settings name exactly one server is connected to it.
fn from_settings(tunnels: &mut [Tunnel], c: &Collected) {
    for g in &c.client_gateways {
        let holds = |t: &Tunnel| {
            parsed_addresses(t.iface)
                .iter()
                .any(|p| usable_addr(p.addr) && g.tunnel_addrs.contains(&p.addr))
        };
        let idx = tunnels.iter().position(holds).or_else(|| {
            (g.gateways.len() == 1)
                .then(|| the_one_strict(tunnels, |t| t.client.as_deref() == Some(g.client)))
                .flatten()
        });
        let Some(idx) = idx else { continue };
        let t = &mut tunnels[idx];
        if holds(t) && t.client.as_deref() != Some(g.client) {
            t.evidence.push(format!(
                "{} holds the tunnel address that {} records",
                t.iface.name, g.source
            ));
            t.client = Some(g.client.to_string());
        }
        if let [host] = g.gateways.as_slice() {
            let why = format!("{} name {host} as its server", g.source);
            set_gateway(t, host, why);
        }
    }
}

/// The host route to the HMS VPN gateway's address through a non-tunnel interface: added by a
/// full-tunnel client so that its own traffic stays outside the tunnel holding the default.
fn from_host_route(tunnels: &mut [Tunnel], c: &Collected, gateway_addrs: &[IpAddr]) {
    let Some(host) = c.known.hms.first() else {
        return;
    };
    for &gw in gateway_addrs {
        let Some(route) = c.routes.iter().find(|r| {
            r.destination.is_host()
                && r.destination.addr == gw
                && !tunnels.iter().any(|t| t.iface.name == r.interface)
        }) else {
            continue;
        };
        if let Some(idx) = the_one(tunnels, |t| t.iface.default_route) {
            let why = format!(
                "host route to the HMS VPN gateway ({gw}) via {} keeps the tunnel's own traffic outside it",
                route.interface
            );
            set_gateway(&mut tunnels[idx], host, why);
        }
    }
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

/// The tunnel a piece of evidence belongs to: the single candidate, or else the only tunnel
/// there is; `None` when it is ambiguous (then no tunnel gets the role from it).
pub(super) fn the_one(tunnels: &[Tunnel], candidate: impl Fn(&Tunnel) -> bool) -> Option<usize> {
    match the_one_strict(tunnels, candidate) {
        Some(one) => Some(one),
        None if tunnels.len() == 1 => Some(0),
        None => None,
    }
}

/// The single candidate, or `None`.
fn the_one_strict(tunnels: &[Tunnel], candidate: impl Fn(&Tunnel) -> bool) -> Option<usize> {
    let candidates: Vec<usize> = (0..tunnels.len())
        .filter(|&i| candidate(&tunnels[i]))
        .collect();
    match candidates.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}
