//! What the tests of the OS parsers on real captures share: the `capture!` macro (a file of
//! `tests/fixtures/{os}/real/`, provenance in `tests/fixtures/README.md`) and route helpers.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::RouteEntry;

/// The text of a real capture: `capture!("macos", "netstat_rn_refs_plc4x.txt")`.
macro_rules! capture {
    ($os:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $os,
            "/real/",
            $name
        ))
    };
}

pub(crate) fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Destinations on one interface, in table order.
pub(crate) fn on(routes: &[RouteEntry], iface: &str) -> Vec<String> {
    routes
        .iter()
        .filter(|r| r.interface == iface)
        .map(|r| r.destination.to_string())
        .collect()
}

pub(crate) fn interfaces(routes: &[RouteEntry]) -> BTreeSet<&str> {
    routes.iter().map(|r| r.interface.as_str()).collect()
}

/// The interface the longest matching route sends `to` through (the kernel's choice).
pub(crate) fn via(routes: &[RouteEntry], to: &str) -> String {
    let to = ip(to);
    routes
        .iter()
        .filter(|r| r.destination.contains(to))
        .max_by_key(|r| r.destination.len)
        .map(|r| r.interface.clone())
        .unwrap_or_default()
}

pub(crate) fn default_v4(routes: &[RouteEntry]) -> Vec<(String, Option<IpAddr>)> {
    routes
        .iter()
        .filter(|r| r.destination.to_string() == "0.0.0.0/0")
        .map(|r| (r.interface.clone(), r.gateway))
        .collect()
}

pub(crate) use capture;
