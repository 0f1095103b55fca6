//! `explain --summary --html FILE`: the triage view as one self-contained web page, for a desk
//! that reads in a browser: no scripts, nothing fetched (the style is inline, the chart is inline
//! SVG), readable from a phone's width up. HMS incidents first, the reports per day by cause
//! ([`chart`]), the rows with each report's cause and who acts, and each report's verdict, steps
//! and evidence (this build's words) behind a click (`<details>`); then the counts.

pub(super) mod chart;
mod escape;

use std::fmt::Write as _;
use std::path::Path;

use super::super::causes;
use super::row::Row;
use super::table::{acts_words, cause_words, incident_line, minute};
use super::tally::Tally;
pub use escape::esc;

/// The page's style: system fonts, a readable measure, and below 700 px each row a block of its
/// own (no sideways scrolling on a phone).
const STYLE: &str = "\
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;padding:16px;max-width:1200px;color:#1b1b1b;background:#fff}
h1{font-size:1.4em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 8px}
p,li,td,th,summary{overflow-wrap:anywhere}
.meta{color:#555;margin:0 0 12px}
.incident{background:#fde8e8;border-left:6px solid #c62828;padding:10px 14px;margin:12px 0;font-weight:600}
.chart{width:100%;height:auto;display:block;max-width:680px}
.chart .tick{font-size:15px;fill:#444}
.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.legend li{display:flex;align-items:center;gap:6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;flex:none}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.more td{border-bottom:2px solid #cfcfcf;padding-top:0}
details summary{cursor:pointer;color:#0b57d0}
details div{padding:6px 0 4px 12px;border-left:3px solid #e3e3e3;margin:6px 0}
.acts-hms-it{color:#b71c1c;font-weight:600}.acts-service-desk{color:#6a1b9a;font-weight:600}
.acts-network{color:#8d5b00;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
td small{color:#555}
td.nw{white-space:nowrap}
.note{color:#555}
@media (max-width:700px){
 body{padding:10px}
 table.reports thead{display:none}
 table.reports tr,table.reports td{display:block;border:0;padding:2px 0}
 table.reports tr.row{border-top:1px solid #cfcfcf;padding-top:8px;margin-top:8px}
 table.reports td[data-label]::before{content:attr(data-label) ': ';color:#666}
}
";

/// Writes the page to `path`, replacing it.
///
/// # Errors
/// One line naming the file and the reason.
pub fn write_file(tally: &Tally, path: &Path) -> Result<(), String> {
    std::fs::write(path, page(tally)).map_err(|e| {
        format!(
            "{}: cannot write the page: {}",
            path.display(),
            crate::input::io_message(&e)
        )
    })
}

/// The whole page.
#[must_use]
pub fn page(tally: &Tally) -> String {
    let mut s = String::new();
    let range = match (tally.first, tally.last) {
        (Some(a), Some(b)) => format!(", {} to {} (UTC)", a.date(), b.date()),
        _ => String::new(),
    };
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>MARS access reports: {} reports</title><style>{STYLE}</style></head><body>\n",
        tally.reports
    );
    let _ = writeln!(
        s,
        "<h1>MARS access reports</h1><p class=\"meta\">{} report{}{range}. Each was judged again by hmsaccess {} from what it observed; the words below are hmsaccess's, never the report's own.</p>",
        tally.reports,
        if tally.reports == 1 { "" } else { "s" },
        env!("CARGO_PKG_VERSION")
    );
    for i in &tally.incidents {
        let _ = writeln!(s, "<p class=\"incident\">{}</p>", esc(&incident_line(i)));
    }
    aside(tally, &mut s);
    chart_section(tally, &mut s);
    rows(tally, &mut s);
    counts(tally, &mut s);
    s.push_str("</body></html>\n");
    s
}

/// What was left out or corrected, in one line.
fn aside(tally: &Tally, s: &mut String) {
    let mut notes = Vec::new();
    if tally.corrected > 0 {
        notes.push(format!(
            "{} corrected for a wrong clock (marked *)",
            tally.corrected
        ));
    }
    if tally.skipped > 0 {
        notes.push(format!("{} files could not be read", tally.skipped));
    }
    if tally.duplicates > 0 {
        notes.push(format!("{} duplicates counted once", tally.duplicates));
    }
    if tally.filtered > 0 {
        notes.push(format!("{} left out by the filters", tally.filtered));
    }
    if !notes.is_empty() {
        let _ = writeln!(s, "<p class=\"note\">{}.</p>", esc(&notes.join("; ")));
    }
}

/// Reports per day by cause, with its legend.
fn chart_section(tally: &Tally, s: &mut String) {
    let Some(svg) = chart::svg(tally) else {
        return;
    };
    s.push_str("<h2>Reports per day, by cause</h2>\n");
    s.push_str(&svg);
    s.push_str("\n<ul class=\"legend\">");
    let mut other = 0;
    for (key, colour, n) in chart::colours(tally) {
        if colour == chart::OTHER {
            other += n;
            continue;
        }
        let _ = write!(
            s,
            "<li><span class=\"sw\" style=\"background:{colour}\"></span>{} ({n})</li>",
            esc(&cause_words(key))
        );
    }
    if other > 0 {
        let _ = write!(
            s,
            "<li><span class=\"sw\" style=\"background:{}\"></span>other causes ({other})</li>",
            chart::OTHER
        );
    }
    s.push_str("</ul>\n");
}

/// The rows, each with its details behind a click.
fn rows(tally: &Tally, s: &mut String) {
    if tally.rows.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<h2>Reports</h2>\n<table class=\"reports\"><thead><tr><th>Time (UTC)</th><th>OS</th>\
         <th>Cause</th><th>Who acts</th><th>VPN</th><th>Report</th></tr></thead><tbody>\n"
    );
    for r in &tally.rows {
        row(r, s);
    }
    s.push_str("</tbody></table>\n");
    let left = tally.rows_left_out();
    if left > 0 {
        let _ = writeln!(
            s,
            "<p class=\"note\">And {left} more reports, counted above and below but not listed (--rows N lists more).</p>"
        );
    }
}

/// One report: its cells, then its verdict, steps and evidence in a `<details>`.
fn row(r: &Row, s: &mut String) {
    let time = r.moment.map_or_else(
        || r.started_at.clone(),
        |t| {
            format!(
                "{}{}",
                minute(t),
                if r.clock_offset_s.is_some() { " *" } else { "" }
            )
        },
    );
    let os = format!("{} {}", r.os, r.os_version);
    // The cause's id, and what it means in smaller type under it.
    let cause = r.cause.map_or_else(
        || format!("<code>{}</code> (no cause decided)", esc(&r.verdict_today)),
        |c| {
            format!(
                "<code>{}</code><br><small>{}</small>",
                c.as_str(),
                esc(causes::meaning(c))
            )
        },
    );
    let acts_class = r.acts.map_or("none", |a| a.as_str());
    let acts = r.acts.map_or("not decided", |a| a.label());
    let (vpn, id) = (r.vpns_shown(), r.id_shown());
    let _ = writeln!(
        s,
        "<tr class=\"row\"><td data-label=\"Time\" class=\"nw\">{}</td><td data-label=\"OS\" class=\"nw\">{}</td><td data-label=\"Cause\">{cause}</td>\
         <td data-label=\"Who acts\" class=\"acts-{acts_class}\">{}</td><td data-label=\"VPN\">{}</td><td data-label=\"Report\" class=\"nw\"><code>{}</code></td></tr>",
        esc(&time),
        esc(os.trim()),
        esc(acts),
        esc(&vpn),
        esc(id)
    );
    let _ = write!(
        s,
        "<tr class=\"more\"><td colspan=\"6\"><details><summary>Verdict, steps and evidence</summary><div>"
    );
    if let Some(v) = &r.detail {
        let _ = write!(
            s,
            "<p><strong>{}</strong> <code>{}</code></p><p>{}</p>",
            esc(&v.title),
            v.code,
            esc(&v.summary)
        );
        list(s, "What to do", "ol", &v.next_steps);
        list(s, "Why", "ul", &v.evidence);
        list(s, "Also note", "ul", &v.warnings);
    }
    let _ = writeln!(
        s,
        "<p class=\"note\">File <code>{}</code>; the person was told <code>{}</code>.</p></div></details></td></tr>",
        esc(&r.file),
        esc(&r.verdict)
    );
}

/// A titled list, when it has items.
fn list(s: &mut String, title: &str, tag: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(s, "<p><strong>{title}</strong></p><{tag}>");
    for item in items {
        let _ = write!(s, "<li>{}</li>", esc(item));
    }
    let _ = write!(s, "</{tag}>");
}

/// Causes by who acts, operating systems, VPNs: every line.
fn counts(tally: &Tally, s: &mut String) {
    s.push_str("<h2>Causes, by who acts</h2>\n<table><tbody>");
    let mut groups: Vec<_> = tally
        .causes
        .iter()
        .map(|(a, c)| (*a, c, c.values().sum::<usize>()))
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.2));
    for (acts, causes, total) in groups {
        let _ = write!(
            s,
            "<tr><th>{}</th><th class=\"n\">{total}</th></tr>",
            esc(&acts_words(acts))
        );
        let mut list: Vec<_> = causes.iter().collect();
        list.sort_by(|a, b| b.1.cmp(a.1));
        for (key, n) in list {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
                esc(&cause_words(*key))
            );
        }
    }
    s.push_str("</tbody></table>\n<h2>Operating systems</h2>\n<table><tbody>");
    for (os, versions) in &tally.systems {
        let total: usize = versions.values().sum();
        let list: Vec<String> = versions.iter().map(|(v, n)| format!("{v} ({n})")).collect();
        let _ = write!(
            s,
            "<tr><td>{}: {}</td><td class=\"n\">{total}</td></tr>",
            esc(os),
            esc(&list.join(", "))
        );
    }
    s.push_str("</tbody></table>\n<h2>VPNs up</h2>\n<table><tbody>");
    for (vpn, n) in &tally.vpns {
        let _ = write!(s, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", esc(vpn));
    }
    s.push_str("</tbody></table>\n");
}
