//! The human view of a report, for a person at an ordinary 80x24 terminal: the verdict and what
//! to do first, then why, what was checked in plain words, and the verdict and first step once
//! more at the end, so they are still on screen when the run ends. Probe ids, ports, timings and
//! library errors are in the technical account that `-v` adds ([`technical`]) and in the JSON.
//!
//! Writes ANSI styles unconditionally; the caller's `anstream` stream strips them when colour is
//! off (`--color`, `NO_COLOR`, not a terminal), so this renderer never decides colour. Every
//! line fits [`Options::width`]; the caller decides the width ([`terminal_width`]).

mod checked;
pub mod picture;
mod technical;

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::labels::Severity;
use super::lenient::AsWritten;
use super::model::{DetectionStatus, Outcome, Probe, ProbeKind, Report, RunEndReason, VerdictCode};
pub use picture::{Charset, charset};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();

/// The narrowest width laid out; narrower terminals wrap what they must.
const MIN_WIDTH: usize = 40;
/// The widest: longer lines are hard to read.
const MAX_WIDTH: usize = 120;
/// When neither `COLUMNS` nor the terminal says: the classic terminal.
const DEFAULT_WIDTH: usize = 80;

/// The width to lay text out in: `COLUMNS`, else stdout's terminal width, else 80; kept within
/// 40..=120.
#[must_use]
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_, w)| usize::from(w))
        })
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(MIN_WIDTH, MAX_WIDTH)
}

/// How a report is rendered.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Columns available; no line is wider.
    pub width: usize,
    /// `-v`: the technical account (probe table, every probe, resolver, interfaces).
    pub verbose: bool,
    /// Repeat the verdict and the first step at the end (a fresh diagnosis).
    pub recap: bool,
    /// End with how to send a report to the Service Desk (a failed diagnosis that saved none).
    pub footer: bool,
    /// `explain`: the file shown, and where the report comes from (OS, tool version).
    pub source: Option<&'a str>,
    /// Values the report holds that this build does not know, as written (`explain`).
    pub as_written: Option<&'a AsWritten>,
    /// The characters the picture of the way to MARS is drawn in ([`charset`] decides for
    /// this process's output).
    pub charset: Charset,
}

impl Options<'_> {
    /// Plain options for `width`: no recap, no footer, not verbose, the picture in UTF-8.
    #[must_use]
    pub fn new(width: usize) -> Options<'static> {
        Options {
            width,
            verbose: false,
            recap: false,
            footer: false,
            source: None,
            as_written: None,
            charset: Charset::Unicode,
        }
    }

    /// The verdict code as the report wrote it.
    fn code<'r>(&'r self, report: &'r Report) -> &'r str {
        self.as_written
            .and_then(|w| w.verdict_code.as_deref())
            .unwrap_or(report.verdict.code.as_str())
    }

    /// A probe's outcome as the report wrote it.
    fn outcome<'r>(&'r self, p: &'r Probe) -> Cow<'r, str> {
        match self.as_written.and_then(|w| w.outcomes.get(&p.id)) {
            Some(text) => Cow::Borrowed(text.as_str()),
            None => Cow::Borrowed(p.outcome.as_str()),
        }
    }
}

/// The mark and colour of a verdict: OK, needs action (!!), or broken (XX); which one is the
/// code's [`Severity`], decided beside its exit status.
fn severity(code: VerdictCode) -> (Style, &'static str) {
    match code.severity() {
        Severity::Works => (GOOD, "OK"),
        Severity::Action => (WARN, "!!"),
        Severity::Broken => (BAD, "XX"),
    }
}

/// Wraps `text` to `width` columns; never splits words, so URLs and host names stay whole
/// (a word longer than the line stands alone on its line).
#[must_use]
pub fn wrap_to(text: &str, width: usize, indent: &str, first: &str) -> String {
    let opts = textwrap::Options::new(width.max(MIN_WIDTH / 2))
        .initial_indent(first)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// `first` then `path`, broken after a `/` or `\\` (or anywhere, for a longer name) into lines
/// of at most `width` columns, the lines after the first indented like the path's start: a file
/// name a person must find, shown whole however long.
#[must_use]
pub fn wrap_path(first: &str, path: &str, width: usize) -> String {
    let indent = first.chars().count();
    let room = width.saturating_sub(indent).max(MIN_WIDTH / 2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut piece = String::new();
    let flush_piece = |line: &mut String, piece: &mut String, lines: &mut Vec<String>| {
        if line.chars().count() + piece.chars().count() > room && !line.is_empty() {
            lines.push(std::mem::take(line));
        }
        for c in piece.drain(..) {
            if line.chars().count() == room {
                lines.push(std::mem::take(line));
            }
            line.push(c);
        }
    };
    for c in path.chars() {
        piece.push(c);
        if c == '/' || c == '\\' {
            flush_piece(&mut line, &mut piece, &mut lines);
        }
    }
    flush_piece(&mut line, &mut piece, &mut lines);
    lines.push(line);
    let pad = " ".repeat(indent);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { &pad }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` cut to `width` characters, ending in `~` when it was longer (ASCII, so every terminal
/// shows it in one column).
#[must_use]
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('~');
    out
}

/// Wraps `text` to the terminal's width ([`terminal_width`]).
#[must_use]
pub fn wrap(text: &str, indent: &str, first: &str) -> String {
    wrap_to(text, terminal_width(), indent, first)
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
    checked::chains(report)
        .iter()
        .map(|c| {
            let (style, state) = checked::status(c, &opts);
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
