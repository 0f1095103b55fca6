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
//! `classify.rs` decides what is a VPN and names its client; `roles.rs` decides whose it is,
//! first from the server it is connected to, then from its routes; [`clients`] is the one
//! catalogue of VPN clients (every name they show themselves by, where they are installed and
//! keep their settings); [`settings`] reads those settings; `process.rs` finds client
//! processes; [`Prefix`] arithmetic is in `prefix.rs`; `run.rs` runs OS tools under a time
//! bound. netif knows nothing of the profile: callers hand it the servers they know
//! ([`KnownVpns`]).
//!
//! Issue 3 ("VPN detection on macOS, Windows and Linux") is the specification.

mod classify;
pub mod clients;
pub mod counters;
pub mod linux;
pub mod macos;
mod prefix;
mod process;
mod roles;
pub mod settings;
pub mod system;
pub mod windows;

use std::net::IpAddr;

use serde::Serialize;

use crate::report::model::{Detection, DetectionStatus, Interface, VpnRole};

pub use classify::classify;
pub use prefix::Prefix;
pub use settings::ClientGateway;

/// The name reports give the HMS VPN's network (`vpns[].network`).
pub const HMS_NETWORK: &str = "HMS VPN";

/// The VPN servers the caller knows, as plain data: the profile's HMS VPN gateway and the other
/// VPNs it lists (`run` builds this; netif never reads the profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownVpns {
    /// The HMS VPN's servers (host names).
    pub hms: Vec<String>,
    /// Other VPNs a person is likely to have, each with its servers.
    pub others: Vec<KnownNetwork>,
}

/// Another VPN, known by its servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownNetwork {
    /// Whose VPN it is, as reports name it (`Harvard University VPN`).
    pub name: String,
    /// What a tunnel to it is: `Affiliate` (a hospital VPN) or `Unknown`; never `Hms`.
    pub role: VpnRole,
    /// Its servers (host names).
    pub gateways: Vec<String>,
}

impl KnownVpns {
    /// Every known server host name, the HMS VPN's first.
    #[must_use]
    pub fn hosts(&self) -> Vec<String> {
        let mut all = self.hms.clone();
        all.extend(self.others.iter().flat_map(|n| n.gateways.iter().cloned()));
        all
    }

    /// Whose server `host` is: the network's name and the role of a tunnel to it; None for a
    /// server the profile does not know. Case and a trailing dot do not matter.
    #[must_use]
    pub fn network_of(&self, host: &str) -> Option<(&str, VpnRole)> {
        let same = |h: &String| {
            h.trim_end_matches('.')
                .eq_ignore_ascii_case(host.trim_end_matches('.'))
        };
        if self.hms.iter().any(same) {
            return Some((HMS_NETWORK, VpnRole::Hms));
        }
        self.others
            .iter()
            .find(|n| n.gateways.iter().any(same))
            .map(|n| (n.name.as_str(), n.role))
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
    /// Its type as the OS writes it (`PPP:L2TP`, `VPN:<bundle id>`, `wireguard`, `RAS`).
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
    /// What installed clients' own settings say about their servers.
    pub client_gateways: Vec<ClientGateway>,
    /// VPN clients installed (catalogue names, HMS clients first); None when not checked.
    pub installed: Option<Vec<String>>,
    /// The VPN servers the caller knows (classification names tunnels to them).
    pub known: KnownVpns,
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
/// `known` are the VPN servers the profile knows: their host names are looked for in VPN
/// client command lines (which are then dropped) and in the clients' own settings.
#[must_use]
pub fn collect(known: &KnownVpns) -> Collected {
    let mut c = Collected {
        known: known.clone(),
        ..Collected::default()
    };
    let hosts = known.hosts();
    let os = std::env::consts::OS;
    // The process scan (sysinfo, the slowest part) runs beside the OS tools.
    let scanned = std::thread::scope(|scope| {
        let scan = scope.spawn(|| process::scan(&hosts));
        let settings = scope.spawn(|| settings::read_all(os));
        let installed = scope.spawn(|| {
            clients::installed(os, &|p| p.exists())
                .into_iter()
                .map(|(c, _)| c.name.to_string())
                .collect::<Vec<_>>()
        });
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
        if let Ok((found, notes)) = settings.join() {
            c.client_gateways = found;
            c.notes.extend(notes);
            c.sources.push("client settings".into());
        }
        c.installed = installed.join().ok();
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

#[cfg(test)]
mod captures_vpn_tests;
