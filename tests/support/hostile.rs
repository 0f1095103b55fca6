//! Hostile fixtures: servers that misbehave on purpose, for `tests/hostile/`.
//!
//! - [`serve`]: a TCP port (behind TLS with a valid test-CA certificate where the case is about
//!   HTTP) that answers with hand-written bytes: garbage instead of a ServerHello, headers dribbled
//!   forever, a body of gigabytes, redirect loops, 10,000 headers, a broken status line.
//! - [`dns_front`]: a raw UDP (and TCP) DNS responder that answers the names it is given with
//!   crafted packets (truncated, garbage, wrong transaction id, oversized, a CNAME loop) and relays
//!   every other query to the scripted hickory fixture, so the other targets resolve as usual.
//!   hickory-server cannot send malformed packets, hence bytes by hand.
//!
//! Everything binds 127.0.0.1 with an OS-assigned port and stops when dropped; every loop is
//! bounded in count, and every connection in time ([`FIXTURE_HOLD`]).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::task::{JoinHandle, JoinSet};

use super::FIXTURE_HOLD;
use super::servers::{self, Counters, Endpoint, HANDSHAKE_TIMEOUT};
use super::tls::Leaf;

/// A hostile TCP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hostile {
    /// Reads the ClientHello, answers with [`GARBAGE_LEN`] bytes of garbage (no TLS record), and
    /// keeps the connection open. On a plain-HTTP port the same garbage answers the request.
    TlsGarbage,
    /// Completes TLS (valid certificate) on the HTTPS port, then answers HTTP by this script.
    Http(RawHttp),
}

/// Hand-written HTTP/1.1 answers that hyper's server would never send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawHttp {
    /// `HTTP/1.1 200 OK`, then one header line every [`DRIP_INTERVAL`], never the blank line.
    Slowloris,
    /// `200 OK` with `Content-Length` [`ENDLESS_BODY_LEN`] (10 GiB), streamed until the client
    /// goes away.
    EndlessBody,
    /// `200 OK`, `Transfer-Encoding: chunked`, 64 KiB chunks until the client goes away (at most
    /// [`ENDLESS_BODY_LEN`]).
    EndlessChunked,
    /// `/` → 302 `/a` → 302 `/` → … on the same host, port and scheme.
    RedirectLoop,
    /// 302 to `https://`[`FOREIGN_HOST`]`/`.
    ForeignRedirect,
    /// `200 OK` with this many header lines (`X-Header-N: N`).
    ManyHeaders(usize),
    /// The status line `HTTP/1.1 abc`.
    BrokenStatusLine,
    /// `200 OK` with `Set-Cookie: session=<cookie>` and this body: secrets a report must not
    /// carry (`tests/privacy/`).
    Leaky {
        /// The cookie's value.
        cookie: String,
        /// The whole body.
        body: String,
    },
}

/// Where [`RawHttp::ForeignRedirect`] sends the client.
pub const FOREIGN_HOST: &str = "elsewhere.example.test";
/// Bytes of garbage [`Hostile::TlsGarbage`] sends.
pub const GARBAGE_LEN: usize = 4096;
/// Pause between two header lines of [`RawHttp::Slowloris`].
pub const DRIP_INTERVAL: Duration = Duration::from_millis(100);
/// Most header lines [`RawHttp::Slowloris`] sends (a minute's worth, past [`FIXTURE_HOLD`]).
const MAX_DRIP_LINES: usize = 600;
/// The body length [`RawHttp::EndlessBody`] announces.
pub const ENDLESS_BODY_LEN: u64 = 10 * 1024 * 1024 * 1024;
/// One write of the endless body.
const BODY_CHUNK: usize = 64 * 1024;
/// Longest request head read before answering.
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// How long to wait for a request head (or a ClientHello).
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Starts a hostile server: TLS with `leaf` first when given (except for [`Hostile::TlsGarbage`],
/// whose point is to not speak TLS), plain TCP otherwise. Stops when the endpoint is dropped.
#[must_use]
pub fn serve(kind: &Hostile, leaf: Option<&Leaf>) -> Endpoint {
    let kind = Arc::new(kind.clone());
    let acceptor = leaf.map(|leaf| tokio_rustls::TlsAcceptor::from(leaf.server_config()));
    servers::endpoint(servers::bind(), move |listener, counters| {
        servers::spawn_acceptor(listener, counters, move |stream, counters| {
            let kind = Arc::clone(&kind);
            let acceptor = acceptor.clone();
            async move {
                match (&*kind, acceptor) {
                    (Hostile::TlsGarbage, _) => garbage(stream).await,
                    (Hostile::Http(script), None) => raw_http(stream, script, &counters).await,
                    (Hostile::Http(script), Some(acceptor)) => {
                        let Ok(Ok(tls)) =
                            tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                        else {
                            return;
                        };
                        counters.handshake();
                        raw_http(tls, script, &counters).await;
                    }
                }
            }
        })
    })
}

/// Deterministic bytes that are not TLS: the first is `g` (0x67, no TLS content type).
#[must_use]
pub fn garbage_bytes(len: usize) -> Vec<u8> {
    let mut out = b"garbage, not a ServerHello\r\n".to_vec();
    let mut x: u32 = 0x9E37_79B9;
    while out.len() < len {
        // xorshift32
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

async fn garbage(mut stream: TcpStream) {
    let mut hello = vec![0u8; MAX_REQUEST_HEAD];
    let _ = tokio::time::timeout(READ_TIMEOUT, stream.read(&mut hello)).await;
    if stream.write_all(&garbage_bytes(GARBAGE_LEN)).await.is_err() {
        return;
    }
    let _ = stream.flush().await;
    // Keep the connection open: the client must give up by itself (the acceptor bounds this).
    tokio::time::sleep(FIXTURE_HOLD).await;
}

/// Reads a request head (to the blank line, at most [`MAX_REQUEST_HEAD`] bytes) and returns the
/// request path, or None when the client sent none in time.
async fn read_request_path<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let read = async {
        while head.len() < MAX_REQUEST_HEAD && !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        true
    };
    if !tokio::time::timeout(READ_TIMEOUT, read)
        .await
        .unwrap_or(false)
    {
        return None;
    }
    let line = head.split(|b| *b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    line.split_whitespace().nth(1).map(str::to_owned)
}

async fn raw_http<S>(mut stream: S, script: &RawHttp, counters: &Counters)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let Some(path) = read_request_path(&mut stream).await else {
        return;
    };
    counters.request();
    let finished = match script {
        RawHttp::Slowloris => {
            if stream.write_all(b"HTTP/1.1 200 OK\r\n").await.is_err() {
                return;
            }
            for i in 0..MAX_DRIP_LINES {
                let _ = stream.flush().await;
                tokio::time::sleep(DRIP_INTERVAL).await;
                let line = format!("X-Drip-{i}: {i}\r\n");
                if stream.write_all(line.as_bytes()).await.is_err() {
                    return;
                }
            }
            return;
        }
        RawHttp::EndlessBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nServer: hostile\r\nContent-Type: application/octet-stream\r\n\
                 Content-Length: {ENDLESS_BODY_LEN}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; BODY_CHUNK];
            let chunks = ENDLESS_BODY_LEN / BODY_CHUNK as u64;
            for _ in 0..chunks {
                // Blocks while the client does not read; ends when it closes.
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            return;
        }
        RawHttp::EndlessChunked => {
            let head = "HTTP/1.1 200 OK\r\nServer: hostile\r\nContent-Type: application/octet-stream\r\n\
                        Transfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = format!("{BODY_CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b'x', BODY_CHUNK));
            chunk.extend_from_slice(b"\r\n");
            let chunks = ENDLESS_BODY_LEN / BODY_CHUNK as u64;
            for _ in 0..chunks {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            return;
        }
        RawHttp::RedirectLoop => {
            let next = if path == "/" { "/a" } else { "/" };
            stream.write_all(redirect(next).as_bytes()).await
        }
        RawHttp::ForeignRedirect => {
            let to = format!("https://{FOREIGN_HOST}/");
            stream.write_all(redirect(&to).as_bytes()).await
        }
        RawHttp::ManyHeaders(count) => {
            let mut head = String::from("HTTP/1.1 200 OK\r\n");
            for i in 0..*count {
                head.push_str(&format!("X-Header-{i}: {i}\r\n"));
            }
            head.push_str("Content-Length: 3\r\nConnection: close\r\n\r\nok\n");
            stream.write_all(head.as_bytes()).await
        }
        RawHttp::Leaky { cookie, body } => {
            let answer = format!(
                "HTTP/1.1 200 OK\r\nServer: hostile\r\nSet-Cookie: session={cookie}; Path=/\r\n\
                 Content-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await
        }
        RawHttp::BrokenStatusLine => {
            stream
                .write_all(b"HTTP/1.1 abc\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await
        }
    };
    if finished.is_ok() {
        let _ = stream.flush().await;
        let _ = stream.shutdown().await;
    }
}

fn redirect(location: &str) -> String {
    format!(
        "HTTP/1.1 302 Found\r\nServer: hostile\r\nLocation: {location}\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    )
}

// ---------------------------------------------------------------------------------------------
// DNS
// ---------------------------------------------------------------------------------------------

/// How the DNS front answers the names it owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsHostile {
    /// TC bit set, no answers; the TCP port (same number) accepts and never answers.
    Truncated,
    /// TC bit set, no answers; nothing listens on TCP (the fallback is refused).
    TruncatedNoTcp,
    /// The query's transaction id, then [`GARBAGE_LEN`]`/8` bytes of garbage.
    Garbage,
    /// Garbage from the first byte on (the id too).
    RandomGarbage,
    /// Well-formed answers (127.0.0.1) with the wrong transaction id: three of them, never the
    /// right one.
    MismatchedId,
    /// One UDP datagram of about 64 KB: [`OVERSIZED_A`] A records (or [`OVERSIZED_AAAA`] AAAA
    /// records), far beyond the client's advertised payload size, TC bit clear.
    Oversized,
    /// TC over UDP; over TCP the same oversized answer, well-formed (about 64 KB).
    OversizedOverTcp,
    /// The name is a CNAME for [`CNAME_LOOP_PARTNER`], which is a CNAME for the name (both
    /// records in every answer, for either name).
    CnameLoop,
}

/// The other end of [`DnsHostile::CnameLoop`].
pub const CNAME_LOOP_PARTNER: &str = "loop-b.hms.test";
/// A records in an oversized answer (16 bytes each: about 64 KB).
pub const OVERSIZED_A: usize = 4000;
/// AAAA records in an oversized answer (28 bytes each: about 64 KB).
pub const OVERSIZED_AAAA: usize = 2300;

/// What a DNS front answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsFront {
    /// The name answered with crafted packets (lowercase, no final dot).
    pub name: String,
    /// How.
    pub kind: DnsHostile,
}

impl DnsFront {
    /// `name` is answered per `kind`; every other name is relayed to the fixture.
    #[must_use]
    pub fn new(name: &str, kind: DnsHostile) -> DnsFront {
        DnsFront {
            name: name.trim_end_matches('.').to_ascii_lowercase(),
            kind,
        }
    }

    fn owns(&self, name: &str) -> bool {
        name == self.name || (self.kind == DnsHostile::CnameLoop && name == CNAME_LOOP_PARTNER)
    }
}

/// Most UDP queries one front handles before it stops reading.
const MAX_FRONT_QUERIES: usize = 10_000;
/// Most queries one TCP connection to the front may carry.
const MAX_TCP_QUERIES: usize = 16;
/// Longest a DNS front serves (a world lives for one test: a few runs of at most 10 s).
const FRONT_LIFETIME: Duration = Duration::from_secs(120);
/// How long a relayed query waits for the fixture's answer.
const RELAY_TIMEOUT: Duration = Duration::from_secs(2);

/// A running DNS front; stops when dropped.
pub struct DnsFrontServer {
    addr: SocketAddr,
    crafted: Arc<AtomicUsize>,
    relayed: Arc<AtomicUsize>,
    tcp_connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl DnsFrontServer {
    /// Where it listens (UDP, and TCP on the same port unless the case says nothing listens).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queries answered with crafted packets (UDP and TCP).
    #[must_use]
    pub fn crafted(&self) -> usize {
        self.crafted.load(Ordering::SeqCst)
    }

    /// Queries relayed to the fixture.
    #[must_use]
    pub fn relayed(&self) -> usize {
        self.relayed.load(Ordering::SeqCst)
    }

    /// TCP connections accepted (the client's fallback after a truncated answer).
    #[must_use]
    pub fn tcp_connections(&self) -> usize {
        self.tcp_connections.load(Ordering::SeqCst)
    }
}

impl Drop for DnsFrontServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a DNS front for `front`, relaying other names to the fixture at `upstream`.
///
/// # Panics
/// When no UDP (and, where needed, TCP) port can be bound on 127.0.0.1.
#[must_use]
pub fn dns_front(front: DnsFront, upstream: SocketAddr) -> DnsFrontServer {
    let (udp, tcp) = bind_front(front.kind != DnsHostile::TruncatedNoTcp);
    let addr = udp.local_addr().expect("bound UDP socket has an address");
    let crafted = Arc::new(AtomicUsize::new(0));
    let relayed = Arc::new(AtomicUsize::new(0));
    let tcp_connections = Arc::new(AtomicUsize::new(0));
    let counts = (
        Arc::clone(&crafted),
        Arc::clone(&relayed),
        Arc::clone(&tcp_connections),
    );
    let task = super::rt().spawn(async move {
        let udp = Arc::new(UdpSocket::from_std(udp).expect("UDP socket joins the runtime"));
        let tcp = tcp
            .map(|l| tokio::net::TcpListener::from_std(l).expect("TCP listener joins the runtime"));
        let front = Arc::new(front);
        let (crafted, relayed, tcp_connections) = counts;
        // Aborting this task drops the set, which aborts every relay and TCP task.
        let mut tasks = JoinSet::new();
        let mut buf = vec![0u8; 65_535];
        let end = tokio::time::Instant::now() + FRONT_LIFETIME;
        for _ in 0..MAX_FRONT_QUERIES {
            while tasks.try_join_next().is_some() {}
            let accept = async {
                match &tcp {
                    Some(listener) => listener.accept().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                received = udp.recv_from(&mut buf) => {
                    let Ok((len, peer)) = received else { continue };
                    let query = buf[..len].to_vec();
                    let name = parse_query(&query).map(|q| q.name);
                    if name.as_deref().is_some_and(|n| front.owns(n)) {
                        crafted.fetch_add(1, Ordering::SeqCst);
                        for packet in udp_answer(&front, &query) {
                            let _ = udp.send_to(&packet, peer).await;
                        }
                    } else {
                        relayed.fetch_add(1, Ordering::SeqCst);
                        let udp = Arc::clone(&udp);
                        tasks.spawn(async move {
                            if let Some(answer) = relay(&query, upstream).await {
                                let _ = udp.send_to(&answer, peer).await;
                            }
                        });
                    }
                }
                () = tokio::time::sleep_until(end) => break,
                accepted = accept => {
                    let Ok((stream, _)) = accepted else {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    tcp_connections.fetch_add(1, Ordering::SeqCst);
                    let front = Arc::clone(&front);
                    let crafted = Arc::clone(&crafted);
                    tasks.spawn(async move {
                        let _ = tokio::time::timeout(
                            FIXTURE_HOLD,
                            serve_tcp(stream, &front, &crafted),
                        )
                        .await;
                    });
                }
            }
        }
    });
    DnsFrontServer {
        addr,
        crafted,
        relayed,
        tcp_connections,
        task,
    }
}

/// How many times to look for a port free for both UDP and TCP.
const BIND_TRIES: usize = 20;

fn bind_front(with_tcp: bool) -> (std::net::UdpSocket, Option<std::net::TcpListener>) {
    for _ in 0..BIND_TRIES {
        let udp =
            std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind UDP 127.0.0.1:0");
        udp.set_nonblocking(true).expect("nonblocking UDP");
        if !with_tcp {
            return (udp, None);
        }
        let port = udp.local_addr().expect("UDP address").port();
        if let Ok(tcp) = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            tcp.set_nonblocking(true).expect("nonblocking TCP");
            return (udp, Some(tcp));
        }
    }
    panic!("no port free for both UDP and TCP on 127.0.0.1 after {BIND_TRIES} tries");
}

/// Asks the fixture and returns its answer (None: no answer in time).
async fn relay(query: &[u8], upstream: SocketAddr) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.ok()?;
    socket.send_to(query, upstream).await.ok()?;
    let mut buf = vec![0u8; 65_535];
    let (len, _) = tokio::time::timeout(RELAY_TIMEOUT, socket.recv_from(&mut buf))
        .await
        .ok()?
        .ok()?;
    buf.truncate(len);
    Some(buf)
}

/// DNS over TCP: [`DnsHostile::OversizedOverTcp`] answers in full; every other case accepts and
/// never answers ("no TCP fallback answer").
async fn serve_tcp(mut stream: TcpStream, front: &DnsFront, crafted: &AtomicUsize) {
    if front.kind != DnsHostile::OversizedOverTcp {
        tokio::time::sleep(FIXTURE_HOLD).await;
        return;
    }
    for _ in 0..MAX_TCP_QUERIES {
        let mut len = [0u8; 2];
        if stream.read_exact(&mut len).await.is_err() {
            return;
        }
        let mut query = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if stream.read_exact(&mut query).await.is_err() {
            return;
        }
        let Some(q) = parse_query(&query) else { return };
        crafted.fetch_add(1, Ordering::SeqCst);
        let answer = oversized(&q, false);
        let Ok(prefix) = u16::try_from(answer.len()) else {
            return;
        };
        let mut framed = prefix.to_be_bytes().to_vec();
        framed.extend_from_slice(&answer);
        if stream.write_all(&framed).await.is_err() {
            return;
        }
    }
}

/// A parsed DNS query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Transaction id.
    pub id: u16,
    /// Header flags of the query.
    pub flags: u16,
    /// The name asked for, lowercase, without the final dot.
    pub name: String,
    /// QTYPE (1 = A, 28 = AAAA).
    pub qtype: u16,
    /// The question section as sent (name, type, class).
    pub question: Vec<u8>,
}

/// Record types used here.
const TYPE_A: u16 = 1;
const TYPE_CNAME: u16 = 5;
const TYPE_AAAA: u16 = 28;
/// Most labels read from a query name.
const MAX_LABELS: usize = 64;

/// Parses the header and the one question of a query; None when it is not one.
#[must_use]
pub fn parse_query(packet: &[u8]) -> Option<Query> {
    let be16 = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]))
    };
    let id = be16(0)?;
    let flags = be16(2)?;
    if be16(4)? != 1 {
        return None;
    }
    let mut pos = 12;
    let mut labels = Vec::new();
    for _ in 0..MAX_LABELS {
        let len = usize::from(*packet.get(pos)?);
        pos += 1;
        if len == 0 {
            let qtype = be16(pos)?;
            be16(pos + 2)?;
            return Some(Query {
                id,
                flags,
                name: labels.join(".").to_ascii_lowercase(),
                qtype,
                question: packet[12..pos + 4].to_vec(),
            });
        }
        if len & 0xC0 != 0 {
            return None; // no compression in a question we sent
        }
        labels.push(String::from_utf8_lossy(packet.get(pos..pos + len)?).into_owned());
        pos += len;
    }
    None
}

/// A response header and the echoed question; `answers` follow.
fn response(q: &Query, id: u16, truncated: bool, answers: &[Vec<u8>]) -> Vec<u8> {
    let mut flags: u16 = 0x8000 | (q.flags & 0x7800) | 0x0400 | (q.flags & 0x0100) | 0x0080;
    if truncated {
        flags |= 0x0200;
    }
    let count = u16::try_from(answers.len()).unwrap_or(u16::MAX);
    let mut out =
        Vec::with_capacity(12 + q.question.len() + answers.iter().map(Vec::len).sum::<usize>());
    for field in [id, flags, 1, count, 0, 0] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    out.extend_from_slice(&q.question);
    for answer in answers {
        out.extend_from_slice(answer);
    }
    out
}

/// A name in wire form (no compression).
fn encode_name(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for label in name.split('.').filter(|l| !l.is_empty()) {
        out.push(u8::try_from(label.len()).expect("labels under 64 bytes"));
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out
}

/// A resource record; `owner` already in wire form (a name, or the pointer to the question).
fn record(owner: &[u8], rtype: u16, rdata: &[u8]) -> Vec<u8> {
    let mut out = owner.to_vec();
    out.extend_from_slice(&rtype.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes()); // IN
    out.extend_from_slice(&60u32.to_be_bytes());
    out.extend_from_slice(
        &u16::try_from(rdata.len())
            .expect("small rdata")
            .to_be_bytes(),
    );
    out.extend_from_slice(rdata);
    out
}

/// Compression pointer to the question's name (offset 12).
const QNAME: [u8; 2] = [0xC0, 0x0C];

/// 127.0.0.1 for A, nothing for AAAA (NODATA): the well-formed answer.
fn loopback_answer(q: &Query, id: u16) -> Vec<u8> {
    let answers = if q.qtype == TYPE_A {
        vec![record(&QNAME, TYPE_A, &[127, 0, 0, 1])]
    } else {
        vec![]
    };
    response(q, id, false, &answers)
}

/// About 64 KB of answers, all loopback: 127.0.0.1 then 127.1.x.y, or ::1 repeated.
fn oversized(q: &Query, truncated: bool) -> Vec<u8> {
    let answers: Vec<Vec<u8>> = match q.qtype {
        TYPE_A => (0..OVERSIZED_A)
            .map(|i| {
                let ip = if i == 0 {
                    [127, 0, 0, 1]
                } else {
                    let [_, _, hi, lo] = u32::try_from(i).unwrap_or(0).to_be_bytes();
                    [127, 1, hi, lo]
                };
                record(&QNAME, TYPE_A, &ip)
            })
            .collect(),
        TYPE_AAAA => {
            let one = std::net::Ipv6Addr::LOCALHOST.octets();
            (0..OVERSIZED_AAAA)
                .map(|_| record(&QNAME, TYPE_AAAA, &one))
                .collect()
        }
        _ => vec![],
    };
    response(q, q.id, truncated, &answers)
}

/// The UDP packets sent for one query to a name the front owns.
fn udp_answer(front: &DnsFront, packet: &[u8]) -> Vec<Vec<u8>> {
    let Some(q) = parse_query(packet) else {
        return vec![];
    };
    match front.kind {
        DnsHostile::Truncated | DnsHostile::TruncatedNoTcp | DnsHostile::OversizedOverTcp => {
            vec![response(&q, q.id, true, &[])]
        }
        DnsHostile::Garbage => {
            let mut out = q.id.to_be_bytes().to_vec();
            out.extend_from_slice(&garbage_bytes(GARBAGE_LEN / 8));
            vec![out]
        }
        DnsHostile::RandomGarbage => vec![garbage_bytes(GARBAGE_LEN / 8)],
        DnsHostile::MismatchedId => [1u16, 0x5a5a, 0xffff]
            .iter()
            .map(|delta| loopback_answer(&q, q.id.wrapping_add(*delta)))
            .collect(),
        DnsHostile::Oversized => vec![oversized(&q, false)],
        DnsHostile::CnameLoop => {
            let (this, other) = if q.name == CNAME_LOOP_PARTNER {
                (encode_name(CNAME_LOOP_PARTNER), encode_name(&front.name))
            } else {
                (encode_name(&front.name), encode_name(CNAME_LOOP_PARTNER))
            };
            vec![response(
                &q,
                q.id,
                false,
                &[
                    record(&QNAME, TYPE_CNAME, &other),
                    record(&other, TYPE_CNAME, &this),
                ],
            )]
        }
    }
}
