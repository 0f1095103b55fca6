//! A scripted, in-process DNS server (hickory-server) on 127.0.0.1, UDP and TCP on one port.
//!
//! Each name gets a [`Rule`]; names without one fall back to the wildcard rule, else NXDOMAIN.
//! The server counts the queries it sees, so tests can assert that the binary asked it at all.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{A, AAAA};
use hickory_server::proto::rr::{RData, Record, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;

/// What the server does for one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// NOERROR with these addresses: A queries get the IPv4 ones, AAAA the IPv6 ones (none: NODATA).
    Answer(Vec<IpAddr>),
    /// NXDOMAIN: the name does not exist.
    NxDomain,
    /// SERVFAIL: the server failed.
    ServFail,
    /// REFUSED: the server will not answer.
    Refused,
    /// Never answers (the client times out).
    Silent,
}

impl Rule {
    /// The usual answer in these tests: the name is 127.0.0.1 (IPv4 only; AAAA is NODATA).
    #[must_use]
    pub fn loopback() -> Rule {
        Rule::Answer(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)])
    }
}

/// One query the server saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The name asked for, lowercase, without the final dot.
    pub name: String,
    /// `A`, `AAAA`, …
    pub record_type: String,
}

#[derive(Default)]
struct Script {
    rules: HashMap<String, Rule>,
    wildcard: Option<Rule>,
}

struct Handler {
    script: Script,
    seen: Arc<Mutex<Vec<Seen>>>,
    count: Arc<AtomicUsize>,
}

/// Most queries a fixture records by name (the counter keeps counting past it).
const MAX_RECORDED: usize = 10_000;

fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        self.count.fetch_add(1, Ordering::SeqCst);
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = true;
        metadata.recursion_available = true;
        let not_sent = ResponseInfo::from(Header {
            metadata,
            counts: HeaderCounts::default(),
        });

        let Ok(info) = request.request_info() else {
            let response = MessageResponseBuilder::from_message_request(request)
                .error_msg(&request.metadata, ResponseCode::FormErr);
            return response_handle
                .send_response(response)
                .await
                .unwrap_or(not_sent);
        };
        let query = info.query.original();
        let name = normalize(&query.name().to_ascii());
        let qtype = query.query_type();
        if let Ok(mut seen) = self.seen.lock()
            && seen.len() < MAX_RECORDED
        {
            seen.push(Seen {
                name: name.clone(),
                record_type: qtype.to_string(),
            });
        }

        let rule = self
            .script
            .rules
            .get(&name)
            .or(self.script.wildcard.as_ref())
            .cloned()
            .unwrap_or(Rule::NxDomain);
        let code = match &rule {
            Rule::Answer(_) => ResponseCode::NoError,
            Rule::NxDomain => ResponseCode::NXDomain,
            Rule::ServFail => ResponseCode::ServFail,
            Rule::Refused => ResponseCode::Refused,
            Rule::Silent => return not_sent,
        };
        let Rule::Answer(addrs) = rule else {
            let response = MessageResponseBuilder::from_message_request(request)
                .error_msg(&request.metadata, code);
            return response_handle
                .send_response(response)
                .await
                .unwrap_or(not_sent);
        };
        let records: Vec<Record> = addrs
            .iter()
            .filter_map(|ip| match (ip, qtype) {
                (IpAddr::V4(v4), RecordType::A) => Some(RData::A(A(*v4))),
                (IpAddr::V6(v6), RecordType::AAAA) => Some(RData::AAAA(AAAA(*v6))),
                _ => None,
            })
            .map(|rdata| Record::from_rdata(query.name().clone(), 60, rdata))
            .collect();
        let response = MessageResponseBuilder::from_message_request(request).build(
            metadata,
            records.iter(),
            std::iter::empty(),
            std::iter::empty(),
            std::iter::empty(),
        );
        response_handle
            .send_response(response)
            .await
            .unwrap_or(not_sent)
    }
}

/// Builds a [`DnsServer`].
#[derive(Default)]
pub struct DnsBuilder {
    script: Script,
}

impl DnsBuilder {
    /// The rule for one name (case and final dot do not matter).
    #[must_use]
    pub fn name(mut self, name: &str, rule: Rule) -> Self {
        self.script.rules.insert(normalize(name), rule);
        self
    }

    /// The rule for every name that has no rule of its own (default: NXDOMAIN).
    #[must_use]
    pub fn wildcard(mut self, rule: Rule) -> Self {
        self.script.wildcard = Some(rule);
        self
    }

    /// Binds 127.0.0.1 (UDP, and TCP on the same port) and starts answering.
    ///
    /// # Panics
    /// When no port pair can be bound in a few tries (the machine is out of ports).
    #[must_use]
    pub fn start(self) -> DnsServer {
        let (udp, tcp) = bind_udp_and_tcp();
        let addr = udp.local_addr().expect("bound UDP socket has an address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let handler = Handler {
            script: self.script,
            seen: Arc::clone(&seen),
            count: Arc::clone(&count),
        };
        let task = super::rt().spawn(async move {
            let mut server = Server::new(handler);
            server.register_socket(
                tokio::net::UdpSocket::from_std(udp).expect("UDP socket joins the runtime"),
            );
            if let Some(tcp) = tcp {
                server.register_listener(
                    tokio::net::TcpListener::from_std(tcp).expect("TCP listener joins the runtime"),
                    Duration::from_secs(5),
                    4096,
                );
            }
            // Runs until this task is aborted (Drop), which drops the server and its sockets.
            let _ = server.block_until_done().await;
        });
        DnsServer {
            addr,
            seen,
            count,
            task,
        }
    }
}

/// How many times to look for a port free for both UDP and TCP.
const BIND_TRIES: usize = 20;

fn bind_udp_and_tcp() -> (std::net::UdpSocket, Option<std::net::TcpListener>) {
    let mut last_udp = None;
    for _ in 0..BIND_TRIES {
        let udp =
            std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind UDP 127.0.0.1:0");
        udp.set_nonblocking(true).expect("nonblocking UDP");
        let port = udp.local_addr().expect("UDP address").port();
        if let Ok(tcp) = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            tcp.set_nonblocking(true).expect("nonblocking TCP");
            return (udp, Some(tcp));
        }
        last_udp = Some(udp);
    }
    // UDP alone still serves every query the binary makes (answers are far below 512 bytes).
    (last_udp.expect("at least one UDP bind"), None)
}

/// A running scripted DNS server; stops when dropped.
pub struct DnsServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    count: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl DnsServer {
    /// Starts describing a server.
    #[must_use]
    pub fn builder() -> DnsBuilder {
        DnsBuilder::default()
    }

    /// Where it listens (UDP, and TCP on the same port).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many queries it has received, answered or not.
    #[must_use]
    pub fn queries(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The queries it has received, in order.
    #[must_use]
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// How many queries named `name`.
    #[must_use]
    pub fn queries_for(&self, name: &str) -> usize {
        let name = normalize(name);
        self.seen().iter().filter(|s| s.name == name).count()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
