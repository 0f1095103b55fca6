//! The run, as one stage: plan the probes, start every target's chain and the OS scan, collect
//! what they report into the plan's slots, and assemble the finished report with its verdict.
//!
//! The run ends when every chain is done, when the verdict is already certain
//! ([`crate::verdict::settled`]: the rest become `not-needed`), at the deadline (steps still
//! running become `timeout`), or on Ctrl-C (the same, with a note). A report is always produced.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::netif::counters::{self, Snapshot};
use crate::netif::{self, KnownVpns};
use crate::os::{self, PathSettings, Reading};
use crate::probe::chain::{self, Chain, Ctx, Reporter, ScanView, StepEvent};
use crate::probe::dns::Resolvers;
use crate::probe::path::SystemPath;
use crate::probe::plan::{self, Plan};
use crate::probe::route::{PROBE_V4, PROBE_V6};
use crate::probe::split_dns;
use crate::profile::Profile;
use crate::report::model::{
    Detection, DetectionStatus, Interface, Outcome, Probe, ProbeKind, ProxyDecision, ProxyInfo,
    Report, ResolverInfo, Role, RunEnd, RunEndReason, SCHEMA_VERSION, Tool, TunnelTraffic, Verdict,
    VerdictCode, Vpn,
};
use crate::verdict::{self, Facts};

/// A finished run.
pub struct Diagnosis {
    /// The report, verdict included.
    pub report: Report,
    /// The person pressed Ctrl-C.
    pub interrupted: bool,
}

/// A step that ended this close to the deadline was cut by it (its own bound is cut to the
/// deadline), not by its own timeout.
const AT_DEADLINE: Duration = Duration::from_millis(50);

/// When each probe slot's step started and ended (for telling a step the run's end cut short).
struct Timeline {
    /// Set when the step reports it started; never cleared.
    began: Vec<Option<Instant>>,
    /// Set while the step runs: started and not yet done.
    running: Vec<Option<Instant>>,
    /// Set when the step reports it is done.
    ended: Vec<Option<Instant>>,
}

impl Timeline {
    fn new(slots: usize) -> Timeline {
        Timeline {
            began: vec![None; slots],
            running: vec![None; slots],
            ended: vec![None; slots],
        }
    }
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
    let known = known_vpns(profile);
    let (path_tx, path_rx) = watch::channel(None);
    let (interfaces_tx, interfaces_rx) = watch::channel(None);
    let (scan_tx, mut scan_rx) = watch::channel(None);
    let (counters_tx, counters_rx) = watch::channel(None);
    let ctx = Arc::new(Ctx::new(
        profile.nameservers.clone(),
        ScanView {
            path: path_rx,
            interfaces: interfaces_rx,
        },
        profile.timeouts,
        profile.answers.clone(),
        deadline,
    ));
    let (reporter, mut rx) = Reporter::channel();
    let mut tasks = JoinSet::new();
    spawn_scan(
        &mut tasks,
        known.hosts(),
        Scan {
            path: path_tx,
            interfaces: interfaces_tx,
            reading: scan_tx,
            counters: counters_tx,
        },
        reporter.clone(),
    );
    spawn_probes(&mut tasks, profile, &plan, &ctx, reporter);

    let mut steps = Timeline::new(plan.probes.len());
    // Created once, so a Ctrl-C between two events is not lost.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let end = loop {
        let scanned = scan_rx.borrow().clone();
        let (vpn_known, vpns) = vpn_picture(&plan.probes, scanned.as_deref(), &known);
        if verdict::settled(&plan.probes, vpn_known, &vpns) {
            break RunEndReason::Settled;
        }
        tokio::select! {
            event = rx.recv() => match event {
                Some(StepEvent::Started(slot)) => {
                    steps.began[slot.index()] = Some(Instant::now());
                    steps.running[slot.index()] = Some(Instant::now());
                }
                Some(StepEvent::Done(slot, result)) => {
                    result.write_into(&mut plan.probes[slot.index()]);
                    steps.running[slot.index()] = None;
                    steps.ended[slot.index()] = Some(Instant::now());
                    observer(&plan.probes);
                }
                None => break RunEndReason::Complete,
            },
            Ok(()) = scan_rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => break RunEndReason::Deadline,
            _ = &mut interrupted => break RunEndReason::Interrupted,
        }
    };
    tasks.abort_all();
    let notes = close_slots(&mut plan.probes, &steps.running, end);
    let run_end = run_end(
        &plan.probes,
        &steps,
        end,
        started,
        deadline,
        ctx.blocked_call(),
    );
    let scanned = scan_rx.borrow().clone();
    let before = counters_rx.borrow().clone();
    let traffic = tunnel_traffic(before).await;
    let (resolver, proxy) = path_info(ctx.path_if_read(), profile);
    let mut report = assemble(plan.probes, scanned.as_deref(), &known, resolver, notes);
    report.run_end = Some(run_end);
    if let Some(traffic) = &traffic {
        counters::add_evidence(&mut report.vpns, traffic);
    }
    report.tunnel_traffic = traffic;
    report.proxy = proxy;
    report.profile.clone_from(&profile.name);
    report.started_at = started_at;
    report.duration_ms = crate::probe::millis(started.elapsed());
    report.verdict = verdict::evaluate(&Facts::from(&report), &profile.verdicts);
    // No MAC address in the report, not even inside an EUI-64 IPv6 address (contract 2).
    report = crate::report::privacy::mask_report(report);
    report.report_id = Some(crate::report::report_id(&report));
    Diagnosis {
        report,
        interrupted: end == RunEndReason::Interrupted,
    }
}

/// What went through each tunnel since the scan read its counters (`before`), where it did.
async fn tunnel_traffic(before: Option<Snapshot>) -> Option<Vec<TunnelTraffic>> {
    let before = before?;
    let names: Vec<String> = before.counts.iter().map(|c| c.interface.clone()).collect();
    let after = tokio::task::spawn_blocking(move || counters::read(&names)).await;
    after.ok().map(|after| counters::traffic(&before, &after))
}

/// Where the OS scan publishes what it found.
struct Scan {
    /// The proxy and DNS settings (the DNS step waits for them), as soon as they are read.
    path: watch::Sender<Option<Arc<PathSettings>>>,
    /// The interfaces (route lookups name them).
    interfaces: watch::Sender<Option<Arc<[Interface]>>>,
    /// Everything the scan read (VPN detection).
    reading: watch::Sender<Option<Arc<Reading>>>,
    /// The tunnel interfaces' byte counters at scan time.
    counters: watch::Sender<Option<Snapshot>>,
}

/// The OS scan (the one reading of the OS: proxy and DNS settings, interfaces, routes, VPN
/// clients; and the tunnel counters) runs beside the network probes, on a blocking thread.
/// `hosts` are the VPN servers to look for on client command lines. Its reporter keeps the run
/// open until the scan has finished.
fn spawn_scan(tasks: &mut JoinSet<()>, hosts: Vec<String>, out: Scan, keep_open: Reporter) {
    tasks.spawn(async move {
        let path = out.path;
        let scanned = tokio::task::spawn_blocking(move || {
            // Counters first: the probes' first packets may already go through a tunnel.
            let early = counters::Raw::read();
            let reading = os::read(&hosts, |p| {
                path.send_replace(Some(Arc::new(p.clone())));
            });
            let before = early.pick(&counters::tunnel_names(&reading.network.interfaces));
            (reading, before)
        })
        .await;
        if let Ok((reading, before)) = scanned {
            out.interfaces
                .send_replace(Some(Arc::from(reading.network.interfaces.clone())));
            out.counters.send_replace(Some(before));
            out.reading.send_replace(Some(Arc::new(reading)));
        }
        drop(keep_open);
    });
}

/// The VPN servers the profile knows, as netif takes them: the HMS VPN gateway target and the
/// profile's other VPNs.
#[must_use]
pub fn known_vpns(profile: &Profile) -> KnownVpns {
    KnownVpns {
        hms: profile
            .target(Role::Gateway)
            .map(|t| vec![t.host.clone()])
            .unwrap_or_default(),
        others: profile
            .other_vpns
            .iter()
            .map(|o| netif::KnownNetwork {
                name: o.name.clone(),
                role: o.role,
                gateways: o.gateways.clone(),
            })
            .collect(),
    }
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
fn close_slots(
    probes: &mut [Probe],
    running: &[Option<Instant>],
    end: RunEndReason,
) -> Vec<String> {
    let Some(note) = end.note() else {
        return Vec::new();
    };
    let settled = end == RunEndReason::Settled;
    for (slot, t0) in probes.iter_mut().zip(running) {
        if let Some(t0) = t0 {
            slot.outcome = if settled {
                Outcome::NotNeeded
            } else {
                Outcome::Timeout
            };
            slot.duration_ms = Some(crate::probe::millis(t0.elapsed()));
            slot.detail = Some(if settled {
                "stopped: the verdict was already certain".into()
            } else {
                "still running when the run ended".into()
            });
        } else if slot.duration_ms.is_none() && settled {
            slot.outcome = Outcome::NotNeeded;
        }
    }
    vec![note.to_owned()]
}

/// Why the run ended, and which probes its end cut short: a step that timed out because the
/// run ended (still running, or its bound cut to the deadline) before it had been silent for
/// `call` (the blocked-versus-slow wait) decides nothing.
fn run_end(
    probes: &[Probe],
    steps: &Timeline,
    reason: RunEndReason,
    started: Instant,
    deadline: tokio::time::Instant,
    call: Duration,
) -> RunEnd {
    let deadline = deadline.into_std();
    let mut cut_short = Vec::new();
    let mut needed: Option<Duration> = None;
    if matches!(reason, RunEndReason::Deadline | RunEndReason::Interrupted) {
        for (i, p) in probes.iter().enumerate() {
            let by_end = steps.running[i].is_some()
                || (reason == RunEndReason::Deadline
                    && steps.ended[i].is_some_and(|t| t + AT_DEADLINE >= deadline));
            let waited = Duration::from_millis(p.duration_ms.unwrap_or(0));
            if p.outcome == Outcome::Timeout && by_end && waited < call {
                cut_short.push(p.id.clone());
                let began = steps.began[i].map_or(Duration::ZERO, |t| t - started);
                needed = needed.max(Some(began + call));
            }
        }
    }
    RunEnd {
        reason,
        budget_ms: crate::probe::millis(deadline.saturating_duration_since(started)),
        cut_short,
        needed_ms: needed.map(crate::probe::millis),
    }
}

/// The report of a finished run, before its verdict, ID and timing are filled in.
fn assemble(
    probes: Vec<Probe>,
    scanned: Option<&Reading>,
    known: &KnownVpns,
    resolver: ResolverInfo,
    notes: Vec<String>,
) -> Report {
    let (vpns, vpn_detection, interfaces, installed_clients) = match scanned {
        Some(r) => (
            netif::classify(r, known, &resolved(&probes)),
            r.detection(),
            r.network.interfaces.clone(),
            r.network.installed.clone(),
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
            None,
        ),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "hmsaccess".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        system: Some(os::system::system_info()),
        started_at: String::new(),
        duration_ms: 0,
        profile: String::new(),
        report_id: None,
        // Judged from the whole report once it is complete (`diagnose`).
        verdict: Verdict {
            code: VerdictCode::Inconclusive,
            cause: None,
            acts: None,
            title: String::new(),
            summary: String::new(),
            next_steps: vec![],
            evidence: vec![],
            warnings: vec![],
        },
        probes,
        vpns,
        vpn_detection,
        installed_clients,
        interfaces,
        resolver,
        proxy: None,
        notes,
        run_end: None,
        tunnel_traffic: None,
    }
}

/// The report's `resolver` section (with the per-domain DNS settings) and its `proxy` section
/// (one decision per target's `https://` URL), from the path settings the chains used; no
/// proxy section when the run ended before they were read.
fn path_info(path: Option<&SystemPath>, profile: &Profile) -> (ResolverInfo, Option<ProxyInfo>) {
    let Some(path) = path else {
        return (Resolvers::unread_info(&profile.nameservers), None);
    };
    let mut resolver = path.resolvers.info.clone();
    resolver.supplemental = split_dns::supplemental_report(&path.dns);
    resolver.nrpt.clone_from(&path.dns.nrpt);
    resolver.notes.extend(path.dns.notes.iter().cloned());
    let decisions = profile
        .targets
        .iter()
        .filter_map(|t| url::Url::parse(&plan::https_url(t)).ok())
        .map(|url| {
            let d = path.proxy.decide(&url);
            ProxyDecision {
                url: url.to_string(),
                proxy: d.proxy.map(|p| p.display),
                reason: d.reason,
            }
        })
        .collect();
    (resolver, Some(path.proxy.info(decisions)))
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
fn vpn_picture(probes: &[Probe], scanned: Option<&Reading>, known: &KnownVpns) -> (bool, Vec<Vpn>) {
    let Some(r) = scanned else {
        return (false, vec![]);
    };
    let names_done = probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Dns)
        .filter(|p| matches!(p.role, Some(Role::Mars | Role::Affiliate | Role::Gateway)))
        .all(|p| p.duration_ms.is_some());
    (names_done, netif::classify(r, known, &resolved(probes)))
}
