//! The triage view as text for a person, within the terminal's width: a header (how many
//! reports, the date range, skipped files, tool versions), a row per report, then the verdicts,
//! the common causes and the VPN clients, each with a count of reports.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Row, Selection};
use crate::report::human::fit;
use crate::report::human::wrap_to;

/// How many causes are listed.
const TOP_CAUSES: usize = 10;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The header: counts, date range, what was left out, tool versions.
fn header(sel: &Selection, skipped: usize, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut head = plural(sel.rows.len(), "report", "reports");
    if let (Some(first), Some(last)) = (sel.rows.first(), sel.rows.last()) {
        let day = |t: &str| t.get(..10).unwrap_or(t).to_owned();
        head.push_str(&format!(
            ", {} to {} (UTC)",
            day(&first.started_at),
            day(&last.started_at)
        ));
    }
    let mut aside = Vec::new();
    if skipped > 0 {
        aside.push(format!(
            "{} skipped (unreadable or not a report; see above)",
            plural(skipped, "file", "files")
        ));
    }
    if sel.duplicates > 0 {
        aside.push(format!(
            "{} counted once",
            plural(sel.duplicates, "duplicate", "duplicates")
        ));
    }
    if sel.filtered > 0 {
        aside.push(format!("{} left out by --verdict/--since", sel.filtered));
    }
    if !aside.is_empty() {
        head.push_str(&format!("; {}", aside.join("; ")));
    }
    writeln!(out, "{}", wrap_to(&head, width, "  ", ""))?;
    let versions = count(sel.rows.iter().map(|r| r.tool_version.clone()));
    if !versions.is_empty() {
        let list: Vec<String> = versions.iter().map(|(v, n)| format!("{v} ({n})")).collect();
        let line = format!("Written by hmsaccess {}", list.join(", "));
        writeln!(out, "{}", wrap_to(&line, width, "  ", ""))?;
    }
    Ok(())
}

fn count(items: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts
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

/// The cells of a row: report ID, time, OS, verdict, VPN client.
fn cells(r: &Row) -> [String; 5] {
    let time = r
        .started_at
        .get(..16)
        .unwrap_or(&r.started_at)
        .replace('T', " ");
    let os = match r.os_version.as_str() {
        "" if r.os.is_empty() => "-".to_owned(),
        "" => r.os.clone(),
        v => format!("{} {v}", r.os),
    };
    let clients = if r.vpn_clients.is_empty() {
        "none".to_owned()
    } else {
        r.vpn_clients.join(", ")
    };
    let id = if r.report_id.is_empty() {
        "-".to_owned()
    } else {
        r.report_id.clone()
    };
    [id, time, os, r.verdict.clone(), clients]
}

/// A row per report: file, report ID, time, OS, verdict, VPN client. The file comes first when
/// the line has room for it (the VPN client column gives way down to 12 columns), else on a
/// line of its own under the row.
fn rows(rows: &[Row], width: usize, out: &mut dyn Write) -> io::Result<()> {
    const HEAD: [&str; 5] = ["report ID", "time (UTC)", "OS", "verdict", "VPN client"];
    const CAPS: [usize; 5] = [13, 16, 14, 20, 24];
    const MIN_CLIENT: usize = 12;
    let all: Vec<[String; 5]> = rows.iter().map(cells).collect();
    let mut widths = HEAD.map(str::len);
    for c in &all {
        for (w, (cell, cap)) in widths.iter_mut().zip(c.iter().zip(CAPS)) {
            *w = (*w).max(cell.chars().count().min(cap));
        }
    }
    let fixed: usize = widths[..4].iter().map(|w| w + 2).sum();
    let file_width = rows
        .iter()
        .map(|r| r.file.chars().count())
        .max()
        .unwrap_or(0)
        .max("file".len());
    let inline = fixed + file_width + 2 + MIN_CLIENT.min(widths[4]) <= width;
    let room = if inline {
        width - fixed - file_width - 2
    } else {
        width.saturating_sub(fixed)
    };
    widths[4] = widths[4].min(room);
    let line = |file: Option<&str>, c: &[String; 5]| {
        let mut s = String::new();
        if let Some(f) = file {
            s.push_str(&format!("{f:<file_width$}  "));
        }
        for (i, (cell, w)) in c.iter().zip(widths).enumerate() {
            let cell = fit(cell, w);
            if i + 1 == c.len() {
                s.push_str(&cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s
    };
    let head = HEAD.map(str::to_owned);
    writeln!(
        out,
        "{}",
        fit(&line(inline.then_some("file"), &head), width)
    )?;
    for (r, c) in rows.iter().zip(&all) {
        writeln!(
            out,
            "{}",
            fit(&line(inline.then_some(r.file.as_str()), c), width)
        )?;
        if !inline {
            writeln!(out, "  {}", fit_end(&r.file, width.saturating_sub(2)))?;
        }
    }
    Ok(())
}

/// A titled list of counts, largest first, at most `limit` lines.
fn counts(
    title: &str,
    counts: BTreeMap<String, usize>,
    limit: usize,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out)?;
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let label_width = width.saturating_sub(9);
    writeln!(out, "{:<label_width$}  reports", fit(title, label_width))?;
    if list.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for (label, n) in list.iter().take(limit) {
        let text = wrap_to(label, label_width, "    ", "  ");
        let mut lines: Vec<&str> = text.lines().collect();
        let last = lines.pop().unwrap_or_default();
        for l in lines {
            writeln!(out, "{l}")?;
        }
        writeln!(out, "{last:<label_width$}  {n:>7}")?;
    }
    if list.len() > limit {
        writeln!(out, "  and {} more", list.len() - limit)?;
    }
    Ok(())
}

/// The whole table view.
///
/// # Errors
/// Only the writer's.
pub(super) fn write(
    sel: &Selection,
    skipped: usize,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    header(sel, skipped, width, out)?;
    if sel.rows.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    rows(&sel.rows, width, out)?;
    let verdicts = count(sel.rows.iter().map(|r| r.verdict.clone()));
    counts("Verdicts", verdicts, usize::MAX, width, out)?;
    let causes = count(sel.rows.iter().flat_map(|r| r.causes.iter().cloned()));
    counts("Common causes", causes, TOP_CAUSES, width, out)?;
    let clients = count(sel.rows.iter().flat_map(|r| {
        let mut set: Vec<String> = r.vpn_clients.clone();
        set.sort();
        set.dedup();
        set
    }));
    counts("VPN clients", clients, usize::MAX, width, out)
}
