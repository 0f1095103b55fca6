//! One line for a person on the path the checks took, when it was not the plain one: through a
//! proxy, past a PAC file that was not evaluated, or with names answered by a VPN's own DNS.
//! Built from the report alone, so `explain` shows it for saved reports too.

use super::model::{Outcome, ProbeKind, Report};

/// The path line, or `None` when the checks went direct with ordinary DNS.
#[must_use]
pub fn summary(report: &Report) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut proxies: Vec<String> = Vec::new();
    for hop in report
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Tcp)
        .filter_map(|p| p.tcp.as_ref()?.proxy.as_ref())
    {
        let text = format!("{} ({})", hop.url, hop.source);
        if !proxies.contains(&text) {
            proxies.push(text);
        }
    }
    if !proxies.is_empty() {
        parts.push(format!(
            "HTTPS checks through the proxy {}",
            proxies.join(", ")
        ));
    } else if let Some(pac) = report.proxy.as_ref().and_then(|p| p.pac_url.as_ref()) {
        parts.push(format!(
            "a proxy auto-config file is in use ({pac}); it was not evaluated and the checks went direct"
        ));
    }
    let mut vpn_dns: Vec<&str> = Vec::new();
    for p in report.probes.iter().filter(|p| p.kind == ProbeKind::Dns) {
        let Some(d) = &p.dns else { continue };
        for row in &d.servers {
            if let Some(scope) = row.scope.as_deref()
                && row.outcome == Outcome::Ok
                && !vpn_dns.contains(&scope)
            {
                vpn_dns.push(scope);
            }
        }
        if !d.nrpt.is_empty() && vpn_dns.is_empty() {
            vpn_dns.push("a Windows NRPT rule");
        }
    }
    if !vpn_dns.is_empty() {
        parts.push(format!(
            "names answered by a VPN's own DNS: {}",
            vpn_dns.join("; ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
