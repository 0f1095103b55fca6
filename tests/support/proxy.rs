//! An HTTP `CONNECT` proxy on loopback, as hospitals and companies run them: it tunnels to the
//! port asked for (every world host lives on 127.0.0.1), asks for a sign-in (407), refuses (403),
//! or accepts and never answers. It records each request head it received.
//!
//! Stops when dropped; connections are capped in number and in lifetime ([`FIXTURE_HOLD`]).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::{FIXTURE_HOLD, rt};

/// How the proxy answers `CONNECT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyMode {
    /// `200 Connection established`, then bytes both ways to 127.0.0.1:PORT.
    Tunnel,
    /// `407 Proxy Authentication Required` with `Negotiate` and `Basic` offered.
    AuthRequired,
    /// `403 Forbidden`.
    Forbidden,
    /// Accepts the connection, reads the request, never answers.
    Silent,
}

/// Most connections served at once.
const MAX_CONNECTIONS: usize = 64;

/// A running proxy fixture.
pub struct ProxyFixture {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl ProxyFixture {
    /// Starts a proxy answering like `mode` on 127.0.0.1.
    ///
    /// # Panics
    /// When no loopback port can be bound.
    #[must_use]
    pub fn start(mode: ProxyMode) -> ProxyFixture {
        let listener = rt()
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        let task = rt().spawn(async move {
            let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                if active.load(std::sync::atomic::Ordering::SeqCst) >= MAX_CONNECTIONS {
                    continue;
                }
                active.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (seen, active) = (seen.clone(), active.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(FIXTURE_HOLD, serve(stream, mode, seen)).await;
                    active.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                });
            }
        });
        ProxyFixture { addr, heads, task }
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The proxy's address.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request head received so far.
    #[must_use]
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().map(|h| h.clone()).unwrap_or_default()
    }
}

impl Drop for ProxyFixture {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, mode: ProxyMode, seen: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    if let Ok(mut s) = seen.lock() {
        s.push(text.clone());
    }
    let answer: &[u8] = match mode {
        ProxyMode::Silent => {
            std::future::pending::<()>().await;
            return;
        }
        ProxyMode::AuthRequired => b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm=\"hospital\"\r\nContent-Length: 0\r\n\r\n",
        ProxyMode::Forbidden => b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
        ProxyMode::Tunnel => b"",
    };
    if !answer.is_empty() {
        let _ = stream.write_all(answer).await;
        return;
    }
    // CONNECT host:port HTTP/1.1: every world host is on loopback, so the port says where.
    let port = text
        .split_whitespace()
        .nth(1)
        .and_then(|authority| authority.rsplit_once(':'))
        .and_then(|(_, p)| p.parse::<u16>().ok());
    let upstream = match port {
        Some(p) => TcpStream::connect(("127.0.0.1", p)).await.ok(),
        None => None,
    };
    let Some(mut upstream) = upstream else {
        let _ = stream
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    if stream
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_ok()
    {
        let _ = tokio::io::copy_bidirectional(&mut stream, &mut upstream).await;
    }
}
