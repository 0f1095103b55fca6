//! The run, as one stage: plan the probes, start every target's chain and the OS scan, collect
//! what they report into the plan's slots, and assemble the finished report with its verdict.
//!
//! The run ends when every chain is done, when the verdict is already certain
//! ([`crate::verdict::settled`]: the rest become `not-needed`), at the deadline (steps still
//! running become `timeout`), or on Ctrl-C (the same, with a note). A report is always produced.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::netif::{self, Collected};
use crate::probe::chain::{self, Chain, Ctx, Reporter, StepEvent};
use crate::probe::dns::Resolvers;
use crate::probe::plan::{self, Plan};
use crate::probe::route::{PROBE_V4, PROBE_V6};
use crate::profile::Profile;
use crate::report::model::{
    Detection, DetectionStatus, Interface, Outcome, Probe, ProbeKind, Report, Role, SCHEMA_VERSION,
    Tool, Verdict, VerdictCode, Vpn,
};
use crate::verdict::{self, Facts};

/// A finished run.
pub struct Diagnosis {
    /// The report, verdict included.
    pub report: Report,
    /// The person pressed Ctrl-C.
    pub interrupted: bool,
}

/// Why the run stopped waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    AllDone,
    Settled,
    Deadline,
    Interrupted,
}

/// Runs every probe of `profile` and judges the result; returns no later than `deadline`
/// (plus bookkeeping). `started` is when the run began (the report's `duration_ms` counts from
/// it); `observer` sees the probe slots after every change (for progress display).
pub async fn diagnose(
    profile: &Profile,
    started: Instant,
    deadline: tokio::time::Instant,
    observer: &mut dyn FnMut(&[Probe]),
) -> Diagnosis {
    let started_at = crate::report::now_rfc3339();
    let mut plan = plan::plan(profile);
    let resolvers = Resolvers::new(&profile.nameservers, profile.timeouts.dns);
    let resolver = resolvers.info.clone();
    let (interfaces_tx, interfaces_rx) = watch::channel(None);
    let (scan_tx, mut scan_rx) = watch::channel(None);
    let ctx = Arc::new(Ctx::new(
        resolvers,
        interfaces_rx,
        profile.timeouts,
        deadline,
    ));
    let (reporter, mut rx) = Reporter::channel();
    let mut tasks = JoinSet::new();
    spawn_scan(
        &mut tasks,
        profile,
        interfaces_tx,
        scan_tx,
        reporter.clone(),
    );
    spawn_probes(&mut tasks, profile, &plan, &ctx, reporter);

    let mut started_steps: Vec<Option<Instant>> = vec![None; plan.probes.len()];
    // Created once, so a Ctrl-C between two events is not lost.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let end = loop {
        let scanned = scan_rx.borrow().clone();
        let (vpn_known, vpns) = vpn_picture(&plan.probes, scanned.as_deref());
        if verdict::settled(&plan.probes, vpn_known, &vpns) {
            break End::Settled;
        }
        tokio::select! {
            event = rx.recv() => match event {
                Some(StepEvent::Started(slot)) => started_steps[slot.index()] = Some(Instant::now()),
                Some(StepEvent::Done(slot, result)) => {
                    result.write_into(&mut plan.probes[slot.index()]);
                    started_steps[slot.index()] = None;
                    observer(&plan.probes);
                }
                None => break End::AllDone,
            },
            Ok(()) = scan_rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => break End::Deadline,
            _ = &mut interrupted => break End::Interrupted,
        }
    };
    tasks.abort_all();
    let notes = close_slots(&mut plan.probes, &started_steps, end);
    let scanned = scan_rx.borrow().clone();
    let mut report = assemble(plan.probes, scanned.as_deref(), resolver, notes);
    report.profile.clone_from(&profile.name);
    report.started_at = started_at;
    report.duration_ms = crate::probe::millis(started.elapsed());
    report.verdict = verdict::evaluate(&Facts::from(&report), &profile.verdicts);
    // No MAC address in the report, not even inside an EUI-64 IPv6 address (contract 2).
    report = crate::report::privacy::mask_report(report);
    report.report_id = Some(crate::report::report_id(&report));
    Diagnosis {
        report,
        interrupted: end == End::Interrupted,
    }
}

/// The OS scan (interfaces, routes, VPN clients) runs beside the network probes, on a blocking
/// thread. Its reporter keeps the run open until the scan has finished.
fn spawn_scan(
    tasks: &mut JoinSet<()>,
    profile: &Profile,
    interfaces: watch::Sender<Option<Arc<[Interface]>>>,
    scan: watch::Sender<Option<Arc<Collected>>>,
    keep_open: Reporter,
) {
    let gateways: Vec<String> = profile
        .target(Role::Gateway)
        .map(|t| vec![t.host.clone()])
        .unwrap_or_default();
    tasks.spawn(async move {
        let scanned = tokio::task::spawn_blocking(move || netif::collect(&gateways)).await;
        if let Ok(c) = scanned {
            interfaces.send_replace(Some(Arc::from(c.interfaces.clone())));
            scan.send_replace(Some(Arc::new(c)));
        }
        drop(keep_open);
    });
}

/// Starts the trust-store load, the two "is there a route out" lookups and every target's chain.
fn spawn_probes(
    tasks: &mut JoinSet<()>,
    profile: &Profile,
    plan: &Plan,
    ctx: &Arc<Ctx>,
    reporter: Reporter,
) {
    // Load the trust store while DNS runs.
    let c = ctx.clone();
    tasks.spawn(async move {
        c.trust().await;
    });
    for (slot, dst) in [(plan.route_v4, PROBE_V4), (plan.route_v6, PROBE_V6)] {
        tasks.spawn(chain::route_out(ctx.clone(), slot, dst, reporter.clone()));
    }
    for (target, slots) in profile.targets.iter().zip(&plan.targets) {
        let chain = Chain::new(ctx.clone(), target.clone(), *slots, reporter.clone());
        tasks.spawn(chain.run());
    }
}

/// Marks the steps that did not finish, by why the run ended; returns the report's notes.
fn close_slots(probes: &mut [Probe], started: &[Option<Instant>], end: End) -> Vec<String> {
    let note = match end {
        End::AllDone => return Vec::new(),
        End::Settled => {
            "the verdict was certain before every probe finished; those are marked not-needed"
        }
        End::Deadline => "the run reached its time limit; steps still running are marked timeout",
        End::Interrupted => {
            "the run was interrupted (Ctrl-C); steps still running are marked timeout"
        }
    };
    for (slot, t0) in probes.iter_mut().zip(started) {
        if let Some(t0) = t0 {
            slot.outcome = if end == End::Settled {
                Outcome::NotNeeded
            } else {
                Outcome::Timeout
            };
            slot.duration_ms = Some(crate::probe::millis(t0.elapsed()));
            slot.detail = Some(match end {
                End::Settled => "stopped: the verdict was already certain".into(),
                _ => "still running when the run ended".into(),
            });
        } else if slot.duration_ms.is_none() && end == End::Settled {
            slot.outcome = Outcome::NotNeeded;
        }
    }
    vec![note.to_owned()]
}

/// The report of a finished run, before its verdict, ID and timing are filled in.
fn assemble(
    probes: Vec<Probe>,
    scanned: Option<&Collected>,
    resolver: crate::report::model::ResolverInfo,
    notes: Vec<String>,
) -> Report {
    let (vpns, vpn_detection, interfaces) = match scanned {
        Some(c) => (
            netif::classify(c, &resolved(&probes)),
            c.detection(),
            c.interfaces.clone(),
        ),
        None => (
            vec![],
            Detection {
                status: DetectionStatus::NotRun,
                detail: Some(
                    "the interface and VPN scan did not finish before the run ended".into(),
                ),
                sources: vec![],
            },
            vec![],
        ),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "hmsaccess".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        system: Some(netif::system::system_info()),
        started_at: String::new(),
        duration_ms: 0,
        profile: String::new(),
        report_id: None,
        // Judged from the whole report once it is complete (`diagnose`).
        verdict: Verdict {
            code: VerdictCode::Inconclusive,
            title: String::new(),
            summary: String::new(),
            next_steps: vec![],
            evidence: vec![],
            warnings: vec![],
        },
        probes,
        vpns,
        vpn_detection,
        installed_clients: None,
        interfaces,
        resolver,
        notes,
    }
}

/// The addresses each role's name resolved to, from the finished DNS probes.
fn resolved(probes: &[Probe]) -> Vec<(Role, Vec<IpAddr>)> {
    probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Dns)
        .filter_map(|p| {
            let d = p.dns.as_ref()?;
            let addrs =
                d.a.iter()
                    .chain(&d.aaaa)
                    .filter_map(|a| a.parse().ok())
                    .collect();
            Some((p.role?, addrs))
        })
        .collect()
}

/// Whether the VPN picture is complete (the scan is done, and the names whose addresses decide
/// a tunnel's role have resolved or failed), and the VPNs as far as known.
fn vpn_picture(probes: &[Probe], scanned: Option<&Collected>) -> (bool, Vec<Vpn>) {
    let Some(c) = scanned else {
        return (false, vec![]);
    };
    let names_done = probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Dns)
        .filter(|p| matches!(p.role, Some(Role::Mars | Role::Affiliate | Role::Gateway)))
        .all(|p| p.duration_ms.is_some());
    (names_done, netif::classify(c, &resolved(probes)))
}
