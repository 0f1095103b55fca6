//! HMS incidents: when several reports from different computers say, within a short time, that
//! MARS itself fails (the causes [`causes::is_outage`]: MARS refuses connections, answers with a
//! server error, or presents a bad certificate), that is one outage on HMS's side, not so many
//! separate problems. The triage view flags it first.
//!
//! The rule: the outage reports, by corrected time, are chained while each comes within
//! [`WINDOW`] of the one before; a chain that holds reports from at least [`MIN_COMPUTERS`]
//! different computers ([`super::row::computer`]) is an incident. One person retrying on one
//! laptop is never an incident, however often.
//!
//! [`causes::is_outage`]: super::super::causes::is_outage

use std::collections::{BTreeMap, BTreeSet};

use time::OffsetDateTime;

use crate::report::model::Cause;

/// Outage reports this close together (by corrected time) belong to one incident.
pub const WINDOW: time::Duration = time::Duration::minutes(30);
/// Different computers an incident needs.
pub const MIN_COMPUTERS: usize = 3;

/// One report that says MARS itself fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// When (corrected by the report's clock offset).
    pub time: OffsetDateTime,
    /// Which outage cause.
    pub cause: Cause,
    /// The computer it came from ([`super::row::computer`]).
    pub computer: u64,
}

/// An HMS incident: outage reports from several computers close together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// The first report's time.
    pub since: OffsetDateTime,
    /// The last report's time.
    pub until: OffsetDateTime,
    /// Reports in it.
    pub reports: usize,
    /// Different computers among them.
    pub computers: usize,
    /// Reports per cause.
    pub causes: BTreeMap<Cause, usize>,
}

/// The incidents among `events` (sorted here), oldest first.
#[must_use]
pub fn incidents(events: &mut [Event]) -> Vec<Incident> {
    events.sort_by_key(|e| e.time);
    let mut found = Vec::new();
    let mut start = 0;
    for i in 1..=events.len() {
        let ends = i == events.len() || events[i].time - events[i - 1].time > WINDOW;
        if ends {
            if let Some(incident) = incident(&events[start..i]) {
                found.push(incident);
            }
            start = i;
        }
    }
    found
}

/// The chain of events as an incident, when it holds enough computers.
fn incident(chain: &[Event]) -> Option<Incident> {
    let computers: BTreeSet<u64> = chain.iter().map(|e| e.computer).collect();
    if computers.len() < MIN_COMPUTERS {
        return None;
    }
    let mut causes = BTreeMap::new();
    for e in chain {
        *causes.entry(e.cause).or_default() += 1;
    }
    Some(Incident {
        since: chain.first()?.time,
        until: chain.last()?.time,
        reports: chain.len(),
        computers: computers.len(),
        causes,
    })
}

impl Incident {
    /// What failed, in a few words.
    #[must_use]
    pub fn what(&self) -> String {
        let down = self.causes.get(&Cause::MarsDown).copied().unwrap_or(0);
        let cert = self
            .causes
            .get(&Cause::MarsCertificate)
            .copied()
            .unwrap_or(0);
        match (down, cert) {
            (_, 0) => "MARS is failing (refused connections or server errors)".to_owned(),
            (0, _) => "MARS presents an invalid certificate".to_owned(),
            _ => format!(
                "MARS is failing ({down} with refused connections or server errors, {cert} with an invalid certificate)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64, computer: u64) -> Event {
        Event {
            time: OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute),
            cause: Cause::MarsDown,
            computer,
        }
    }

    #[test]
    fn five_computers_in_half_an_hour_are_one_incident() {
        let mut events: Vec<Event> = (0..5).map(|i| at(i * 7, i as u64)).collect();
        events.reverse();
        let found = incidents(&mut events);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].reports, found[0].computers), (5, 5));
        assert_eq!(found[0].since, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(found[0].until - found[0].since, time::Duration::minutes(28));
    }

    #[test]
    fn one_computer_retrying_or_reports_far_apart_are_none() {
        let mut same: Vec<Event> = (0..5).map(|i| at(i, 7)).collect();
        assert!(incidents(&mut same).is_empty());
        // Three computers, but each hours from the next.
        let mut apart: Vec<Event> = (0..3).map(|i| at(i * 120, i as u64)).collect();
        assert!(incidents(&mut apart).is_empty());
    }

    #[test]
    fn two_outages_a_day_apart_are_two_incidents_and_say_what_failed() {
        let mut events: Vec<Event> = (0..3).map(|i| at(i, i as u64)).collect();
        events.extend((0..3).map(|i| Event {
            cause: Cause::MarsCertificate,
            ..at(24 * 60 + i, 10 + i as u64)
        }));
        let found = incidents(&mut events);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].what().contains("failing"));
        assert!(found[1].what().contains("certificate"));
    }
}
