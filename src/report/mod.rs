//! The report, the bottom layer: the wire types ([`model`]), their names and words
//! ([`labels`]), and what only needs a finished report: its ID, the human renderer ([`human`];
//! the JSON form is `serde_json` of [`model::Report`]), its path line ([`path`]), `--redact`
//! ([`redact`]), reading reports of a newer build ([`lenient`]) and masking the MAC inside
//! EUI-64 addresses ([`privacy`]).
//!
//! Nothing here imports from the layers above (profile, probes, netif, verdict, the run).

pub mod human;
pub mod labels;
pub mod lenient;
pub mod model;
pub mod path;
pub mod privacy;
pub mod redact;

use model::Report;

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
