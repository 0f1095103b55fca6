//! HTTP(S) probe: `GET` over an already-open connection, redirects recorded (followed only within
//! the same scheme, host and port, at most [`MAX_REDIRECTS`]), body read to at most
//! [`BODY_CAP`] bytes and then dropped. Every phase is bounded by the step's deadline.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::header::{ACCEPT, CONNECTION, DATE, HOST, LOCATION, SERVER, USER_AGENT};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use url::Url;

use crate::report::model::{HttpData, Outcome, Redirect};

/// Redirect hops followed before giving up (`too-many-redirects`).
pub const MAX_REDIRECTS: usize = 5;
/// Body bytes read at most; the rest is never downloaded.
pub const BODY_CAP: usize = 64 * 1024;
/// A clock gap worth reporting (certificates and Duo codes start failing around here).
const SKEW_REPORT_S: i64 = 300;

/// Any byte stream hyper can speak HTTP/1 over (plain TCP or TLS).
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// Opens a fresh connection to the same place, for following a same-host redirect.
pub type Reconnect = Box<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Box<dyn Io>, (Outcome, String)>> + Send>>
        + Send
        + Sync,
>;

/// Result of the HTTP step.
pub struct HttpResult {
    /// `ok` when a response arrived (any status); the verdict judges the status.
    pub outcome: Outcome,
    /// Details for the report.
    pub data: HttpData,
    /// Time for the whole step.
    pub duration: Duration,
    /// A line explaining a failure.
    pub detail: Option<String>,
}

/// One answered request.
struct Answer {
    status: u16,
    location: Option<String>,
    server: Option<String>,
    date: Option<String>,
    first_byte: Duration,
    body_bytes: u64,
}

/// Fetches `url` over `first`, following same-origin redirects through `reconnect`.
/// `allowed_hosts` are hosts a redirect may point to without counting as foreign.
pub async fn fetch(
    first: Box<dyn Io>,
    url: Url,
    reconnect: Reconnect,
    allowed_hosts: &[String],
    timeout: Duration,
) -> HttpResult {
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut data = HttpData {
        url: url.to_string(),
        ..HttpData::default()
    };
    let mut current = url.clone();
    let mut io = Some(first);
    loop {
        let stream = match io.take() {
            Some(s) => s,
            None => match tokio::time::timeout_at(deadline, reconnect()).await {
                Ok(Ok(s)) => s,
                Ok(Err((outcome, detail))) => {
                    return HttpResult {
                        outcome,
                        data,
                        duration: start.elapsed(),
                        detail: Some(detail),
                    };
                }
                Err(_) => return timed_out(data, start, timeout),
            },
        };
        let answer = match exchange(stream, &current, deadline).await {
            Ok(a) => a,
            Err((outcome, detail)) => {
                return HttpResult {
                    outcome,
                    data,
                    duration: start.elapsed(),
                    detail: Some(detail),
                };
            }
        };
        data.status = Some(answer.status);
        data.server = answer.server.clone();
        data.first_byte_ms = Some(super::millis(answer.first_byte));
        data.body_bytes = answer.body_bytes;
        data.location = answer.location.clone();
        data.clock_skew_s = answer.date.as_deref().and_then(clock_skew);
        let is_redirect = (300..400).contains(&answer.status);
        let target = answer
            .location
            .as_deref()
            .and_then(|l| current.join(l).ok());
        match (is_redirect, target) {
            (true, Some(next)) => {
                data.redirects.push(Redirect {
                    from: current.to_string(),
                    status: answer.status,
                    to: next.to_string(),
                });
                data.location = Some(next.to_string());
                let host = next.host_str().unwrap_or_default().to_ascii_lowercase();
                let own = url.host_str().unwrap_or_default().to_ascii_lowercase();
                if host != own && !allowed_hosts.contains(&host) {
                    data.foreign_redirect = true;
                    break;
                }
                let same_origin = next.scheme() == current.scheme()
                    && next.host_str() == current.host_str()
                    && next.port_or_known_default() == current.port_or_known_default();
                if !same_origin {
                    break; // recorded; another probe covers the other scheme or port
                }
                if data.redirects.len() >= MAX_REDIRECTS {
                    return HttpResult {
                        outcome: Outcome::TooManyRedirects,
                        data,
                        duration: start.elapsed(),
                        detail: Some(format!("more than {MAX_REDIRECTS} redirects")),
                    };
                }
                current = next;
            }
            _ => break,
        }
    }
    HttpResult {
        outcome: Outcome::Ok,
        data,
        duration: start.elapsed(),
        detail: None,
    }
}

fn timed_out(data: HttpData, start: Instant, timeout: Duration) -> HttpResult {
    HttpResult {
        outcome: Outcome::Timeout,
        data,
        duration: start.elapsed(),
        detail: Some(format!("no HTTP answer within {} ms", timeout.as_millis())),
    }
}

/// One request/response over `io`, bounded by `deadline`.
async fn exchange(
    io: Box<dyn Io>,
    url: &Url,
    deadline: tokio::time::Instant,
) -> Result<Answer, (Outcome, String)> {
    let too_late = || {
        (
            Outcome::Timeout,
            "no HTTP answer before the step's deadline".to_owned(),
        )
    };
    let mut builder = hyper::client::conn::http1::Builder::new();
    builder.max_buf_size(64 * 1024); // bounds the header section a hostile server can send
    let (mut sender, conn) = tokio::time::timeout_at(deadline, builder.handshake(TokioIo::new(io)))
        .await
        .map_err(|_| too_late())?
        .map_err(|e| classify_hyper(&e))?;
    let driver = tokio::spawn(conn);
    let _abort = AbortOnDrop(driver);

    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let request = hyper::Request::get(path)
        .header(HOST, host)
        .header(USER_AGENT, concat!("hmsaccess/", env!("CARGO_PKG_VERSION")))
        .header(ACCEPT, "*/*")
        .header(CONNECTION, "close")
        .body(Empty::<Bytes>::new())
        .map_err(|e| (Outcome::Error, e.to_string()))?;
    let sent = Instant::now();
    let response = tokio::time::timeout_at(deadline, sender.send_request(request))
        .await
        .map_err(|_| too_late())?
        .map_err(|e| classify_hyper(&e))?;
    let first_byte = sent.elapsed();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &hyper::header::HeaderValue| v.to_str().ok())
            .map(|s| s.chars().take(200).collect::<String>())
    };
    let status = response.status().as_u16();
    let location = header(LOCATION);
    let server = header(SERVER);
    let date = header(DATE);
    let mut body = response.into_body();
    let mut body_bytes: u64 = 0;
    while body_bytes < BODY_CAP as u64 {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Some(chunk) = frame.data_ref() {
                    body_bytes += chunk.len() as u64;
                }
            }
            // A body cut short or still dribbling says nothing more about reachability.
            Ok(Some(Err(_)) | None) | Err(_) => break,
        }
    }
    Ok(Answer {
        status,
        location,
        server,
        date,
        first_byte,
        body_bytes: body_bytes.min(BODY_CAP as u64),
    })
}

/// Aborts the connection driver when the exchange ends, whatever way it ends.
struct AbortOnDrop(tokio::task::JoinHandle<Result<(), hyper::Error>>);
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Maps hyper's error to the closed outcome list.
fn classify_hyper(e: &hyper::Error) -> (Outcome, String) {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return (super::classify_io(io), super::io_detail(io));
        }
        source = s.source();
    }
    let outcome = if e.is_parse() || e.is_parse_status() {
        Outcome::ProtocolError
    } else if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
        Outcome::Reset
    } else if e.is_timeout() {
        Outcome::Timeout
    } else {
        Outcome::Error
    };
    (outcome, e.to_string())
}

/// Server clock minus local clock, when the gap is worth reporting.
fn clock_skew(date: &str) -> Option<i64> {
    skew_between(httpdate::parse_http_date(date).ok()?, SystemTime::now())
}

fn skew_between(server: SystemTime, local: SystemTime) -> Option<i64> {
    let skew = match server.duration_since(local) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).ok()?,
        Err(behind) => -i64::try_from(behind.duration().as_secs()).ok()?,
    };
    (skew.abs() > SKEW_REPORT_S).then_some(skew)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_is_reported_only_when_large() {
        let now = SystemTime::now();
        assert_eq!(skew_between(now + Duration::from_secs(60), now), None);
        assert_eq!(
            skew_between(now + Duration::from_secs(3600), now),
            Some(3600)
        );
        assert_eq!(
            skew_between(now - Duration::from_secs(3600), now),
            Some(-3600)
        );
    }
}
