//! The verdict: a pure function from finished observations to exactly one contract code.
//!
//! Each rule ([`rules`]) is a small function that looks at the probes, the VPNs, the tunnels'
//! traffic and how the run ended, and when its situation holds returns the evidence that shows
//! it. Every rule is evaluated; the contract's priority order ([`RULES`], the same as
//! [`VerdictCode::ALL`]) picks the code, and the winner's evidence is the verdict's. The rules
//! that also held but lost are kept ([`keep`]): as evidence where they are a second cause of the
//! same failure, as warnings ([`warnings`]) where a person should know. The cause ([`causes`],
//! contract 3) says why the verdict holds and who acts; it picks the profile's words, whose
//! placeholders are filled here ([`fill`]). Evidence and warnings are plain words ([`words`]).
//!
//! When a server "answers" (contract): [`service`].

mod causes;
mod fill;
pub mod path;
mod rules;
mod service;
mod warnings;
mod words;

pub use service::clock_skew;
pub use words::is_hms_network;

use std::collections::BTreeMap;

use crate::profile::VerdictText;
use crate::report::model::{
    Detection, DetectionStatus, Interface, Probe, ProbeKind, Report, Role, RunEnd, TunnelTraffic,
    Verdict, VerdictCode, Vpn,
};
use service::Service;

/// Everything the rules look at.
pub struct Facts<'a> {
    /// Every probe of the run (finished, skipped, timed out or not needed).
    pub probes: &'a [Probe],
    /// Active VPN tunnels (meaningful only when detection ran).
    pub vpns: &'a [Vpn],
    /// Whether VPN detection ran.
    pub detection: &'a Detection,
    /// Why and when the run ended; None while it still runs (or for old reports).
    pub run_end: Option<&'a RunEnd>,
    /// Traffic through the tunnel interfaces during the run; None when not read.
    pub traffic: Option<&'a [TunnelTraffic]>,
    /// VPN apps installed on this computer, HMS clients first; None when not checked.
    pub installed_clients: Option<&'a [String]>,
    /// Wall time of the run so far, in milliseconds.
    pub duration_ms: u64,
    /// The network interfaces the OS reported (a route into a tunnel no VPN was found for).
    pub interfaces: &'a [Interface],
    /// The operating system the words are for (`linux`, `macos`, `windows`): the report's.
    pub os: &'a str,
}

impl<'a> From<&'a Report> for Facts<'a> {
    fn from(report: &'a Report) -> Facts<'a> {
        Facts {
            probes: &report.probes,
            vpns: &report.vpns,
            detection: &report.vpn_detection,
            run_end: report.run_end.as_ref(),
            traffic: report.tunnel_traffic.as_deref(),
            installed_clients: report.installed_clients.as_deref(),
            duration_ms: report.duration_ms,
            interfaces: &report.interfaces,
            os: report
                .system
                .as_ref()
                .map_or(std::env::consts::OS, |s| s.os.as_str()),
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
    /// The facts of a run still in progress: probes and VPNs only.
    #[must_use]
    pub fn running(probes: &'a [Probe], vpns: &'a [Vpn], detection: &'a Detection) -> Facts<'a> {
        Facts {
            probes,
            vpns,
            detection,
            run_end: None,
            traffic: None,
            installed_clients: None,
            duration_ms: 0,
            interfaces: &[],
            os: std::env::consts::OS,
        }
    }

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

    /// The run ended while this probe still waited, too early for its silence to mean anything.
    fn cut_short(&self, p: &Probe) -> bool {
        self.run_end.is_some_and(|e| e.cut_short.contains(&p.id))
    }

    fn traffic_of(&self, interface: &str) -> Option<&'a TunnelTraffic> {
        self.traffic?.iter().find(|t| t.interface == interface)
    }

    /// The tunnel took traffic during the run and gave nothing back: its VPN session is gone.
    /// A host reached through the tunnel that answered proves otherwise, whatever the counters
    /// (they may have been read after that answer came back).
    fn passes_nothing(&self, v: &Vpn) -> bool {
        self.traffic_of(&v.interface)
            .is_some_and(|t| t.sent_bytes > 0 && t.received_bytes == 0)
            && !self.answered_through(&v.interface)
    }

    /// Some target whose route goes out through `interface` answered.
    fn answered_through(&self, interface: &str) -> bool {
        self.probes
            .iter()
            .filter(|p| p.kind == ProbeKind::Route && p.target_id.is_some())
            .filter(|p| p.route.as_ref().and_then(|r| r.interface.as_deref()) == Some(interface))
            .any(|route| {
                self.probes
                    .iter()
                    .any(|p| p.target_id == route.target_id && service::is_answer(p))
            })
    }
}

type Rule = fn(&Facts<'_>) -> rules::Evidence;

/// The rules, one per code, in the contract's priority order (`inconclusive` is what is left).
const RULES: [(VerdictCode, Rule); 11] = [
    (VerdictCode::Offline, rules::offline),
    (VerdictCode::BlockedLocally, rules::blocked_locally),
    (VerdictCode::ClockWrong, rules::clock_wrong),
    (VerdictCode::CaptivePortal, rules::captive_portal),
    (VerdictCode::DnsFailure, rules::dns_failure),
    (VerdictCode::HmsVpn, rules::hms_vpn),
    (VerdictCode::InsideLma, rules::inside_lma),
    (VerdictCode::TlsIntercepted, rules::tls_intercepted),
    (VerdictCode::ConflictingVpns, rules::conflicting_vpns),
    (VerdictCode::MarsUnreachable, rules::mars_unreachable),
    (VerdictCode::NeedsHmsVpn, rules::needs_hms_vpn),
];

/// A rule that held: its code and the evidence that shows it.
type Finding = (VerdictCode, Vec<String>);

/// The verdict for a finished run. `texts` are the profile's words per code.
#[must_use]
pub fn evaluate(facts: &Facts<'_>, texts: &BTreeMap<VerdictCode, VerdictText>) -> Verdict {
    let held: Vec<Finding> = RULES
        .iter()
        .filter_map(|(code, rule)| rule(facts).map(|e| (*code, e)))
        .collect();
    let (code, mut evidence) = held
        .first()
        .cloned()
        .unwrap_or_else(|| (VerdictCode::Inconclusive, rules::oddities(facts)));
    let losers: Vec<VerdictCode> = held.iter().skip(1).map(|(c, _)| *c).collect();
    let decided = causes::decide(facts, code);
    add_new(&mut evidence, &decided.evidence);
    // A second cause of the same failure is evidence too.
    for (loser, lines) in held.iter().skip(1) {
        if keep(code, *loser) == Keep::Evidence {
            add_new(&mut evidence, lines);
        }
    }
    // Where the browser's path differs from the raw network: resolver disagreements, a proxy.
    let (path_evidence, path_warnings) = path::lines(facts);
    add_new(&mut evidence, &path_evidence);
    let values = fill::values(facts, &decided);
    let fill = |s: &&str| fill::fill(s, &values);
    let (title, summary, next_steps) = match texts.get(&code) {
        Some(t) => {
            let words = t.texts(Some(decided.cause), facts.os);
            let mut steps: Vec<String> = Vec::new();
            if values.contains_key("vpn") && !words.next_steps_other_vpn.is_empty() {
                steps.extend(words.next_steps_other_vpn.iter().map(fill));
            }
            steps.extend(words.next_steps.iter().map(fill));
            (fill(&words.title), fill(&words.summary), steps)
        }
        None => (code.as_str().to_owned(), String::new(), Vec::new()),
    };
    let warnings = warnings::warnings(facts, code, decided.cause, &losers);
    Verdict {
        code,
        cause: Some(decided.cause),
        acts: Some(decided.cause.acts()),
        title,
        summary,
        next_steps,
        evidence,
        warnings: [warnings, path_warnings].concat(),
    }
}

/// What a rule that held but lost to `winner` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// A second cause of the same failure: its evidence joins the winner's.
    Evidence,
    /// Something a person should know beside the verdict ([`warnings`] words it).
    Warning,
    /// Said already by the winner, or beside the point.
    Nothing,
}

/// The rule of `loser` held too, but `winner` came first in the contract's order.
fn keep(winner: VerdictCode, loser: VerdictCode) -> Keep {
    match loser {
        // Warnings word them from the facts they rest on; they matter once the winner is fixed.
        VerdictCode::BlockedLocally | VerdictCode::TlsIntercepted | VerdictCode::ClockWrong => {
            Keep::Warning
        }
        // Beside access that works: a warning; beside a failure: a second cause.
        VerdictCode::ConflictingVpns => {
            if winner.is_success() {
                Keep::Warning
            } else {
                Keep::Evidence
            }
        }
        // MARS failing beside a working portal is worth knowing; a dead HMS tunnel beside a
        // second VPN is a second cause; under a failure that breaks everything (the clock, the
        // network, this computer) MARS's silence follows from it.
        VerdictCode::MarsUnreachable => match winner {
            VerdictCode::HmsVpn | VerdictCode::InsideLma => Keep::Warning,
            VerdictCode::ConflictingVpns => Keep::Evidence,
            _ => Keep::Nothing,
        },
        VerdictCode::CaptivePortal => Keep::Evidence,
        // Implied by the winner (no way out, no names, access elsewhere), or the catch-all.
        VerdictCode::Offline
        | VerdictCode::DnsFailure
        | VerdictCode::HmsVpn
        | VerdictCode::InsideLma
        | VerdictCode::NeedsHmsVpn
        | VerdictCode::Inconclusive => Keep::Nothing,
    }
}

/// Appends the lines of `more` that `lines` does not have yet.
fn add_new(lines: &mut Vec<String>, more: &[String]) {
    for l in more {
        if !lines.contains(l) {
            lines.push(l.clone());
        }
    }
}

/// True when no probe still running could change the verdict (the run may stop waiting): the
/// first verified response that decides it settles the run.
///
/// Conservative: only the cases where the contract's order makes the outcome certain.
/// `vpn_known` is false while VPN detection is still running.
#[must_use]
pub fn settled(probes: &[Probe], vpn_known: bool, vpns: &[Vpn]) -> bool {
    let ran = DETECTION_RAN;
    let f = Facts::running(probes, vpns, &ran);
    if rules::no_route_out(&f) {
        return true; // offline outranks everything
    }
    if !vpn_known {
        return false;
    }
    // MARS answering: everything above hms-vpn needs MARS not to answer (or no route out).
    let mars = service::service(&f, Role::Mars).0;
    if mars == Service::Answers {
        return true;
    }
    // The portal answering and MARS decided not to: nothing left outranks inside-lma.
    let mars_decided = !matches!(mars, Service::Unknown | Service::Undecided);
    mars_decided && service::service(&f, Role::Affiliate).0 == Service::Answers
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_causes;
#[cfg(test)]
mod tests_findings;
#[cfg(test)]
mod tests_rules;
#[cfg(test)]
mod tests_worlds;
