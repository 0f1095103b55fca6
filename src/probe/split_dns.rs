//! Which nameservers the operating system sends a name to beyond its ordinary ones: the macOS
//! per-domain (supplemental) resolvers of `scutil --dns` (parsed by `netif::macos`), and the
//! Windows name resolution policy table (NRPT), both of which VPN clients install. The DNS
//! probe asks the matching ones directly, as evidence beside the OS resolver.
//!
//! NRPT rules are read with `reg query` from the group-policy key and the local key (readable
//! without administrator rights). When the group-policy key exists, Windows ignores the local
//! rules, and so does this reader. Reading runs OS tools (call it from a blocking thread); the
//! matching is pure.

use std::net::IpAddr;

use crate::netif::SplitDns;
use crate::proxy::windows::{RegKey, reg_query};
use crate::report::model::{NrptRule, SupplementalResolver};

/// NRPT rules set by group policy (domain or local policy).
pub const NRPT_POLICY_KEY: &str =
    r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient\DnsPolicyConfig";
/// NRPT rules set locally (VPN clients, `Add-DnsClientNrptRule`).
pub const NRPT_LOCAL_KEY: &str =
    r"HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters\DnsPolicyConfig";

/// The OS's per-domain DNS configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitConfig {
    /// macOS supplemental resolvers.
    pub supplemental: Vec<SplitDns>,
    /// Windows NRPT rules in force.
    pub nrpt: Vec<NrptRule>,
    /// What could not be read.
    pub notes: Vec<String>,
}

/// A nameserver to ask directly for one name, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraServer {
    /// Its address (port 53).
    pub ip: IpAddr,
    /// Why it is asked (`macOS per-domain resolver for x (utun4)`).
    pub scope: String,
}

impl SplitConfig {
    /// Reads this system's per-domain DNS configuration (runs OS tools).
    #[must_use]
    pub fn read() -> SplitConfig {
        let mut c = SplitConfig::default();
        match std::env::consts::OS {
            "macos" => {
                match crate::os_tool::run_tool("scutil", &["--dns"], crate::os_tool::TOOL_TIMEOUT) {
                    crate::os_tool::ToolOutput::Ok(text) => {
                        c.supplemental = crate::netif::macos::parse_scutil_dns(&text);
                    }
                    _ => c.notes.push(
                        "scutil --dns could not be read: per-domain resolvers not asked".into(),
                    ),
                }
            }
            "windows" => {
                // `reg` fails when a key does not exist, which is the ordinary case.
                let policy = reg_query(NRPT_POLICY_KEY, true).ok();
                let local = reg_query(NRPT_LOCAL_KEY, true).unwrap_or_default();
                c.nrpt = nrpt_in_force(policy.as_deref(), &local);
            }
            _ => {}
        }
        c
    }

    /// The report's view of the supplemental resolvers.
    #[must_use]
    pub fn supplemental_report(&self) -> Vec<SupplementalResolver> {
        self.supplemental
            .iter()
            .map(|s| SupplementalResolver {
                interface: s.interface.clone(),
                domains: s.domains.clone(),
                nameservers: s.nameservers.iter().map(ToString::to_string).collect(),
            })
            .collect()
    }

    /// The NRPT rules that apply to `host`.
    #[must_use]
    pub fn nrpt_for(&self, host: &str) -> Vec<NrptRule> {
        self.nrpt
            .iter()
            .filter(|r| r.namespaces.iter().any(|n| nrpt_matches(n, host)))
            .cloned()
            .collect()
    }

    /// The servers to ask directly for `host` beyond the ordinary ones: matching supplemental
    /// resolvers and NRPT rules (those naming addresses), without repeats.
    #[must_use]
    pub fn extra_servers(&self, host: &str) -> Vec<ExtraServer> {
        let mut out: Vec<ExtraServer> = Vec::new();
        for s in &self.supplemental {
            let Some(domain) = s.domains.iter().find(|d| domain_matches(d, host)) else {
                continue;
            };
            let on = if s.interface.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.interface)
            };
            for ip in &s.nameservers {
                push_unique(
                    &mut out,
                    *ip,
                    format!("macOS per-domain resolver for {domain}{on}"),
                );
            }
        }
        for rule in self.nrpt_for(host) {
            let namespace = rule.namespaces.join(", ");
            for ip in rule
                .nameservers
                .iter()
                .filter_map(|n| n.parse::<IpAddr>().ok())
            {
                push_unique(&mut out, ip, format!("Windows NRPT rule for {namespace}"));
            }
        }
        out
    }
}

fn push_unique(out: &mut Vec<ExtraServer>, ip: IpAddr, scope: String) {
    if !out.iter().any(|e| e.ip == ip) {
        out.push(ExtraServer { ip, scope });
    }
}

/// A resolver domain (`med.harvard.edu`, `dove-climb.ts.net.`) covers the name itself and every
/// name under it.
#[must_use]
pub fn domain_matches(domain: &str, host: &str) -> bool {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    !d.is_empty() && (h == d || h.ends_with(&format!(".{d}")))
}

/// An NRPT namespace: `.` is every name, `.suffix` the names under it, anything else one name
/// (Windows' rule forms; a trailing-dot prefix form is not used by VPN clients and not matched).
#[must_use]
pub fn nrpt_matches(namespace: &str, host: &str) -> bool {
    let n = namespace.trim().to_ascii_lowercase();
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    match n.as_str() {
        "" => false,
        "." => true,
        _ if n.starts_with('.') => h.ends_with(&n),
        _ => h == n.trim_end_matches('.'),
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
    use crate::proxy::windows::parse_reg_query;

    fn fixture(path: &str) -> String {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn supplemental_resolvers_of_a_real_capture_match_their_domain_only() {
        // Tailscale's per-domain resolver (listed twice by macOS, once with a trailing dot).
        let c = SplitConfig {
            supplemental: crate::netif::macos::parse_scutil_dns(&fixture(
                "macos/real/scutil_dns_tailscale_supplemental_doggo.txt",
            )),
            ..SplitConfig::default()
        };
        let extra = c.extra_servers("host.dove-climb.ts.net");
        assert_eq!(extra.len(), 1, "{extra:?}");
        assert_eq!(extra[0].ip, "100.100.100.100".parse::<IpAddr>().unwrap());
        assert!(extra[0].scope.contains("dove-climb.ts.net") && extra[0].scope.contains("utun12"));
        assert!(c.extra_servers("mars.med.harvard.edu").is_empty());
        assert_eq!(c.supplemental_report()[0].nameservers, ["100.100.100.100"]);
    }

    #[test]
    fn domains_and_namespaces_match_whole_labels() {
        assert!(domain_matches("med.harvard.edu", "mars.med.harvard.edu"));
        assert!(domain_matches("med.harvard.edu.", "MED.harvard.edu"));
        assert!(!domain_matches("harvard.edu", "notharvard.edu"));
        assert!(nrpt_matches(".harvard.edu", "mars.med.harvard.edu"));
        assert!(!nrpt_matches(".harvard.edu", "harvard.edu.evil.test"));
        assert!(nrpt_matches(".", "anything.test"));
        assert!(nrpt_matches("vpn.hms.harvard.edu", "vpn.hms.harvard.edu."));
        assert!(!nrpt_matches(
            "vpn.hms.harvard.edu",
            "x.vpn.hms.harvard.edu"
        ));
    }

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
        let c = SplitConfig {
            nrpt: rules,
            ..SplitConfig::default()
        };
        assert_eq!(c.nrpt_for("dc1.another.tpg.local").len(), 1);
        assert!(c.nrpt_for("mars.med.harvard.edu").is_empty());
        assert_eq!(
            c.extra_servers("dc1.tpg.local")[0].scope,
            "Windows NRPT rule for .another.tpg.local, .tpg.local"
        );
        // An (empty) group-policy key hides the local rules, as Windows does.
        assert!(nrpt_in_force(Some(&[]), &local).is_empty());
    }
}
