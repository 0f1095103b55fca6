//! Name resolution as the OS is set up for it: the resolver configuration's nameservers and
//! search domains (hickory reads `/etc/resolv.conf`, or the adapters' settings on Windows), and
//! the per-domain resolvers VPN clients install: macOS supplemental resolvers (`scutil --dns`),
//! Linux per-link DNS (systemd-resolved's `resolvectl`), Windows NRPT rules (`reg query` of the
//! group-policy key and the local key). Both VPN detection (evidence lines) and the DNS step
//! (which nameservers to ask beside the OS resolver) read them from here.

use std::net::SocketAddr;

use super::types::SplitDns;
use super::windows::registry::{self, RegKey};
use super::{linux, macos};
use crate::os_tool::{ToolOutput, Tools};
use crate::report::model::NrptRule;

/// The OS resolver configuration's nameservers, as the DNS step asks them directly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemResolvers {
    /// Nameservers in configuration order, each once.
    pub nameservers: Vec<SocketAddr>,
    /// Search domains.
    pub search: Vec<String>,
    /// Why the configuration could not be read, when it could not.
    pub error: Option<String>,
}

/// Which mechanism installed the per-domain resolvers (the words of the DNS step's evidence).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SplitKind {
    /// None read.
    #[default]
    None,
    /// macOS supplemental resolvers (`scutil --dns`).
    MacosSupplemental,
    /// Linux per-link DNS (systemd-resolved).
    LinuxPerLink,
}

impl SplitKind {
    /// How the DNS step names one such resolver: `macOS per-domain resolver`.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            SplitKind::None | SplitKind::MacosSupplemental => "macOS per-domain resolver",
            SplitKind::LinuxPerLink => "Linux per-link resolver (systemd-resolved)",
        }
    }
}

/// The OS's name-resolution settings, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dns {
    /// The resolver configuration.
    pub system: SystemResolvers,
    /// Resolvers used only for some domains, per interface (macOS, Linux).
    pub split: Vec<SplitDns>,
    /// Where `split` came from.
    pub split_kind: SplitKind,
    /// Windows NRPT rules in force.
    pub nrpt: Vec<NrptRule>,
    /// The tools the per-domain resolvers were read with (`scutil --dns`, `resolvectl`).
    pub sources: Vec<String>,
    /// What could not be read, and why.
    pub notes: Vec<String>,
}

/// Reads the name-resolution settings of `os` (runs OS tools).
pub(super) fn read(os: &str, tools: &dyn Tools) -> Dns {
    let mut d = Dns {
        system: system_resolvers(),
        ..Dns::default()
    };
    match os {
        "macos" => {
            let mut ran = Vec::new();
            if let Some(t) =
                tools.run_noted("scutil", &["--dns"], "split DNS", &mut ran, &mut d.notes)
            {
                d.split = macos::parse_scutil_dns(&t);
                d.split_kind = SplitKind::MacosSupplemental;
                d.sources.push("scutil --dns".into());
            }
        }
        "linux" => read_resolvectl(tools, &mut d),
        "windows" => {
            // `reg` fails when a key does not exist, which is the ordinary case.
            let policy = registry::query(tools, registry::NRPT_POLICY_KEY, true).ok();
            let local = registry::query(tools, registry::NRPT_LOCAL_KEY, true).unwrap_or_default();
            d.nrpt = nrpt_in_force(policy.as_deref(), &local);
        }
        _ => {}
    }
    d
}

/// systemd-resolved's per-link DNS: `resolvectl dns` and `resolvectl domain`, run at once.
fn read_resolvectl(tools: &dyn Tools, d: &mut Dns) {
    let (dns, doms) = std::thread::scope(|scope| {
        let doms = scope.spawn(|| tools.run("resolvectl", &["domain"]));
        let dns = tools.run("resolvectl", &["dns"]);
        let doms = doms
            .join()
            .unwrap_or_else(|_| ToolOutput::Failed("panicked".into()));
        (dns, doms)
    });
    match (dns, doms) {
        (ToolOutput::Ok(dns), ToolOutput::Ok(domains)) => {
            d.split = linux::parse_resolvectl(&dns, &domains);
            d.split_kind = SplitKind::LinuxPerLink;
            d.sources.push("resolvectl".into());
        }
        (ToolOutput::NotFound, _) => d
            .notes
            .push("resolvectl not found: per-interface (split) DNS not checked".into()),
        (ToolOutput::Failed(e), _) | (_, ToolOutput::Failed(e)) => d.notes.push(format!(
            "resolvectl failed ({e}): per-interface (split) DNS not checked"
        )),
        _ => d.notes.push(
            "resolvectl did not answer in time: per-interface (split) DNS not checked".into(),
        ),
    }
}

/// The OS resolver configuration (hickory reads it: `/etc/resolv.conf` on Unix, the adapters'
/// DNS settings on Windows).
fn system_resolvers() -> SystemResolvers {
    match hickory_resolver::system_conf::read_system_conf() {
        Ok((config, _opts)) => {
            let mut nameservers: Vec<SocketAddr> = Vec::new();
            for ns in config.name_servers() {
                let port = ns.connections.first().map_or(53, |c| c.port);
                let addr = SocketAddr::new(ns.ip, port);
                if !nameservers.contains(&addr) {
                    nameservers.push(addr);
                }
            }
            SystemResolvers {
                nameservers,
                search: config.search().iter().map(ToString::to_string).collect(),
                error: None,
            }
        }
        // The error type differs per OS (DEPENDENCIES.md §1 gotcha 4): keep only its words.
        Err(e) => SystemResolvers {
            error: Some(e.to_string()),
            ..SystemResolvers::default()
        },
    }
}

/// The NRPT rules Windows applies: the group-policy rules when that key exists (even empty),
/// else the local ones. Each subkey of `DnsPolicyConfig` is one rule: `Name` (namespaces,
/// `REG_MULTI_SZ`) and `GenericDNSServers` (`;`-separated). Pure.
#[must_use]
pub fn nrpt_in_force(policy: Option<&[RegKey]>, local: &[RegKey]) -> Vec<NrptRule> {
    let (keys, source) = match policy {
        Some(keys) => (keys, "group policy"),
        None => (local, "local"),
    };
    keys.iter()
        .filter_map(|k| {
            let mut namespaces = k.multi("Name");
            if namespaces.is_empty() {
                // Some tools write a single namespace as REG_SZ.
                namespaces = k
                    .get("Name")
                    .map(|n| vec![n.trim().to_owned()])
                    .unwrap_or_default();
            }
            namespaces.retain(|n| !n.is_empty());
            let nameservers: Vec<String> = k
                .get("GenericDNSServers")
                .unwrap_or_default()
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            (!namespaces.is_empty()).then(|| NrptRule {
                namespaces,
                nameservers,
                source: source.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::windows::registry::parse_reg_query;

    /// The layout of `reg query DnsPolicyConfig /s` (hand-written: no capture of it was found in
    /// public repositories). The values are real: the namespace and server of a netbird user's
    /// `Get-DnsClientNrptPolicy` output (netbirdio/netbird issue 987, `tests/fixtures/README.md`).
    #[test]
    fn nrpt_rules_from_reg_query_and_policy_precedence() {
        let local = parse_reg_query(
            "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\\DnsPolicyConfig\r\n\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\\DnsPolicyConfig\\{A1B2}\r\n    ConfigOptions    REG_DWORD    0x8\r\n    GenericDNSServers    REG_SZ    100.116.255.254\r\n    Name    REG_MULTI_SZ    .another.tpg.local\\0.tpg.local\r\n    Version    REG_DWORD    0x2\r\n",
        );
        let rules = nrpt_in_force(None, &local);
        assert_eq!(rules.len(), 1, "the parent key holds no rule: {rules:?}");
        assert_eq!(rules[0].namespaces, [".another.tpg.local", ".tpg.local"]);
        assert_eq!(rules[0].nameservers, ["100.116.255.254"]);
        assert_eq!(rules[0].source, "local");
        // An (empty) group-policy key hides the local rules, as Windows does.
        assert!(nrpt_in_force(Some(&[]), &local).is_empty());
    }
}
