//! Verdict rules: every code, and every precedence pair of the contract's order.

use super::*;
use crate::probe::plan::plan;
use crate::profile::Profile;
use crate::report::model::{
    CertInfo, HttpData, Interface, Outcome, RedirectKind, RunEnd, RunEndReason, TlsData,
    TunnelTraffic, VpnRole,
};

/// A synthetic run: the embedded profile's plan with chosen outcomes.
#[derive(Clone)]
pub(super) struct World {
    pub probes: Vec<Probe>,
    pub vpns: Vec<Vpn>,
    pub run_end: Option<RunEnd>,
    pub traffic: Option<Vec<TunnelTraffic>>,
    pub installed: Option<Vec<String>>,
    pub duration_ms: u64,
    pub interfaces: Vec<Interface>,
}

impl World {
    pub fn new() -> World {
        let mut w = World {
            probes: plan(&Profile::embedded()).probes,
            vpns: vec![],
            run_end: None,
            traffic: None,
            installed: None,
            duration_ms: 1500,
            interfaces: vec![],
        };
        w.set("route:ipv4", Outcome::Ok);
        w.set("route:ipv6", Outcome::Unreachable);
        w
    }

    pub fn set(&mut self, id: &str, outcome: Outcome) -> &mut Probe {
        let p = self
            .probes
            .iter_mut()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        p.outcome = outcome;
        p.duration_ms = Some(5);
        p
    }

    pub fn outcome(&self, id: &str) -> Outcome {
        self.probes
            .iter()
            .find(|p| p.id == id)
            .map_or(Outcome::Skipped, |p| p.outcome)
    }

    /// Every step of a target's HTTPS chain succeeds with `status`.
    pub fn answers(&mut self, target: &str, status: u16) {
        for id in [
            format!("dns:{target}"),
            format!("tcp:{target}:443"),
            format!("tls:{target}:443"),
        ] {
            self.set(&id, Outcome::Ok);
        }
        self.set(&format!("https:{target}:443"), Outcome::Ok).http = Some(HttpData {
            status: Some(status),
            ..HttpData::default()
        });
    }

    /// Every step succeeds and the answer is a redirect of `kind` to `to`.
    pub fn redirects(&mut self, target: &str, to: &str, kind: RedirectKind) {
        self.answers(target, 302);
        let h = self
            .set(&format!("https:{target}:443"), Outcome::Ok)
            .http
            .as_mut()
            .unwrap();
        h.location = Some(to.into());
        h.redirect_kind = Some(kind);
    }

    /// The target resolves, but connections are silently dropped (later steps never run).
    pub fn silent(&mut self, target: &str) {
        self.set(&format!("dns:{target}"), Outcome::Ok);
        self.set(&format!("tcp:{target}:443"), Outcome::Timeout);
        self.unrun(&[format!("tls:{target}:443"), format!("https:{target}:443")]);
    }

    /// Its name resolves; the TLS handshake gets a certificate for the right name from `issuer`
    /// that this computer does not trust.
    pub fn resigned(&mut self, target: &str, host: &str, issuer: &str) {
        self.set(&format!("dns:{target}"), Outcome::Ok);
        self.set(&format!("tcp:{target}:443"), Outcome::Ok);
        self.set(&format!("tls:{target}:443"), Outcome::TlsUnknownIssuer)
            .tls = Some(TlsData {
            server_name: host.into(),
            chain_length: 2,
            leaf: Some(CertInfo {
                subject: format!("CN={host}"),
                issuer: issuer.into(),
                san: vec![host.into()],
                ..CertInfo::default()
            }),
            ..TlsData::default()
        });
        self.unrun(&[format!("https:{target}:443")]);
    }

    /// Puts steps back to "never ran", as after an earlier failure.
    pub fn unrun(&mut self, ids: &[String]) {
        for p in self.probes.iter_mut().filter(|p| ids.contains(&p.id)) {
            p.outcome = Outcome::Skipped;
            p.duration_ms = None;
            p.http = None;
        }
    }

    pub fn vpn(&mut self, interface: &str, role: VpnRole) -> &mut Vpn {
        self.vpns.push(Vpn {
            interface: interface.into(),
            client: Some("Test VPN".into()),
            role,
            gateway: None,
            network: None,
            evidence: vec![],
        });
        self.vpns.last_mut().unwrap()
    }

    /// The run ended (by `reason`) while these probes still waited.
    pub fn cut(&mut self, reason: RunEndReason, ids: &[&str], needed_ms: u64) {
        self.run_end = Some(RunEnd {
            reason,
            budget_ms: 240,
            cut_short: ids.iter().map(|s| (*s).to_owned()).collect(),
            needed_ms: Some(needed_ms),
        });
    }

    /// Calls `f` with this world's facts (VPN detection ran).
    pub fn with_facts<R>(&self, f: impl FnOnce(&Facts<'_>) -> R) -> R {
        let detection = Detection {
            status: DetectionStatus::Ran,
            detail: None,
            sources: vec![],
        };
        f(&Facts {
            probes: &self.probes,
            vpns: &self.vpns,
            detection: &detection,
            run_end: self.run_end.as_ref(),
            traffic: self.traffic.as_deref(),
            installed_clients: self.installed.as_deref(),
            duration_ms: self.duration_ms,
            interfaces: &self.interfaces,
            os: std::env::consts::OS,
        })
    }

    pub fn verdict(&self) -> Verdict {
        self.with_facts(|facts| evaluate(facts, &Profile::embedded().verdicts))
    }

    pub fn fires(&self, code: VerdictCode) -> bool {
        self.with_facts(|facts| {
            RULES
                .iter()
                .find(|(c, _)| *c == code)
                .is_some_and(|(_, rule)| rule(facts).is_some())
        })
    }
}

/// The clock is 400 days behind: the public site's `Date` says so.
pub(super) const FOUR_HUNDRED_DAYS: i64 = 400 * 86_400;

/// Applies the minimal situation in which `code` holds.
pub(super) fn make(w: &mut World, code: VerdictCode) {
    match code {
        VerdictCode::Offline => {
            w.set("route:ipv4", Outcome::Unreachable);
            w.set("route:ipv6", Outcome::Unreachable);
        }
        VerdictCode::BlockedLocally => {
            // Name lookups for MARS and the portal were refused by this computer.
            for t in ["mars", "affiliate"] {
                w.set(&format!("dns:{t}"), Outcome::PermissionDenied);
                w.unrun(&[
                    format!("tcp:{t}:443"),
                    format!("tls:{t}:443"),
                    format!("https:{t}:443"),
                ]);
            }
        }
        VerdictCode::ClockWrong => {
            w.set("dns:control", Outcome::Ok);
            w.set("tcp:control:80", Outcome::Ok);
            w.set("http:control:80", Outcome::Ok)
                .http
                .get_or_insert_with(|| HttpData {
                    status: Some(301),
                    ..HttpData::default()
                })
                .clock_skew_s = Some(FOUR_HUNDRED_DAYS);
            // The gateway's certificate is refused as not valid yet, unless its TLS already fails.
            if !w.outcome("tls:gateway:443").is_tls() {
                w.set("dns:gateway", Outcome::Ok);
                w.set("tcp:gateway:443", Outcome::Ok);
                w.set("tls:gateway:443", Outcome::TlsNotYetValid);
                w.unrun(&["https:gateway:443".into()]);
            }
        }
        VerdictCode::CaptivePortal => {
            w.set("dns:control", Outcome::Ok);
            w.set("tcp:control:80", Outcome::Ok);
            let h = w
                .set("http:control:80", Outcome::Ok)
                .http
                .get_or_insert_default();
            h.status = Some(302);
            h.location = Some("http://portal.example/login".into());
            h.foreign_redirect = true;
            w.silent("mars");
            w.silent("affiliate");
        }
        VerdictCode::DnsFailure => {
            for t in ["mars", "affiliate", "gateway", "control"] {
                w.set(&format!("dns:{t}"), Outcome::Timeout);
                let later = [
                    "tcp:{t}:443",
                    "tls:{t}:443",
                    "https:{t}:443",
                    "tcp:{t}:80",
                    "http:{t}:80",
                ];
                w.unrun(&later.map(|id| id.replace("{t}", t)));
            }
        }
        VerdictCode::HmsVpn => w.answers("mars", 200),
        VerdictCode::InsideLma => w.answers("affiliate", 200),
        VerdictCode::TlsIntercepted => {
            w.resigned("gateway", "vpn.hms.harvard.edu", SHIELD);
            w.resigned("control", "it.hms.harvard.edu", SHIELD);
            // Plain HTTP passes the inspecting proxy untouched.
            w.set("tcp:control:80", Outcome::Ok);
            w.set("http:control:80", Outcome::Ok)
                .http
                .get_or_insert_with(|| HttpData {
                    status: Some(301),
                    ..HttpData::default()
                });
        }
        VerdictCode::ConflictingVpns => {
            w.vpn("tun0", VpnRole::Affiliate);
            w.vpn("tun1", VpnRole::Unknown);
        }
        VerdictCode::MarsUnreachable => {
            w.vpn("utun4", VpnRole::Hms);
            w.answers("control", 200);
            w.silent("mars");
        }
        VerdictCode::NeedsHmsVpn => {
            w.answers("control", 200);
            w.silent("mars");
            w.silent("affiliate");
        }
        VerdictCode::Inconclusive => {}
    }
}

/// The signer of a re-signing proxy that this computer does not trust.
pub(super) const SHIELD: &str = "CN=Acme Web Shield Root, O=Acme Inc";

#[test]
fn every_code_is_reached_alone() {
    for code in VerdictCode::ALL {
        let mut w = World::new();
        make(&mut w, code);
        let v = w.verdict();
        assert_eq!(v.code, code, "evidence: {:#?}", v.evidence);
        assert!(!v.next_steps.is_empty(), "{code}: no next steps");
        assert!(!v.evidence.is_empty(), "{code}: no evidence");
        let cause = v.cause.expect("a cause");
        assert_eq!(cause.verdict(), code, "{cause}");
        assert_eq!(v.acts, Some(cause.acts()));
        let profile = Profile::embedded();
        let words = profile.verdicts[&code].texts(Some(cause), std::env::consts::OS);
        assert_eq!(v.title, words.title);
    }
}

/// Pairs that cannot hold at once, by the codes' own definitions.
const EXCLUSIVE: [(VerdictCode, VerdictCode, &str); 15] = [
    (
        VerdictCode::ClockWrong,
        VerdictCode::DnsFailure,
        "a clock reading or a refused certificate needs a host reached, so its name resolved",
    ),
    (
        VerdictCode::BlockedLocally,
        VerdictCode::HmsVpn,
        "blocked-locally is this computer stopping the traffic that matters; MARS answering means it went out",
    ),
    (
        VerdictCode::BlockedLocally,
        VerdictCode::InsideLma,
        "the portal answering means the traffic that matters went out",
    ),
    (
        VerdictCode::ClockWrong,
        VerdictCode::HmsVpn,
        "MARS answering over verified HTTPS means its certificate passed the clock",
    ),
    (
        VerdictCode::ClockWrong,
        VerdictCode::InsideLma,
        "the portal answering over verified HTTPS means its certificate passed the clock",
    ),
    (
        VerdictCode::DnsFailure,
        VerdictCode::NeedsHmsVpn,
        "needs-hms-vpn needs a public host answering, so its name resolved",
    ),
    (
        VerdictCode::DnsFailure,
        VerdictCode::TlsIntercepted,
        "re-signed certificates need connections, so names that resolved",
    ),
    (
        VerdictCode::HmsVpn,
        VerdictCode::MarsUnreachable,
        "MARS cannot both answer and not answer",
    ),
    (
        VerdictCode::HmsVpn,
        VerdictCode::NeedsHmsVpn,
        "MARS cannot both answer and not answer",
    ),
    (
        VerdictCode::InsideLma,
        VerdictCode::NeedsHmsVpn,
        "the portal cannot both answer and not answer",
    ),
    (
        VerdictCode::CaptivePortal,
        VerdictCode::DnsFailure,
        "seeing the login page needs the public host's name resolved",
    ),
    (
        VerdictCode::CaptivePortal,
        VerdictCode::HmsVpn,
        "MARS answering over verified HTTPS means nothing intercepts",
    ),
    (
        VerdictCode::CaptivePortal,
        VerdictCode::InsideLma,
        "the portal answering over verified HTTPS means nothing intercepts",
    ),
    (
        VerdictCode::DnsFailure,
        VerdictCode::HmsVpn,
        "MARS answering means its name resolved",
    ),
    (
        VerdictCode::DnsFailure,
        VerdictCode::InsideLma,
        "the portal answering means its name resolved",
    ),
];

#[test]
fn the_rules_are_in_the_contract_order() {
    let rules: Vec<VerdictCode> = RULES.iter().map(|(c, _)| *c).collect();
    assert_eq!(rules, VerdictCode::ALL[..VerdictCode::ALL.len() - 1]);
    assert_eq!(VerdictCode::ALL.last(), Some(&VerdictCode::Inconclusive));
}

#[test]
fn every_precedence_pair_follows_the_contract_order() {
    let codes = &VerdictCode::ALL[..RULES.len()]; // inconclusive never competes: it is what is left
    let mut checked = 0;
    let mut missing: Vec<String> = vec![];
    for (i, &high) in codes.iter().enumerate() {
        for &low in &codes[i + 1..] {
            let mut w = World::new();
            make(&mut w, low);
            make(&mut w, high);
            let exclusive = EXCLUSIVE.iter().any(|(a, b, _)| (*a, *b) == (high, low));
            if exclusive {
                // Laying one situation over the other leaves one of them, never both.
                assert!(
                    !(w.fires(high) && w.fires(low)),
                    "{high} and {low} are listed exclusive, yet both fire"
                );
                if w.fires(high) {
                    assert_eq!(w.verdict().code, high, "{high} must win over {low}");
                }
            } else {
                // Built by laying `high`'s situation over `low`'s, the world still shows `high`.
                assert!(w.fires(high), "{high} does not fire over {low}");
                assert_eq!(w.verdict().code, high, "{high} must win over {low}");
                if !w.fires(low) {
                    missing.push(format!("{high}>{low}"));
                }
                checked += 1;
            }
        }
    }
    assert!(missing.is_empty(), "pairs not tested: {missing:?}");
    let pairs = codes.len() * (codes.len() - 1) / 2;
    assert_eq!(checked, pairs - EXCLUSIVE.len());
}

#[test]
fn other_vpn_is_named_first_in_needs_hms_vpn() {
    let mut w = World::new();
    make(&mut w, VerdictCode::NeedsHmsVpn);
    w.vpn("utun7", VpnRole::Unknown);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::NeedsHmsVpn);
    assert!(
        v.next_steps[0].starts_with("Disconnect Test VPN:"),
        "{:?}",
        v.next_steps
    );
    assert!(
        !v.next_steps
            .iter()
            .any(|s| s.contains("{vpn}") || s.contains("{hms_client}"))
    );
    assert!(
        !v.next_steps.iter().any(|s| s.contains("utun7")),
        "next steps name apps, not interfaces: {:?}",
        v.next_steps
    );
}

#[test]
fn mars_server_error_is_mars_unreachable() {
    let mut w = World::new();
    w.answers("control", 200);
    w.answers("mars", 503);
    w.silent("affiliate");
    assert_eq!(w.verdict().code, VerdictCode::MarsUnreachable);
}

#[test]
fn untrusted_certificate_everywhere_is_inconclusive_and_says_so() {
    let mut w = World::new();
    for t in ["mars", "affiliate", "control"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Ok);
        // A certificate was presented (the proxy's), but chains to no trusted root.
        w.set(&format!("tls:{t}:443"), Outcome::TlsUnknownIssuer)
            .tls = Some(TlsData {
            chain_length: 2,
            ..TlsData::default()
        });
    }
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::Inconclusive);
    assert!(
        v.evidence
            .iter()
            .any(|e| e.contains("intercept secure connections")),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn a_default_route_vpn_of_unknown_role_does_not_make_mars_unreachable() {
    let mut w = World::new();
    make(&mut w, VerdictCode::NeedsHmsVpn);
    w.vpn("tun9", VpnRole::Unknown);
    assert_eq!(w.verdict().code, VerdictCode::NeedsHmsVpn);
}

#[test]
fn settled_only_when_certain() {
    let mut w = World::new();
    assert!(!settled(&w.probes, true, &[]), "nothing known yet");
    w.answers("mars", 200);
    assert!(settled(&w.probes, true, &[]));
    assert!(!settled(&w.probes, false, &[]), "VPN picture still pending");
    let mut w = World::new();
    w.answers("affiliate", 200);
    assert!(
        !settled(&w.probes, true, &[]),
        "MARS could still answer and outrank inside-lma"
    );
    w.silent("mars");
    assert!(settled(&w.probes, true, &[]));
    let mut w = World::new();
    make(&mut w, VerdictCode::Offline);
    assert!(settled(&w.probes, false, &[]));
}

#[test]
fn connections_accepted_but_never_answered_are_offline() {
    let mut w = World::new();
    for t in ["mars", "affiliate", "gateway", "control"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Ok);
        w.set(&format!("tls:{t}:443"), Outcome::Timeout);
    }
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::Offline, "{:#?}", v.evidence);
    // The same world where the public site completes TLS is not offline.
    w.set("tls:control:443", Outcome::Ok);
    assert_ne!(w.verdict().code, VerdictCode::Offline);
}

#[test]
fn two_vpns_and_mars_answering_settle_at_once() {
    let mut w = World::new();
    w.vpn("tun0", VpnRole::Hms);
    w.vpn("wg0", VpnRole::Affiliate);
    assert!(
        !settled(&w.probes, true, &w.vpns),
        "nothing has answered yet"
    );
    w.answers("mars", 200);
    assert!(
        settled(&w.probes, true, &w.vpns),
        "hms-vpn outranks conflicting-vpns"
    );
}

#[test]
fn a_refusing_mars_and_an_answering_portal_settle() {
    let mut w = World::new();
    w.answers("affiliate", 200);
    assert!(!settled(&w.probes, true, &[]));
    w.answers("mars", 403);
    assert!(settled(&w.probes, true, &[]), "a 403 decides: MARS refuses");
    assert_eq!(w.verdict().code, VerdictCode::InsideLma);
}
