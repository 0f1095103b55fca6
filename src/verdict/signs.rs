//! Readings of the facts that the rules, the causes and the warnings share: no route out, a
//! tunnel that passes nothing, a dead proxy, untrusted signers, what is wrong with MARS's own
//! certificate. Each is a plain answer; the words that say it stay with its reader.

use super::facts::Facts;
use super::service::is_answer;
use crate::report::labels::ProxyStop;
use crate::report::model::{Outcome, Probe, ProbeKind, ProxyHop, Role, TlsData, Vpn};

/// Every global route lookup ran and none found a route out.
pub(super) fn no_route_out(f: &Facts<'_>) -> bool {
    let routes: Vec<&Probe> = f
        .all(ProbeKind::Route)
        .filter(|p| p.target_id.is_none())
        .collect();
    !routes.is_empty()
        && routes
            .iter()
            .all(|p| !p.outcome.is_not_run() && p.outcome != Outcome::Ok)
}

/// A presented certificate names the host that was asked for (a re-signing proxy forges the
/// right names; a captive portal does not).
fn names_match(t: &TlsData) -> bool {
    let host = t.server_name.to_ascii_lowercase();
    t.leaf.as_ref().is_some_and(|l| {
        l.san.iter().any(|san| {
            let san = san.to_ascii_lowercase();
            san == host
                || san
                    .strip_prefix("*.")
                    .is_some_and(|rest| host.split_once('.').is_some_and(|(_, h)| h == rest))
        })
    })
}

/// Untrusted signers seen on two or more hosts for the right names, with those hosts' roles.
pub(super) fn untrusted_signers(f: &Facts<'_>) -> Vec<(String, Vec<Role>)> {
    let mut by_issuer: Vec<(String, Vec<Role>)> = Vec::new();
    for p in f.all(ProbeKind::Tls) {
        let (Some(role), Some(t)) = (p.role, p.tls.as_ref()) else {
            continue;
        };
        if p.outcome != Outcome::TlsUnknownIssuer || !names_match(t) {
            continue;
        }
        let Some(issuer) = t.leaf.as_ref().map(|l| l.issuer.clone()) else {
            continue;
        };
        match by_issuer.iter_mut().find(|(i, _)| *i == issuer) {
            Some((_, roles)) => roles.push(role),
            None => by_issuer.push((issuer, vec![role])),
        }
    }
    by_issuer.retain(|(_, roles)| roles.len() >= 2);
    by_issuer
}

/// The proxy the system names for HTTPS, when it stopped every secure connection to the public
/// HMS hosts without answering (not reached, hung up, or silent) and nothing answered securely.
pub(super) fn dead_proxy<'a>(f: &Facts<'a>) -> Option<&'a ProxyHop> {
    let public: Vec<&Probe> = f
        .all(ProbeKind::Tcp)
        .filter(|p| matches!(p.role, Some(Role::Control | Role::Gateway)))
        .filter(|p| p.port() != Some(80) && !p.outcome.is_not_run())
        .collect();
    let silent = |p: &&Probe| match p.outcome {
        Outcome::ProxyTimeout => true,
        Outcome::ProxyRefused => p
            .proxy_hop()
            .is_some_and(|h| matches!(h.stop(), ProxyStop::NotReached | ProxyStop::HungUp)),
        _ => false,
    };
    let secure_answer = f
        .probes
        .iter()
        .any(|p| matches!(p.kind, ProbeKind::Tls | ProbeKind::Https) && is_answer(p));
    if public.is_empty() || !public.iter().all(silent) || secure_answer {
        return None;
    }
    public.first().and_then(|p| p.proxy_hop())
}

/// What is wrong with MARS's own certificate, when it alone fails and another HMS host's
/// verified (so neither the clock nor this network is to blame).
pub(super) fn mars_certificate(f: &Facts<'_>) -> Option<String> {
    let t = f.find(Role::Mars, ProbeKind::Tls)?;
    let others_verify = f
        .all(ProbeKind::Tls)
        .any(|p| p.role != Some(Role::Mars) && p.outcome == Outcome::Ok);
    if !others_verify {
        return None;
    }
    let leaf = t.tls.as_ref().and_then(|d| d.leaf.as_ref());
    let date = |s: Option<&String>| {
        s.and_then(|s| s.get(..10))
            .filter(|d| d.len() == 10)
            .map(str::to_owned)
    };
    Some(match t.outcome {
        Outcome::TlsExpired => match date(leaf.map(|l| &l.not_after)) {
            Some(d) => format!("expired on {d}"),
            None => "has expired".into(),
        },
        Outcome::TlsNotYetValid => match date(leaf.map(|l| &l.not_before)) {
            Some(d) => format!("is not valid until {d}"),
            None => "is not valid yet".into(),
        },
        Outcome::TlsNameMismatch => {
            let names = leaf.map(|l| l.san.join(", ")).unwrap_or_default();
            if names.is_empty() {
                "is made out for another name".into()
            } else {
                format!("is made out for another name ({names})")
            }
        }
        Outcome::TlsUnknownIssuer => {
            "is signed by an authority this computer does not trust".into()
        }
        _ => return None,
    })
}

/// The tunnel took traffic during the run and gave nothing back: its VPN session is gone.
/// A host reached through the tunnel that answered proves otherwise, whatever the counters
/// (they may have been read after that answer came back).
pub(super) fn passes_nothing(f: &Facts<'_>, v: &Vpn) -> bool {
    f.traffic_of(&v.interface)
        .is_some_and(|t| t.sent_bytes > 0 && t.received_bytes == 0)
        && !answered_through(f, &v.interface)
}

/// Some target whose route goes out through `interface` answered.
fn answered_through(f: &Facts<'_>, interface: &str) -> bool {
    f.probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Route && p.target_id.is_some())
        .filter(|p| p.route.as_ref().and_then(|r| r.interface.as_deref()) == Some(interface))
        .any(|route| {
            f.probes
                .iter()
                .any(|p| p.target_id == route.target_id && is_answer(p))
        })
}
