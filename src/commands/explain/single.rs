//! `hmsaccess explain FILE`: one saved report for a person, judged again by this build and told
//! in its words ([`super::judge`]): the file and who wrote it, the cause and who acts, then the
//! report as `diagnose` shows it, ending, like `diagnose`, with the verdict and the first step.
//! Under `-v`, before that ending, the report's own words where they differ, marked as its own.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::causes;
use super::judge::{self, Judge, Judged};
use super::read::Loaded;
use super::summary;
use crate::report::human::{self, Options, wrap_to};
use crate::report::model::Report;

const WARN: Style = AnsiColor::Yellow.on_default().bold();

/// Renders one report; `verbose` adds the technical account and the report's own words.
///
/// # Errors
/// Only the writer's.
pub fn render(
    loaded: &Loaded,
    judge: &Judge,
    verbose: bool,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let judged = judge.judge(&loaded.report, &loaded.as_written);
    let (plain_unknowns, left_to_v) = judge::plain_unknowns(&loaded.as_written);
    // The headline shows today's code, never the stored one (the header and -v show that).
    let mut all_unknowns = loaded.as_written.clone();
    all_unknowns.verdict_code = None;
    let opts = Options {
        verbose,
        as_written: Some(if verbose {
            &all_unknowns
        } else {
            &plain_unknowns
        }),
        charset: human::charset(),
        ..Options::new(width)
    };
    human::source(&loaded.report, &loaded.file, &opts, out)?;
    header(loaded, &judged, verbose, left_to_v, width, out)?;
    human::render(&judged.report, &opts, out)?;
    if verbose && !judged.own_words.is_empty() {
        own_words(&judged.own_words, width, out)?;
    }
    human::recap(&judged.report, &opts, out)
}

/// The cause and who acts, and how the report's own verdict and words differ.
fn header(
    loaded: &Loaded,
    judged: &Judged,
    verbose: bool,
    left_to_v: usize,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let today = &judged.report.verdict;
    let mut lines = Vec::new();
    if let Some(cause) = today.cause {
        let acts = today.acts.unwrap_or(cause.acts());
        lines.push(format!(
            "Cause: {} ({}). Who acts: {}.",
            cause.as_str(),
            causes::meaning(cause),
            acts.label()
        ));
    }
    if let Some(line) = clock_line(&loaded.report) {
        lines.push(line);
    }
    match judge::stored_code_if_known(&loaded.report, &loaded.as_written) {
        Some(code) if code != today.code => lines.push(format!(
            "Note: the report itself says {code}; judged again from what it observed, the verdict is {}.",
            today.code
        )),
        Some(_) => {}
        None => lines.push(format!(
            "Note: the report's own verdict is one this hmsaccess does not know{}; judged again from what it observed, the verdict is {}.",
            if verbose { " (below)" } else { " (-v shows it)" },
            today.code
        )),
    }
    let words = judged.own_words.len();
    if !verbose && words > 0 {
        lines.push(format!(
            "The report's own words differ from this hmsaccess's in {words} place{}; -v shows them, marked as the report's.",
            if words == 1 { "" } else { "s" }
        ));
    }
    if !verbose && left_to_v > 0 {
        lines.push(format!(
            "It holds {left_to_v} more value{} this hmsaccess does not know; -v shows them.",
            if left_to_v == 1 { "" } else { "s" }
        ));
    }
    for line in &lines {
        writeln!(out, "{}", wrap_to(line, width, "  ", ""))?;
    }
    if !lines.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// When the report measured its computer's clock far off: by how much, and when the report was
/// really made (by the public HMS site's clock), as the triage view dates it.
fn clock_line(report: &Report) -> Option<String> {
    let offset = summary::clock_offset(report)?;
    let started = OffsetDateTime::parse(&report.started_at, &Rfc3339).ok()?;
    let real = started + time::Duration::seconds(offset);
    let s = offset.unsigned_abs();
    let gap = match s {
        0..7_200 => format!("{} minutes", (s + 30) / 60),
        7_200..172_800 => format!("{} hours", (s + 1_800) / 3_600),
        _ => format!("{} days", (s + 43_200) / 86_400),
    };
    let way = if offset > 0 { "behind" } else { "ahead" };
    Some(format!(
        "Its computer's clock was {gap} {way}: by the public HMS site's clock the report was made at {} UTC.",
        summary::minute(real)
    ))
}

/// The report's own words that differ from this build's, each marked as the report's.
fn own_words(words: &[(String, String)], width: usize, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    let title = "Written in the report (its own words, not this hmsaccess's: whoever sends a report can edit them)";
    writeln!(out, "{WARN}{}{WARN:#}", wrap_to(title, width, "", ""))?;
    for (what, text) in words {
        let line = format!("{what}: \"{text}\"");
        writeln!(out, "{}", wrap_to(&line, width, "    ", "  | "))?;
    }
    Ok(())
}
