//! Runs the plan: every target's chain (DNS → route → TCP → TLS → HTTPS, plus plain HTTP where
//! the profile asks) concurrently, under one deadline.
//!
//! Chains report each step as it starts and ends over a channel; the collector owns the report's
//! probe slots. The run ends when every chain is done, when the verdict is already certain
//! ([`crate::verdict::settled`]: the rest become `not-needed`), at the deadline (steps still
//! running become `timeout`), or on Ctrl-C (the same, with a note). A report is always produced.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::sync::{OnceCell, mpsc, watch};
use tokio::task::JoinSet;
use url::Url;

use super::dns::Resolvers;
use super::http::{self, Io, Reconnect};
use super::plan::{self, ROUTE_V4, ROUTE_V6};
use super::route::{self, PROBE_V4, PROBE_V6};
use super::tcp;
use super::tls::{self, Trust};
use crate::netif::{self, Collected};
use crate::profile::{Profile, Target, Timeouts};
use crate::report::model::{
    Detection, DetectionStatus, Interface, Outcome, Probe, ProbeKind, ResolverInfo, Role, Vpn,
};

/// A measured connect time and the local address it went out from (which path it measured).
#[derive(Debug, Clone, Copy)]
struct PathRtt {
    rtt: Duration,
    local: Option<IpAddr>,
}

/// Connect timeouts of restricted targets never go below this (docs/performance.md).
const MIN_BLOCKED_CALL: Duration = Duration::from_millis(1500);
/// … and otherwise scale with the control host's round trip by this factor.
const RTT_FACTOR: u32 = 8;

/// What a run observed; the caller turns it into a [`crate::report::model::Report`].
pub struct Observed {
    /// Every planned probe, in plan order.
    pub probes: Vec<Probe>,
    /// Active VPN tunnels.
    pub vpns: Vec<Vpn>,
    /// Whether VPN detection ran.
    pub vpn_detection: Detection,
    /// Interfaces as the OS reported them.
    pub interfaces: Vec<Interface>,
    /// The resolver configuration used.
    pub resolver: ResolverInfo,
    /// Notes for the report (deadline reached, interrupted, settled early).
    pub notes: Vec<String>,
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

enum Event {
    Started(String),
    Done(Box<Probe>),
    /// The OS scan (interfaces, routes, VPN clients) finished.
    Scanned(Arc<Collected>),
}

/// Shared, read-only state of one run.
struct Ctx {
    resolvers: Resolvers,
    trust: OnceCell<Trust>,
    /// The OS scan, once it has finished (route lookups name interfaces from it).
    scan: watch::Receiver<Option<Arc<Collected>>>,
    timeouts: Timeouts,
    deadline: tokio::time::Instant,
    /// The control host's TCP connect time, once known: sizes the restricted targets' timeouts.
    control_rtt: watch::Receiver<Option<PathRtt>>,
}

impl Ctx {
    /// A step's own timeout, cut to what is left of the run.
    fn bound(&self, step: Duration) -> Duration {
        step.min(
            self.deadline
                .saturating_duration_since(tokio::time::Instant::now()),
        )
    }

    /// Interfaces from the OS scan, waiting for it if needed.
    async fn interfaces(&self) -> Vec<Interface> {
        let mut scan = self.scan.clone();
        let scanned = scan
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|c| c.clone());
        scanned.map(|c| c.interfaces.clone()).unwrap_or_default()
    }

    async fn trust(&self) -> &Trust {
        self.trust
            .get_or_init(|| async {
                tokio::task::spawn_blocking(Trust::load)
                    .await
                    .unwrap_or_else(|_| Trust::load())
            })
            .await
    }
}

/// A channel end that fills probe slots.
#[derive(Clone)]
struct Reporter(mpsc::UnboundedSender<Event>);

impl Reporter {
    fn started(&self, id: &str) {
        let _ = self.0.send(Event::Started(id.to_owned()));
    }
    fn done(&self, probe: Probe) {
        let _ = self.0.send(Event::Done(Box::new(probe)));
    }
}

/// Runs every probe of `profile`; returns no later than `deadline` (plus bookkeeping).
/// `observer` sees the probe slots after every change (for progress display).
pub async fn run(
    profile: &Profile,
    deadline: tokio::time::Instant,
    observer: &mut dyn FnMut(&[Probe]),
) -> Observed {
    let mut slots = plan::plan(profile);
    let index: HashMap<String, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    let mut started: Vec<Option<Instant>> = vec![None; slots.len()];

    let resolvers = Resolvers::new(&profile.nameservers, profile.timeouts.dns);
    let resolver_info = resolvers.info.clone();
    let (rtt_tx, rtt_rx) = watch::channel(None);
    let (scan_tx, scan_rx) = watch::channel(None);
    let ctx = Arc::new(Ctx {
        resolvers,
        trust: OnceCell::new(),
        scan: scan_rx,
        timeouts: profile.timeouts,
        deadline,
        control_rtt: rtt_rx,
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let reporter = Reporter(tx);
    let mut tasks = JoinSet::new();

    // The OS scan (interfaces, routes, VPN clients) runs beside the network probes.
    {
        let gateways: Vec<String> = profile
            .target(Role::Gateway)
            .map(|t| vec![t.host.clone()])
            .unwrap_or_default();
        let reporter = reporter.clone();
        tasks.spawn(async move {
            let scanned = tokio::task::spawn_blocking(move || netif::collect(&gateways)).await;
            if let Ok(c) = scanned {
                let c = Arc::new(c);
                scan_tx.send_replace(Some(c.clone()));
                let _ = reporter.0.send(Event::Scanned(c));
            }
        });
    }
    // Load the trust store while DNS runs.
    {
        let ctx = ctx.clone();
        tasks.spawn(async move {
            ctx.trust().await;
        });
    }
    // Is there a route out at all? (No packet is sent; naming the interface needs the scan.)
    for (id, dst) in [(ROUTE_V4, PROBE_V4), (ROUTE_V6, PROBE_V6)] {
        let ctx = ctx.clone();
        let reporter = reporter.clone();
        let slot = slots[index[id]].clone();
        tasks.spawn(async move {
            let interfaces = ctx.interfaces().await;
            let (outcome, data, detail) = route::lookup(dst, &interfaces);
            let mut p = finish(&slot, outcome, Duration::ZERO, detail);
            p.route = Some(data);
            reporter.done(p);
        });
    }
    let rtt_tx = Arc::new(rtt_tx);
    for target in profile.targets.iter().cloned() {
        let ctx = ctx.clone();
        let reporter = reporter.clone();
        let template: HashMap<String, Probe> = slots
            .iter()
            .filter(|p| p.target_id.as_deref() == Some(target.id.as_str()))
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        let rtt_tx = rtt_tx.clone();
        tasks.spawn(async move { chain(ctx, target, template, reporter, rtt_tx).await });
    }
    drop(reporter);

    let mut scanned: Option<Arc<Collected>> = None;
    let mut notes = Vec::new();
    // Created once, so a Ctrl-C between two events is not lost.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let end = loop {
        let (vpn_known, vpns) = vpn_picture(&slots, scanned.as_deref());
        if crate::verdict::settled(&slots, vpn_known, &vpns) {
            break End::Settled;
        }
        tokio::select! {
            event = rx.recv() => match event {
                Some(Event::Started(id)) => {
                    if let Some(&i) = index.get(&id) {
                        started[i] = Some(Instant::now());
                    }
                }
                Some(Event::Done(probe)) => {
                    if let Some(&i) = index.get(&probe.id) {
                        slots[i] = *probe;
                        started[i] = None;
                    }
                    observer(&slots);
                }
                Some(Event::Scanned(c)) => scanned = Some(c),
                None => break End::AllDone,
            },
            () = tokio::time::sleep_until(deadline) => break End::Deadline,
            _ = &mut interrupted => break End::Interrupted,
        }
    };
    tasks.abort_all();
    match end {
        End::AllDone => {}
        End::Settled => notes.push(
            "the verdict was certain before every probe finished; those are marked not-needed"
                .into(),
        ),
        End::Deadline => notes
            .push("the run reached its time limit; steps still running are marked timeout".into()),
        End::Interrupted => notes.push(
            "the run was interrupted (Ctrl-C); steps still running are marked timeout".into(),
        ),
    }
    if end != End::AllDone {
        for (i, slot) in slots.iter_mut().enumerate() {
            if let Some(t0) = started[i] {
                slot.outcome = if end == End::Settled {
                    Outcome::NotNeeded
                } else {
                    Outcome::Timeout
                };
                slot.duration_ms = Some(super::millis(t0.elapsed()));
                slot.detail = Some(match end {
                    End::Settled => "stopped: the verdict was already certain".into(),
                    _ => "still running when the run ended".into(),
                });
            } else if slot.duration_ms.is_none() && end == End::Settled {
                slot.outcome = Outcome::NotNeeded;
            }
        }
    }
    let (vpns, vpn_detection, interfaces) = match &scanned {
        Some(c) => (
            netif::classify(c, &resolved(&slots)),
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
    Observed {
        probes: slots,
        vpns,
        vpn_detection,
        interfaces,
        resolver: resolver_info,
        notes,
        interrupted: end == End::Interrupted,
    }
}

/// The addresses each role's name resolved to, from the finished DNS probes.
fn resolved(slots: &[Probe]) -> Vec<(Role, Vec<IpAddr>)> {
    slots
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
fn vpn_picture(slots: &[Probe], scanned: Option<&Collected>) -> (bool, Vec<Vpn>) {
    let Some(c) = scanned else {
        return (false, vec![]);
    };
    let names_done = slots
        .iter()
        .filter(|p| p.kind == ProbeKind::Dns)
        .filter(|p| matches!(p.role, Some(Role::Mars | Role::Affiliate | Role::Gateway)))
        .all(|p| p.duration_ms.is_some());
    (names_done, netif::classify(c, &resolved(slots)))
}

/// Fills a slot with a finished step.
fn finish(slot: &Probe, outcome: Outcome, duration: Duration, detail: Option<String>) -> Probe {
    let mut p = slot.clone();
    p.outcome = outcome;
    p.duration_ms = Some(super::millis(duration));
    p.detail = detail;
    p
}

/// One target's steps in order; a failed step leaves the later ones `skipped`.
async fn chain(
    ctx: Arc<Ctx>,
    target: Target,
    slots: HashMap<String, Probe>,
    out: Reporter,
    rtt_tx: Arc<watch::Sender<Option<PathRtt>>>,
) {
    let dns_id = plan::dns_id(&target);
    out.started(&dns_id);
    let r = ctx.resolvers.resolve(&target.host).await;
    let mut p = finish(&slots[&dns_id], r.outcome, r.duration, r.detail);
    p.dns = Some(r.data);
    out.done(p);
    if r.outcome != Outcome::Ok || r.addresses.is_empty() {
        return;
    }

    // The route lookup waits for the OS scan to name the interface: off the critical path.
    let route_step = async {
        let route_id = plan::route_id(&target);
        let first = tcp::candidates(&r.addresses)[0];
        let (outcome, data, detail) = route::lookup(first, &ctx.interfaces().await);
        let mut p = finish(&slots[&route_id], outcome, Duration::ZERO, detail);
        p.route = Some(data);
        out.done(p);
    };
    let https = https_chain(&ctx, &target, &slots, &out, &r.addresses, &rtt_tx);
    let plain = async {
        if let Some(port) = target.http_port {
            http_chain(&ctx, &target, port, &slots, &out, &r.addresses).await;
        }
    };
    tokio::join!(route_step, https, plain);
}

/// The connect timeout for a target: restricted targets are called blocked once they have been
/// silent for max(1.5 s, 8 × the control host's connect time), when that is known in time.
async fn connect_bounded(
    ctx: &Ctx,
    target: &Target,
    addresses: &[IpAddr],
    port: u16,
) -> tcp::TcpResult {
    let bound = ctx.bound(ctx.timeouts.connect);
    if !plan::is_restricted(target.role) {
        return tcp::connect(addresses, port, bound).await;
    }
    let start = tokio::time::Instant::now();
    let mut rtt = ctx.control_rtt.clone();
    // The local address this target's packets would leave from: a tunnel's when a VPN routes it.
    let own_path = tcp::candidates(addresses)
        .first()
        .and_then(|ip| route::source_for(*ip));
    let connect = tcp::connect(addresses, port, bound);
    tokio::pin!(connect);
    let adaptive = async {
        let known = rtt.wait_for(Option::is_some).await.ok().and_then(|v| *v);
        match known {
            // The control host's round trip predicts this one only over the same path: a slow
            // hospital tunnel must not be judged by the fast direct link.
            Some(PathRtt { rtt, local }) if local.is_some() && local == own_path => {
                let call = (rtt * RTT_FACTOR).max(MIN_BLOCKED_CALL);
                tokio::time::sleep_until(start + call).await;
                call
            }
            _ => std::future::pending().await,
        }
    };
    tokio::select! {
        r = &mut connect => r,
        call = adaptive => {
            let mut data = crate::report::model::TcpData { port, ..Default::default() };
            for ip in tcp::candidates(addresses) {
                data.attempts.push(crate::report::model::TcpAttempt {
                    address: std::net::SocketAddr::new(ip, port).to_string(),
                    outcome: Outcome::Timeout,
                    duration_ms: super::millis(call),
                });
            }
            tcp::TcpResult {
                outcome: Outcome::Timeout,
                data,
                duration: start.elapsed(),
                stream: None,
                detail: Some(format!(
                    "no answer within {} ms (8 x the control host's connect time, at least 1.5 s): the path is blocked",
                    call.as_millis()
                )),
            }
        }
    }
}

/// The TCP step of a port chain: connect, report, and hand on the connection and its address.
async fn tcp_step(
    ctx: &Ctx,
    target: &Target,
    port: u16,
    slots: &HashMap<String, Probe>,
    out: &Reporter,
    addresses: &[IpAddr],
) -> (tcp::TcpResult, Option<SocketAddr>) {
    let tcp_id = plan::tcp_id(target, port);
    out.started(&tcp_id);
    let mut t = connect_bounded(ctx, target, addresses, port).await;
    let mut p = finish(&slots[&tcp_id], t.outcome, t.duration, t.detail.take());
    let connected = t.data.connected.as_deref().and_then(|a| a.parse().ok());
    p.tcp = Some(t.data.clone());
    out.done(p);
    (t, connected)
}

/// The HTTP step: fetch `url` over `first`, following same-origin redirects via `reconnect`.
#[expect(
    clippy::too_many_arguments,
    reason = "the step's own inputs; a struct would only rename them"
)]
async fn fetch_step(
    ctx: &Ctx,
    target: &Target,
    id: &str,
    url: &str,
    first: Box<dyn Io>,
    reconnect: Reconnect,
    slots: &HashMap<String, Probe>,
    out: &Reporter,
) {
    let url = Url::parse(url).expect("validated host and path form a URL");
    let f = http::fetch(
        first,
        url,
        reconnect,
        &target.redirect_hosts,
        ctx.bound(ctx.timeouts.http),
    )
    .await;
    let mut p = finish(&slots[id], f.outcome, f.duration, f.detail);
    p.http = Some(f.data);
    out.done(p);
}

/// A fresh TCP connection to `addr`, for following a redirect.
async fn reconnect_tcp(
    addr: SocketAddr,
    timeout: Duration,
) -> Result<TcpStream, (Outcome, String)> {
    tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| (Outcome::Timeout, format!("reconnect to {addr} timed out")))?
        .map_err(|e| (super::classify_io(&e), super::io_detail(&e)))
}

/// TCP → TLS → HTTPS on the target's HTTPS port.
async fn https_chain(
    ctx: &Arc<Ctx>,
    target: &Target,
    slots: &HashMap<String, Probe>,
    out: &Reporter,
    addresses: &[IpAddr],
    rtt_tx: &watch::Sender<Option<PathRtt>>,
) {
    let (t, connected) = tcp_step(ctx, target, target.https_port, slots, out, addresses).await;
    if target.role == Role::Control && t.outcome == Outcome::Ok {
        let local = t.data.local_address.as_deref().and_then(|a| a.parse().ok());
        rtt_tx.send_if_modified(|v| {
            let first = v.is_none();
            if first {
                *v = Some(PathRtt {
                    rtt: t.duration,
                    local,
                });
            }
            first
        });
    }
    let (Some(stream), Some(addr)) = (t.stream, connected) else {
        return;
    };

    let tls_id = plan::tls_id(target);
    out.started(&tls_id);
    let trust = ctx.trust().await.clone();
    let h = tls::handshake(&trust, stream, &target.host, ctx.bound(ctx.timeouts.tls)).await;
    let mut p = finish(&slots[&tls_id], h.outcome, h.duration, h.detail);
    p.tls = Some(h.data);
    out.done(p);
    let Some(stream) = h.stream else { return };

    let https_id = plan::https_id(target);
    out.started(&https_id);
    let host = target.host.clone();
    let (tls_timeout, connect_timeout) = (ctx.timeouts.tls, ctx.timeouts.connect);
    let reconnect: Reconnect = Box::new(move || {
        let (host, trust) = (host.clone(), trust.clone());
        Box::pin(async move {
            let tcp = reconnect_tcp(addr, connect_timeout).await?;
            let h = tls::handshake(&trust, tcp, &host, tls_timeout).await;
            match h.stream {
                Some(s) => Ok(Box::new(s) as Box<dyn Io>),
                None => Err((h.outcome, h.detail.unwrap_or_default())),
            }
        })
    });
    let url = plan::https_url(target);
    fetch_step(
        ctx,
        target,
        &https_id,
        &url,
        Box::new(stream),
        reconnect,
        slots,
        out,
    )
    .await;
}

/// TCP → plain HTTP on the target's HTTP port (the control host: captive portals).
async fn http_chain(
    ctx: &Arc<Ctx>,
    target: &Target,
    port: u16,
    slots: &HashMap<String, Probe>,
    out: &Reporter,
    addresses: &[IpAddr],
) {
    let (t, connected) = tcp_step(ctx, target, port, slots, out, addresses).await;
    let (Some(stream), Some(addr)) = (t.stream, connected) else {
        return;
    };
    let http_id = plan::http_id(target, port);
    out.started(&http_id);
    let connect_timeout = ctx.timeouts.connect;
    let reconnect: Reconnect = Box::new(move || {
        Box::pin(
            async move { Ok(Box::new(reconnect_tcp(addr, connect_timeout).await?) as Box<dyn Io>) },
        )
    });
    let url = plan::http_url(target, port);
    fetch_step(
        ctx,
        target,
        &http_id,
        &url,
        Box::new(stream),
        reconnect,
        slots,
        out,
    )
    .await;
}
