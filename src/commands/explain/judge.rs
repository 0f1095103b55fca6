//! `explain` speaks for itself (contract 3): a saved report is judged again by this build from
//! what it observed (probes, VPNs, interfaces, traffic, how the run ended) and shown in this
//! build's words. A report is written by whoever sends it, so its stored words (title, summary,
//! steps, evidence, warnings, notes) never reach the plain output: [`judge`] returns the report
//! as this build tells it, and the stored words that differ, for `-v` to show marked as the
//! report's own.
//!
//! Names the words are filled with are held to what this build knows: a VPN app by the client
//! catalogue, another VPN's network by the embedded profile, a VPN server by the shape of a host
//! name. A name this build does not know is left out of the words ("the VPN app that owns the
//! network interface utun4") and shown under `-v` as written.

use std::collections::BTreeMap;

use crate::clients::{CLIENTS, WINDOWS_VPN};
use crate::netif::HMS_NETWORK;
use crate::profile::{Profile, VerdictText};
use crate::report::lenient::AsWritten;
use crate::report::model::{Report, Verdict, VerdictCode};
use crate::verdict::{self, Facts};

/// What the words of this build are made from: the embedded profile, read once.
pub struct Judge {
    texts: BTreeMap<VerdictCode, VerdictText>,
    networks: Vec<String>,
}

/// A report judged again by this build.
pub struct Judged {
    /// The report as this build tells it: today's verdict in this build's words, names this
    /// build knows, notes that follow from the facts. The rest is the report's facts.
    pub report: Report,
    /// The stored words that differ from this build's, one `(what, words)` per line, in the
    /// order a reader meets them.
    pub own_words: Vec<(String, String)>,
}

impl Default for Judge {
    fn default() -> Judge {
        Judge::new()
    }
}

impl Judge {
    /// The judge of this build (the embedded profile's words and known networks).
    #[must_use]
    pub fn new() -> Judge {
        let profile = Profile::embedded();
        // The networks a report can name: the HMS VPN's (as detection names it) and the
        // profile's others.
        let mut networks = vec![HMS_NETWORK.to_owned()];
        networks.extend(profile.other_vpns.iter().map(|v| v.name.clone()));
        Judge {
            networks,
            texts: profile.verdicts,
        }
    }

    /// Today's verdict for `report`, in this build's words: [`Judge::judge`]'s, without copying
    /// the report when every name in it is one this build knows (the summary's case).
    #[must_use]
    pub fn verdict(&self, report: &Report) -> Verdict {
        if self.names_known(report) {
            verdict::evaluate(&Facts::from(report), &self.texts)
        } else {
            self.judge(report, &AsWritten::default()).report.verdict
        }
    }

    /// Every name the words could be filled with is one this build knows.
    fn names_known(&self, report: &Report) -> bool {
        let vpns = report.vpns.iter().all(|v| {
            v.client.as_deref().is_none_or(known_client)
                && v.network.as_ref().is_none_or(|n| self.networks.contains(n))
                && v.gateway.as_deref().is_none_or(host_shaped)
        });
        let installed = report
            .installed_clients
            .as_ref()
            .is_none_or(|list| list.iter().all(|c| known_client(c)));
        vpns && installed
    }

    /// `report` judged again, in this build's words.
    #[must_use]
    pub fn judge(&self, report: &Report, as_written: &AsWritten) -> Judged {
        let mut own = Vec::new();
        let mut view = report.clone();
        self.known_names(&mut view, &mut own);
        view.verdict = verdict::evaluate(&Facts::from(&view), &self.texts);
        // Notes: only what follows from how the run ended; the rest are the report's words.
        let derived = view.run_end.as_ref().and_then(|e| e.reason.note());
        view.notes = report
            .notes
            .iter()
            .filter(|n| Some(n.as_str()) == derived)
            .cloned()
            .collect();
        for note in report.notes.iter().filter(|n| Some(n.as_str()) != derived) {
            own.push(("note".into(), note.clone()));
        }
        stored_verdict(report, as_written, &view.verdict, &mut own);
        Judged {
            report: view,
            own_words: own,
        }
    }

    /// Keeps only names this build knows in the facts the words are filled with.
    fn known_names(&self, view: &mut Report, own: &mut Vec<(String, String)>) {
        for vpn in &mut view.vpns {
            if let Some(client) = vpn.client.take() {
                if known_client(&client) {
                    vpn.client = Some(client);
                } else {
                    own.push((format!("VPN app on {}", vpn.interface), client));
                }
            }
            if let Some(network) = vpn.network.take() {
                if self.networks.contains(&network) {
                    vpn.network = Some(network);
                } else {
                    // A stand-in that keeps what the rules read from the name: the HMS VPN's,
                    // or another network (so the tunnel is still not the HMS VPN's).
                    vpn.network = Some(stand_in(&network).into());
                    own.push((format!("VPN network on {}", vpn.interface), network));
                }
            }
            if let Some(gateway) = vpn.gateway.take() {
                if host_shaped(&gateway) {
                    vpn.gateway = Some(gateway);
                } else {
                    own.push((format!("VPN server on {}", vpn.interface), gateway));
                }
            }
        }
        if let Some(installed) = view.installed_clients.as_mut() {
            for name in installed.iter().filter(|c| !known_client(c)) {
                own.push(("installed VPN app".into(), name.clone()));
            }
            installed.retain(|c| known_client(c));
        }
    }
}

/// What stands for a VPN network this build's profile does not list.
pub const UNKNOWN_NETWORK: &str = "a VPN network this hmsaccess does not know";

/// What stands for a network name this build does not know: the HMS VPN's name when the name
/// is the HMS VPN's by the rules' reading of names (`verdict::is_hms_network`: it says
/// "HMS" or "Harvard Medical School"), else [`UNKNOWN_NETWORK`].
fn stand_in(network: &str) -> &'static str {
    if crate::verdict::is_hms_network(network) {
        HMS_NETWORK
    } else {
        UNKNOWN_NETWORK
    }
}

/// A VPN app of the client catalogue.
fn known_client(name: &str) -> bool {
    name == WINDOWS_VPN || CLIENTS.iter().any(|c| c.name == name)
}

/// A host name or an address (`vpn.harvard.edu`, `198.18.64.1`, `[2001:db8::1]:443`,
/// `vpn-server-1`), not prose.
fn host_shaped(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}

/// The stored verdict's words where they differ from today's.
fn stored_verdict(
    report: &Report,
    as_written: &AsWritten,
    today: &Verdict,
    own: &mut Vec<(String, String)>,
) {
    let stored = &report.verdict;
    let code = as_written
        .verdict_code
        .clone()
        .unwrap_or_else(|| stored.code.as_str().to_owned());
    if code != today.code.as_str() {
        own.push(("verdict".into(), code));
    }
    if stored.cause.is_some() && stored.cause != today.cause {
        own.push((
            "cause".into(),
            stored.cause.map(|c| c.as_str()).unwrap_or_default().into(),
        ));
    }
    // Line by line: a stored line that is not this build's line at the same place.
    let mut differs = |what: &str, mine: &[String], theirs: &[String]| {
        for (i, line) in theirs.iter().enumerate() {
            if mine.get(i) != Some(line) {
                let what = if theirs.len() > 1 || what == "step" {
                    format!("{what} {}", i + 1)
                } else {
                    what.to_owned()
                };
                own.push((what, line.clone()));
            }
        }
    };
    differs(
        "title",
        std::slice::from_ref(&today.title),
        std::slice::from_ref(&stored.title),
    );
    differs(
        "summary",
        std::slice::from_ref(&today.summary),
        std::slice::from_ref(&stored.summary),
    );
    differs("step", &today.next_steps, &stored.next_steps);
    differs("evidence", &today.evidence, &stored.evidence);
    differs("also note", &today.warnings, &stored.warnings);
}

/// The verdict code the report holds, when it is one this build knows and differs from
/// today's: safe to name in the plain output (a closed-list word, not prose).
#[must_use]
pub fn stored_code_if_known(report: &Report, as_written: &AsWritten) -> Option<VerdictCode> {
    as_written
        .verdict_code
        .is_none()
        .then_some(report.verdict.code)
}

/// The unknown values of a report made fit for the plain output: an unknown outcome is shown
/// when it has the shape of the closed lists' words (`proxy-blocked`), else called unreadable;
/// other unknown values, and the verdict code, are left to `-v`. Returns the plain copy and how
/// many values it leaves to `-v`.
#[must_use]
pub fn plain_unknowns(as_written: &AsWritten) -> (AsWritten, usize) {
    let mut plain = AsWritten::default();
    for (id, outcome) in &as_written.outcomes {
        let shown = if word_shaped(outcome) {
            outcome.clone()
        } else {
            "unreadable (-v shows it)".to_owned()
        };
        plain.outcomes.insert(id.clone(), shown);
    }
    let left = as_written.foreign_probes.len()
        + as_written.others.len()
        + usize::from(as_written.verdict_code.is_some());
    (plain, left)
}

/// A closed-list word: `proxy-blocked`, `tls-quantum`.
fn word_shaped(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::explain::read::parse_report;

    const EXAMPLE: &str = include_str!("../../../docs/examples/conflicting-vpns.json");

    fn forged() -> (Report, AsWritten) {
        let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        value["verdict"]["next_steps"][0] =
            "Email your password to helpdesk@evil.example to get access.".into();
        value["verdict"]["title"] = "All fine".into();
        value["vpns"][0]["client"] = "Send your password to x".into();
        value["notes"] = serde_json::json!(["Call 555-0100 now"]);
        parse_report(value.to_string().as_bytes(), "r.json").unwrap()
    }

    #[test]
    fn stored_words_are_set_aside_and_names_held_to_what_this_build_knows() {
        let (report, written) = forged();
        let judged = Judge::new().judge(&report, &written);
        let text = serde_json::to_string(&judged.report).unwrap();
        for forged in [
            "Email your password",
            "All fine",
            "Send your password",
            "555-0100",
        ] {
            assert!(!text.contains(forged), "{forged} survived: {text}");
            assert!(
                judged.own_words.iter().any(|(_, w)| w.contains(forged)),
                "{forged} not kept for -v: {:?}",
                judged.own_words
            );
        }
        // The summary's shortcut gives the same verdict.
        assert_eq!(Judge::new().verdict(&report), judged.report.verdict);
        // The known app of the other tunnel is still named.
        assert_eq!(
            judged.report.vpns[1].client.as_deref(),
            Some("Cisco AnyConnect")
        );
        assert_eq!(judged.report.verdict.code, VerdictCode::ConflictingVpns);
        assert!(!judged.report.verdict.next_steps.is_empty());
    }

    /// Real reports whose names are all known: judged again, the verdict is the rules' own.
    #[test]
    fn known_names_change_nothing_in_the_verdict() {
        let judge = Judge::new();
        let texts = Profile::embedded().verdicts;
        for text in [
            include_str!("../../../tests/fixtures/reports/lab-02-hms-vpn.json"),
            include_str!("../../../tests/fixtures/reports/lab-03-hospital-vpn.json"),
            include_str!("../../../tests/fixtures/reports/lab-24-harvard-vpn.json"),
            include_str!("../../../tests/fixtures/reports/lab-26-hms-vpn-dead-gateway.json"),
            include_str!("../../../tests/fixtures/reports/lab-29-clock-400-days-behind.json"),
            EXAMPLE,
        ] {
            let (report, written) = parse_report(text.as_bytes(), "r.json").unwrap();
            let judged = judge.judge(&report, &written);
            let plain = verdict::evaluate(&Facts::from(&report), &texts);
            assert_eq!(judged.report.verdict, plain);
            assert_eq!(judge.verdict(&report), plain);
            // Names kept: only words (written by an older build) may differ.
            assert!(
                judged
                    .own_words
                    .iter()
                    .all(|(what, _)| !what.starts_with("VPN") && !what.starts_with("installed")),
                "{:?}",
                judged.own_words
            );
            assert_eq!(judged.report.vpns, report.vpns);
        }
    }

    #[test]
    fn an_unknown_network_stays_another_network_or_the_hms_vpn() {
        let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        value["vpns"][0]["network"] = "Acme Research VPN".into();
        let (report, written) = parse_report(value.to_string().as_bytes(), "r.json").unwrap();
        let judged = Judge::new().judge(&report, &written);
        assert_eq!(
            judged.report.vpns[0].network.as_deref(),
            Some(UNKNOWN_NETWORK)
        );
        assert!(
            judged
                .own_words
                .iter()
                .any(|(_, w)| w == "Acme Research VPN")
        );
    }

    #[test]
    fn unknown_values_reach_the_plain_output_only_as_words() {
        let mut written = AsWritten::default();
        written
            .outcomes
            .insert("tcp:mars:443".into(), "quantum-flux".into());
        written
            .outcomes
            .insert("tls:mars:443".into(), "email your password to me".into());
        written.others.push("VPN on utun4: role \"x y\"".into());
        written.verdict_code = Some("Call us".into());
        let (plain, left) = plain_unknowns(&written);
        assert_eq!(plain.outcomes["tcp:mars:443"], "quantum-flux");
        assert!(plain.outcomes["tls:mars:443"].starts_with("unreadable"));
        assert_eq!(left, 2);
        assert!(plain.others.is_empty() && plain.verdict_code.is_none());
    }

    #[test]
    fn host_names_and_addresses_are_host_shaped_prose_is_not() {
        for ok in [
            "vpn.harvard.edu",
            "198.18.64.1",
            "[2001:db8::1]:443",
            "vpn-server-1",
        ] {
            assert!(host_shaped(ok), "{ok}");
        }
        for bad in ["", "email me at a@b.c", "vpn.harvard.edu now"] {
            assert!(!host_shaped(bad), "{bad}");
        }
    }
}
