//! VPN detection: which tunnels are up, whose they are, and the interfaces behind them.
//!
//! Reading is split from parsing. [`collect`] reads the OS (interfaces, routes, VPN client
//! processes, OS VPN services, split DNS) into a [`Collected`]; every OS-specific text format is
//! parsed by a pure function in [`linux`], [`macos`] or [`windows`], tested on captured outputs
//! under `tests/fixtures/`. [`classify()`] is pure: it turns a [`Collected`] plus the targets'
//! resolved addresses into the report's [`Vpn`](crate::report::model::Vpn) list. Behaviour
//! decides what is a VPN (an up tunnel with a usable address that carries a route); names only
//! say whose client it is.
//!
//! Rooms: this file holds the OS data types and the dispatch to the per-OS readers;
//! `classify.rs` decides what is a VPN and whose; [`clients`] is the one catalogue of VPN
//! clients (every name they show themselves by, and where they are installed); `process.rs`
//! finds client processes; [`Prefix`] arithmetic is in `prefix.rs`; `run.rs` runs OS tools under
//! a time bound. netif knows nothing of the profile: callers hand it the gateway host names.
//!
//! Issue 3 ("VPN detection on macOS, Windows and Linux") is the specification.

mod classify;
pub mod clients;
pub mod counters;
pub mod linux;
pub mod macos;
mod prefix;
mod process;
pub(crate) mod run;
pub mod system;
pub mod windows;

use std::net::IpAddr;

use serde::Serialize;

use crate::report::model::{Detection, DetectionStatus, Interface};

pub use classify::classify;
pub use prefix::Prefix;

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
    /// Its type as the OS writes it (`PPP/L2TP`, `VPN/<bundle id>`, `wireguard`, `RAS`).
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

#[cfg(test)]
mod tests;
