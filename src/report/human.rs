//! The human view of a report: verdict first, then what to do, why, and a compact probe table.
//!
//! Writes ANSI styles unconditionally; the caller's `anstream` stream strips them when colour is
//! off (`--color`, `NO_COLOR`, not a terminal), so this renderer never decides colour. It asks the
//! terminal only for its width (`COLUMNS`, else the terminal's size, else 88; see `width`).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::model::{DetectionStatus, Outcome, Probe, ProbeKind, Report, VerdictCode};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();

/// Width the paragraphs are wrapped to: `COLUMNS`, else the terminal's width, else 88.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_, w)| usize::from(w))
        })
        .unwrap_or(88)
        .clamp(40, 120)
}

fn severity(code: VerdictCode) -> (Style, &'static str) {
    match code {
        VerdictCode::HmsVpn | VerdictCode::InsideLma => (GOOD, "OK"),
        VerdictCode::NeedsHmsVpn
        | VerdictCode::ConflictingVpns
        | VerdictCode::CaptivePortal
        | VerdictCode::TlsIntercepted
        | VerdictCode::ClockWrong
        | VerdictCode::BlockedLocally => (WARN, "!!"),
        _ => (BAD, "XX"),
    }
}

/// Wraps `text` to the terminal width; never splits words, so URLs and host names stay whole.
#[must_use]
pub fn wrap(text: &str, indent: &str, first: &str) -> String {
    let opts = textwrap::Options::new(width())
        .initial_indent(first)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// Renders `report` for a person; `verbose` adds every probe's details.
///
/// # Errors
/// Only the writer's errors (a closed pipe, for example).
pub fn render(report: &Report, verbose: bool, w: &mut dyn Write) -> io::Result<()> {
    let v = &report.verdict;
    let (style, mark) = severity(v.code);
    writeln!(
        w,
        "{style}[{mark}] {}{style:#}  {DIM}({}){DIM:#}",
        v.title, v.code
    )?;
    if !v.summary.is_empty() {
        writeln!(w, "{}", wrap(&v.summary, "     ", "     "))?;
    }
    writeln!(w)?;
    writeln!(w, "{BOLD}What to do{BOLD:#}")?;
    for (i, step) in v.next_steps.iter().enumerate() {
        writeln!(w, "{}", wrap(step, "     ", &format!("  {}. ", i + 1)))?;
    }
    writeln!(w)?;
    writeln!(w, "{BOLD}Why{BOLD:#}")?;
    for line in &v.evidence {
        writeln!(w, "{}", wrap(line, "    ", "  - "))?;
    }
    writeln!(w)?;
    if !v.warnings.is_empty() {
        writeln!(w, "{WARN}Also note{WARN:#}")?;
        for line in &v.warnings {
            writeln!(w, "{}", wrap(line, "    ", "  - "))?;
        }
        writeln!(w)?;
    }
    probe_table(report, w)?;
    writeln!(w)?;
    match report.vpn_detection.status {
        DetectionStatus::NotRun => writeln!(
            w,
            "{BOLD}VPNs{BOLD:#}  not checked{}",
            report
                .vpn_detection
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        )?,
        DetectionStatus::Ran if report.vpns.is_empty() => {
            writeln!(w, "{BOLD}VPNs{BOLD:#}  none active")?;
        }
        DetectionStatus::Ran => {
            writeln!(w, "{BOLD}VPNs{BOLD:#}")?;
            for vpn in &report.vpns {
                writeln!(
                    w,
                    "  {:<10} {:<28} {}",
                    vpn.interface,
                    vpn.client.as_deref().unwrap_or("(client unknown)"),
                    vpn.role.label()
                )?;
            }
        }
    }
    // The path the checks took, when a proxy or a VPN's own DNS was in play (issue 12).
    if let Some(line) = super::path::summary(report) {
        writeln!(
            w,
            "{}",
            wrap(&line, "      ", &format!("{BOLD}Path{BOLD:#}  "))
        )?;
    }
    for note in &report.notes {
        writeln!(
            w,
            "{}",
            wrap(note, "      ", &format!("{DIM}note:{DIM:#} "))
        )?;
    }
    if verbose {
        writeln!(w)?;
        details(report, w)?;
    }
    writeln!(
        w,
        "{DIM}Report {}, {}, {} ms. For the HMS IT Service Desk: hmsaccess diagnose --save{DIM:#}",
        report.report_id.as_deref().unwrap_or("-"),
        report.started_at,
        report.duration_ms
    )?;
    Ok(())
}

fn cell(p: Option<&Probe>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p.outcome == Outcome::Ok => match p.duration_ms {
            Some(ms) => format!("{ms} ms"),
            None => "ok".into(),
        },
        Some(p) if p.outcome.is_not_run() => "-".into(),
        Some(p) => p.outcome.as_str().trim_start_matches("tls-").to_owned(),
    }
}

fn result_of(chain: &[Option<&Probe>]) -> (Style, String) {
    for p in chain.iter().flatten() {
        if p.outcome.is_not_run() {
            let why = if p.outcome == Outcome::NotNeeded {
                "not needed"
            } else {
                "not run"
            };
            return (DIM, why.into());
        }
        if p.outcome != Outcome::Ok {
            return (BAD, format!("{} ({})", p.outcome, p.kind.as_str()));
        }
    }
    match chain
        .last()
        .copied()
        .flatten()
        .and_then(|p| p.http.as_ref())
    {
        Some(h) => match (h.status, &h.location) {
            (Some(s), Some(loc)) if (300..400).contains(&s) => {
                let style = if h.foreign_redirect { WARN } else { GOOD };
                (style, format!("HTTP {s} -> {loc}"))
            }
            (Some(s), _) if s >= 500 => (WARN, format!("HTTP {s}")),
            (Some(s), _) => (GOOD, format!("HTTP {s}")),
            (None, _) => (DIM, "-".into()),
        },
        None => (DIM, "-".into()),
    }
}

fn probe_table(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{BOLD}{:<26} {:>11} {:>11} {:>15} {:>9}  result{BOLD:#}",
        "Probes", "DNS", "connect", "TLS", "1st byte"
    )?;
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
    for t in targets {
        let dns = find(t, ProbeKind::Dns, None);
        let name: &str = match dns.and_then(|p| p.role) {
            Some(role) => role.label(),
            None => t,
        };
        for kind in [ProbeKind::Https, ProbeKind::Http] {
            let Some(last) = find(t, kind, None) else {
                continue;
            };
            let port = last.port();
            let tcp = find(t, ProbeKind::Tcp, port);
            let tls = if kind == ProbeKind::Https {
                find(t, ProbeKind::Tls, None)
            } else {
                None
            };
            let first_byte = match last.http.as_ref().and_then(|h| h.first_byte_ms) {
                Some(ms) if last.outcome == Outcome::Ok => format!("{ms} ms"),
                _ => cell(Some(last)),
            };
            let label = match (kind, port) {
                (ProbeKind::Http, Some(_)) => format!("{name} (http)"),
                _ => name.to_owned(),
            };
            let (style, result) = result_of(&[dns, tcp, tls, Some(last)]);
            writeln!(
                w,
                "  {label:<24} {:>11} {:>11} {:>15} {:>9}  {style}{result}{style:#}",
                cell(dns),
                cell(tcp),
                if kind == ProbeKind::Https {
                    cell(tls)
                } else {
                    "n/a".into()
                },
                first_byte,
            )?;
        }
    }
    Ok(())
}

fn details(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{BOLD}Every probe{BOLD:#}")?;
    for p in &report.probes {
        writeln!(w, "{}", wrap(&p.describe(), "      ", "  "))?;
        if let Some(t) = &p.tls
            && let Some(leaf) = &t.leaf
        {
            writeln!(
                w,
                "      certificate: {} (issuer {})",
                leaf.subject, leaf.issuer
            )?;
            writeln!(
                w,
                "      names: {}; valid {} to {}",
                leaf.san.join(", "),
                leaf.not_before,
                leaf.not_after
            )?;
        }
        if let Some(h) = &p.http {
            for r in &h.redirects {
                writeln!(w, "      redirect {} {} -> {}", r.status, r.from, r.to)?;
            }
            if let Some(skew) = h.clock_skew_s {
                writeln!(
                    w,
                    "      the server's clock differs from this computer's by {skew} s"
                )?;
            }
        }
    }
    writeln!(w)?;
    writeln!(
        w,
        "{BOLD}Resolver{BOLD:#} ({}): {}",
        report.resolver.source,
        if report.resolver.nameservers.is_empty() {
            "no nameservers".into()
        } else {
            report.resolver.nameservers.join(", ")
        }
    )?;
    writeln!(w, "{BOLD}Interfaces{BOLD:#}")?;
    for i in &report.interfaces {
        writeln!(
            w,
            "  {:<16} {:<9} {:<4} {}{}",
            i.name,
            i.kind,
            if i.up { "up" } else { "down" },
            i.addresses.join(" "),
            if i.default_route {
                "  (default route)"
            } else {
                ""
            }
        )?;
    }
    writeln!(w)
}
