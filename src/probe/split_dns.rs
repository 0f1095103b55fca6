//! Which nameservers the operating system sends a name to beyond its ordinary ones, as the OS
//! reading found them ([`crate::os::dns::Dns`]): the macOS per-domain (supplemental) resolvers
//! of `scutil --dns`, Linux per-link DNS (systemd-resolved), and the Windows name resolution
//! policy table (NRPT), all of which VPN clients install. The DNS probe asks the matching ones
//! directly, as evidence beside the OS resolver. Everything here is pure.

use std::net::IpAddr;

use crate::os::dns::Dns;
use crate::report::model::{NrptRule, SupplementalResolver};

/// A nameserver to ask directly for one name, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraServer {
    /// Its address (port 53).
    pub ip: IpAddr,
    /// Why it is asked (`macOS per-domain resolver for x (utun4)`).
    pub scope: String,
}

/// The report's view of the per-domain resolvers.
#[must_use]
pub fn supplemental_report(dns: &Dns) -> Vec<SupplementalResolver> {
    dns.split
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
pub fn nrpt_for(dns: &Dns, host: &str) -> Vec<NrptRule> {
    dns.nrpt
        .iter()
        .filter(|r| r.namespaces.iter().any(|n| nrpt_matches(n, host)))
        .cloned()
        .collect()
}

/// The servers to ask directly for `host` beyond the ordinary ones: matching per-domain
/// resolvers and NRPT rules (those naming addresses), without repeats.
#[must_use]
pub fn extra_servers(dns: &Dns, host: &str) -> Vec<ExtraServer> {
    let mut out: Vec<ExtraServer> = Vec::new();
    for s in &dns.split {
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
                format!("{} for {domain}{on}", dns.split_kind.words()),
            );
        }
    }
    for rule in nrpt_for(dns, host) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::dns::{SplitKind, nrpt_in_force};
    use crate::os::windows::registry::parse_reg_query;
    use crate::os::{linux, macos};

    fn fixture(path: &str) -> String {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn supplemental_resolvers_of_a_real_capture_match_their_domain_only() {
        // Tailscale's per-domain resolver (listed twice by macOS, once with a trailing dot).
        let dns = Dns {
            split: macos::parse_scutil_dns(&fixture(
                "macos/real/scutil_dns_tailscale_supplemental_doggo.txt",
            )),
            split_kind: SplitKind::MacosSupplemental,
            ..Dns::default()
        };
        let extra = extra_servers(&dns, "host.dove-climb.ts.net");
        assert_eq!(extra.len(), 1, "{extra:?}");
        assert_eq!(extra[0].ip, "100.100.100.100".parse::<IpAddr>().unwrap());
        assert_eq!(
            extra[0].scope,
            "macOS per-domain resolver for dove-climb.ts.net (utun12)"
        );
        assert!(extra_servers(&dns, "mars.med.harvard.edu").is_empty());
        assert_eq!(
            supplemental_report(&dns)[0].nameservers,
            ["100.100.100.100"]
        );
    }

    /// Linux per-link DNS (systemd-resolved, the hand-written `resolvectl` fixture of an
    /// openconnect tunnel): MARS's name goes to the tunnel's nameservers too.
    #[test]
    fn linux_per_link_resolvers_are_asked_for_their_domains() {
        let dns = Dns {
            split: linux::parse_resolvectl(
                &fixture("linux/resolvectl_dns.txt"),
                &fixture("linux/resolvectl_domain.txt"),
            ),
            split_kind: SplitKind::LinuxPerLink,
            ..Dns::default()
        };
        let extra = extra_servers(&dns, "mars.med.harvard.edu");
        let ips: Vec<String> = extra.iter().map(|e| e.ip.to_string()).collect();
        assert_eq!(ips, ["10.250.0.53", "10.250.0.54"]);
        assert_eq!(
            extra[0].scope,
            "Linux per-link resolver (systemd-resolved) for med.harvard.edu (tun0)"
        );
        assert!(extra_servers(&dns, "example.org").is_empty());
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

    /// The NRPT rules of `os/dns.rs`'s hand-written `reg query` layout, matched by name.
    #[test]
    fn nrpt_rules_match_their_namespaces() {
        let local = parse_reg_query(
            "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters\\DnsPolicyConfig\\{A1B2}\r\n    GenericDNSServers    REG_SZ    100.116.255.254\r\n    Name    REG_MULTI_SZ    .another.tpg.local\\0.tpg.local\r\n",
        );
        let dns = Dns {
            nrpt: nrpt_in_force(None, &local),
            ..Dns::default()
        };
        assert_eq!(nrpt_for(&dns, "dc1.another.tpg.local").len(), 1);
        assert!(nrpt_for(&dns, "mars.med.harvard.edu").is_empty());
        assert_eq!(
            extra_servers(&dns, "dc1.tpg.local")[0].scope,
            "Windows NRPT rule for .another.tpg.local, .tpg.local"
        );
    }
}
