//! Route probe: which local address (and so which interface) the OS would use for a destination.
//!
//! A UDP socket is connected to the destination's discard port and its local address read back;
//! connecting a UDP socket sends no packet (DEPENDENCIES.md §4, verified). The global probes ask
//! about documentation addresses (192.0.2.1, 2001:db8::1) that are never real hosts: they only
//! reveal whether a default route exists.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use crate::report::model::{Interface, Outcome, RouteData};

/// TEST-NET-1 (RFC 5737): stands for "anywhere on the internet" in the IPv4 route lookup.
pub const PROBE_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
/// The IPv6 documentation prefix (RFC 3849): the same for IPv6.
pub const PROBE_V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));

/// Looks up the route to `dst`; `interfaces` names the interface owning the local address.
#[must_use]
pub fn lookup(dst: IpAddr, interfaces: &[Interface]) -> (Outcome, RouteData, Option<String>) {
    let mut data = RouteData {
        destination: dst.to_string(),
        ..RouteData::default()
    };
    let result = local_for(dst);
    match result {
        Ok(local) => {
            data.local_address = Some(local.to_string());
            data.interface = interface_of(local, interfaces);
            (Outcome::Ok, data, None)
        }
        Err(e) => (super::classify_io(&e), data, Some(super::io_detail(&e))),
    }
}

/// The local address the OS would send packets to `dst` from, if it has a route.
#[must_use]
pub fn source_for(dst: IpAddr) -> Option<IpAddr> {
    local_for(dst).ok()
}

/// Connects a UDP socket to `dst` (no packet is sent) and reads back the local address.
fn local_for(dst: IpAddr) -> std::io::Result<IpAddr> {
    let bind: SocketAddr = match dst {
        IpAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        IpAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(bind)?;
    socket.connect((dst, 9))?;
    Ok(socket.local_addr()?.ip())
}

/// The interface that has `ip` among its addresses (`198.18.0.2/24` style).
#[must_use]
pub fn interface_of(ip: IpAddr, interfaces: &[Interface]) -> Option<String> {
    interfaces
        .iter()
        .find(|i| i.ips().any(|a| a == ip))
        .map(|i| i.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_routes_via_the_loopback_interface() {
        let lo = Interface {
            name: "lo".into(),
            addresses: vec!["127.0.0.1/8".into()],
            ..Interface::default()
        };
        let (outcome, data, _) = lookup(IpAddr::V4(Ipv4Addr::LOCALHOST), &[lo]);
        assert_eq!(outcome, Outcome::Ok);
        assert_eq!(data.local_address.as_deref(), Some("127.0.0.1"));
        assert_eq!(data.interface.as_deref(), Some("lo"));
    }

    #[test]
    fn interface_of_matches_address_without_prefix() {
        let tun = Interface {
            name: "tun0".into(),
            addresses: vec!["198.18.5.2/32".into(), "fe80::1/64".into()],
            ..Interface::default()
        };
        assert_eq!(
            interface_of("198.18.5.2".parse().unwrap(), std::slice::from_ref(&tun)),
            Some("tun0".into())
        );
        assert_eq!(interface_of("198.18.5.3".parse().unwrap(), &[tun]), None);
    }
}
