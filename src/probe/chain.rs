//! One target's chain of steps: DNS → route → TCP → TLS → HTTPS, plus TCP → plain HTTP where
//! the profile asks. A failed step leaves the later ones `skipped`. Where the system names a
//! proxy for the target's `https://` URL, the TCP step is the proxy's `CONNECT` (and the chain
//! goes on even when the name does not resolve here: the proxy resolves it, as for the browser).
//!
//! A chain reports each step as it starts and ends, addressed by the plan's typed [`Slot`]s,
//! through a [`Reporter`]; the run ([`crate::run`]) owns the slots and the deadline.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::{OnceCell, mpsc, watch};
use url::Url;

use super::http::{self, Io, Reconnect};
use super::path::SystemPath;
use super::plan::{self, PlainSlots, Slot, TargetSlots};
use super::tcp;
use super::tls::{self, Trust};
use super::{StepData, StepResult, connect, os_resolver, route};
use crate::os::PathSettings;
use crate::profile::{AnswerRules, Target, Timeouts};
use crate::proxy::ProxyTarget;
use crate::report::model::{Interface, Outcome, Role, TcpAttempt, TcpData};

/// Connect timeouts of restricted targets never go below this (docs/performance.md).
pub const MIN_BLOCKED_CALL: Duration = Duration::from_millis(1500);
/// … and otherwise scale with the control host's round trip by this factor.
const RTT_FACTOR: u32 = 8;
/// Once a target has connected, its TLS, HTTP and reconnect steps may take at least this many
/// of its own round trips (its TCP connect time), however short the profile's timeouts: a
/// 1.2 s in-flight link needs 2.4 s for a TLS 1.2 handshake (docs/performance.md).
const STEP_RTTS: u32 = 4;

/// A measured connect time and the local address it went out from (which path it measured).
#[derive(Debug, Clone, Copy)]
pub struct PathRtt {
    rtt: Duration,
    local: Option<IpAddr>,
}

/// What a chain tells the run.
pub enum StepEvent {
    /// The step in this slot has started (a deadline marks it `timeout`, not `skipped`).
    Started(Slot),
    /// The step in this slot has finished.
    Done(Slot, Box<StepResult>),
}

/// A channel end that chains report their steps through.
#[derive(Clone)]
pub struct Reporter(mpsc::UnboundedSender<StepEvent>);

impl Reporter {
    /// A reporter and the receiving end the run listens on.
    #[must_use]
    pub fn channel() -> (Reporter, mpsc::UnboundedReceiver<StepEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Reporter(tx), rx)
    }
    fn started(&self, slot: Slot) {
        let _ = self.0.send(StepEvent::Started(slot));
    }
    /// Reports a finished step.
    pub fn done(&self, slot: Slot, result: StepResult) {
        let _ = self.0.send(StepEvent::Done(slot, Box::new(result)));
    }
}

/// Shared, read-only state of one run's chains.
pub struct Ctx {
    /// The profile's nameservers (when it names any, they alone decide).
    nameservers: Vec<SocketAddr>,
    trust: OnceCell<Trust>,
    /// The system's proxy, nameservers and per-domain DNS, taken once from the OS reading.
    path: OnceCell<SystemPath>,
    /// The OS reading's path settings, once read (before the rest of the OS scan).
    path_read: watch::Receiver<Option<Arc<PathSettings>>>,
    /// The interfaces from the OS scan, once it has finished (route lookups name them).
    interfaces: watch::Receiver<Option<Arc<[Interface]>>>,
    timeouts: Timeouts,
    /// The profile's refusal pages and sign-in hosts.
    answers: AnswerRules,
    deadline: tokio::time::Instant,
    /// The control host's TCP connect time, once known: sizes the restricted targets' timeouts.
    control_rtt: watch::Sender<Option<PathRtt>>,
}

impl Ctx {
    /// The state a run's chains share: the OS scan publishes the path settings and the
    /// interfaces through `scan`.
    #[must_use]
    pub fn new(
        nameservers: Vec<SocketAddr>,
        scan: ScanView,
        timeouts: Timeouts,
        answers: AnswerRules,
        deadline: tokio::time::Instant,
    ) -> Ctx {
        Ctx {
            nameservers,
            trust: OnceCell::new(),
            path: OnceCell::new(),
            path_read: scan.path,
            interfaces: scan.interfaces,
            timeouts,
            answers,
            deadline,
            control_rtt: watch::Sender::new(None),
        }
    }

    /// A step's own timeout, cut to what is left of the run.
    fn bound(&self, step: Duration) -> Duration {
        step.min(
            self.deadline
                .saturating_duration_since(tokio::time::Instant::now()),
        )
    }

    /// How long a silent step must wait before the blocked-versus-slow rule calls its path
    /// blocked: max(1.5 s, 8 x the control host's connect time), the floor while that is unknown.
    #[must_use]
    pub fn blocked_call(&self) -> Duration {
        match *self.control_rtt.borrow() {
            Some(PathRtt { rtt, .. }) => (rtt * RTT_FACTOR).max(MIN_BLOCKED_CALL),
            None => MIN_BLOCKED_CALL,
        }
    }

    /// Interfaces from the OS scan, waiting for it if needed.
    pub async fn interfaces(&self) -> Arc<[Interface]> {
        let mut scan = self.interfaces.clone();
        let scanned = scan
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|c| c.clone());
        scanned.unwrap_or_else(|| Arc::from(Vec::new()))
    }

    /// The trust store, loaded once (off the async threads).
    pub async fn trust(&self) -> &Trust {
        self.trust
            .get_or_init(|| async {
                tokio::task::spawn_blocking(Trust::load)
                    .await
                    .unwrap_or_else(|_| Trust::load())
            })
            .await
    }

    /// The system's proxy, nameservers and per-domain DNS, from the OS reading (waited for no
    /// longer than the DNS timeout).
    pub async fn path(&self) -> &SystemPath {
        self.path
            .get_or_init(|| async {
                let bound = self.bound(self.timeouts.dns);
                let mut read = self.path_read.clone();
                let found = tokio::time::timeout(bound, read.wait_for(Option::is_some))
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .and_then(|p| p.clone());
                SystemPath::new(
                    found.as_deref(),
                    &self.nameservers,
                    self.timeouts.dns,
                    bound,
                )
            })
            .await
    }

    /// The settings, if they have been read by now.
    #[must_use]
    pub fn path_if_read(&self) -> Option<&SystemPath> {
        self.path.get()
    }

    /// Records the control host's connect time (the first one wins).
    fn record_control_rtt(&self, rtt: Duration, local: Option<IpAddr>) {
        self.control_rtt.send_if_modified(|v| {
            let first = v.is_none();
            if first {
                *v = Some(PathRtt { rtt, local });
            }
            first
        });
    }
}

/// What the chains see of the OS scan: its path settings (proxy, DNS) as soon as they are read,
/// and its interfaces once it has finished.
pub struct ScanView {
    /// The path settings.
    pub path: watch::Receiver<Option<Arc<PathSettings>>>,
    /// The interfaces.
    pub interfaces: watch::Receiver<Option<Arc<[Interface]>>>,
}

/// A global route lookup ("is there a route out"): no packet is sent; naming the interface
/// waits for the OS scan.
pub async fn route_out(ctx: Arc<Ctx>, slot: Slot, dst: IpAddr, out: Reporter) {
    let (outcome, data, detail) = route::lookup(dst, &ctx.interfaces().await);
    out.done(
        slot,
        StepResult::new(outcome, Duration::ZERO, detail, StepData::Route(data)),
    );
}

/// One target's chain, with what every step of it needs.
pub struct Chain {
    ctx: Arc<Ctx>,
    target: Target,
    slots: TargetSlots,
    out: Reporter,
}

impl Chain {
    /// A chain for `target`, reporting into `slots`.
    #[must_use]
    pub fn new(ctx: Arc<Ctx>, target: Target, slots: TargetSlots, out: Reporter) -> Chain {
        Chain {
            ctx,
            target,
            slots,
            out,
        }
    }

    /// Runs the chain to its end (or until the run drops it).
    pub async fn run(self) {
        self.out.started(self.slots.dns);
        let path = self.ctx.path().await;
        let r = path.resolvers.resolve(&self.target.host, &path.dns).await;
        let ok = r.outcome == Outcome::Ok && !r.addresses.is_empty();
        let addresses = r.addresses;
        self.out.done(
            self.slots.dns,
            StepResult::new(r.outcome, r.duration, r.detail, StepData::Dns(r.data)),
        );
        let https_url = Url::parse(&plan::https_url(&self.target)).ok();
        let via = https_url.and_then(|u| path.proxy.decide(&u).proxy);
        if !ok && via.is_none() {
            return;
        }
        let plain = async {
            if let Some(plain) = self.slots.plain
                && ok
            {
                self.http_chain(plain, &addresses).await;
            }
        };
        tokio::join!(
            self.route_step(&addresses, via.as_ref()),
            self.https_chain(&addresses, via.as_ref()),
            plain
        );
    }

    /// The route lookup waits for the OS scan to name the interface: off the critical path.
    /// Through a proxy, the path that matters is the one to the proxy.
    async fn route_step(&self, addresses: &[IpAddr], via: Option<&ProxyTarget>) {
        let proxy_ips = match via {
            Some(p) => match p.host.parse::<IpAddr>() {
                Ok(ip) => vec![ip],
                Err(_) => {
                    os_resolver::lookup(&p.host, self.ctx.timeouts.dns)
                        .await
                        .addresses
                }
            },
            None => Vec::new(),
        };
        let addresses = if via.is_some() {
            &proxy_ips[..]
        } else {
            addresses
        };
        let Some(&first) = tcp::candidates(addresses).first() else {
            return;
        };
        let (outcome, data, detail) = route::lookup(first, &self.ctx.interfaces().await);
        self.out.done(
            self.slots.route,
            StepResult::new(outcome, Duration::ZERO, detail, StepData::Route(data)),
        );
    }

    /// The TCP step of a port chain: connect, report, and hand on the connection and its address.
    async fn tcp_step(
        &self,
        slot: Slot,
        port: u16,
        addresses: &[IpAddr],
        via: Option<&ProxyTarget>,
    ) -> (tcp::TcpResult, Option<SocketAddr>) {
        self.out.started(slot);
        let mut t = match via {
            Some(proxy) => {
                let bound = self.ctx.bound(self.ctx.timeouts.connect);
                connect::through(proxy, &self.target.host, port, bound, bound).await
            }
            None => self.connect_bounded(addresses, port).await,
        };
        let connected = t.data.connected.as_deref().and_then(|a| a.parse().ok());
        self.out.done(
            slot,
            StepResult::new(
                t.outcome,
                t.duration,
                t.detail.take(),
                StepData::Tcp(t.data.clone()),
            ),
        );
        (t, connected)
    }

    /// The connect timeout for a target: restricted targets are called blocked once they have
    /// been silent for max(1.5 s, 8 × the control host's connect time), when that is known in
    /// time and was measured over the same path.
    async fn connect_bounded(&self, addresses: &[IpAddr], port: u16) -> tcp::TcpResult {
        let ctx = &self.ctx;
        let bound = ctx.bound(ctx.timeouts.connect);
        if !plan::is_restricted(self.target.role) {
            return tcp::connect(addresses, port, bound).await;
        }
        let start = tokio::time::Instant::now();
        let mut rtt = ctx.control_rtt.subscribe();
        // The local address this target's packets would leave from: a tunnel's when a VPN
        // routes it.
        let own_path = tcp::candidates(addresses)
            .first()
            .and_then(|ip| route::source_for(*ip));
        let connect = tcp::connect(addresses, port, bound);
        tokio::pin!(connect);
        let adaptive = async {
            let known = rtt.wait_for(Option::is_some).await.ok().and_then(|v| *v);
            match known {
                // The control host's round trip predicts this one only over the same path: a
                // slow hospital tunnel must not be judged by the fast direct link.
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
            call = adaptive => blocked(addresses, port, call, start.elapsed()),
        }
    }

    /// TCP → TLS → HTTPS on the target's HTTPS port.
    async fn https_chain(&self, addresses: &[IpAddr], via: Option<&ProxyTarget>) {
        let port = self.target.https_port;
        let (t, connected) = self.tcp_step(self.slots.tcp, port, addresses, via).await;
        if self.target.role == Role::Control && t.outcome == Outcome::Ok {
            let local = t.data.local_address.as_deref().and_then(|a| a.parse().ok());
            self.ctx.record_control_rtt(t.duration, local);
        }
        let (Some(stream), Some(addr)) = (t.stream, connected) else {
            return;
        };
        // This target's own round trip: its later steps scale with it.
        let timeouts = scaled(self.ctx.timeouts, t.duration);

        self.out.started(self.slots.tls);
        let trust = self.ctx.trust().await.clone();
        let host = &self.target.host;
        let h = tls::handshake(&trust, stream, host, self.ctx.bound(timeouts.tls)).await;
        self.out.done(
            self.slots.tls,
            StepResult::new(h.outcome, h.duration, h.detail, StepData::Tls(h.data)),
        );
        let Some(stream) = h.stream else { return };

        let host = host.clone();
        let via = via.cloned();
        let reconnect: Reconnect = Box::new(move || {
            let (host, trust, via) = (host.clone(), trust.clone(), via.clone());
            Box::pin(async move {
                let tcp = match &via {
                    Some(proxy) => reconnect_proxy(proxy, &host, port, timeouts.connect).await?,
                    None => reconnect_tcp(addr, timeouts.connect).await?,
                };
                let h = tls::handshake(&trust, tcp, &host, timeouts.tls).await;
                match h.stream {
                    Some(s) => Ok(Box::new(s) as Box<dyn Io>),
                    None => Err((h.outcome, h.detail.unwrap_or_default())),
                }
            })
        });
        let url = plan::https_url(&self.target);
        self.fetch_step(
            self.slots.https,
            &url,
            Box::new(stream),
            reconnect,
            timeouts,
        )
        .await;
    }

    /// TCP → plain HTTP (the control host: captive portals).
    async fn http_chain(&self, plain: PlainSlots, addresses: &[IpAddr]) {
        let (t, connected) = self.tcp_step(plain.tcp, plain.port, addresses, None).await;
        let (Some(stream), Some(addr)) = (t.stream, connected) else {
            return;
        };
        let timeouts = scaled(self.ctx.timeouts, t.duration);
        let reconnect: Reconnect = Box::new(move || {
            Box::pin(async move {
                Ok(Box::new(reconnect_tcp(addr, timeouts.connect).await?) as Box<dyn Io>)
            })
        });
        let url = plan::http_url(&self.target, plain.port);
        self.fetch_step(plain.http, &url, Box::new(stream), reconnect, timeouts)
            .await;
    }

    /// The HTTP step: fetch `url` over `first`. Same-origin redirects are followed (through
    /// `reconnect` when the connection cannot be kept) except for MARS and the portal, whose
    /// first verified response decides.
    async fn fetch_step(
        &self,
        slot: Slot,
        url: &str,
        first: Box<dyn Io>,
        reconnect: Reconnect,
        timeouts: Timeouts,
    ) {
        self.out.started(slot);
        let url = Url::parse(url).expect("validated host and path form a URL");
        let rules = http::Rules {
            allowed_hosts: &self.target.redirect_hosts,
            answers: &self.ctx.answers,
            follow: !plan::is_restricted(self.target.role),
        };
        let f = http::fetch(first, url, reconnect, &rules, self.ctx.bound(timeouts.http)).await;
        self.out.done(
            slot,
            StepResult::new(f.outcome, f.duration, f.detail, StepData::Http(f.data)),
        );
    }
}

/// The profile's step timeouts, raised to [`STEP_RTTS`] round trips of a path whose TCP
/// connect took `rtt` (still cut by the run's deadline where they are used).
fn scaled(t: Timeouts, rtt: Duration) -> Timeouts {
    let floor = rtt * STEP_RTTS;
    Timeouts {
        dns: t.dns,
        connect: t.connect.max(floor),
        tls: t.tls.max(floor),
        http: t.http.max(floor),
    }
}

/// The TCP result of a restricted target called blocked after `call` of silence.
fn blocked(addresses: &[IpAddr], port: u16, call: Duration, took: Duration) -> tcp::TcpResult {
    let mut data = TcpData {
        port,
        ..Default::default()
    };
    for ip in tcp::candidates(addresses) {
        data.attempts.push(TcpAttempt {
            address: SocketAddr::new(ip, port).to_string(),
            outcome: Outcome::Timeout,
            duration_ms: super::millis(call),
        });
    }
    tcp::TcpResult {
        outcome: Outcome::Timeout,
        data,
        duration: took,
        stream: None,
        detail: Some(format!(
            "no answer within {} ms (8 x the control host's connect time, at least 1.5 s): the path is blocked",
            call.as_millis()
        )),
    }
}

/// A fresh tunnel through `proxy` to `host:port`, for following a redirect.
async fn reconnect_proxy(
    proxy: &ProxyTarget,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<TcpStream, (Outcome, String)> {
    let t = connect::through(proxy, host, port, timeout, timeout).await;
    t.stream
        .ok_or_else(|| (t.outcome, t.detail.unwrap_or_default()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_timeouts_grow_with_a_slow_path_only() {
        let t = Timeouts {
            dns: Duration::from_millis(2500),
            connect: Duration::from_millis(3000),
            tls: Duration::from_millis(3000),
            http: Duration::from_millis(4000),
        };
        assert_eq!(
            scaled(t, Duration::from_millis(20)),
            t,
            "a fast path keeps them"
        );
        let slow = scaled(t, Duration::from_millis(1200));
        assert_eq!(slow.tls, Duration::from_millis(4800));
        assert_eq!(slow.http, Duration::from_millis(4800));
        assert_eq!(slow.connect, Duration::from_millis(4800));
        assert_eq!(slow.dns, t.dns);
    }
}
