//! What the probes say about one host: does it answer (contract: when a server "answers"),
//! refuse, fail, or stay silent; and the other readings the rules share.

use super::facts::Facts;
use crate::report::model::{Outcome, Probe, ProbeKind, RedirectKind, Role};

/// What the HTTPS chain of a role says about that service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Service {
    /// A verified HTTPS response that lets the person in or asks them to sign in: 2xx, 401,
    /// another 4xx but 403, or a redirect within the site, to a sign-in page or elsewhere.
    Answers,
    /// A verified response that turns this network away: 403, or a redirect to a refusal page.
    Refuses,
    /// A verified response with a server error (5xx): the service itself fails.
    Failing,
    /// The TLS certificate was not accepted: something in the path intercepts or the clock is off.
    TlsProblem,
    /// No answer: a DNS, TCP or HTTP failure, or a timeout that decided.
    Silent,
    /// A step was still waiting when the run ended, too early to call the silence.
    Undecided,
    /// Not enough was run to say.
    Unknown,
}

impl Service {
    /// The service does not let this computer in: silent, or refusing it.
    pub(super) fn shut(self) -> bool {
        matches!(self, Service::Silent | Service::Refuses)
    }
}

/// The verdict a verified HTTP(S) response gives (contract: when a server "answers").
pub(super) fn judge_response(p: &Probe) -> Service {
    let status = p.http.as_ref().and_then(|d| d.status).unwrap_or(0);
    let redirect = p.http.as_ref().and_then(|d| d.redirect_kind);
    match status {
        500.. => Service::Failing,
        403 => Service::Refuses,
        300..=399 if redirect == Some(RedirectKind::Refusal) => Service::Refuses,
        _ => Service::Answers,
    }
}

/// The service of `role`, and the probe that tells it (the response, or the first failed step).
pub(super) fn service<'a>(f: &Facts<'a>, role: Role) -> (Service, Option<&'a Probe>) {
    if let Some(h) = f.find(role, ProbeKind::Https)
        && h.outcome == Outcome::Ok
    {
        return (judge_response(h), Some(h));
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
        let s = if f.cut_short(p) {
            Service::Undecided
        } else if kind == ProbeKind::Tls && p.outcome.is_tls() {
            Service::TlsProblem
        } else {
            Service::Silent
        };
        return (s, Some(p));
    }
    (Service::Unknown, None)
}

/// MARS or the portal gave a verified response (answers, refuses or fails): the path to it is
/// clean, so nothing on this computer or network stops secure traffic.
pub(super) fn restricted_responded(f: &Facts<'_>) -> bool {
    [Role::Mars, Role::Affiliate].iter().any(|r| {
        matches!(
            service(f, *r).0,
            Service::Answers | Service::Refuses | Service::Failing
        )
    })
}

/// MARS or the portal lets this computer in.
pub(super) fn restricted_answers(f: &Facts<'_>) -> bool {
    [Role::Mars, Role::Affiliate]
        .iter()
        .any(|r| service(f, *r).0 == Service::Answers)
}

/// A server answered on this probe: an HTTP response, or a TLS handshake that got as far as a
/// certificate. A bare TCP accept is not an answer (proxies and stalled links accept too).
pub(super) fn is_answer(p: &Probe) -> bool {
    match p.kind {
        ProbeKind::Http | ProbeKind::Https => p.outcome == Outcome::Ok,
        ProbeKind::Tls => {
            p.outcome == Outcome::Ok || p.tls.as_ref().is_some_and(|t| t.chain_length > 0)
        }
        _ => false,
    }
}

/// A proxy answered `CONNECT` (let the connection through or not): the network works up to it.
pub(super) fn proxy_answered(f: &Facts<'_>) -> bool {
    f.all(ProbeKind::Tcp).any(|p| {
        p.tcp
            .as_ref()
            .and_then(|t| t.proxy.as_ref())
            .is_some_and(|h| h.status.is_some())
    })
}

/// A name counts as resolved when the OS resolver found it, whatever the nameservers asked
/// directly said (they are evidence, contract 2).
pub(super) fn name_resolved(p: &Probe) -> bool {
    p.outcome == Outcome::Ok
        || p.dns
            .as_ref()
            .and_then(|d| d.os.as_ref())
            .is_some_and(|os| os.outcome == Outcome::Ok)
}

/// The public host whose own answer shows the internet works: a verified HTTPS answer, a
/// completed TLS handshake, or a plain-HTTP answer that is not a login page's redirect.
pub(super) fn internet_works<'a>(f: &Facts<'a>) -> Option<&'a Probe> {
    [Role::Control, Role::Gateway]
        .into_iter()
        .flat_map(|r| {
            [ProbeKind::Https, ProbeKind::Tls, ProbeKind::Http].map(|kind| f.find(r, kind))
        })
        .flatten()
        .find(|p| p.outcome == Outcome::Ok && !p.http.as_ref().is_some_and(|h| h.foreign_redirect))
}

/// Server clock minus this computer's, in seconds, from a `Date` header (the public site's
/// plain-HTTP answer first); None when no answer carried a gap worth reporting.
pub fn clock_skew(f: &Facts<'_>) -> Option<i64> {
    let control = f
        .find(Role::Control, ProbeKind::Http)
        .and_then(|p| p.http.as_ref()?.clock_skew_s);
    control.or_else(|| {
        f.probes
            .iter()
            .filter_map(|p| p.http.as_ref()?.clock_skew_s)
            .next()
    })
}
