//! The proxy step: connect to the proxy the system would use and ask it, with HTTP `CONNECT`,
//! for a tunnel to the target's HTTPS port. TLS then runs end to end through the tunnel and is
//! verified against the real host's name, as a browser does behind a proxy.
//!
//! Its result stands in the target's TCP slot: `ok` when the proxy let the connection through;
//! `proxy-refused`, `proxy-auth-required` (407) or `proxy-timeout` when it did not. The phases
//! (connecting to the proxy, its answer to `CONNECT`) are in `tcp.proxy`.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::tcp::{self, TcpResult};
use super::{millis, os_resolver};
use crate::proxy::ProxyTarget;
use crate::report::model::{Outcome, ProxyHop, TcpData};

/// A proxy's answer to `CONNECT` is a status line and headers; more than this is not an answer.
const MAX_HEAD: usize = 16 * 1024;

/// Opens a tunnel to `host:port` through `proxy`. `connect` bounds reaching the proxy (name and
/// TCP), `answer` bounds waiting for its answer to `CONNECT`.
pub async fn through(
    proxy: &ProxyTarget,
    host: &str,
    port: u16,
    connect: Duration,
    answer: Duration,
) -> TcpResult {
    let start = Instant::now();
    let mut hop = ProxyHop {
        url: proxy.display.clone(),
        source: proxy.source.clone(),
        ..ProxyHop::default()
    };
    let addresses = match proxy_addresses(&proxy.host, connect).await {
        Ok(a) => a,
        Err((outcome, detail)) => return failed(outcome, detail, hop, proxy.port, start),
    };
    let mut t = tcp::connect(&addresses, proxy.port, connect).await;
    let Some(mut stream) = t.stream.take() else {
        let outcome = if t.outcome == Outcome::Timeout {
            Outcome::ProxyTimeout
        } else if t.outcome == Outcome::PermissionDenied {
            Outcome::PermissionDenied
        } else {
            Outcome::ProxyRefused
        };
        let detail = format!(
            "could not connect to the proxy {}: {}",
            proxy.display,
            t.detail.unwrap_or_else(|| t.outcome.to_string())
        );
        t.data.proxy = Some(hop);
        return TcpResult {
            outcome,
            detail: Some(detail),
            duration: start.elapsed(),
            ..t
        };
    };
    hop.connect_ms = Some(millis(t.duration));
    let asked = Instant::now();
    let head = tokio::time::timeout(answer, exchange(&mut stream, proxy, host, port)).await;
    let (outcome, detail) = match head {
        Err(_) => (
            Outcome::ProxyTimeout,
            Some(format!(
                "the proxy {} did not answer CONNECT within {} ms",
                proxy.display,
                answer.as_millis()
            )),
        ),
        Ok(Err(e)) => (
            Outcome::ProxyRefused,
            Some(format!(
                "the proxy {} closed the connection without an answer to CONNECT ({})",
                proxy.display,
                super::io_detail(&e)
            )),
        ),
        Ok(Ok(answer_head)) => {
            hop.answer_ms = Some(millis(asked.elapsed()));
            judge(&answer_head, proxy, &mut hop)
        }
    };
    t.data.proxy = Some(hop);
    TcpResult {
        outcome,
        detail,
        duration: start.elapsed(),
        stream: (outcome == Outcome::Ok).then_some(stream),
        ..t
    }
}

/// The proxy's addresses: its own literal, or what the OS resolver returns for its name.
async fn proxy_addresses(host: &str, timeout: Duration) -> Result<Vec<IpAddr>, (Outcome, String)> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let r = os_resolver::lookup(host, timeout).await;
    if r.outcome == Outcome::Ok && !r.addresses.is_empty() {
        return Ok(r.addresses);
    }
    let outcome = if r.outcome == Outcome::Timeout {
        Outcome::ProxyTimeout
    } else {
        Outcome::ProxyRefused
    };
    Err((
        outcome,
        format!(
            "the proxy's name {host} could not be resolved ({})",
            r.error.as_deref().unwrap_or(r.outcome.as_str())
        ),
    ))
}

/// A failure before any connection to the proxy.
fn failed(outcome: Outcome, detail: String, hop: ProxyHop, port: u16, start: Instant) -> TcpResult {
    TcpResult {
        outcome,
        data: TcpData {
            port,
            proxy: Some(hop),
            ..TcpData::default()
        },
        duration: start.elapsed(),
        stream: None,
        detail: Some(detail),
    }
}

/// What the proxy answered, as far as the verdict cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerHead {
    /// The status code.
    pub status: u16,
    /// The reason phrase.
    pub reason: String,
    /// The schemes of its `Proxy-Authenticate` headers, in order (`Negotiate`, `NTLM`).
    pub authenticate: Vec<String>,
    /// Bytes the proxy sent after its head (a tunnel must carry none before TLS starts).
    pub extra: usize,
}

/// Sends `CONNECT host:port` and reads the answer's head.
async fn exchange(
    stream: &mut TcpStream,
    proxy: &ProxyTarget,
    host: &str,
    port: u16,
) -> std::io::Result<Option<AnswerHead>> {
    stream
        .write_all(request(host, port, proxy.authorization.as_deref()).as_bytes())
        .await?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(end) = find_head_end(&buf) {
            let mut head = parse_head(&buf[..end]);
            if let Some(h) = head.as_mut() {
                h.extra = buf.len() - end;
            }
            return Ok(head);
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The `CONNECT` request, as browsers send it (the authority in both the line and `Host`).
#[must_use]
pub fn request(host: &str, port: u16, authorization: Option<&str>) -> String {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut r = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: hmsaccess/{}\r\nProxy-Connection: keep-alive\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(auth) = authorization {
        r.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    r.push_str("\r\n");
    r
}

/// The end of the head (after `\r\n\r\n`), when it has arrived.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// The status line and the `Proxy-Authenticate` schemes of a response head; `None` when it is
/// not HTTP. Pure.
#[must_use]
pub fn parse_head(head: &[u8]) -> Option<AnswerHead> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let reason = parts.next().unwrap_or_default().trim().to_owned();
    let authenticate = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("proxy-authenticate"))
        .filter_map(|(_, v)| {
            v.split_whitespace()
                .next()
                .map(|s| s.trim_end_matches(',').to_owned())
        })
        .collect();
    Some(AnswerHead {
        status,
        reason,
        authenticate,
        extra: 0,
    })
}

/// The step's outcome from the proxy's answer; fills in the hop's status and sign-in methods.
fn judge(
    head: &Option<AnswerHead>,
    proxy: &ProxyTarget,
    hop: &mut ProxyHop,
) -> (Outcome, Option<String>) {
    let Some(h) = head else {
        return (
            Outcome::ProtocolError,
            Some(format!(
                "the proxy {} answered CONNECT with something that is not HTTP",
                proxy.display
            )),
        );
    };
    hop.status = Some(h.status);
    let said = format!("{} {}", h.status, h.reason).trim().to_owned();
    match h.status {
        200..=299 if h.extra == 0 => (Outcome::Ok, None),
        200..=299 => (
            Outcome::ProtocolError,
            Some(format!(
                "the proxy {} sent data into the tunnel before TLS began",
                proxy.display
            )),
        ),
        407 => {
            hop.authenticate = (!h.authenticate.is_empty()).then(|| h.authenticate.join(", "));
            let methods = hop
                .authenticate
                .as_deref()
                .map(|m| format!(" (it offers {m})"))
                .unwrap_or_default();
            (
                Outcome::ProxyAuthRequired,
                Some(format!(
                    "the proxy {} asks for a sign-in before it lets the connection through{methods}",
                    proxy.display
                )),
            )
        }
        _ => (
            Outcome::ProxyRefused,
            Some(format!(
                "the proxy {} refused the connection: it answered CONNECT with {said}",
                proxy.display
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_names_the_authority_and_carries_credentials_only_when_given() {
        let r = request("mars.med.harvard.edu", 443, None);
        assert!(r.starts_with(
            "CONNECT mars.med.harvard.edu:443 HTTP/1.1\r\nHost: mars.med.harvard.edu:443\r\n"
        ));
        assert!(!r.contains("Proxy-Authorization"));
        assert!(r.ends_with("\r\n\r\n"));
        let r = request("2001:db8::1", 8443, Some("Basic dTpw"));
        assert!(r.starts_with("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n"));
        assert!(r.contains("Proxy-Authorization: Basic dTpw\r\n"));
    }

    #[test]
    fn heads_give_status_reason_and_sign_in_methods() {
        let h = parse_head(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nproxy-authenticate: NTLM\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n").unwrap();
        assert_eq!(
            (h.status, h.reason.as_str()),
            (407, "Proxy Authentication Required")
        );
        assert_eq!(h.authenticate, ["Negotiate", "NTLM", "Basic"]);
        let h = parse_head(b"HTTP/1.0 200 Connection established\r\n\r\n").unwrap();
        assert_eq!(h.status, 200);
        assert!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n").is_none());
        assert!(parse_head(b"HTTP/1.1 abc\r\n\r\n").is_none());
    }

    #[test]
    fn answers_map_to_outcomes() {
        let proxy = ProxyTarget {
            host: "p".into(),
            port: 1,
            display: "http://p:1".into(),
            source: "HTTPS_PROXY".into(),
            authorization: None,
        };
        let head = |status, extra| {
            Some(AnswerHead {
                status,
                reason: String::new(),
                authenticate: vec![],
                extra,
            })
        };
        let mut hop = ProxyHop::default();
        assert_eq!(judge(&head(200, 0), &proxy, &mut hop).0, Outcome::Ok);
        assert_eq!(hop.status, Some(200));
        assert_eq!(
            judge(&head(200, 5), &proxy, &mut hop).0,
            Outcome::ProtocolError
        );
        assert_eq!(
            judge(&head(407, 0), &proxy, &mut hop).0,
            Outcome::ProxyAuthRequired
        );
        assert_eq!(
            judge(&head(403, 0), &proxy, &mut hop).0,
            Outcome::ProxyRefused
        );
        assert_eq!(
            judge(&head(502, 0), &proxy, &mut hop).0,
            Outcome::ProxyRefused
        );
        assert_eq!(judge(&None, &proxy, &mut hop).0, Outcome::ProtocolError);
    }
}
