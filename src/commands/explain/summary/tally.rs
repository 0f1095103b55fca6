//! What the triage view counts, in one pass over the reports: counts by verdict, cause and who
//! acts, operating system, VPN and day; the date range; the outage reports for the incident
//! flags; and the rows the table shows, at most a cap of them, in the order asked for (the rest
//! counted). Its size depends on how many different values there are, not on how many reports.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use time::{Date, OffsetDateTime};

use super::super::causes;
use super::incident::{self, Event, Incident};
use super::row::{Row, computer};
use crate::cli::SortBy;
use crate::report::model::{Acts, Cause, Report, VerdictCode};

/// A line of "causes by who acts": a cause, or a verdict whose cause was not decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CauseKey {
    /// A contract cause.
    Cause(Cause),
    /// A verdict without a cause (reports judged by a build that decides none).
    Undecided(VerdictCode),
}

/// Everything the views show.
#[derive(Debug)]
pub struct Tally {
    /// Reports kept (after duplicates and filters).
    pub reports: usize,
    /// Files that could not be read.
    pub skipped: usize,
    /// Reports seen again (same report ID, or the same file).
    pub duplicates: usize,
    /// Reports left out by the filters.
    pub filtered: usize,
    /// The earliest and latest (corrected) times.
    pub first: Option<OffsetDateTime>,
    /// See `first`.
    pub last: Option<OffsetDateTime>,
    /// Reports whose time was corrected by their measured clock offset.
    pub corrected: usize,
    /// Reports whose written verdict differs from today's.
    pub told_otherwise: usize,
    /// Reports per hmsaccess version.
    pub versions: BTreeMap<String, usize>,
    /// Reports per verdict (today's).
    pub verdicts: BTreeMap<VerdictCode, usize>,
    /// Reports per cause, grouped by who acts (None: no cause decided).
    pub causes: BTreeMap<Option<Acts>, BTreeMap<CauseKey, usize>>,
    /// Reports per operating system, and per version within it.
    pub systems: BTreeMap<String, BTreeMap<String, usize>>,
    /// Reports per VPN network up (a report with two tunnels counts for both; `none`, `not
    /// checked`).
    pub vpns: BTreeMap<String, usize>,
    /// Reports per day (corrected, UTC) and cause.
    pub per_day: BTreeMap<Date, BTreeMap<CauseKey, usize>>,
    /// HMS incidents, found by [`Tally::finish`].
    pub incidents: Vec<Incident>,
    /// The rows shown, in order, at most `cap`.
    pub rows: Vec<Row>,
    /// The most rows kept.
    pub cap: usize,
    events: Vec<Event>,
    sort: SortBy,
}

impl Tally {
    /// An empty tally keeping at most `cap` rows, ordered by `sort`.
    #[must_use]
    pub fn new(cap: usize, sort: SortBy) -> Tally {
        Tally {
            reports: 0,
            skipped: 0,
            duplicates: 0,
            filtered: 0,
            first: None,
            last: None,
            corrected: 0,
            told_otherwise: 0,
            versions: BTreeMap::new(),
            verdicts: BTreeMap::new(),
            causes: BTreeMap::new(),
            systems: BTreeMap::new(),
            vpns: BTreeMap::new(),
            per_day: BTreeMap::new(),
            incidents: Vec::new(),
            rows: Vec::new(),
            cap,
            events: Vec::new(),
            sort,
        }
    }

    /// Counts one report kept by the filters (`report`: its facts, for the computer).
    pub fn add(&mut self, row: Row, report: &Report) {
        self.reports += 1;
        if let Some(t) = row.moment {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
            let key = cause_key(&row);
            *self
                .per_day
                .entry(t.date())
                .or_default()
                .entry(key)
                .or_default() += 1;
            if let Some(cause) = row.cause.filter(|c| causes::is_outage(*c)) {
                self.events.push(Event {
                    time: t,
                    cause,
                    computer: computer(report),
                });
            }
        }
        self.corrected += usize::from(row.clock_offset_s.is_some());
        self.told_otherwise += usize::from(row.verdict != row.verdict_today);
        *self.versions.entry(row.tool_version.clone()).or_default() += 1;
        *self.verdicts.entry(row.today).or_default() += 1;
        *self
            .causes
            .entry(row.acts)
            .or_default()
            .entry(cause_key(&row))
            .or_default() += 1;
        let os = if row.os.is_empty() {
            "not recorded".to_owned()
        } else {
            row.os.clone()
        };
        let version = if row.os_version.is_empty() {
            "version not recorded".to_owned()
        } else {
            row.os_version.clone()
        };
        *self
            .systems
            .entry(os)
            .or_default()
            .entry(version)
            .or_default() += 1;
        let mut networks = row.vpn_networks.clone();
        if row.vpn_clients == ["not checked"] {
            networks.push("not checked".to_owned());
        } else if networks.is_empty() {
            networks.push("none".to_owned());
        }
        networks.sort();
        networks.dedup();
        for n in networks {
            *self.vpns.entry(n).or_default() += 1;
        }
        self.rows.push(row);
        // Sorting now and then keeps at most twice the cap in memory.
        if self.rows.len() >= self.cap.saturating_mul(2).max(64) {
            self.trim();
        }
    }

    /// Sorts and cuts the rows to the cap.
    fn trim(&mut self) {
        let sort = self.sort;
        self.rows.sort_by(|a, b| order(sort, a, b));
        self.rows.truncate(self.cap);
    }

    /// Ends the pass: the rows in order, the incidents found.
    pub fn finish(&mut self) {
        self.trim();
        self.incidents = incident::incidents(&mut self.events);
    }

    /// Rows counted but not kept.
    #[must_use]
    pub fn rows_left_out(&self) -> usize {
        self.reports - self.rows.len()
    }
}

/// The cause line a row counts under.
#[must_use]
pub fn cause_key(row: &Row) -> CauseKey {
    row.cause
        .map_or(CauseKey::Undecided(row.today), CauseKey::Cause)
}

/// The order of rows for `--sort`; ties newest first, then by file.
fn order(sort: SortBy, a: &Row, b: &Row) -> Ordering {
    let newest = || b.moment.cmp(&a.moment).then_with(|| a.file.cmp(&b.file));
    match sort {
        SortBy::Newest => newest(),
        SortBy::Oldest => a.moment.cmp(&b.moment).then_with(|| a.file.cmp(&b.file)),
        SortBy::Cause => cause_key(a).cmp(&cause_key(b)).then_with(newest),
        SortBy::Acts => a
            .acts
            .cmp(&b.acts)
            .then_with(|| cause_key(a).cmp(&cause_key(b)))
            .then_with(newest),
        SortBy::Os => (&a.os, &a.os_version)
            .cmp(&(&b.os, &b.os_version))
            .then_with(newest),
        SortBy::File => a.file.cmp(&b.file),
    }
}
