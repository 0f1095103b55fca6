//! `explain --summary`: the service desk's triage view of many reports. A row per report (file,
//! report ID, time, OS, verdict, VPN client), as a table for a person or as JSON / CSV for the
//! desk's own tools; the table adds the date range, tool versions, verdict counts, the common
//! causes and the VPN clients seen.
//!
//! A report counts once however many files hold it (same report ID, or the same file passed
//! twice). Causes are counted per report, not per probe: a failed name lookup that stops every
//! host is one cause, so is a failure the public HMS hosts share with others, and a missing IPv6
//! route is no cause at all (normal on IPv4-only networks).

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::read::Loaded;
use crate::cli::ExplainArgs;
use crate::profile::Profile;
use crate::report::human;
use crate::report::model::{DetectionStatus, Outcome, ProbeKind, Report, Role};

/// One report in the triage view.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    /// The file it was read from.
    pub file: String,
    /// The report's ID (`HMS-XXXX-XXXX`), empty when it has none.
    pub report_id: String,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// `macos`, `windows`, `linux`; empty when the report predates the `system` block.
    pub os: String,
    /// The OS version, when recorded.
    pub os_version: String,
    /// The processor architecture, when recorded.
    pub arch: String,
    /// The hmsaccess version that wrote it.
    pub tool_version: String,
    /// The verdict the person was given, as written.
    pub verdict: String,
    /// The verdict this build's rules give the same evidence.
    pub verdict_today: String,
    /// The VPN clients of the active tunnels (`not checked` when detection did not run).
    pub vpn_clients: Vec<String>,
    /// What failed, in plain words, each once.
    pub causes: Vec<String>,
}

/// What failed in a report, each cause once.
#[must_use]
pub fn causes(report: &Report) -> BTreeSet<String> {
    let mut causes = BTreeSet::new();
    let failed = |id: &str| {
        report
            .probes
            .iter()
            .any(|p| p.id == id && p.outcome != Outcome::Ok && !p.outcome.is_not_run())
    };
    match (failed("route:ipv4"), failed("route:ipv6")) {
        (true, true) => {
            causes.insert("no route out (no network connection)".to_owned());
        }
        (true, false) => {
            causes.insert("no IPv4 route out".to_owned());
        }
        // No IPv6 route alone is normal on an IPv4-only network.
        _ => {}
    }
    let states = human::host_states(report);
    let broken: Vec<&human::HostState> = states.iter().filter(|s| !s.fine).collect();
    let all_broken = !broken.is_empty() && broken.len() == states.len();
    if all_broken && broken.iter().all(|s| s.failed_step == Some(ProbeKind::Dns)) {
        let outcomes: BTreeSet<&str> = report
            .probes
            .iter()
            .filter(|p| p.kind == ProbeKind::Dns && p.outcome != Outcome::Ok)
            .filter(|p| !p.outcome.is_not_run())
            .map(|p| p.outcome.as_str())
            .collect();
        let outcomes: Vec<&str> = outcomes.into_iter().collect();
        causes.insert(format!(
            "no name could be looked up ({})",
            outcomes.join(", ")
        ));
    } else if all_broken && broken.iter().all(|s| s.state == broken[0].state) {
        causes.insert(format!("every host: {}", broken[0].state));
    } else {
        for s in &broken {
            // A failure the public HMS hosts share is the network's, one cause however many
            // hosts it hit; the restricted hosts' own failures are causes by host.
            let alike = broken.iter().filter(|o| o.state == s.state).count();
            let public_too = broken
                .iter()
                .any(|o| o.state == s.state && is_public(&o.host));
            if alike > 1 && public_too {
                causes.insert(format!("{} (public HMS hosts too)", s.state));
            } else {
                // A host's HTTPS and plain-HTTP checks failing alike are one cause.
                let host = s.host.trim_end_matches(" (http)");
                causes.insert(format!("{host}: {}", s.state));
            }
        }
    }
    causes
}

/// A host that answers from anywhere (the VPN gateway, the public site): its failures are the
/// network's.
fn is_public(host: &str) -> bool {
    let host = host.trim_end_matches(" (http)");
    [Role::Gateway, Role::Control]
        .iter()
        .any(|r| r.label() == host)
}

fn row(loaded: &Loaded, today: &str) -> Row {
    let r = &loaded.report;
    let system = r.system.as_ref();
    let vpn_clients = match r.vpn_detection.status {
        DetectionStatus::NotRun => vec!["not checked".to_owned()],
        DetectionStatus::Ran => r
            .vpns
            .iter()
            .map(|v| {
                v.client
                    .clone()
                    .unwrap_or_else(|| "client not identified".into())
            })
            .collect(),
    };
    Row {
        file: loaded.file.clone(),
        report_id: r.report_id.clone().unwrap_or_default(),
        started_at: r.started_at.clone(),
        os: system.map(|s| s.os.clone()).unwrap_or_default(),
        os_version: system
            .and_then(|s| s.os_version.clone())
            .unwrap_or_default(),
        arch: system.map(|s| s.arch.clone()).unwrap_or_default(),
        tool_version: r.tool.version.clone(),
        verdict: loaded.code().to_owned(),
        verdict_today: today.to_owned(),
        vpn_clients,
        causes: causes(r).into_iter().collect(),
    }
}

/// The rows kept, and how many were left out as duplicates and by the filters.
struct Selection {
    rows: Vec<Row>,
    duplicates: usize,
    filtered: usize,
}

fn select(args: &ExplainArgs, loaded: &[Loaded]) -> Selection {
    let texts = Profile::embedded().verdicts;
    let mut seen = BTreeSet::new();
    let (mut duplicates, mut filtered) = (0, 0);
    let mut rows = Vec::new();
    for l in loaded {
        // The same report once: by its ID, else by the file it came from.
        let key = l.report.report_id.clone().unwrap_or_else(|| {
            std::fs::canonicalize(Path::new(&l.file))
                .map_or_else(|_| l.file.clone(), |p| p.display().to_string())
        });
        if !seen.insert(key) {
            duplicates += 1;
            continue;
        }
        let wanted_verdict =
            args.verdict.is_empty() || args.verdict.iter().any(|c| c.as_str() == l.code());
        let recent = args.since.is_none_or(|since| {
            OffsetDateTime::parse(&l.report.started_at, &Rfc3339).is_ok_and(|t| t >= since)
        });
        if !(wanted_verdict && recent) {
            filtered += 1;
            continue;
        }
        let today = super::reevaluate(&l.report, &texts);
        rows.push(row(l, today.as_str()));
    }
    rows.sort_by(|a, b| a.started_at.cmp(&b.started_at));
    Selection {
        rows,
        duplicates,
        filtered,
    }
}

/// Runs `explain --summary` over the reports read (`skipped`: files that could not be).
///
/// # Errors
/// Only the writer's.
pub fn run(
    args: &ExplainArgs,
    loaded: &[Loaded],
    skipped: usize,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let selection = select(args, loaded);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &selection.rows).map_err(io::Error::other)?;
        return writeln!(out);
    }
    if args.csv {
        return write_csv(&selection.rows, out);
    }
    table::write(&selection, skipped, width, out)
}

/// A CSV cell that a spreadsheet must not take for a formula (OWASP "CSV injection"): text
/// from a report starting with `=`, `+`, `-`, `@` or a control character gets a leading `'`.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// The rows as CSV: a header line, then one line per report; lists joined with `; `.
fn write_csv(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "file",
        "report_id",
        "started_at",
        "os",
        "os_version",
        "arch",
        "tool_version",
        "verdict",
        "verdict_today",
        "vpn_clients",
        "causes",
    ])?;
    for r in rows {
        let record = [
            &r.file,
            &r.report_id,
            &r.started_at,
            &r.os,
            &r.os_version,
            &r.arch,
            &r.tool_version,
            &r.verdict,
            &r.verdict_today,
            &r.vpn_clients.join("; "),
            &r.causes.join("; "),
        ]
        .map(|c| cell(c));
        csv.write_record(&record)?;
    }
    csv.flush()
}

mod table;

#[cfg(test)]
mod tests;
