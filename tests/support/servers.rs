//! Loopback TCP fixtures: HTTPS and HTTP servers with scripted answers, a refusing port, a silent
//! port and a "connect never completes" address.
//!
//! Each binds 127.0.0.1:0 and stops when its [`Endpoint`] is dropped (the accept task is aborted,
//! which aborts every connection task it owns). Connections are capped in number and in lifetime.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::{JoinHandle, JoinSet};

use super::FIXTURE_HOLD;
use super::tls::Leaf;

/// How an HTTP(S) fixture answers a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// This status for any path, with a small text body and `Server: fixture`.
    Status(u16),
    /// This redirect status and `Location` for any path.
    Redirect(u16, String),
    /// `/` → 302 `/a` → 301 `/b` → 200; other paths 404.
    RedirectChain,
    /// Reads the request and never answers (until the fixture is dropped or [`FIXTURE_HOLD`] ends).
    Hang,
    /// Hangs like [`Behaviour::Hang`] for the first N requests, then answers 200: a service that
    /// becomes reachable while `--watch` runs (the person connected the VPN).
    HangFirst(usize),
    /// This status, with a `Date` header this many seconds away from the real time (positive:
    /// the server's clock is ahead, as seen from a computer whose clock is behind).
    Dated(u16, i64),
}

impl Behaviour {
    /// Where the captive-portal stand-in sends every request.
    pub const PORTAL_URL: &str = "http://portal.example.test/login";

    /// A hotel-Wi-Fi login page: `302 Location: http://portal.example.test/login` for any path.
    #[must_use]
    pub fn captive_portal() -> Behaviour {
        Behaviour::Redirect(302, Behaviour::PORTAL_URL.to_owned())
    }
}

/// What a fixture has seen, for assertions ("the binary did reach it").
#[derive(Debug, Default)]
pub struct Counters {
    connections: AtomicUsize,
    handshakes: AtomicUsize,
    requests: AtomicUsize,
}

impl Counters {
    /// Counts one completed TLS handshake (for fixtures outside this module).
    pub fn handshake(&self) {
        self.handshakes.fetch_add(1, Ordering::SeqCst);
    }

    /// Counts one HTTP request (for fixtures outside this module).
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }
}

/// A running loopback fixture; it stops when dropped.
pub struct Endpoint {
    addr: SocketAddr,
    counters: Arc<Counters>,
    task: Option<JoinHandle<()>>,
    /// Sockets kept open for as long as the endpoint lives (the blackhole's listener and fillers).
    hold: Vec<Box<dyn std::any::Any + Send>>,
}

impl Endpoint {
    /// The address to connect to.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port to connect to.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// TCP connections accepted so far.
    #[must_use]
    pub fn connections(&self) -> usize {
        self.counters.connections.load(Ordering::SeqCst)
    }

    /// TLS handshakes completed so far (HTTPS fixtures only).
    #[must_use]
    pub fn handshakes(&self) -> usize {
        self.counters.handshakes.load(Ordering::SeqCst)
    }

    /// HTTP requests received so far.
    #[must_use]
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        self.hold.clear();
    }
}

/// Most connections one fixture serves at once; more are closed at once.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a TLS handshake may take on the server side.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A nonblocking listener on 127.0.0.1 with an OS-assigned port.
pub fn bind() -> std::net::TcpListener {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener
        .set_nonblocking(true)
        .expect("nonblocking listener");
    listener
}

/// Accepts connections until aborted, handing each to `serve` in a task it owns (at most
/// [`MAX_CONNECTIONS`] at once, each for at most [`FIXTURE_HOLD`]).
pub fn spawn_acceptor<F, Fut>(
    listener: std::net::TcpListener,
    counters: Arc<Counters>,
    serve: F,
) -> JoinHandle<()>
where
    F: Fn(tokio::net::TcpStream, Arc<Counters>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    super::rt().spawn(async move {
        let listener =
            tokio::net::TcpListener::from_std(listener).expect("listener joins the runtime");
        let mut connections = JoinSet::new();
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                // Out of descriptors or similar: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            counters.connections.fetch_add(1, Ordering::SeqCst);
            while connections.try_join_next().is_some() {}
            if connections.len() >= MAX_CONNECTIONS {
                continue;
            }
            let serving = serve(stream, Arc::clone(&counters));
            connections.spawn(async move {
                let _ = tokio::time::timeout(FIXTURE_HOLD, serving).await;
            });
        }
    })
}

/// An [`Endpoint`] for `listener`, served by the task `serve` starts (aborted on drop).
pub fn endpoint(
    listener: std::net::TcpListener,
    serve: impl FnOnce(std::net::TcpListener, Arc<Counters>) -> JoinHandle<()>,
) -> Endpoint {
    let addr = listener.local_addr().expect("listener address");
    let counters = Arc::new(Counters::default());
    let task = serve(listener, Arc::clone(&counters));
    Endpoint {
        addr,
        counters,
        task: Some(task),
        hold: Vec::new(),
    }
}

/// An HTTPS server presenting `leaf` (tokio-rustls + hyper HTTP/1.1) that answers per `behaviour`.
#[must_use]
pub fn https(leaf: &Leaf, behaviour: Behaviour) -> Endpoint {
    let acceptor = tokio_rustls::TlsAcceptor::from(leaf.server_config());
    let behaviour = Arc::new(behaviour);
    endpoint(bind(), move |listener, counters| {
        spawn_acceptor(listener, counters, move |stream, counters| {
            let acceptor = acceptor.clone();
            let behaviour = Arc::clone(&behaviour);
            async move {
                let Ok(Ok(tls)) =
                    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                else {
                    return;
                };
                counters.handshakes.fetch_add(1, Ordering::SeqCst);
                serve_http(tls, behaviour, counters).await;
            }
        })
    })
}

/// A plain-HTTP server that answers per `behaviour` (the control host's port-80 probe).
#[must_use]
pub fn http(behaviour: Behaviour) -> Endpoint {
    let behaviour = Arc::new(behaviour);
    endpoint(bind(), move |listener, counters| {
        spawn_acceptor(listener, counters, move |stream, counters| {
            serve_http(stream, Arc::clone(&behaviour), counters)
        })
    })
}

/// A port with nothing listening: connects are refused (RST).
///
/// The port stays bound (without `listen`, and without `SO_REUSEADDR`) for as long as the
/// endpoint lives, so no other fixture or program can start listening on it meanwhile.
///
/// # Panics
/// When no socket can be bound on 127.0.0.1.
#[must_use]
pub fn refusing_port() -> Endpoint {
    let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
    socket
        .bind((Ipv4Addr::LOCALHOST, 0).into())
        .expect("bind 127.0.0.1:0");
    let addr = socket.local_addr().expect("bound address");
    Endpoint {
        addr,
        counters: Arc::new(Counters::default()),
        task: None,
        hold: vec![Box::new(socket)],
    }
}

/// Accepts TCP and never sends a byte; connections stay open until the endpoint is dropped
/// (TLS handshakes and HTTP requests to it time out).
#[must_use]
pub fn silent_port() -> Endpoint {
    endpoint(bind(), |listener, counters| {
        spawn_acceptor(listener, counters, |stream, _counters| async move {
            let _stream = stream;
            std::future::pending::<()>().await;
        })
    })
}

/// Fill connections tried before giving up on making the accept queue overflow.
const BLACKHOLE_FILL_TRIES: usize = 8;
/// A connect that has not completed in this long counts as "never completes".
const BLACKHOLE_PROBE_TIMEOUT: Duration = Duration::from_millis(300);

/// An address where TCP connect never completes (the SYN is dropped), on loopback.
///
/// Loopback never drops packets by itself, so this uses a listener with backlog 0 that is never
/// accepted from: once its accept queue holds one connection, Linux drops further SYNs
/// (`ListenOverflows`), and the client retransmits until its own timeout. The fillers and the
/// listener are held by the endpoint.
///
/// # Errors
/// When the queue does not overflow within a few connects (another kernel, or a platform whose
/// backlog rounding differs); the message says what was seen.
pub fn blackhole_addr() -> Result<Endpoint, String> {
    let _runtime = super::rt().enter();
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind((Ipv4Addr::LOCALHOST, 0).into())
        .map_err(|e| e.to_string())?;
    let listener = socket.listen(0).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut hold: Vec<Box<dyn std::any::Any + Send>> = Vec::new();
    let mut filled = 0;
    for _ in 0..BLACKHOLE_FILL_TRIES {
        match std::net::TcpStream::connect_timeout(&addr, BLACKHOLE_PROBE_TIMEOUT) {
            Ok(stream) => {
                filled += 1;
                hold.push(Box::new(stream));
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                hold.push(Box::new(listener));
                return Ok(Endpoint {
                    addr,
                    counters: Arc::new(Counters::default()),
                    task: None,
                    hold,
                });
            }
            Err(e) => return Err(format!("filling the accept queue: {e}")),
        }
    }
    Err(format!(
        "{filled} connects to a backlog-0 listener all completed; SYNs are not being dropped here"
    ))
}

/// Serves HTTP/1.1 on one connection (plain or TLS) until the client closes it.
async fn serve_http<S>(stream: S, behaviour: Arc<Behaviour>, counters: Arc<Counters>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let seen_before = counters.requests.fetch_add(1, Ordering::SeqCst);
        let behaviour = Arc::clone(&behaviour);
        async move { Ok::<_, Infallible>(respond(&behaviour, request.uri().path(), seen_before).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn respond(behaviour: &Behaviour, path: &str, seen_before: usize) -> Response<Full<Bytes>> {
    match behaviour {
        Behaviour::HangFirst(n) if seen_before >= *n => reply(200, None),
        Behaviour::HangFirst(_) => {
            tokio::time::sleep(FIXTURE_HOLD).await;
            reply(503, None)
        }
        Behaviour::Status(status) => reply(*status, None),
        Behaviour::Dated(status, offset) => {
            let now = std::time::SystemTime::now();
            let at = if *offset >= 0 {
                now + Duration::from_secs(offset.unsigned_abs())
            } else {
                now - Duration::from_secs(offset.unsigned_abs())
            };
            let mut response = reply(*status, None);
            let date = httpdate::fmt_http_date(at)
                .parse()
                .expect("an HTTP date is a header value");
            response.headers_mut().insert("date", date);
            response
        }
        Behaviour::Redirect(status, location) => reply(*status, Some(location)),
        Behaviour::RedirectChain => match path {
            "/" => reply(302, Some("/a")),
            "/a" => reply(301, Some("/b")),
            "/b" => reply(200, None),
            _ => reply(404, None),
        },
        Behaviour::Hang => {
            tokio::time::sleep(FIXTURE_HOLD).await;
            reply(503, None)
        }
    }
}

fn reply(status: u16, location: Option<&str>) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::builder()
        .status(status)
        .header("server", "fixture")
        .header("content-type", "text/plain; charset=utf-8");
    if let Some(location) = location {
        response = response.header("location", location);
    }
    response
        .body(Full::new(Bytes::from(format!("fixture: {status}\n"))))
        .expect("a valid response")
}
