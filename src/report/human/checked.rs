//! "What was checked": one line per host (and per plain-HTTP check), in plain words, from the
//! first step of its chain that failed (name lookup, connection, secure connection, answer).
//! The chains themselves ([`chains`]) are shared with the technical table of `-v`.

use std::io::{self, Write};

use anstyle::Style;

use super::layout::{BAD, BOLD, DIM, GOOD, WARN, wrap_to};
use super::options::Options;
use crate::report::labels::ProxyStop;
use crate::report::model::{
    Outcome, Probe, ProbeKind, ProxyHop, RedirectKind, Report, VerdictCode,
};

/// One target's chain of steps as the views show it.
pub(super) struct Chain<'r> {
    /// What a person calls the host (`MARS`, `public HMS site (http)`).
    pub label: String,
    /// Name lookup.
    pub dns: Option<&'r Probe>,
    /// TCP connect.
    pub tcp: Option<&'r Probe>,
    /// TLS handshake; None for plain HTTP.
    pub tls: Option<&'r Probe>,
    /// The HTTPS or HTTP request.
    pub last: &'r Probe,
}

impl<'r> Chain<'r> {
    /// The steps in order, those the plan has. The route lookup is not one: it runs beside
    /// the chain (and may be cut short when the verdict is clear), so `-v` shows it on its own.
    pub fn steps(&self) -> impl Iterator<Item = &'r Probe> + use<'r> {
        [self.dns, self.tcp, self.tls, Some(self.last)]
            .into_iter()
            .flatten()
    }
}

/// Every chain of the report, in plan order: per target its HTTPS chain, then its plain-HTTP one.
pub(super) fn chains(report: &Report) -> Vec<Chain<'_>> {
    let find = |target: &str, kind: ProbeKind, port: Option<u16>| {
        report.probes.iter().find(|p| {
            p.target_id.as_deref() == Some(target)
                && p.kind == kind
                && port.is_none_or(|port| p.port() == Some(port))
        })
    };
    let mut targets: Vec<&str> = Vec::new();
    for p in &report.probes {
        if let Some(t) = p.target_id.as_deref()
            && !targets.contains(&t)
        {
            targets.push(t);
        }
    }
    let mut out = Vec::new();
    for t in targets {
        let dns = find(t, ProbeKind::Dns, None);
        let name: &str = match report
            .probes
            .iter()
            .find(|p| p.target_id.as_deref() == Some(t))
            .and_then(|p| p.role)
        {
            Some(role) => role.label(),
            None => t,
        };
        for kind in [ProbeKind::Https, ProbeKind::Http] {
            let Some(last) = find(t, kind, None) else {
                continue;
            };
            let https = kind == ProbeKind::Https;
            out.push(Chain {
                label: if https {
                    name.to_owned()
                } else {
                    format!("{name} (http)")
                },
                dns,
                tcp: find(t, ProbeKind::Tcp, last.port()),
                tls: if https {
                    find(t, ProbeKind::Tls, None)
                } else {
                    None
                },
                last,
            });
        }
    }
    out
}

/// Whether a certificate refused for its dates can be put down to this computer's clock: not
/// when another secure connection verified against the same clock and the verdict is not about
/// the clock (mars-certificate, for one, rules it out).
pub(super) fn clock_in_doubt(report: &Report) -> bool {
    report.verdict.code == VerdictCode::ClockWrong
        || !report
            .probes
            .iter()
            .any(|p| p.kind == ProbeKind::Tls && p.outcome == Outcome::Ok)
}

/// A failed step in plain words.
fn failure(p: &Probe, written: &str, clock_in_doubt: bool) -> String {
    match (p.outcome, clock_in_doubt) {
        (Outcome::TlsExpired, false) => return "its certificate has expired".into(),
        (Outcome::TlsNotYetValid, false) => return "its certificate is not valid yet".into(),
        _ => {}
    }
    let text = match (p.kind, p.outcome) {
        (ProbeKind::Dns, Outcome::Timeout) => "name lookup got no answer in time",
        (ProbeKind::Dns, Outcome::Nxdomain) => "name not found",
        (ProbeKind::Dns, Outcome::NoRecords) => "the name has no address",
        (ProbeKind::Dns, Outcome::Servfail) => "name lookup failed (the DNS server failed)",
        (ProbeKind::Dns, Outcome::NoNameservers) => "name lookup impossible (no DNS server)",
        (ProbeKind::Dns, Outcome::Refused) => "name lookup refused",
        (ProbeKind::Tcp, Outcome::Timeout) => "no answer (connecting timed out)",
        (ProbeKind::Tls, Outcome::Timeout) => "no answer (secure connection timed out)",
        (ProbeKind::Https | ProbeKind::Http, Outcome::Timeout) => "no reply in time",
        (_, Outcome::Refused) => "connection refused",
        (_, Outcome::Unreachable) => "unreachable from here",
        (_, Outcome::Reset) => "connection cut off",
        (_, Outcome::TlsUnknownIssuer) => "its certificate is not trusted here",
        (_, Outcome::TlsNameMismatch) => "its certificate is for another site",
        (_, Outcome::TlsExpired) => "its certificate has expired (or this clock is wrong)",
        (_, Outcome::TlsNotYetValid) => "its certificate is not valid yet (or this clock is wrong)",
        (_, Outcome::TlsHandshakeFailed) => "the secure connection failed",
        (_, Outcome::ProtocolError) => "it answered with garbage",
        (_, Outcome::TooManyRedirects) => "it redirects in circles",
        (_, Outcome::PermissionDenied) => "this computer refused to send it",
        (_, Outcome::ProxyRefused) => match p.proxy_hop().map(ProxyHop::stop) {
            Some(ProxyStop::CouldNotReach(_)) => "the proxy could not reach it",
            Some(ProxyStop::HungUp) => "the proxy hung up",
            Some(ProxyStop::NotReached) | None => "the proxy could not be reached",
            Some(ProxyStop::Refused(_)) => "the proxy refused the connection",
        },
        (_, Outcome::ProxyAuthRequired) => "the proxy asks for a sign-in",
        (_, Outcome::ProxyTimeout) => "the proxy did not answer in time",
        // Any other failure, including outcomes added after this renderer: as written.
        _ => return format!("failed ({written})"),
    };
    text.to_owned()
}

/// How a chain ended, in plain words, with its colour.
pub(super) fn status(
    chain: &Chain<'_>,
    opts: &Options<'_>,
    clock_in_doubt: bool,
) -> (Style, String) {
    for p in chain.steps() {
        match p.outcome {
            Outcome::Ok => {}
            Outcome::NotNeeded => {
                return (DIM, "not needed (the verdict was already clear)".into());
            }
            Outcome::Skipped => return (DIM, "not checked".into()),
            _ => return (BAD, failure(p, &opts.outcome(p), clock_in_doubt)),
        }
    }
    let Some(http) = chain.last.http.as_ref() else {
        return (GOOD, "answers".into());
    };
    let host = |loc: &str| {
        url::Url::parse(loc)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| loc.to_owned())
    };
    match (http.status, &http.location) {
        (Some(s), Some(loc))
            if (300..400).contains(&s) && http.redirect_kind == Some(RedirectKind::Refusal) =>
        {
            (
                WARN,
                format!("refuses this network (sends you to {})", host(loc)),
            )
        }
        (Some(s), Some(loc)) if (300..400).contains(&s) && http.foreign_redirect => {
            (WARN, format!("sends you elsewhere: {}", host(loc)))
        }
        (Some(s), _) if (300..400).contains(&s) => (GOOD, "answers (redirects)".into()),
        (Some(401), _) => (GOOD, "answers (asks to sign in)".into()),
        (Some(403), _) => (WARN, "refuses access (HTTP 403)".into()),
        (Some(s), _) if s >= 500 => (WARN, format!("answers with a server error (HTTP {s})")),
        (Some(s), _) if s >= 400 => (WARN, format!("answers with an error (HTTP {s})")),
        _ => (GOOD, "answers".into()),
    }
}

/// The plain "What was checked" lines: one per host, its plain-HTTP check only when that
/// ended differently, and one line in all when every host ended alike.
///
/// # Errors
/// Only the writer's.
pub(super) fn plain(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let chains = chains(report);
    writeln!(w)?;
    if chains.is_empty() {
        return Ok(());
    }
    writeln!(w, "{BOLD}What was checked{BOLD:#}")?;
    // The plain-HTTP check goes direct even when the HTTPS checks went through a proxy: say so
    // where it matters, so a failure there is not read as the proxy's.
    let proxied = report.probes.iter().any(|p| p.proxy_hop().is_some());
    let clock = clock_in_doubt(report);
    let states: Vec<(Style, String)> = chains
        .iter()
        .map(|c| {
            let (style, mut text) = status(c, opts, clock);
            let direct =
                c.last.kind == ProbeKind::Http && c.tcp.is_none_or(|t| t.proxy_hop().is_none());
            if proxied && direct && style != GOOD && style != DIM {
                text.push_str("; checked directly, not through the proxy");
            }
            (style, text)
        })
        .collect();
    let mut lines: Vec<(String, Style, String)> = Vec::new();
    if chains.len() > 1 && states.iter().all(|s| s.1 == states[0].1) {
        let (style, text) = states[0].clone();
        lines.push(("every host".into(), style, text));
    } else {
        for (chain, (style, text)) in chains.iter().zip(states) {
            // The plain-HTTP check of a host says nothing new when it ended as HTTPS did.
            if let Some(host) = chain.label.strip_suffix(" (http)")
                && lines.iter().any(|(l, _, t)| l == host && *t == text)
            {
                continue;
            }
            lines.push((chain.label.clone(), style, text));
        }
    }
    let label_width = lines
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(opts.width / 3);
    let indent = " ".repeat(label_width + 4);
    for (label, style, text) in lines {
        let label: String = label.chars().take(label_width).collect();
        let first = format!("  {label:<label_width$}  ");
        let wrapped = wrap_to(&text, opts.width, &indent, &first);
        let (head, body) = wrapped.split_at(first.len().min(wrapped.len()));
        writeln!(w, "{head}{style}{body}{style:#}")?;
    }
    Ok(())
}
