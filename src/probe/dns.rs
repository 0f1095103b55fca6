//! DNS probe: the addresses a name resolves to, and what each nameserver says about it.
//!
//! Two modes. By default the operating system's resolver decides, as for the browser
//! ([`super::os_resolver`], see [`super::dns_os`]), and every configured nameserver, plus the
//! per-domain ones a VPN installed ([`super::split_dns`]), is asked directly beside it as
//! evidence (both as the OS reading found them, [`crate::os::dns`]). When the profile names its own nameservers (the test worlds do), those alone are
//! asked and decide.
//!
//! hickory's `Lookup` does not say which server answered, so each nameserver gets a resolver of
//! its own (DEPENDENCIES.md §1): attribution is then by construction, and a silent or failing
//! server shows up by name in the report. Queries go out concurrently; with the profile's
//! nameservers the probe settles as soon as one server has answered both record types with at
//! least one address, or when all have finished. Names are asked as absolute names (trailing
//! dot), so search domains add no noise.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::ProtoError;
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use tokio::task::JoinSet;

use crate::os::dns::{Dns, SystemResolvers};
use crate::report::model::{DnsData, DnsServerResult, Outcome, ResolverInfo};

/// Addresses listed per family in the report (a hostile answer may carry thousands).
pub(super) const MAX_LISTED: usize = 32;
/// Addresses listed per nameserver row (enough to compare with the OS resolver).
pub(super) const MAX_PER_SERVER: usize = 8;

/// Who decides the addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The operating system's resolver; nameservers asked directly are evidence.
    Os,
    /// The profile's nameservers, asked directly (no OS resolver).
    Nameservers,
}

/// The resolvers the DNS probes use, built once per run.
#[derive(Clone)]
pub struct Resolvers {
    /// One single-server resolver per nameserver, in configuration order.
    pub(super) servers: Vec<(SocketAddr, TokioResolver)>,
    /// Who decides.
    pub(super) mode: Mode,
    /// Options for single-server resolvers (also those built for per-domain servers).
    pub(super) opts: ResolverOpts,
    /// What goes into the report's `resolver` section.
    pub info: ResolverInfo,
}

/// The result of resolving one name.
#[derive(Debug, Clone)]
pub struct DnsResult {
    /// The name's overall outcome.
    pub outcome: Outcome,
    /// Addresses, IPv4 first (from the server whose answer was used).
    pub addresses: Vec<IpAddr>,
    /// Per-server details.
    pub data: DnsData,
    /// Time until the answer used (or until every server had finished).
    pub duration: Duration,
    /// A line for the report when the outcome needs explaining.
    pub detail: Option<String>,
}

/// Who decides, the nameservers asked directly, and the report's account of both: the
/// profile's nameservers when it names any, else the OS resolver with the system's.
fn chosen(
    profile_nameservers: &[SocketAddr],
    system: &SystemResolvers,
) -> (Mode, Vec<SocketAddr>, ResolverInfo) {
    let (mode, source, servers, search, error) = if profile_nameservers.is_empty() {
        (
            Mode::Os,
            "system",
            system.nameservers.clone(),
            system.search.clone(),
            system.error.clone(),
        )
    } else {
        (
            Mode::Nameservers,
            "profile",
            profile_nameservers.to_vec(),
            Vec::new(),
            None,
        )
    };
    let info = ResolverInfo {
        source: source.into(),
        nameservers: servers.iter().map(ToString::to_string).collect(),
        search,
        error,
        mode: Some(
            match mode {
                Mode::Os => "os",
                Mode::Nameservers => "nameservers",
            }
            .into(),
        ),
        ..ResolverInfo::default()
    };
    (mode, servers, info)
}

impl Resolvers {
    /// Resolvers for the profile's nameservers (which then decide), or else the OS resolver
    /// with the OS configuration's nameservers (`system`, as the OS reading found them) as
    /// evidence.
    #[must_use]
    pub fn new(
        profile_nameservers: &[SocketAddr],
        system: &SystemResolvers,
        timeout: Duration,
    ) -> Resolvers {
        let (mode, servers, info) = chosen(profile_nameservers, system);
        let mut opts = ResolverOpts::default();
        opts.timeout = timeout;
        opts.attempts = 0; // one try per query: the probe measures, it does not retry
        opts.cache_size = 0;
        opts.num_concurrent_reqs = 1;
        opts.use_hosts_file = ResolveHosts::Never;
        opts.edns0 = true;
        opts.os_port_selection = true; // random ports can trigger firewall prompts on Windows
        opts.preserve_intermediates = true;
        let servers = servers
            .iter()
            .filter_map(|addr| single_server(*addr, &opts).map(|r| (*addr, r)))
            .collect();
        Resolvers {
            servers,
            mode,
            opts,
            info,
        }
    }

    /// The report's `resolver` section of a run that ended before the OS reading had the
    /// resolver configuration (the profile's nameservers are known without it).
    #[must_use]
    pub fn unread_info(profile_nameservers: &[SocketAddr]) -> ResolverInfo {
        let unread = SystemResolvers {
            error: Some("the run ended before the resolver configuration was read".into()),
            ..SystemResolvers::default()
        };
        chosen(profile_nameservers, &unread).2
    }

    /// Resolves `host` (A and AAAA); an IP literal needs no DNS. `split` names the per-domain
    /// servers the OS would also use (asked as evidence in [`Mode::Os`]).
    pub async fn resolve(&self, host: &str, split: &Dns) -> DnsResult {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return literal(ip);
        }
        match self.mode {
            Mode::Os => self.resolve_os(host, split).await,
            Mode::Nameservers => self.resolve_direct(host).await,
        }
    }

    /// Resolves `host` through the profile's nameservers only.
    async fn resolve_direct(&self, host: &str) -> DnsResult {
        let start = Instant::now();
        if self.servers.is_empty() {
            return self.no_nameservers(start);
        }
        let mut set = ask_every_server(&self.servers, host, start);
        let mut replies = collect(&mut set, self.servers.len()).await;
        // Queries still out when an answer settled it: record them as not needed.
        set.abort_all();
        let addrs: Vec<SocketAddr> = self.servers.iter().map(|(a, _)| *a).collect();
        record_not_needed(&addrs, &mut replies);
        replies.data.source = Some("nameservers".into());
        match replies.chosen {
            Some(index) => self.answered(index, replies),
            None => self.failed(replies),
        }
    }

    /// The result when there is no server to ask, saying why.
    fn no_nameservers(&self, start: Instant) -> DnsResult {
        DnsResult {
            outcome: Outcome::NoNameservers,
            addresses: vec![],
            data: DnsData::default(),
            duration: start.elapsed(),
            detail: Some(match &self.info.error {
                Some(e) => format!("the resolver configuration could not be read: {e}"),
                None => "no nameserver is configured".into(),
            }),
        }
    }

    /// The result when server `index` answered both types with at least one address: its
    /// addresses, the first [`MAX_LISTED`] of each family listed in the report.
    fn answered(&self, index: usize, replies: Replies) -> DnsResult {
        let Replies {
            per_server,
            mut data,
            duration,
            ..
        } = replies;
        let [a, aaaa] = &per_server[index];
        let addresses: Vec<IpAddr> = a
            .iter()
            .chain(aaaa.iter())
            .flat_map(|(_, addrs)| addrs.iter().copied())
            .collect();
        let detail = list_addresses(&addresses, &mut data);
        data.answered_by = Some(self.servers[index].0.to_string());
        DnsResult {
            outcome: Outcome::Ok,
            addresses,
            data,
            duration,
            detail,
        }
    }

    /// The result when no server returned an address: the most telling failure.
    fn failed(&self, replies: Replies) -> DnsResult {
        let Replies { data, duration, .. } = replies;
        let outcomes: Vec<Outcome> = data.servers.iter().map(|s| s.outcome).collect();
        let outcome = combine_failures(&outcomes);
        let detail = Some(format!(
            "{} nameserver(s) asked ({}); none returned an address",
            self.servers.len(),
            self.info.nameservers.join(", ")
        ));
        DnsResult {
            outcome,
            addresses: vec![],
            data,
            duration,
            detail,
        }
    }
}

/// The result for an IP literal: the address itself, no query.
fn literal(ip: IpAddr) -> DnsResult {
    let mut data = DnsData::default();
    match ip {
        IpAddr::V4(_) => data.a.push(ip.to_string()),
        IpAddr::V6(_) => data.aaaa.push(ip.to_string()),
    }
    DnsResult {
        outcome: Outcome::Ok,
        addresses: vec![ip],
        data,
        duration: Duration::ZERO,
        detail: Some("an IP address: nothing to resolve".into()),
    }
}

/// A resolver that asks only `addr` (attribution by construction), with the probe's options.
pub(super) fn single_server(addr: SocketAddr, opts: &ResolverOpts) -> Option<TokioResolver> {
    let mut udp = ConnectionConfig::udp();
    udp.port = addr.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = addr.port();
    let ns = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
    let config = ResolverConfig::from_parts(None, vec![], vec![ns]);
    Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(opts.clone())
        .build()
        .ok()
}

/// Sends A and AAAA for `host` (as an absolute name) to every server at once.
pub(super) fn ask_every_server(
    servers: &[(SocketAddr, TokioResolver)],
    host: &str,
    start: Instant,
) -> JoinSet<Reply> {
    let fqdn: Arc<str> = format!("{}.", host.trim_end_matches('.')).into();
    let mut set = JoinSet::new();
    for (index, (server, resolver)) in servers.iter().enumerate() {
        for rtype in [RecordType::A, RecordType::AAAA] {
            let resolver = resolver.clone();
            let fqdn = fqdn.clone();
            let server = *server;
            set.spawn(async move {
                let (mut outcome, addrs) = query(&resolver, &fqdn, rtype).await;
                // hickory reports a send this computer refused as "no connections": ask the OS.
                if outcome == Outcome::Unreachable {
                    outcome = super::local_refusal(server).unwrap_or(outcome);
                }
                Reply {
                    index,
                    server,
                    rtype,
                    outcome,
                    addrs,
                    elapsed: start.elapsed(),
                }
            });
        }
    }
    set
}

/// Adds a `not-needed` row for every query that had not answered when the probe settled.
pub(super) fn record_not_needed(servers: &[SocketAddr], replies: &mut Replies) {
    for (index, addr) in servers.iter().enumerate() {
        for (slot, rtype) in [RecordType::A, RecordType::AAAA].into_iter().enumerate() {
            if replies.per_server[index][slot].is_none() {
                replies.data.servers.push(DnsServerResult {
                    server: addr.to_string(),
                    record_type: rtype.to_string(),
                    outcome: Outcome::NotNeeded,
                    duration_ms: super::millis(replies.duration),
                    answers: 0,
                    addresses: vec![],
                    scope: None,
                });
            }
        }
    }
}

/// One finished query: which server (by index and address), which type, what came back, when.
pub(super) struct Reply {
    pub(super) index: usize,
    pub(super) server: SocketAddr,
    pub(super) rtype: RecordType,
    pub(super) outcome: Outcome,
    pub(super) addrs: Vec<IpAddr>,
    pub(super) elapsed: Duration,
}

impl Reply {
    /// This reply as a report row.
    pub(super) fn row(&self) -> DnsServerResult {
        DnsServerResult {
            server: self.server.to_string(),
            record_type: self.rtype.to_string(),
            outcome: self.outcome,
            duration_ms: super::millis(self.elapsed),
            answers: self.addrs.len(),
            addresses: self
                .addrs
                .iter()
                .take(MAX_PER_SERVER)
                .map(ToString::to_string)
                .collect(),
            scope: None,
        }
    }
}

/// The replies gathered so far, per server and as report rows.
pub(super) struct Replies {
    /// Per server: the A and the AAAA answer, once arrived.
    pub(super) per_server: Vec<[Answered; 2]>,
    /// The report's per-server rows, in arrival order.
    pub(super) data: DnsData,
    /// The server whose answer settled the probe, if one did.
    pub(super) chosen: Option<usize>,
    /// Time of the last reply taken.
    pub(super) duration: Duration,
}

impl Replies {
    /// No replies yet from `servers` servers.
    pub(super) fn new(servers: usize) -> Replies {
        Replies {
            per_server: vec![[None, None]; servers],
            data: DnsData::default(),
            chosen: None,
            duration: Duration::ZERO,
        }
    }

    /// Records one reply (its row and its per-server slot).
    pub(super) fn take(&mut self, reply: Reply) {
        self.data.servers.push(reply.row());
        let slot = usize::from(reply.rtype == RecordType::AAAA);
        self.duration = reply.elapsed;
        self.per_server[reply.index][slot] = Some((reply.outcome, reply.addrs));
    }
}

/// Takes replies as they arrive until one server has answered both types with at least one
/// address (that server is `chosen`), or every query has finished.
async fn collect(set: &mut JoinSet<Reply>, servers: usize) -> Replies {
    let mut replies = Replies::new(servers);
    while let Some(joined) = set.join_next().await {
        let Ok(reply) = joined else {
            continue;
        };
        let index = reply.index;
        replies.take(reply);
        if let [Some((_, a)), Some((_, aaaa))] = &replies.per_server[index]
            && (!a.is_empty() || !aaaa.is_empty())
        {
            replies.chosen = Some(index);
            break;
        }
    }
    replies
}

/// One server's answer to one record type, once it has arrived.
pub(super) type Answered = Option<(Outcome, Vec<IpAddr>)>;

/// One query of one record type to one single-server resolver.
async fn query(resolver: &TokioResolver, name: &str, rtype: RecordType) -> (Outcome, Vec<IpAddr>) {
    // hickory's own timeout applies; this outer bound only guards against a stuck future.
    let bound = resolver.options().timeout + Duration::from_millis(200);
    let result = tokio::time::timeout(bound, resolver.lookup(name, rtype)).await;
    match result {
        Err(_) => (Outcome::Timeout, vec![]),
        Ok(Ok(lookup)) => {
            let addrs: Vec<IpAddr> = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                })
                .collect();
            if addrs.is_empty() {
                (Outcome::NoRecords, addrs)
            } else {
                (Outcome::Ok, addrs)
            }
        }
        Ok(Err(e)) => (classify(&e), vec![]),
    }
}

/// Maps hickory's error to the report's closed outcome list (DEPENDENCIES.md §1, verified).
#[must_use]
pub fn classify(e: &NetError) -> Outcome {
    match e {
        NetError::Timeout => Outcome::Timeout,
        NetError::Dns(DnsError::NoRecordsFound(nr))
            if nr.response_code == ResponseCode::NXDomain =>
        {
            Outcome::Nxdomain
        }
        NetError::Dns(DnsError::NoRecordsFound(_)) => Outcome::NoRecords,
        NetError::Dns(DnsError::ResponseCode(ResponseCode::ServFail)) => Outcome::Servfail,
        NetError::Dns(DnsError::ResponseCode(ResponseCode::Refused)) => Outcome::Refused,
        NetError::Dns(DnsError::ResponseCode(ResponseCode::NXDomain)) => Outcome::Nxdomain,
        NetError::Io(io) => super::classify_io(io),
        NetError::NoConnections => Outcome::Unreachable,
        // Undecodable, cut-off or not-a-response answers; and a truncated UDP answer whose TCP
        // retry failed (hickory keeps only "truncated"): the server speaks broken DNS.
        NetError::Truncated
        | NetError::Proto(
            ProtoError::Decode(_)
            | ProtoError::FormError { .. }
            | ProtoError::NotAResponse
            | ProtoError::MaxBufferSizeExceeded(_),
        ) => Outcome::ProtocolError,
        _ => Outcome::Error,
    }
}

/// Lists `addresses` in the report's `a` and `aaaa`, the first [`MAX_LISTED`] of each family;
/// returns a detail line when some were left out.
pub(super) fn list_addresses(addresses: &[IpAddr], data: &mut DnsData) -> Option<String> {
    let listed = |v6: bool| -> Vec<String> {
        addresses
            .iter()
            .filter(|ip| ip.is_ipv6() == v6)
            .take(MAX_LISTED)
            .map(ToString::to_string)
            .collect()
    };
    data.a = listed(false);
    data.aaaa = listed(true);
    (addresses.len() > data.a.len() + data.aaaa.len()).then(|| {
        format!(
            "{} addresses returned; the first {MAX_LISTED} of each family are listed",
            addresses.len()
        )
    })
}

/// The name's outcome when no server returned an address: the most telling failure wins.
pub(super) fn combine_failures(outcomes: &[Outcome]) -> Outcome {
    const ORDER: [Outcome; 9] = [
        Outcome::Nxdomain,
        Outcome::NoRecords,
        Outcome::Servfail,
        Outcome::Refused,
        // This computer refused to send: says more than a silence, less than any DNS answer.
        Outcome::PermissionDenied,
        Outcome::ProtocolError,
        Outcome::Unreachable,
        Outcome::Error,
        Outcome::Timeout,
    ];
    ORDER
        .into_iter()
        .find(|o| outcomes.contains(o))
        .unwrap_or(if outcomes.is_empty() {
            Outcome::NoNameservers
        } else {
            Outcome::Error
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nxdomain_beats_timeout_and_servfail() {
        use Outcome::*;
        assert_eq!(combine_failures(&[Timeout, Nxdomain, Servfail]), Nxdomain);
        assert_eq!(combine_failures(&[Timeout, Servfail]), Servfail);
        assert_eq!(combine_failures(&[Timeout, Timeout]), Timeout);
        assert_eq!(combine_failures(&[NoRecords, NoRecords]), NoRecords);
        assert_eq!(combine_failures(&[]), NoNameservers);
        assert_eq!(
            combine_failures(&[Timeout, PermissionDenied, Unreachable]),
            PermissionDenied
        );
    }

    #[test]
    fn classify_maps_hickory_errors() {
        assert_eq!(classify(&NetError::Timeout), Outcome::Timeout);
        assert_eq!(
            classify(&NetError::Dns(DnsError::ResponseCode(
                ResponseCode::ServFail
            ))),
            Outcome::Servfail
        );
        assert_eq!(
            classify(&NetError::Dns(DnsError::ResponseCode(
                ResponseCode::Refused
            ))),
            Outcome::Refused
        );
        assert_eq!(classify(&NetError::Truncated), Outcome::ProtocolError);
        assert_eq!(
            classify(&NetError::Proto(ProtoError::NotAResponse)),
            Outcome::ProtocolError
        );
        let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(classify(&NetError::Io(Arc::new(io))), Outcome::Refused);
    }
}
