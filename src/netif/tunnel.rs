//! One tunnel under judgement, and the small facts about addresses that both the behaviour test
//! (`classify.rs`) and the roles (`roles.rs`) use. Imports nothing of its siblings.

use std::net::{IpAddr, Ipv6Addr};

use crate::os::{Prefix, RouteEntry};
use crate::report::model::Interface;

/// One tunnel that passed the behaviour test, with what is known about it so far.
pub(super) struct Tunnel<'a> {
    pub(super) iface: &'a Interface,
    pub(super) routes: Vec<&'a RouteEntry>,
    pub(super) evidence: Vec<String>,
    pub(super) client: Option<String>,
    /// The server it is connected to (host name), once known.
    pub(super) gateway: Option<String>,
}

/// A usable address: not link-local, loopback, multicast or unspecified.
pub(super) fn usable_addr(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => !(a.is_link_local() || a.is_loopback() || a.is_unspecified()),
        IpAddr::V6(a) => {
            !(is_v6_link_local(a) || a.is_loopback() || a.is_unspecified() || a.is_multicast())
        }
    }
}

/// `fe80::/10`.
pub(super) fn is_v6_link_local(a: Ipv6Addr) -> bool {
    a.segments()[0] & 0xffc0 == 0xfe80
}

/// An interface's addresses, as prefixes (unreadable ones left out).
pub(super) fn parsed_addresses(i: &Interface) -> Vec<Prefix> {
    i.addresses.iter().filter_map(|a| a.parse().ok()).collect()
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
pub(super) fn the_one_strict(
    tunnels: &[Tunnel],
    candidate: impl Fn(&Tunnel) -> bool,
) -> Option<usize> {
    let candidates: Vec<usize> = (0..tunnels.len())
        .filter(|&i| candidate(&tunnels[i]))
        .collect();
    match candidates.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}
