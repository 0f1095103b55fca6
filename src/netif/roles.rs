//! Whose VPN each tunnel is (contract 3, "Tunnel roles"): FIRST from the server it is connected
//! to, only then from the routes it carries.
//!
//! The server comes from a client process naming a known server on its command line (Linux:
//! `openconnect HOST`, `openvpn --remote HOST`; the command line itself is never kept), from the
//! client's own settings (GlobalProtect's portal and the tunnel addresses it records, Pulse's
//! connection store, AnyConnect's last server), or from the host route to the HMS VPN gateway
//! through a physical interface that full-tunnel clients add.
//!
//! A tunnel whose server is named is `hms` only when that server is the HMS VPN's gateway; a
//! server the profile lists as another VPN (Harvard University's, a hospital's) gives that VPN's
//! role and name; any other named server leaves the routes to decide between `affiliate` (a
//! route covering the affiliate portal) and `unknown`, never `hms`, whatever routes it carries.
//! A tunnel whose server no source names is judged by its routes (covering MARS: `hms`; the
//! affiliate portal: `affiliate`), and is never `hms` while another tunnel's server is the HMS
//! VPN's gateway.

use std::net::IpAddr;

use super::known::KnownVpns;
use super::tunnel::{Tunnel, parsed_addresses, the_one, the_one_strict, usable_addr};
use crate::os::{Reading, RouteEntry};
use crate::report::model::{Role, VpnRole};

/// A tunnel's role and the name of its network, when known.
pub(super) type Assigned = (Option<VpnRole>, Option<String>);

/// What is known of a tunnel's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    /// No source names it.
    Unnamed,
    /// The HMS VPN's gateway.
    Hms,
    /// A server of a network the profile lists: its role is final.
    Listed,
    /// A server the profile does not know: never the HMS VPN.
    Other,
}

/// Each tunnel's role and network; adds the evidence lines (and gateways) to the tunnels.
pub(super) fn assign(
    tunnels: &mut [Tunnel],
    reading: &Reading,
    known: &KnownVpns,
    targets: &[(Role, Vec<IpAddr>)],
) -> Vec<Assigned> {
    let addrs = |role: Role| -> Vec<IpAddr> {
        targets
            .iter()
            .filter(|(r, _)| *r == role)
            .flat_map(|(_, a)| a.iter().copied())
            .collect()
    };
    let gateway = addrs(Role::Gateway);
    from_processes(tunnels, reading, known, &gateway);
    from_settings(tunnels, reading);
    from_host_route(tunnels, reading, known, &gateway, &addrs(Role::Mars));
    let (servers, mut roles): (Vec<Server>, Vec<Assigned>) =
        tunnels.iter_mut().map(|t| by_gateway(t, known)).unzip();
    let hms_named = servers.iter().position(|s| *s == Server::Hms);
    for (role, vrole, label) in [
        (Role::Mars, VpnRole::Hms, "mars"),
        (Role::Affiliate, VpnRole::Affiliate, "the affiliate portal"),
    ] {
        for addr in addrs(role) {
            let Some((idx, route)) = best_tunnel_route(tunnels, reading, addr) else {
                continue;
            };
            tunnels[idx].evidence.push(format!(
                "route {} via {} covers {label} ({addr})",
                route.destination, route.interface
            ));
            if vrole == VpnRole::Hms
                && servers[idx] == Server::Unnamed
                && let Some(h) = hms_named.filter(|&h| h != idx)
            {
                let why = format!(
                    "{} is connected to the HMS VPN's server, so this route does not make {} the HMS VPN",
                    tunnels[h].iface.name, tunnels[idx].iface.name
                );
                tunnels[idx].evidence.push(why);
                continue;
            }
            by_route(&mut roles[idx], servers[idx], vrole);
        }
    }
    roles
}

/// What a route covering a target (`vrole`: `hms` for MARS, `affiliate` for the portal) gives a
/// tunnel whose server is `server`: nothing where the server fixed the role; never `hms` to a
/// named server the profile does not know; `hms` over `affiliate` to an unnamed tunnel (the
/// caller has checked no other tunnel's server is the HMS gateway); `affiliate` only where no
/// role was given yet.
fn by_route(role: &mut Assigned, server: Server, vrole: VpnRole) {
    let allowed = match (server, vrole) {
        (Server::Hms | Server::Listed, _) | (Server::Other, VpnRole::Hms) => false,
        (Server::Unnamed, VpnRole::Hms) => true,
        _ => role.0.is_none(),
    };
    if allowed {
        role.0 = Some(vrole);
    }
}

/// The role a tunnel's server gives it: the HMS VPN's, another listed VPN's (final: routes do
/// not change it), or nothing for an unnamed server or one the profile does not know.
fn by_gateway(t: &mut Tunnel, known: &KnownVpns) -> (Server, Assigned) {
    let Some(host) = t.gateway.clone() else {
        return (Server::Unnamed, (None, None));
    };
    let Some((name, role)) = known.network_of(&host) else {
        t.evidence
            .push(format!("{host} is not the HMS VPN's server"));
        return (Server::Other, (None, None));
    };
    if role == VpnRole::Hms {
        t.evidence.push(format!("{host} is the HMS VPN's server"));
        return (Server::Hms, (Some(role), Some(name.to_string())));
    }
    t.evidence.push(format!(
        "{host} is the server of the {name}, not the HMS VPN"
    ));
    (Server::Listed, (Some(role), Some(name.to_string())))
}

/// Sets a tunnel's server once (the first source wins) with the evidence line saying why.
fn set_gateway(t: &mut Tunnel, host: &str, why: String) {
    if t.gateway.is_none() {
        t.gateway = Some(host.to_string());
        t.evidence.push(why);
    }
}

/// A client process whose command line names a known server, by name or by the HMS gateway's
/// address (`gateway_addrs`, resolved by the run): the tunnel it holds open, or the one tunnel
/// of that client.
fn from_processes(
    tunnels: &mut [Tunnel],
    reading: &Reading,
    known: &KnownVpns,
    gateway_addrs: &[IpAddr],
) {
    for p in &reading.network.processes {
        let by_address = || {
            let ip = p.addresses.iter().find(|a| gateway_addrs.contains(a))?;
            let host = known.hms.first()?;
            Some((host.clone(), format!("{ip}, the address of {host}")))
        };
        let Some((host, named)) = p
            .matched_gateway
            .clone()
            .map(|h| (h.clone(), h))
            .or_else(by_address)
        else {
            continue;
        };
        let idx = match &p.interface {
            Some(name) => tunnels.iter().position(|t| &t.iface.name == name),
            None => the_one(tunnels, |t| t.client.as_deref() == Some(p.client)),
        };
        if let Some(idx) = idx {
            let why = format!("{} process is connected to {named}", p.client);
            set_gateway(&mut tunnels[idx], &host, why);
        }
    }
}

/// What the clients' own settings say: a tunnel holding an address the client recorded for its
/// tunnel is that client's (and connected to its server); else the one tunnel of a client whose
/// settings name exactly one server is connected to it.
fn from_settings(tunnels: &mut [Tunnel], reading: &Reading) {
    for g in &reading.network.client_gateways {
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
/// full-tunnel client so that its own traffic stays outside the tunnel holding the default. It
/// names the one tunnel holding the default route, unless some tunnel is already known to be
/// connected to the HMS gateway, or another tunnel carries a specific route to MARS (then an
/// HMS split tunnel beside another VPN's full tunnel added it just as well: it names none).
fn from_host_route(
    tunnels: &mut [Tunnel],
    reading: &Reading,
    known: &KnownVpns,
    gateway_addrs: &[IpAddr],
    mars_addrs: &[IpAddr],
) {
    let Some(host) = known.hms.first() else {
        return;
    };
    let hms_named = |t: &Tunnel| {
        t.gateway
            .as_deref()
            .is_some_and(|g| known.network_of(g).is_some_and(|(_, r)| r == VpnRole::Hms))
    };
    if tunnels.iter().any(hms_named) {
        return;
    }
    for &gw in gateway_addrs {
        let Some(route) = reading.network.routes.iter().find(|r| {
            r.destination.is_host()
                && r.destination.addr == gw
                && !tunnels.iter().any(|t| t.iface.name == r.interface)
        }) else {
            continue;
        };
        let Some(idx) = the_one(tunnels, |t| t.iface.default_route) else {
            continue;
        };
        let routes_mars = |t: &Tunnel| {
            t.routes.iter().any(|r| {
                !r.destination.is_default_like()
                    && mars_addrs.iter().any(|a| r.destination.contains(*a))
            })
        };
        if (0..tunnels.len()).any(|i| i != idx && routes_mars(&tunnels[i])) {
            continue;
        }
        let why = format!(
            "host route to the HMS VPN gateway ({gw}) via {} keeps the tunnel's own traffic outside it",
            route.interface
        );
        set_gateway(&mut tunnels[idx], host, why);
    }
}

/// The longest-prefix, non-default route to `addr` over all interfaces; Some when it is a
/// tunnel's (index into `tunnels`).
fn best_tunnel_route<'a>(
    tunnels: &[Tunnel<'a>],
    reading: &'a Reading,
    addr: IpAddr,
) -> Option<(usize, &'a RouteEntry)> {
    let best = reading
        .network
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
