//! The verdict: a pure function from finished observations to exactly one contract code.
//!
//! Each rule is a small function that looks at the probes (and VPNs) and, when it fires, returns
//! the evidence lines that made it fire. All rules are evaluated; the contract's priority order
//! ([`VerdictCode::ALL`]) picks the code, and the evidence of the winning rule leads the list.
//! The words people read (title, summary, next steps) come from the profile, not from here.

use std::collections::BTreeMap;

pub mod path;

use crate::profile::VerdictText;
use crate::report::model::{
    Detection, DetectionStatus, Outcome, Probe, ProbeKind, Report, Role, Verdict, VerdictCode, Vpn,
    VpnRole,
};

/// Everything the rules look at.
pub struct Facts<'a> {
    /// Every probe of the run (finished, skipped, timed out or not needed).
    pub probes: &'a [Probe],
    /// Active VPN tunnels (meaningful only when detection ran).
    pub vpns: &'a [Vpn],
    /// Whether VPN detection ran.
    pub detection: &'a Detection,
}

impl<'a> From<&'a Report> for Facts<'a> {
    fn from(report: &'a Report) -> Facts<'a> {
        Facts {
            probes: &report.probes,
            vpns: &report.vpns,
            detection: &report.vpn_detection,
        }
    }
}

/// VPN detection that ran: the run's view while it still waits for probes ([`settled`]).
const DETECTION_RAN: Detection = Detection {
    status: DetectionStatus::Ran,
    detail: None,
    sources: Vec::new(),
};

impl<'a> Facts<'a> {
    fn find(&self, role: Role, kind: ProbeKind) -> Option<&'a Probe> {
        self.probes
            .iter()
            .find(|p| p.role == Some(role) && p.kind == kind)
    }

    fn all(&self, kind: ProbeKind) -> impl Iterator<Item = &'a Probe> + use<'a> {
        self.probes.iter().filter(move |p| p.kind == kind)
    }

    fn vpn_checked(&self) -> bool {
        self.detection.status == DetectionStatus::Ran
    }
}

/// What the HTTPS probe of a role says about that service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    /// Answered over verified HTTPS with a status below 500.
    Answers,
    /// Answered over verified HTTPS, but with a server error (5xx).
    Failing,
    /// The TLS certificate was not accepted: something in the path intercepts or the clock is off.
    TlsProblem,
    /// Did not answer: a DNS, TCP or HTTP failure, or a timeout.
    Silent,
    /// Not enough was run to say.
    Unknown,
}

fn service<'a>(f: &Facts<'a>, role: Role) -> (Service, Option<&'a Probe>) {
    if let Some(h) = f.find(role, ProbeKind::Https)
        && h.outcome == Outcome::Ok
    {
        let status = h.http.as_ref().and_then(|d| d.status).unwrap_or(0);
        let s = if status >= 500 {
            Service::Failing
        } else {
            Service::Answers
        };
        return (s, Some(h));
    }
    // The first step of the chain that failed tells why.
    for kind in [
        ProbeKind::Dns,
        ProbeKind::Tcp,
        ProbeKind::Tls,
        ProbeKind::Https,
    ] {
        let Some(p) = f.find(role, kind) else {
            continue;
        };
        if p.outcome == Outcome::Ok {
            continue;
        }
        if p.outcome.is_not_run() {
            return (Service::Unknown, Some(p));
        }
        let s = if kind == ProbeKind::Tls && p.outcome.is_tls() {
            Service::TlsProblem
        } else {
            Service::Silent
        };
        return (s, Some(p));
    }
    (Service::Unknown, None)
}

type Rule = fn(&Facts<'_>) -> Option<Vec<String>>;

/// The rules, one per code, in the contract's priority order.
const RULES: [(VerdictCode, Rule); 8] = [
    (VerdictCode::Offline, offline),
    (VerdictCode::CaptivePortal, captive_portal),
    (VerdictCode::DnsFailure, dns_failure),
    (VerdictCode::ConflictingVpns, conflicting_vpns),
    (VerdictCode::HmsVpn, hms_vpn),
    (VerdictCode::InsideLma, inside_lma),
    (VerdictCode::MarsUnreachable, mars_unreachable),
    (VerdictCode::NeedsHmsVpn, needs_hms_vpn),
];

fn no_route_out(f: &Facts<'_>) -> Option<Vec<String>> {
    let routes: Vec<&Probe> = f
        .all(ProbeKind::Route)
        .filter(|p| p.target_id.is_none())
        .collect();
    (!routes.is_empty()
        && routes
            .iter()
            .all(|p| !p.outcome.is_not_run() && p.outcome != Outcome::Ok))
    .then(|| {
        let mut e = vec!["no route out: the system has no route to the internet".to_owned()];
        e.extend(routes.iter().map(|p| p.describe()));
        e
    })
}

/// A server answered on this probe: an HTTP response, or a TLS handshake that got as far as a
/// certificate. A bare TCP accept is not an answer (proxies and stalled links accept too).
fn is_answer(p: &Probe) -> bool {
    match p.kind {
        ProbeKind::Http | ProbeKind::Https => p.outcome == Outcome::Ok,
        ProbeKind::Tls => {
            p.outcome == Outcome::Ok || p.tls.as_ref().is_some_and(|t| t.chain_length > 0)
        }
        _ => false,
    }
}

fn offline(f: &Facts<'_>) -> Option<Vec<String>> {
    if let Some(e) = no_route_out(f) {
        return Some(e);
    }
    // Names resolve, but no server answers at all, not even the public HMS hosts.
    let resolved = f.all(ProbeKind::Dns).any(|p| p.outcome == Outcome::Ok);
    let public_tried: Vec<&Probe> = f
        .probes
        .iter()
        .filter(|p| matches!(p.role, Some(Role::Control | Role::Gateway)))
        .filter(|p| p.kind != ProbeKind::Dns && p.kind != ProbeKind::Route)
        .filter(|p| !p.outcome.is_not_run())
        .collect();
    let any_answer = f.probes.iter().any(is_answer) || proxy_answered(f);
    (resolved && !public_tried.is_empty() && !any_answer).then(|| {
        let mut e =
            vec!["names resolve, but no server answers, not even the public HMS hosts".to_owned()];
        e.extend(
            public_tried
                .iter()
                .filter(|p| p.outcome != Outcome::Ok)
                .map(|p| p.describe()),
        );
        e
    })
}

fn restricted_answer(f: &Facts<'_>) -> bool {
    [Role::Mars, Role::Affiliate]
        .iter()
        .any(|r| matches!(service(f, *r).0, Service::Answers | Service::Failing))
}

fn captive_portal(f: &Facts<'_>) -> Option<Vec<String>> {
    if restricted_answer(f) {
        return None; // a verified answer from MARS or the portal means nothing intercepts
    }
    let mut e = Vec::new();
    if let Some(h) = f.find(Role::Control, ProbeKind::Http)
        && h.http.as_ref().is_some_and(|d| d.foreign_redirect)
    {
        e.push(format!(
            "the public HMS site's plain-HTTP answer redirects elsewhere: {}",
            h.describe()
        ));
    }
    if let Some(t) = f.find(Role::Control, ProbeKind::Tls)
        && t.outcome == Outcome::TlsNameMismatch
    {
        let names = t
            .tls
            .as_ref()
            .and_then(|d| d.leaf.as_ref())
            .map(|l| l.san.join(", "))
            .unwrap_or_default();
        e.push(format!(
            "the certificate presented for the public HMS site names other hosts ({names}): {}",
            t.describe()
        ));
    }
    (!e.is_empty()).then_some(e)
}

/// A proxy answered `CONNECT` (let the connection through or not): the network works up to it.
fn proxy_answered(f: &Facts<'_>) -> bool {
    f.all(ProbeKind::Tcp).any(|p| {
        p.tcp
            .as_ref()
            .and_then(|t| t.proxy.as_ref())
            .is_some_and(|h| h.status.is_some())
    })
}

/// A name counts as resolved when the OS resolver found it, whatever the nameservers asked
/// directly said (they are evidence, contract 2).
fn resolved(p: &Probe) -> bool {
    p.outcome == Outcome::Ok
        || p.dns
            .as_ref()
            .and_then(|d| d.os.as_ref())
            .is_some_and(|os| os.outcome == Outcome::Ok)
}

fn dns_failure(f: &Facts<'_>) -> Option<Vec<String>> {
    let ran: Vec<&Probe> = f
        .all(ProbeKind::Dns)
        .filter(|p| !p.outcome.is_not_run())
        .collect();
    // A server that answered through a proxy had its name resolved by the proxy.
    let through_proxy = f.probes.iter().any(is_answer) || proxy_answered(f);
    (!ran.is_empty() && !ran.iter().any(|p| resolved(p)) && !through_proxy).then(|| {
        let mut e = vec!["no name could be resolved".to_owned()];
        e.extend(ran.iter().map(|p| p.describe()));
        e
    })
}

fn vpn_name(v: &Vpn) -> String {
    match &v.client {
        Some(c) => format!("{c} ({})", v.interface),
        None => format!("the VPN on {}", v.interface),
    }
}

fn conflicting_vpns(f: &Facts<'_>) -> Option<Vec<String>> {
    (f.vpn_checked() && f.vpns.len() >= 2).then(|| {
        let mut e = vec![format!("{} VPN tunnels are active at once", f.vpns.len())];
        e.extend(
            f.vpns
                .iter()
                .map(|v| format!("VPN: {} ({})", vpn_name(v), v.role.label())),
        );
        e
    })
}

fn hms_vpn(f: &Facts<'_>) -> Option<Vec<String>> {
    match service(f, Role::Mars) {
        (Service::Answers, Some(p)) => {
            Some(vec![format!("MARS answers over HTTPS: {}", p.describe())])
        }
        _ => None,
    }
}

fn inside_lma(f: &Facts<'_>) -> Option<Vec<String>> {
    match service(f, Role::Affiliate) {
        (Service::Answers, Some(p)) => Some(vec![format!(
            "the affiliate portal answers over HTTPS: {}",
            p.describe()
        )]),
        _ => None,
    }
}

fn mars_unreachable(f: &Facts<'_>) -> Option<Vec<String>> {
    let (mars, probe) = service(f, Role::Mars);
    if mars == Service::Failing {
        return Some(vec![format!(
            "MARS is reachable but answers with a server error: {}",
            probe.map(Probe::describe).unwrap_or_default()
        )]);
    }
    let hms: Vec<&Vpn> = f.vpns.iter().filter(|v| v.role == VpnRole::Hms).collect();
    (f.vpn_checked() && !hms.is_empty() && matches!(mars, Service::Silent | Service::TlsProblem))
        .then(|| {
            let mut e: Vec<String> = hms
                .iter()
                .map(|v| format!("the HMS VPN is up: {}", vpn_name(v)))
                .collect();
            e.push(format!(
                "MARS does not answer: {}",
                probe.map(Probe::describe).unwrap_or_default()
            ));
            e
        })
}

fn internet_works<'a>(f: &Facts<'a>) -> Option<&'a Probe> {
    [Role::Control, Role::Gateway]
        .into_iter()
        .flat_map(|r| {
            [ProbeKind::Https, ProbeKind::Http, ProbeKind::Tls].map(|kind| f.find(r, kind))
        })
        .flatten()
        .find(|p| is_answer(p))
}

fn needs_hms_vpn(f: &Facts<'_>) -> Option<Vec<String>> {
    let works = internet_works(f)?;
    let (mars, mars_p) = service(f, Role::Mars);
    let (aff, aff_p) = service(f, Role::Affiliate);
    (mars == Service::Silent && aff == Service::Silent).then(|| {
        let e = vec![
            format!("the internet works: {}", works.describe()),
            format!(
                "MARS does not answer: {}",
                mars_p.map(Probe::describe).unwrap_or_default()
            ),
            format!(
                "the affiliate portal does not answer: {}",
                aff_p.map(Probe::describe).unwrap_or_default()
            ),
        ];
        e
    })
}

/// Why nothing fit: the oddities worth a service desk's eye.
fn oddities(f: &Facts<'_>) -> Vec<String> {
    let mut e = Vec::new();
    let tls: Vec<&Probe> = [Role::Mars, Role::Affiliate, Role::Control, Role::Gateway]
        .into_iter()
        .filter_map(|role| match service(f, role) {
            (Service::TlsProblem, Some(p)) => Some(p),
            _ => None,
        })
        .collect();
    if !tls.is_empty() {
        e.push(
            "certificates were not accepted: something may be intercepting TLS (a proxy or security software), or the clock is off"
                .to_owned(),
        );
    }
    if internet_works(f).is_none() {
        e.push("neither the public HMS site nor the VPN gateway answered".into());
    }
    for p in f
        .probes
        .iter()
        .filter(|p| p.role.is_some() && !p.outcome.is_not_run())
    {
        if p.outcome != Outcome::Ok {
            e.push(p.describe());
        }
    }
    if e.is_empty() {
        e.push("the probes did not finish in time to tell".into());
    }
    e
}

/// The verdict for a finished run. `texts` are the profile's words per code.
#[must_use]
pub fn evaluate(facts: &Facts<'_>, texts: &BTreeMap<VerdictCode, VerdictText>) -> Verdict {
    let fired: Vec<(VerdictCode, Vec<String>)> = RULES
        .iter()
        .filter_map(|(code, rule)| rule(facts).map(|e| (*code, e)))
        .collect();
    let (code, mut evidence) = fired
        .first()
        .cloned()
        .unwrap_or_else(|| (VerdictCode::Inconclusive, oddities(facts)));
    // Lower-priority findings stay visible as evidence.
    for (other, lines) in fired.iter().skip(1) {
        if let Some(first) = lines.first() {
            evidence.push(format!("also seen ({other}): {first}"));
        }
    }
    if !facts.vpn_checked()
        && let Some(d) = &facts.detection.detail
    {
        evidence.push(format!("VPN detection did not run: {d}"));
    }
    let (path_evidence, path_warnings) = path::lines(facts);
    evidence.extend(path_evidence);
    let text = texts.get(&code);
    let other_vpns: Vec<String> = facts
        .vpns
        .iter()
        .filter(|v| v.role != VpnRole::Hms)
        .map(vpn_name)
        .collect();
    let all_vpns: Vec<String> = facts.vpns.iter().map(vpn_name).collect();
    let fill = |s: &String, names: &[String]| s.replace("{vpn}", &names.join(" and "));
    let mut next_steps = Vec::new();
    if let Some(t) = text {
        if !other_vpns.is_empty() {
            next_steps.extend(t.next_steps_other_vpn.iter().map(|s| fill(s, &other_vpns)));
        }
        next_steps.extend(t.next_steps.iter().map(|s| fill(s, &all_vpns)));
    }
    Verdict {
        code,
        title: text.map_or_else(|| code.as_str().to_owned(), |t| t.title.clone()),
        summary: text.map(|t| t.summary.clone()).unwrap_or_default(),
        next_steps,
        evidence,
        warnings: path_warnings,
    }
}

/// True when no probe still running could change the verdict (the run may stop waiting).
///
/// Conservative: only the cases where the contract's order makes the outcome certain.
/// `vpn_known` is false while VPN detection is still running.
#[must_use]
pub fn settled(probes: &[Probe], vpn_known: bool, vpns: &[Vpn]) -> bool {
    let f = Facts {
        probes,
        vpns,
        detection: &DETECTION_RAN,
    };
    if no_route_out(&f).is_some() {
        return true; // offline outranks everything
    }
    if !vpn_known {
        return false;
    }
    if vpns.len() >= 2 {
        return nothing_above_conflicting_vpns(&f);
    }
    if service(&f, Role::Mars).0 == Service::Answers {
        return true; // nothing left can outrank hms-vpn
    }
    let mars_failed = probes
        .iter()
        .any(|p| p.role == Some(Role::Mars) && p.duration_ms.is_some() && p.outcome != Outcome::Ok);
    mars_failed && service(&f, Role::Affiliate).0 == Service::Answers
}

/// True when offline, captive-portal and dns-failure can no longer fire, whatever the probes
/// still running find: the route lookups are done and found a route, a server has answered, a
/// name has resolved, and the public site's TLS and plain-HTTP probes are done without a sign
/// of a login page.
fn nothing_above_conflicting_vpns(f: &Facts<'_>) -> bool {
    let done = |p: &&Probe| p.duration_ms.is_some() || p.outcome == Outcome::NotNeeded;
    let routes_done = f
        .all(ProbeKind::Route)
        .filter(|p| p.target_id.is_none())
        .all(|p| done(&p));
    let control_done = [ProbeKind::Tls, ProbeKind::Http]
        .into_iter()
        .filter_map(|kind| f.find(Role::Control, kind))
        .all(|p| done(&p));
    routes_done
        && no_route_out(f).is_none()
        && f.probes.iter().any(is_answer)
        && f.all(ProbeKind::Dns).any(|p| p.outcome == Outcome::Ok)
        && control_done
        && captive_portal(f).is_none()
}

#[cfg(test)]
mod tests;
