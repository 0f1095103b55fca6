//! The human view of a report, for a person at an ordinary 80x24 terminal: the verdict and what
//! to do first, then why, what was checked in plain words, and the verdict and first step once
//! more at the end, so they are still on screen when the run ends. Probe ids, ports, timings and
//! library errors are in the technical account that `-v` adds ([`technical`]) and in the JSON.
//!
//! Writes ANSI styles unconditionally; the caller's `anstream` stream strips them when colour is
//! off (`--color`, `NO_COLOR`, not a terminal), so this renderer never decides colour. Every
//! line fits [`Options::width`]; the caller decides the width ([`terminal_width`]).

mod checked;
mod layout;
mod options;
pub mod picture;
mod technical;

use std::io::{self, Write};

use anstyle::Style;

use super::labels::Severity;
use super::lenient::AsWritten;
use super::model::{DetectionStatus, Outcome, ProbeKind, Report, RunEndReason, VerdictCode};
use layout::{BAD, BOLD, DEFAULT_WIDTH, DIM, GOOD, WARN};
pub use layout::{fit, terminal_width, wrap, wrap_path, wrap_to};
pub use options::Options;
pub use picture::{Charset, charset};

/// The mark and colour of a verdict: OK, needs action (!!), or broken (XX); which one is the
/// code's [`Severity`], decided beside its exit status.
fn severity(code: VerdictCode) -> (Style, &'static str) {
    match code.severity() {
        Severity::Works => (GOOD, "OK"),
        Severity::Action => (WARN, "!!"),
        Severity::Broken => (BAD, "XX"),
    }
}

/// One host's state, as "What was checked" shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    /// What a person calls the host (`MARS`, `public HMS site (http)`).
    pub host: String,
    /// Its state in plain words (`answers`, `no answer (connecting timed out)`).
    pub state: String,
    /// It answered as it should, or was not needed: nothing to look into.
    pub fine: bool,
    /// The step that failed, when one did.
    pub failed_step: Option<ProbeKind>,
}

/// Each host's state in plain words, in plan order.
#[must_use]
pub fn host_states(report: &Report) -> Vec<HostState> {
    let opts = Options::new(DEFAULT_WIDTH);
    let clock = checked::clock_in_doubt(report);
    checked::chains(report)
        .iter()
        .map(|c| {
            let (style, state) = checked::status(c, &opts, clock);
            HostState {
                host: c.label.clone(),
                state,
                fine: style == GOOD || style == DIM,
                failed_step: c
                    .steps()
                    .find(|p| p.outcome != Outcome::Ok && !p.outcome.is_not_run())
                    .map(|p| p.kind),
            }
        })
        .collect()
}

/// Renders `report` for a person.
///
/// # Errors
/// Only the writer's errors (a closed pipe, for example).
pub fn render(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    if let Some(file) = opts.source {
        source(report, file, opts, w)?;
    }
    headline(report, opts, w)?;
    steps_and_reasons(report, opts, w)?;
    way(report, opts, w)?;
    checked::plain(report, opts, w)?;
    vpns_and_notes(report, opts, w)?;
    if let Some(written) = opts.as_written.filter(|a| !a.is_empty()) {
        unknown_values(written, opts.width, w)?;
    }
    if opts.verbose {
        writeln!(w)?;
        technical::render(report, opts, w)?;
    }
    writeln!(w)?;
    let id = report.report_id.as_deref().unwrap_or("-");
    writeln!(
        w,
        "{DIM}{}{DIM:#}",
        wrap_to(
            &format!(
                "Report {id}, {}, {} ms.",
                report.started_at, report.duration_ms
            ),
            opts.width,
            "  ",
            ""
        )
    )?;
    if opts.footer && !report.verdict.code.is_success() {
        writeln!(
            w,
            "{}",
            wrap_to(
                "To send this to the HMS IT Service Desk, run: hmsaccess diagnose --save",
                opts.width,
                "  ",
                ""
            )
        )?;
    }
    if opts.recap {
        recap(report, opts, w)?;
    }
    Ok(())
}

/// `explain`: which file this is, and which computer and build wrote it.
///
/// # Errors
/// Only the writer's.
pub fn source(
    report: &Report,
    file: &str,
    opts: &Options<'_>,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(w, "{BOLD}{}{BOLD:#}", wrap_path("File: ", file, opts.width))?;
    let system = report.system.as_ref().map_or_else(
        || "an unrecorded system (a report from before contract 2)".to_owned(),
        |s| {
            let name = s
                .os_name
                .clone()
                .or_else(|| s.os_version.as_ref().map(|v| format!("{} {v}", s.os)))
                .unwrap_or_else(|| s.os.clone());
            format!("{name} ({})", s.arch)
        },
    );
    let line = format!(
        "Written by {} {} on {system}, {}.",
        report.tool.name, report.tool.version, report.started_at
    );
    writeln!(w, "{}", wrap_to(&line, opts.width, "  ", ""))?;
    writeln!(w)
}

/// The verdict's title and code, and its summary.
fn headline(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let v = &report.verdict;
    let (style, mark) = severity(v.code);
    let title = format!("{}  ({})", v.title, opts.code(report));
    let wrapped = wrap_to(&title, opts.width.saturating_sub(5), "", "");
    for (i, line) in wrapped.lines().enumerate() {
        if i == 0 {
            writeln!(w, "{style}[{mark}] {line}{style:#}")?;
        } else {
            writeln!(w, "     {style}{line}{style:#}")?;
        }
    }
    if !v.summary.is_empty() {
        writeln!(w, "{}", wrap_to(&v.summary, opts.width, "     ", "     "))?;
    }
    Ok(())
}

/// What to do, why, and what else to know.
fn steps_and_reasons(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let v = &report.verdict;
    if !v.next_steps.is_empty() {
        writeln!(w)?;
        writeln!(w, "{BOLD}What to do{BOLD:#}")?;
        for (i, step) in v.next_steps.iter().enumerate() {
            let first = format!("  {}. ", i + 1);
            let indent = " ".repeat(first.len());
            writeln!(w, "{}", wrap_to(step, opts.width, &indent, &first))?;
        }
    }
    if !v.evidence.is_empty() {
        writeln!(w)?;
        writeln!(w, "{BOLD}Why{BOLD:#}")?;
        for line in &v.evidence {
            writeln!(w, "{}", wrap_to(line, opts.width, "    ", "  - "))?;
        }
    }
    if !v.warnings.is_empty() {
        writeln!(w)?;
        writeln!(w, "{WARN}Also note{WARN:#}")?;
        for line in &v.warnings {
            writeln!(w, "{}", wrap_to(line, opts.width, "    ", "  - "))?;
        }
    }
    Ok(())
}

/// The way to MARS in one line, the mark where it breaks in red ([`picture`]); none for a
/// report without probes.
fn way(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    if report.probes.is_empty() {
        return Ok(());
    }
    let way = super::path::way(report);
    let (line, mark) = picture::draw_marked(&way, opts.width.saturating_sub(2), opts.charset);
    writeln!(w)?;
    match mark {
        Some(at) => writeln!(
            w,
            "  {}{BAD}{}{BAD:#}{}",
            &line[..at.start],
            &line[at.clone()],
            &line[at.end..]
        ),
        None => writeln!(w, "  {line}"),
    }
}

/// The VPN tunnels found (or why none were looked for), the path the checks took when it was
/// not the plain one, and the run's notes.
fn vpns_and_notes(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    match report.vpn_detection.status {
        DetectionStatus::NotRun => {
            let why = report
                .vpn_detection
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let text = format!("VPNs: not checked{why}");
            writeln!(w, "{}", wrap_to(&text, opts.width, "      ", ""))?;
        }
        DetectionStatus::Ran if report.vpns.is_empty() => writeln!(w, "VPNs: none active")?,
        DetectionStatus::Ran => {
            writeln!(w, "VPNs")?;
            for vpn in &report.vpns {
                let client = vpn.client.as_deref().unwrap_or("client not identified");
                let mut text = format!("{client} on {}: {}", vpn.interface, vpn.role.label());
                // The HMS VPN's own network is its role already: no "HMS VPN (HMS VPN)".
                if let Some(network) = vpn.network.as_ref().filter(|n| *n != vpn.role.label()) {
                    text.push_str(&format!(" ({network})"));
                } else if let Some(gateway) = &vpn.gateway {
                    text.push_str(&format!(" (to {gateway})"));
                }
                writeln!(w, "{}", wrap_to(&text, opts.width, "      ", "  - "))?;
            }
        }
    }
    // The path the checks took, when a proxy or a VPN's own DNS was in play (issue 12).
    if let Some(line) = super::path::summary(report) {
        let text = format!("Path: {line}");
        writeln!(w, "{}", wrap_to(&text, opts.width, "      ", ""))?;
    }
    // A settled run's note says what "What was checked" already says in words ("not needed").
    let settled = report
        .run_end
        .as_ref()
        .filter(|e| e.reason == RunEndReason::Settled && !opts.verbose)
        .and_then(|e| e.reason.note());
    for note in report.notes.iter().filter(|n| Some(n.as_str()) != settled) {
        writeln!(
            w,
            "{DIM}{}{DIM:#}",
            wrap_to(&format!("Note: {note}"), opts.width, "      ", "")
        )?;
    }
    Ok(())
}

/// What the report holds that this build does not know, shown as written.
fn unknown_values(written: &AsWritten, width: usize, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "{WARN}{}{WARN:#}",
        wrap_to(
            "Values this hmsaccess does not know (the report is from a newer version; shown as written)",
            width,
            "",
            ""
        )
    )?;
    for line in written.lines() {
        writeln!(w, "{}", wrap_to(&line, width, "    ", "  - "))?;
    }
    Ok(())
}

/// The verdict and the first step once more, last, so they are on screen when the run ends.
///
/// # Errors
/// Only the writer's.
pub fn recap(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let v = &report.verdict;
    let (style, _) = severity(v.code);
    writeln!(w)?;
    let verdict = wrap_to(
        &format!("{} ({})", v.title, opts.code(report)),
        opts.width,
        "            ",
        "Verdict:    ",
    );
    writeln!(w, "{style}{verdict}{style:#}")?;
    if let Some(step) = v.next_steps.first() {
        let first = wrap_to(step, opts.width, "            ", "First step: ");
        writeln!(w, "{BOLD}{first}{BOLD:#}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
