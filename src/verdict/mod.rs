//! The verdict: a pure function from finished observations to exactly one contract code.
//!
//! Each rule ([`rules`]) is a small function that looks at the probes, the VPNs, the tunnels'
//! traffic and how the run ended, and when its situation holds returns the evidence that shows
//! it. All rules are evaluated; the contract's priority order ([`RULES`], the same as
//! [`VerdictCode::ALL`]) picks the code, and the winner's evidence is the verdict's. Findings
//! that do not decide the verdict but matter go into `warnings` ([`warnings`]). Evidence and
//! warnings are plain words ([`words`]); the title, summary and next steps come from the
//! profile, with `{vpn}` and `{hms_client}` filled in here.
//!
//! When a server "answers" (contract): [`service`].

pub mod path;
mod rules;
mod service;
mod warnings;
mod words;

use std::collections::BTreeMap;

use crate::profile::VerdictText;
use crate::report::model::{
    Detection, DetectionStatus, Probe, ProbeKind, Report, Role, RunEnd, TunnelTraffic, Verdict,
    VerdictCode, Vpn,
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

/// The verdict for a finished run. `texts` are the profile's words per code.
#[must_use]
pub fn evaluate(facts: &Facts<'_>, texts: &BTreeMap<VerdictCode, VerdictText>) -> Verdict {
    let (code, mut evidence) = RULES
        .iter()
        .find_map(|(code, rule)| rule(facts).map(|e| (*code, e)))
        .unwrap_or_else(|| (VerdictCode::Inconclusive, rules::oddities(facts)));
    // Where the browser's path differs from the raw network: resolver disagreements, a proxy.
    let (path_evidence, path_warnings) = path::lines(facts);
    evidence.extend(path_evidence);
    let text = texts.get(&code);
    let others: Vec<String> = facts
        .vpns
        .iter()
        .filter(|v| !words::is_hms_tunnel(v))
        .map(words::app_name)
        .collect();
    let fill = |s: &String| {
        s.replace("{vpn}", &words::and_list(&others))
            .replace("{hms_client}", &hms_client(facts))
    };
    let mut next_steps = Vec::new();
    if let Some(t) = text {
        if !others.is_empty() {
            next_steps.extend(t.next_steps_other_vpn.iter().map(fill));
        }
        next_steps.extend(t.next_steps.iter().map(fill));
    }
    Verdict {
        code,
        // Decided by the cause rules of contract 3 (not yet: null, as in older reports).
        cause: None,
        acts: None,
        title: text.map_or_else(|| code.as_str().to_owned(), |t| t.title.clone()),
        summary: text.map(|t| t.summary.clone()).unwrap_or_default(),
        next_steps,
        evidence,
        warnings: [warnings::warnings(facts, code), path_warnings].concat(),
    }
}

/// The HMS VPN app to name: the one connected to the HMS VPN, else an installed HMS client,
/// else HMS IT's current client.
fn hms_client(f: &Facts<'_>) -> String {
    let connected = f
        .vpns
        .iter()
        .filter(|v| words::is_hms_tunnel(v))
        .find_map(|v| v.client.clone());
    let installed = || {
        f.installed_clients?
            .iter()
            .find(|c| words::is_hms_client(c))
            .cloned()
    };
    connected
        .or_else(installed)
        .unwrap_or_else(|| words::default_hms_client().to_owned())
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
mod tests_rules;
