//! One report in the triage view: what the table, the page, `--json` and `--csv` show of it.
//! The verdict, cause and who acts are this build's, judged again from the report's facts; the
//! time is corrected by the clock offset the report measured; the computer is told apart by what
//! the report says of it ([`computer`]).

use std::collections::BTreeSet;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::report::human;
use crate::report::model::{
    Acts, Cause, DetectionStatus, InterfaceKind, Outcome, ProbeKind, Report, Role, Verdict,
    VerdictCode, VpnRole,
};

/// One report in the triage view. Serialised as a `--json` object and a `--csv` line: fields
/// are only ever added (desks' own tools read them).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    /// The file it was read from.
    pub file: String,
    /// The report's ID (`HMS-XXXX-XXXX`), empty when it has none.
    pub report_id: String,
    /// When the run started, as the report's computer's clock said (RFC 3339, UTC).
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
    /// The verdict this build's rules give the same facts.
    pub verdict_today: String,
    /// The VPN clients of the active tunnels (`not checked` when detection did not run).
    pub vpn_clients: Vec<String>,
    /// What failed, host by host, in plain words, each once (filled for `--json` and `--csv`).
    pub causes: Vec<String>,
    /// The contract's cause this build finds (`mars-down`); null when none is decided.
    pub cause: Option<Cause>,
    /// Who acts (`you`, `service-desk`, `hms-it`, `network`); null when no cause is decided.
    pub acts: Option<Acts>,
    /// The networks of the active tunnels, as the person knows them (`HMS VPN`, `Harvard
    /// University VPN`, `a hospital VPN`, `another VPN`).
    pub vpn_networks: Vec<String>,
    /// When the run started by the public HMS site's clock: `started_at` corrected by
    /// `clock_offset_s` when the report measured one, else `started_at`.
    pub time: String,
    /// The public HMS site's clock minus the computer's, in seconds, when the report measured
    /// it (only gaps over 5 minutes are recorded); null otherwise.
    pub clock_offset_s: Option<i64>,
    /// Tells computers apart: a short hash of what the report says of the computer (see
    /// [`computer`]); equal for two reports of the same computer on the same network.
    pub computer: String,
    /// This build's verdict in full, for the page's details; not serialised.
    #[serde(skip)]
    pub detail: Option<Box<Verdict>>,
    /// `time` as a moment, for sorting and filters; not serialised.
    #[serde(skip)]
    pub moment: Option<OffsetDateTime>,
    /// `verdict_today` as a code; not serialised.
    #[serde(skip)]
    pub today: VerdictCode,
}

impl Row {
    /// The VPNs up, as the table and the page show them (`HMS VPN + a hospital VPN`).
    #[must_use]
    pub fn vpns_shown(&self) -> String {
        if !self.vpn_networks.is_empty() {
            self.vpn_networks.join(" + ")
        } else if self.vpn_clients == ["not checked"] {
            "VPNs not checked".to_owned()
        } else {
            "no VPN".to_owned()
        }
    }

    /// The report ID, or `-` when it has none.
    #[must_use]
    pub fn id_shown(&self) -> &str {
        if self.report_id.is_empty() {
            "-"
        } else {
            &self.report_id
        }
    }
}

/// What a row keeps beyond what every view shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    /// This build's whole verdict, for the page's details.
    pub detail: bool,
    /// What failed, host by host (the `causes` column of `--json` and `--csv`).
    pub failures: bool,
}

/// Builds the row of a report (`file`: its name; `written`: its verdict code as written;
/// `today`: this build's verdict).
#[must_use]
pub fn row(file: &str, report: &Report, written: &str, today: &Verdict, keep: Keep) -> Row {
    let system = report.system.as_ref();
    let offset = clock_offset(report);
    let moment = OffsetDateTime::parse(&report.started_at, &Rfc3339)
        .ok()
        .map(|t| t + time::Duration::seconds(offset.unwrap_or(0)));
    let time = match (offset, moment) {
        (Some(_), Some(t)) => t
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_else(|_| report.started_at.clone()),
        _ => report.started_at.clone(),
    };
    Row {
        file: file.to_owned(),
        report_id: report.report_id.clone().unwrap_or_default(),
        started_at: report.started_at.clone(),
        os: system.map(|s| s.os.clone()).unwrap_or_default(),
        os_version: system
            .and_then(|s| s.os_version.clone())
            .unwrap_or_default(),
        arch: system.map(|s| s.arch.clone()).unwrap_or_default(),
        tool_version: report.tool.version.clone(),
        verdict: written.to_owned(),
        verdict_today: today.code.as_str().to_owned(),
        vpn_clients: vpn_clients(report),
        causes: if keep.failures {
            causes(report).into_iter().collect()
        } else {
            Vec::new()
        },
        cause: today.cause,
        acts: today.acts.or(today.cause.map(Cause::acts)),
        vpn_networks: vpn_networks(report),
        time,
        clock_offset_s: offset,
        computer: format!("{:08x}", computer(report) >> 32),
        detail: keep.detail.then(|| Box::new(today.clone())),
        moment,
        today: today.code,
    }
}

/// The clock offset the report measured: the public HMS site's plain-HTTP answer's `Date`
/// first, else any answer's, as the verdict's clock rule reads it (`verdict::service`).
#[must_use]
pub fn clock_offset(report: &Report) -> Option<i64> {
    crate::verdict::clock_skew(&crate::verdict::Facts::from(report))
}

/// What tells one computer from another, as far as a report can: its system (OS, version,
/// long name, architecture) and its interfaces that are not tunnels or loopback, by name and
/// address, hashed (FNV-1a, so equal across builds). Reports carry no serial number and no
/// hardware address (by design), so a laptop that moved to another network counts as another
/// computer, and two identical computers whose addresses were replaced by `--redact`
/// placeholders may count as one.
#[must_use]
pub fn computer(report: &Report) -> u64 {
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &report.system {
        parts.push(format!(
            "{}|{}|{}|{}",
            s.os,
            s.os_version.as_deref().unwrap_or(""),
            s.os_name.as_deref().unwrap_or(""),
            s.arch
        ));
    }
    let tunnels: BTreeSet<&str> = report.vpns.iter().map(|v| v.interface.as_str()).collect();
    let mut interfaces: Vec<String> = report
        .interfaces
        .iter()
        .filter(|i| {
            !matches!(i.kind, InterfaceKind::Loopback | InterfaceKind::Tunnel) && !i.point_to_point
        })
        .filter(|i| !tunnels.contains(i.name.as_str()))
        .map(|i| {
            let mut addresses = i.addresses.clone();
            addresses.sort();
            format!("{}={}", i.name, addresses.join(","))
        })
        .collect();
    interfaces.sort();
    parts.extend(interfaces);
    fnv1a(parts.join("\n").as_bytes())
}

/// The 64-bit FNV-1a hash: small, stable, enough to tell a few thousand computers apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn vpn_clients(report: &Report) -> Vec<String> {
    match report.vpn_detection.status {
        DetectionStatus::NotRun => vec!["not checked".to_owned()],
        DetectionStatus::Ran => report
            .vpns
            .iter()
            .map(|v| {
                v.client
                    .clone()
                    .unwrap_or_else(|| "client not identified".into())
            })
            .collect(),
    }
}

/// Each active tunnel's network as the person knows it.
fn vpn_networks(report: &Report) -> Vec<String> {
    report
        .vpns
        .iter()
        .map(|v| match (&v.network, v.role) {
            (Some(n), _) => n.clone(),
            (None, VpnRole::Hms) => VpnRole::Hms.label().to_owned(),
            (None, VpnRole::Affiliate) => "a hospital VPN".to_owned(),
            (None, VpnRole::Unknown) => "another VPN".to_owned(),
        })
        .collect()
}

/// What failed in a report, host by host, each once (the `causes` column: older than the
/// contract's cause, kept for the tools that read it). A failed name lookup that stops every
/// host is one entry, so is a failure the public HMS hosts share with others, and a missing
/// IPv6 route is none (normal on IPv4-only networks).
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
