//! The triage view as text for a person, within the terminal's width: HMS incidents first, a
//! header (how many reports, the date range, what was left out, tool versions), a row per report
//! (at most the cap; the rest counted), then the reports counted by cause grouped by who acts,
//! by verdict, by operating system and by VPN, every line of each list shown.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use time::OffsetDateTime;

use super::super::causes;
use super::incident::Incident;
use super::row::Row;
use super::tally::{CauseKey, Tally};
use crate::report::human::{fit, wrap_to};
use crate::report::model::Acts;

const ALERT: Style = AnsiColor::Red.on_default().bold();
const BOLD: Style = Style::new().bold();

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2026-11-22 16:52` (UTC).
#[must_use]
pub fn minute(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}

/// An incident in one sentence.
#[must_use]
pub fn incident_line(i: &Incident) -> String {
    let last = if i.until.date() == i.since.date() {
        format!("{:02}:{:02}", i.until.hour(), i.until.minute())
    } else {
        minute(i.until)
    };
    format!(
        "HMS incident: {}, since {} UTC (last report {last}): {} from {}. Nothing to fix on those computers: tell HMS IT once.",
        i.what(),
        minute(i.since),
        plural(i.reports, "report", "reports"),
        plural(i.computers, "computer", "different computers"),
    )
}

/// Incidents first, each in red.
fn incidents(tally: &Tally, width: usize, out: &mut dyn Write) -> io::Result<()> {
    for i in &tally.incidents {
        writeln!(
            out,
            "{ALERT}{}{ALERT:#}",
            wrap_to(&incident_line(i), width, "  ", "")
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// The header: counts, date range, what was left out, tool versions.
fn header(tally: &Tally, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut head = plural(tally.reports, "report", "reports");
    if let (Some(first), Some(last)) = (tally.first, tally.last) {
        head.push_str(&format!(", {} to {} (UTC)", first.date(), last.date()));
    }
    let mut aside = Vec::new();
    if tally.corrected > 0 {
        aside.push(format!(
            "{} corrected for a wrong clock (*)",
            plural(tally.corrected, "time", "times")
        ));
    }
    if tally.skipped > 0 {
        aside.push(format!(
            "{} skipped (unreadable or not a report; see above)",
            plural(tally.skipped, "file", "files")
        ));
    }
    if tally.duplicates > 0 {
        aside.push(format!(
            "{} counted once",
            plural(tally.duplicates, "duplicate", "duplicates")
        ));
    }
    if tally.filtered > 0 {
        aside.push(format!("{} left out by the filters", tally.filtered));
    }
    if tally.told_otherwise > 0 {
        aside.push(format!(
            "{} told another verdict when written (--json has both)",
            tally.told_otherwise
        ));
    }
    if !aside.is_empty() {
        head.push_str(&format!("; {}", aside.join("; ")));
    }
    writeln!(out, "{}", wrap_to(&head, width, "  ", ""))?;
    if !tally.versions.is_empty() {
        let list: Vec<String> = tally
            .versions
            .iter()
            .map(|(v, n)| format!("{v} ({n})"))
            .collect();
        let line = format!("Written by hmsaccess {}", list.join(", "));
        writeln!(out, "{}", wrap_to(&line, width, "  ", ""))?;
    }
    Ok(())
}

/// `text` cut to `width` characters, keeping its end (`~` marks the cut): for file paths,
/// whose end is the part that tells them apart.
fn fit_end(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_owned();
    }
    let keep: String = text.chars().skip(n + 1 - width.max(1)).collect();
    format!("~{keep}")
}

/// The first line's cells of a row: time, OS, cause (or the verdict when no cause was
/// decided), who acts.
fn cells(r: &Row) -> [String; 4] {
    let time = match r.moment {
        Some(t) => format!(
            "{}{}",
            minute(t),
            if r.clock_offset_s.is_some() { "*" } else { "" }
        ),
        None => r.started_at.clone(),
    };
    let os = match r.os_version.as_str() {
        "" if r.os.is_empty() => "-".to_owned(),
        "" => r.os.clone(),
        v => format!("{} {v}", r.os),
    };
    let cause = r
        .cause
        .map_or_else(|| r.verdict_today.clone(), |c| c.as_str().to_owned());
    let acts = r.acts.map_or("-", Acts::as_str).to_owned();
    [time, os, cause, acts]
}

/// The second line of a row: the VPNs up, the report ID, the file.
fn second_line(r: &Row, width: usize) -> String {
    let (vpn, id) = (r.vpns_shown(), r.id_shown());
    let start = format!("    {}  {id}  ", fit(&vpn, 30));
    let room = width.saturating_sub(start.chars().count()).max(12);
    format!("{start}{}", fit_end(&r.file, room))
}

/// A row per report, two lines each: time, OS, cause, who acts; then the VPNs, ID and file.
fn rows(tally: &Tally, shown: usize, width: usize, out: &mut dyn Write) -> io::Result<()> {
    const HEAD: [&str; 4] = ["time (UTC)", "OS", "cause", "who acts"];
    const CAPS: [usize; 4] = [17, 18, 20, 12];
    let rows = &tally.rows[..shown.min(tally.rows.len())];
    let all: Vec<[String; 4]> = rows.iter().map(cells).collect();
    let mut widths = HEAD.map(str::len);
    for c in &all {
        for (w, (cell, cap)) in widths.iter_mut().zip(c.iter().zip(CAPS)) {
            *w = (*w).max(cell.chars().count().min(cap));
        }
    }
    let line = |c: &[String; 4]| {
        let mut s = String::new();
        for (i, (cell, w)) in c.iter().zip(widths).enumerate() {
            let cell = fit(cell, w);
            if i + 1 == c.len() {
                s.push_str(&cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        fit(&s, width)
    };
    writeln!(out, "{BOLD}{}{BOLD:#}", line(&HEAD.map(str::to_owned)))?;
    for (r, c) in rows.iter().zip(&all) {
        writeln!(out, "{}", line(c))?;
        writeln!(out, "{}", second_line(r, width))?;
    }
    let left = tally.reports - rows.len();
    if left > 0 {
        let text = format!(
            "and {} not shown (--rows N shows more; --json or --csv lists every report)",
            plural(left, "more report", "more reports")
        );
        writeln!(out, "{}", wrap_to(&text, width, "  ", ""))?;
    }
    if rows.iter().any(|r| r.clock_offset_s.is_some()) {
        let text =
            "* corrected: that computer's clock was off; the time is the public HMS site's clock's";
        writeln!(out, "{}", wrap_to(text, width, "  ", ""))?;
    }
    Ok(())
}

/// A titled list: `(label, count)` lines, the count right-aligned; nested lines indented.
fn list(
    title: &str,
    lines: &[(usize, String, usize)],
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out)?;
    let label_width = width.saturating_sub(9);
    writeln!(
        out,
        "{BOLD}{:<label_width$}  reports{BOLD:#}",
        fit(title, label_width)
    )?;
    if lines.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for (depth, label, n) in lines {
        let first = "  ".repeat(depth + 1);
        let text = wrap_to(label, label_width, &format!("{first}  "), &first);
        let mut parts: Vec<&str> = text.lines().collect();
        let last = parts.pop().unwrap_or_default();
        for l in parts {
            writeln!(out, "{l}")?;
        }
        writeln!(out, "{last:<label_width$}  {n:>7}")?;
    }
    Ok(())
}

/// Counts, largest first (ties by label).
fn by_count<K: Clone>(counts: &BTreeMap<K, usize>) -> Vec<(K, usize)> {
    let mut list: Vec<(K, usize)> = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
    list.sort_by_key(|l| std::cmp::Reverse(l.1));
    list
}

/// A cause line's words: `mars-down: MARS refuses connections or answers with a server error`.
#[must_use]
pub fn cause_words(key: CauseKey) -> String {
    match key {
        CauseKey::Cause(c) => format!("{}: {}", c.as_str(), causes::meaning(c)),
        CauseKey::Undecided(v) => format!("{v} (no cause decided)"),
    }
}

/// Who acts, as a group title.
#[must_use]
pub fn acts_words(acts: Option<Acts>) -> String {
    match acts {
        Some(Acts::You) => "you (the person at the computer)".to_owned(),
        Some(a) => a.label().to_owned(),
        None => "not decided".to_owned(),
    }
}

/// Causes grouped by who acts, the groups largest first.
fn causes_by_acts(tally: &Tally, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut groups: Vec<(Option<Acts>, usize)> = tally
        .causes
        .iter()
        .map(|(a, c)| (*a, c.values().sum()))
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let mut lines = Vec::new();
    for (acts, total) in groups {
        lines.push((0, acts_words(acts), total));
        for (key, n) in by_count(&tally.causes[&acts]) {
            lines.push((1, cause_words(key), n));
        }
    }
    list("Causes, by who acts", &lines, width, out)
}

/// Operating systems, each with its versions.
fn systems(tally: &Tally, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let totals: BTreeMap<String, usize> = tally
        .systems
        .iter()
        .map(|(os, v)| (os.clone(), v.values().sum()))
        .collect();
    let lines: Vec<(usize, String, usize)> = by_count(&totals)
        .into_iter()
        .map(|(os, n)| {
            let versions: Vec<String> = by_count(&tally.systems[&os])
                .into_iter()
                .map(|(v, n)| format!("{v} ({n})"))
                .collect();
            (0, format!("{os}: {}", versions.join(", ")), n)
        })
        .collect();
    list("Operating systems", &lines, width, out)
}

/// The whole table view; `shown`: the most rows shown.
///
/// # Errors
/// Only the writer's.
pub fn write(tally: &Tally, shown: usize, width: usize, out: &mut dyn Write) -> io::Result<()> {
    incidents(tally, width, out)?;
    header(tally, width, out)?;
    if tally.reports == 0 {
        return Ok(());
    }
    writeln!(out)?;
    rows(tally, shown, width, out)?;
    causes_by_acts(tally, width, out)?;
    let verdicts: Vec<(usize, String, usize)> = by_count(&tally.verdicts)
        .into_iter()
        .map(|(v, n)| (0, v.as_str().to_owned(), n))
        .collect();
    list("Verdicts", &verdicts, width, out)?;
    systems(tally, width, out)?;
    let vpns: Vec<(usize, String, usize)> = by_count(&tally.vpns)
        .into_iter()
        .map(|(v, n)| (0, v, n))
        .collect();
    list("VPNs up", &vpns, width, out)
}
