//! Verdict rules: every code, and every precedence pair of the contract's order.

use super::*;
use crate::probe::plan::plan;
use crate::profile::Profile;
use crate::report::model::{HttpData, TlsData};

/// A synthetic run: the embedded profile's plan with chosen outcomes.
#[derive(Clone)]
struct World {
    probes: Vec<Probe>,
    vpns: Vec<Vpn>,
}

impl World {
    fn new() -> World {
        let mut w = World {
            probes: plan(&Profile::embedded()).probes,
            vpns: vec![],
        };
        w.set("route:ipv4", Outcome::Ok);
        w.set("route:ipv6", Outcome::Unreachable);
        w
    }

    fn set(&mut self, id: &str, outcome: Outcome) -> &mut Probe {
        let p = self
            .probes
            .iter_mut()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        p.outcome = outcome;
        p.duration_ms = Some(5);
        p
    }

    /// Every step of a target's HTTPS chain succeeds with `status`.
    fn answers(&mut self, target: &str, status: u16) {
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

    /// The target resolves, but connections are silently dropped (later steps never run).
    fn silent(&mut self, target: &str) {
        self.set(&format!("dns:{target}"), Outcome::Ok);
        self.set(&format!("tcp:{target}:443"), Outcome::Timeout);
        self.unrun(&[format!("tls:{target}:443"), format!("https:{target}:443")]);
    }

    /// Puts steps back to "never ran", as after an earlier failure.
    fn unrun(&mut self, ids: &[String]) {
        for p in self.probes.iter_mut().filter(|p| ids.contains(&p.id)) {
            p.outcome = Outcome::Skipped;
            p.duration_ms = None;
            p.http = None;
        }
    }

    fn vpn(&mut self, interface: &str, role: VpnRole) {
        self.vpns.push(Vpn {
            interface: interface.into(),
            client: Some("Test VPN".into()),
            role,
            gateway: None,
            network: None,
            evidence: vec![],
        });
    }

    /// Calls `f` with this world's facts (VPN detection ran).
    fn with_facts<R>(&self, f: impl FnOnce(&Facts<'_>) -> R) -> R {
        let detection = Detection {
            status: DetectionStatus::Ran,
            detail: None,
            sources: vec![],
        };
        f(&Facts {
            probes: &self.probes,
            vpns: &self.vpns,
            detection: &detection,
        })
    }

    fn verdict(&self) -> Verdict {
        self.with_facts(|facts| evaluate(facts, &Profile::embedded().verdicts))
    }

    fn fires(&self, code: VerdictCode) -> bool {
        self.with_facts(|facts| {
            RULES
                .iter()
                .find(|(c, _)| *c == code)
                .is_some_and(|(_, rule)| rule(facts).is_some())
        })
    }
}

/// Applies the minimal situation in which `code` holds.
fn make(w: &mut World, code: VerdictCode) {
    match code {
        VerdictCode::Offline => {
            w.set("route:ipv4", Outcome::Unreachable);
            w.set("route:ipv6", Outcome::Unreachable);
        }
        VerdictCode::CaptivePortal => {
            w.set("dns:control", Outcome::Ok);
            w.set("tcp:control:80", Outcome::Ok);
            w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
                status: Some(302),
                location: Some("http://portal.example/login".into()),
                foreign_redirect: true,
                ..HttpData::default()
            });
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
        VerdictCode::ConflictingVpns => {
            w.vpn("tun0", VpnRole::Affiliate);
            w.vpn("tun1", VpnRole::Unknown);
        }
        VerdictCode::HmsVpn => w.answers("mars", 200),
        VerdictCode::InsideLma => w.answers("affiliate", 200),
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

#[test]
fn every_code_is_reached_alone() {
    for code in VerdictCode::ALL {
        let mut w = World::new();
        make(&mut w, code);
        let v = w.verdict();
        assert_eq!(v.code, code, "evidence: {:#?}", v.evidence);
        assert!(!v.next_steps.is_empty(), "{code}: no next steps");
        assert!(!v.evidence.is_empty(), "{code}: no evidence");
        assert_eq!(v.title, Profile::embedded().verdicts[&code].title);
    }
}

/// Pairs that cannot hold at once, by the codes' own definitions.
const EXCLUSIVE: [(VerdictCode, VerdictCode, &str); 9] = [
    (
        VerdictCode::DnsFailure,
        VerdictCode::NeedsHmsVpn,
        "needs-hms-vpn needs a public host answering, so its name resolved",
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
fn every_precedence_pair_follows_the_contract_order() {
    let codes = &VerdictCode::ALL[..8]; // inconclusive never competes: it is what is left
    let mut checked = 0;
    let mut missing: Vec<String> = vec![];
    for (i, &high) in codes.iter().enumerate() {
        for &low in &codes[i + 1..] {
            let mut w = World::new();
            make(&mut w, low);
            make(&mut w, high);
            let exclusive = EXCLUSIVE.iter().any(|(a, b, _)| (*a, *b) == (high, low));
            // Built by laying `high`'s situation over `low`'s, the world still shows `high`.
            assert!(w.fires(high), "{high} does not fire over {low}");
            assert_eq!(w.verdict().code, high, "{high} must win over {low}");
            if !exclusive {
                if !w.fires(low) {
                    missing.push(format!("{high}>{low}"));
                }
                checked += 1;
            }
        }
    }
    assert!(missing.is_empty(), "pairs not tested: {missing:?}");
    assert_eq!(checked, 28 - EXCLUSIVE.len());
}

#[test]
fn other_vpn_is_named_first_in_needs_hms_vpn() {
    let mut w = World::new();
    make(&mut w, VerdictCode::NeedsHmsVpn);
    w.vpn("utun7", VpnRole::Unknown);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::NeedsHmsVpn);
    assert!(
        v.next_steps[0].contains("Test VPN (utun7)"),
        "{:?}",
        v.next_steps
    );
    assert!(!v.next_steps.iter().any(|s| s.contains("{vpn}")));
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
        v.evidence.iter().any(|e| e.contains("intercepting TLS")),
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
fn two_vpns_settle_once_nothing_above_can_fire() {
    let mut w = World::new();
    let two = [
        Vpn {
            interface: "tun0".into(),
            client: None,
            role: VpnRole::Hms,
            gateway: None,
            network: None,
            evidence: vec![],
        },
        Vpn {
            interface: "wg0".into(),
            client: None,
            role: VpnRole::Affiliate,
            gateway: None,
            network: None,
            evidence: vec![],
        },
    ];
    w.set("route:ipv6", Outcome::Ok);
    assert!(
        !settled(&w.probes, true, &two),
        "nothing has answered yet: could still be offline"
    );
    w.answers("control", 200);
    assert!(
        !settled(&w.probes, true, &two),
        "the plain-HTTP probe could still show a login page"
    );
    w.set("tcp:control:80", Outcome::Ok);
    w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
        status: Some(301),
        ..HttpData::default()
    });
    assert!(settled(&w.probes, true, &two));
    // A login page on plain HTTP keeps captive-portal possible above it: not settled.
    w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
        status: Some(302),
        foreign_redirect: true,
        ..HttpData::default()
    });
    assert!(!settled(&w.probes, true, &two));
}
