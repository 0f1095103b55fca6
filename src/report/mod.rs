//! The report: wire types ([`model`]), assembly from a run, and the renderers ([`human`]; the JSON
//! form is `serde_json` of [`model::Report`]).

pub mod human;
pub mod model;
pub mod redact;

use std::time::Duration;

use crate::probe::run::Observed;
use crate::profile::Profile;
use crate::verdict::{self, Facts};
use model::{Report, SCHEMA_VERSION, Tool};

/// Builds the finished report of a run and decides its verdict.
#[must_use]
pub fn assemble(
    profile: &Profile,
    observed: Observed,
    started_at: String,
    took: Duration,
) -> Report {
    let facts = Facts {
        probes: &observed.probes,
        vpns: &observed.vpns,
        detection: &observed.vpn_detection,
    };
    let verdict = verdict::evaluate(&facts, &profile.verdicts);
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "hmsaccess".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        started_at,
        duration_ms: crate::probe::millis(took),
        profile: profile.name.clone(),
        report_id: None,
        verdict,
        probes: observed.probes,
        vpns: observed.vpns,
        vpn_detection: observed.vpn_detection,
        interfaces: observed.interfaces,
        resolver: observed.resolver,
        notes: observed.notes,
    };
    report.report_id = Some(report_id(&report));
    report
}

/// A short ID derived from the report's content (FNV-1a of its JSON), to quote in a ticket.
#[must_use]
pub fn report_id(report: &Report) -> String {
    let mut unlabelled = report.clone();
    unlabelled.report_id = None;
    let bytes = serde_json::to_vec(&unlabelled).unwrap_or_default();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{:08X}", hash >> 32);
    format!("HMS-{}-{}", &hex[..4], &hex[4..])
}

/// The current time, RFC 3339 in UTC.
#[must_use]
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
