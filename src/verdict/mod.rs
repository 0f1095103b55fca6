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
//! When a server "answers" (contract): [`service`]. What the rules read is [`Facts`] (in
//! [`facts`]); the readings that rules, causes and warnings share are in [`signs`]; what a rule
//! that lost becomes, in [`losers`]. The files import one way: this one names them and runs
//! them, none imports it back.

mod causes;
mod facts;
mod fill;
mod losers;
pub mod path;
mod rules;
mod service;
mod signs;
mod warnings;
mod words;

pub use facts::Facts;
pub use service::clock_skew;
pub use words::is_hms_network;

use std::collections::BTreeMap;

use crate::profile::VerdictText;
use crate::report::model::{
    Cause, Detection, DetectionStatus, Probe, Role, Verdict, VerdictCode, Vpn,
};
use losers::{Keep, keep};
use service::Service;

/// VPN detection that ran: the run's view while it still waits for probes ([`settled`]).
const DETECTION_RAN: Detection = Detection {
    status: DetectionStatus::Ran,
    detail: None,
    sources: Vec::new(),
};

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
            // Beside two VPNs, only what MARS's silence adds to what the winner says.
            let lines = match (code, loser) {
                (VerdictCode::ConflictingVpns, VerdictCode::MarsUnreachable) => {
                    rules::mars_unreachable_beside_vpns(facts)
                }
                _ => lines.clone(),
            };
            add_new(&mut evidence, &lines);
        }
    }
    // Where the browser's path differs from the raw network: resolver disagreements, a proxy.
    // A dead proxy that decided the cause is said by the verdict's own words.
    let dead_proxy = signs::dead_proxy(facts)
        .filter(|_| decided.cause == Cause::ProxyDown)
        .map(|hop| hop.url.as_str());
    let (path_evidence, path_warnings) = path::lines(facts, dead_proxy);
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
    let mut v = Verdict {
        code,
        cause: Some(decided.cause),
        acts: Some(decided.cause.acts()),
        title,
        summary,
        next_steps,
        evidence,
        warnings: [warnings, path_warnings].concat(),
    };
    // A VPN named in full once, in the order a person reads the verdict; then shorter.
    let mut texts: Vec<&mut String> = vec![&mut v.title, &mut v.summary];
    texts.extend(&mut v.next_steps);
    texts.extend(&mut v.evidence);
    texts.extend(&mut v.warnings);
    words::once_in_full(&mut texts, facts.vpns);
    v
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
    if signs::no_route_out(&f) {
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
