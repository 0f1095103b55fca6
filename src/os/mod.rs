//! The one reading of the operating system per run: interfaces, routes, resolvers and split
//! DNS, proxy settings, VPN client processes and services, what installed clients' settings say,
//! which clients are installed. [`read`] runs each OS tool, reads each file and registry key once
//! and returns one plain value, a [`Reading`]; VPN detection ([`crate::netif`]), proxy discovery
//! ([`crate::proxy`]) and the DNS step ([`crate::probe`]) take it as data, so each is a pure
//! function of what the OS said, testable on captures.
//!
//! Reading is split from parsing: every OS-specific text format is parsed by a pure function in
//! [`linux`], [`macos`] or [`windows`] (and [`proxy`], [`dns`], [`client_settings`]), tested on
//! captured outputs under `tests/fixtures/`. Every tool runs through a [`Tools`]
//! ([`crate::os_tool`]): for real under a time bound, or in a test from captures, counted.
//!
//! The reading has two parts, read at once: [`PathSettings`] (name resolution and proxies: what
//! the probes need before their first step, handed over as soon as it is read) and [`Network`]
//! (interfaces, routes, VPN clients: the slower part, with the process scan).

#[cfg(test)]
mod captures;
pub mod client_settings;
pub mod dns;
pub mod env_proxy;
mod interfaces;
pub mod linux;
pub mod macos;
mod prefix;
mod process;
pub mod proxy;
pub mod system;
mod types;
pub mod windows;

pub use crate::os_tool::{Bounded, ToolOutput, Tools};
pub use interfaces::mark_default_routes;
pub use prefix::Prefix;
pub use types::{ClientGateway, Network, OsVpnService, RouteEntry, SplitDns, VpnProcess};

use crate::report::model::{Detection, DetectionStatus};

/// Everything read from the OS for one run.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Name resolution and proxies.
    pub path: PathSettings,
    /// Interfaces, routes, VPN clients.
    pub network: Network,
}

/// What the system says about the path beyond the network itself: how names resolve and which
/// proxy a browser would use.
#[derive(Debug, Clone, Default)]
pub struct PathSettings {
    /// The resolver configuration and the per-domain resolvers VPN clients install.
    pub dns: dns::Dns,
    /// The proxy settings of the system and of the environment.
    pub proxy: proxy::ProxyReading,
}

impl Reading {
    /// The report's `vpn_detection` for this reading: the network's sources and notes, and
    /// those of the per-domain resolvers (VPN evidence too).
    #[must_use]
    pub fn detection(&self) -> Detection {
        let mut sources = self.network.sources.clone();
        sources.extend(self.path.dns.sources.iter().cloned());
        let notes: Vec<&str> = self
            .path
            .dns
            .notes
            .iter()
            .chain(&self.network.notes)
            .map(String::as_str)
            .collect();
        Detection {
            status: DetectionStatus::Ran,
            detail: (!notes.is_empty()).then(|| notes.join("; ")),
            sources,
        }
    }
}

/// Reads this computer's OS. Blocking; the caller runs it on a blocking thread. Typically
/// < 50 ms. `hosts` are the VPN servers the caller knows: they are looked for in VPN client
/// command lines (which are then dropped). `on_path` gets the [`PathSettings`] as soon as they
/// are read, before the rest.
#[must_use]
pub fn read(hosts: &[String], on_path: impl FnOnce(&PathSettings) + Send) -> Reading {
    read_as(std::env::consts::OS, &Bounded, hosts, on_path)
}

/// [`read`] as on `os` (as in `std::env::consts::OS`), every tool run through `tools`.
#[must_use]
pub fn read_as(
    os: &str,
    tools: &dyn Tools,
    hosts: &[String],
    on_path: impl FnOnce(&PathSettings) + Send,
) -> Reading {
    std::thread::scope(|scope| {
        let path = scope.spawn(move || {
            let path = std::thread::scope(|inner| {
                let proxy = inner.spawn(|| proxy::read(os, tools));
                let dns = dns::read(os, tools);
                PathSettings {
                    dns,
                    proxy: proxy.join().unwrap_or_default(),
                }
            });
            on_path(&path);
            path
        });
        let network = read_network(os, tools, hosts);
        Reading {
            path: path.join().unwrap_or_default(),
            network,
        }
    })
}

/// Interfaces, routes, services (per OS), with the process scan, the clients' settings and the
/// installed clients read beside them.
fn read_network(os: &str, tools: &dyn Tools, hosts: &[String]) -> Network {
    let mut n = Network::default();
    // The process scan (sysinfo, the slowest part) runs beside the OS tools.
    let scanned = std::thread::scope(|scope| {
        let scan = scope.spawn(|| process::scan(os, hosts));
        let settings = scope.spawn(|| client_settings::read_all(os, tools));
        let installed = scope.spawn(|| {
            crate::clients::installed(os, &|p| p.exists())
                .into_iter()
                .map(|(c, _)| c.name.to_string())
                .collect::<Vec<_>>()
        });
        match os {
            "linux" => linux::read(tools, &mut n),
            "macos" => macos::read(tools, &mut n),
            "windows" => windows::read(tools, &mut n),
            other => {
                n.interfaces = interfaces::from_netdev(&netdev::get_interfaces(), |_| None);
                n.sources.push("interfaces".into());
                n.notes.push(format!(
                    "routes not checked: reading the routing table is not implemented on {other}"
                ));
            }
        }
        if let Ok((found, notes)) = settings.join() {
            n.client_gateways = found;
            n.notes.extend(notes);
            n.sources.push("client settings".into());
        }
        n.installed = installed.join().ok();
        scan.join()
            .unwrap_or_else(|_| Err("the process scan panicked".to_string()))
    });
    interfaces::mark_default_routes(&mut n.interfaces, &n.routes);
    match scanned {
        Ok(p) => {
            n.processes = p;
            n.sources.push("processes".into());
        }
        Err(e) => n
            .notes
            .push(format!("VPN client processes not checked: {e}")),
    }
    n
}

#[cfg(test)]
mod tests;
