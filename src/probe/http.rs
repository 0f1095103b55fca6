//! HTTP(S) probe: `GET` over an already-open connection, redirects recorded and classified
//! (within the same site, to a sign-in page, to a refusal page, elsewhere), body read to at most
//! [`BODY_CAP`] bytes and then dropped. Every phase is bounded by the step's deadline.
//!
//! Where the caller asks, same-origin redirects are followed (at most [`MAX_REDIRECTS`]) on the
//! same connection when the server keeps it open, else on a fresh one through [`Reconnect`].
//! MARS and the portal are not followed: their first verified response already decides whether
//! they answer (contract), so following would only cost round trips.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{ACCEPT, CONNECTION, DATE, HOST, LOCATION, SERVER, USER_AGENT};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use url::Url;

use crate::profile::AnswerRules;
use crate::report::model::{HttpData, Outcome, Redirect, RedirectKind};

/// Redirect hops followed before giving up (`too-many-redirects`).
pub const MAX_REDIRECTS: usize = 5;
/// Body bytes read at most; the rest is never downloaded.
pub const BODY_CAP: usize = 64 * 1024;
/// A clock gap worth reporting (certificates and Duo codes start failing around here).
const SKEW_REPORT_S: i64 = 300;

/// Any byte stream hyper can speak HTTP/1 over (plain TCP or TLS).
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// Opens a fresh connection to the same place, for following a same-host redirect that the
/// server would not answer on the open connection.
pub type Reconnect = Box<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Box<dyn Io>, (Outcome, String)>> + Send>>
        + Send
        + Sync,
>;

/// How to read the answers of one target.
pub struct Rules<'a> {
    /// Hosts a redirect may point to without counting as foreign (the captive-portal sign).
    pub allowed_hosts: &'a [String],
    /// The profile's refusal pages and sign-in hosts.
    pub answers: &'a AnswerRules,
    /// Follow same-origin redirects; when false the first response is the result.
    pub follow: bool,
}

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

/// An open HTTP/1 connection: the request half and its driver task.
struct Conn {
    sender: SendRequest<Empty<Bytes>>,
    _driver: AbortOnDrop,
}

/// A failed step: outcome and detail.
type Failed = (Outcome, String);

/// Fetches `url` over `first`, following same-origin redirects as `rules` say.
pub async fn fetch(
    first: Box<dyn Io>,
    url: Url,
    reconnect: Reconnect,
    rules: &Rules<'_>,
    timeout: Duration,
) -> HttpResult {
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut data = HttpData {
        url: url.to_string(),
        ..HttpData::default()
    };
    let failed = |data: HttpData, (outcome, detail): Failed| HttpResult {
        outcome,
        data,
        duration: start.elapsed(),
        detail: Some(detail),
    };
    let mut current = url.clone();
    let mut io = Some(first);
    let mut kept: Option<Conn> = None;
    loop {
        let reused = kept.take();
        let was_reused = reused.is_some();
        let exchanged = match reused {
            Some(conn) => exchange(conn, &current, deadline).await,
            None => match open(io.take(), &reconnect, deadline, timeout).await {
                Ok(conn) => exchange(conn, &current, deadline).await,
                Err(f) => return failed(data, f),
            },
        };
        // A kept connection the server closed meanwhile: once more on a fresh one.
        let exchanged = match exchanged {
            Err(_) if was_reused => match open(None, &reconnect, deadline, timeout).await {
                Ok(conn) => exchange(conn, &current, deadline).await,
                Err(f) => Err(f),
            },
            other => other,
        };
        let (answer, reusable) = match exchanged {
            Ok(done) => done,
            Err(f) => return failed(data, f),
        };
        let Some(next) = record(&mut data, &answer, &url, &current, rules) else {
            break;
        };
        let same_origin = next.scheme() == current.scheme()
            && next.host_str() == current.host_str()
            && next.port_or_known_default() == current.port_or_known_default();
        if !rules.follow || !same_origin {
            break; // recorded; another probe covers the other scheme or port
        }
        if data.redirects.len() >= MAX_REDIRECTS {
            let detail = format!("more than {MAX_REDIRECTS} redirects");
            return failed(data, (Outcome::TooManyRedirects, detail));
        }
        kept = reusable;
        current = next;
    }
    HttpResult {
        outcome: Outcome::Ok,
        data,
        duration: start.elapsed(),
        detail: None,
    }
}

/// An HTTP/1 connection over `io`, or over a fresh one from `reconnect` when `io` is used up.
async fn open(
    io: Option<Box<dyn Io>>,
    reconnect: &Reconnect,
    deadline: tokio::time::Instant,
    timeout: Duration,
) -> Result<Conn, Failed> {
    let stream = match io {
        Some(s) => s,
        None => tokio::time::timeout_at(deadline, reconnect())
            .await
            .map_err(|_| {
                (
                    Outcome::Timeout,
                    format!("no HTTP answer within {} ms", timeout.as_millis()),
                )
            })??,
    };
    let mut builder = hyper::client::conn::http1::Builder::new();
    builder.max_buf_size(64 * 1024); // bounds the header section a hostile server can send
    let (sender, conn) = tokio::time::timeout_at(deadline, builder.handshake(TokioIo::new(stream)))
        .await
        .map_err(|_| too_late())?
        .map_err(|e| classify_hyper(&e))?;
    Ok(Conn {
        sender,
        _driver: AbortOnDrop(tokio::spawn(conn)),
    })
}

/// Writes one answer into `data`; returns where it redirects to, if it does.
fn record(
    data: &mut HttpData,
    answer: &Answer,
    first: &Url,
    current: &Url,
    rules: &Rules<'_>,
) -> Option<Url> {
    data.status = Some(answer.status);
    data.server.clone_from(&answer.server);
    data.first_byte_ms = Some(super::millis(answer.first_byte));
    data.body_bytes = answer.body_bytes;
    data.location.clone_from(&answer.location);
    data.clock_skew_s = answer.date.as_deref().and_then(clock_skew);
    data.redirect_kind = None;
    if !(300..400).contains(&answer.status) {
        return None;
    }
    let next = current.join(answer.location.as_deref()?).ok()?;
    data.redirects.push(Redirect {
        from: current.to_string(),
        status: answer.status,
        to: next.to_string(),
    });
    data.location = Some(next.to_string());
    let kind = redirect_kind(first, &next, rules);
    data.redirect_kind = Some(kind);
    let host = next.host_str().unwrap_or_default().to_ascii_lowercase();
    let own = first.host_str().unwrap_or_default().to_ascii_lowercase();
    data.foreign_redirect =
        kind == RedirectKind::OtherSite && host != own && !rules.allowed_hosts.contains(&host);
    Some(next)
}

/// What a redirect from `origin` to `next` says (contract: when a server "answers").
fn redirect_kind(origin: &Url, next: &Url, rules: &Rules<'_>) -> RedirectKind {
    let host = next.host_str().unwrap_or_default().to_ascii_lowercase();
    if rules.answers.is_refusal(next) {
        RedirectKind::Refusal
    } else if rules.answers.is_sign_in(next) {
        RedirectKind::SignIn
    } else if same_site(origin.host_str().unwrap_or_default(), &host)
        || rules.allowed_hosts.contains(&host)
    {
        RedirectKind::SameSite
    } else {
        RedirectKind::OtherSite
    }
}

/// Two hosts of one site: the same host, or the same last two DNS labels (`mars.med.harvard.edu`
/// and `login.harvard.edu`). Deliberately simple: the profile's hosts are under `harvard.edu`,
/// where the registrable domain is the last two labels; addresses must be equal.
fn same_site(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if a == b {
        return true;
    }
    let is_name = |h: &str| h.parse::<std::net::IpAddr>().is_err() && !h.starts_with('[');
    let site = |h: &str| {
        let labels: Vec<&str> = h.trim_end_matches('.').rsplit('.').take(2).collect();
        (labels.len() == 2).then(|| format!("{}.{}", labels[1], labels[0]))
    };
    is_name(&a) && is_name(&b) && site(&a).is_some() && site(&a) == site(&b)
}

fn too_late() -> Failed {
    (
        Outcome::Timeout,
        "no HTTP answer before the step's deadline".to_owned(),
    )
}

/// One request/response over `conn`, bounded by `deadline`. Returns the connection too when it
/// can carry another request (the server keeps it open and the whole body was read).
async fn exchange(
    mut conn: Conn,
    url: &Url,
    deadline: tokio::time::Instant,
) -> Result<(Answer, Option<Conn>), Failed> {
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    // HTTP/1.1 keeps the connection open by default: a same-site redirect can reuse it.
    let request = hyper::Request::get(path)
        .header(HOST, host)
        .header(USER_AGENT, concat!("hmsaccess/", env!("CARGO_PKG_VERSION")))
        .header(ACCEPT, "*/*")
        .body(Empty::<Bytes>::new())
        .map_err(|e| (Outcome::Error, e.to_string()))?;
    let sent = Instant::now();
    let response = tokio::time::timeout_at(deadline, conn.sender.send_request(request))
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
    let closes = header(CONNECTION).is_some_and(|c| c.to_ascii_lowercase().contains("close"));
    let mut body = response.into_body();
    let mut body_bytes: u64 = 0;
    let mut complete = false;
    while body_bytes < BODY_CAP as u64 {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Some(chunk) = frame.data_ref() {
                    body_bytes += chunk.len() as u64;
                }
            }
            Ok(None) => {
                complete = true;
                break;
            }
            // A body cut short or still dribbling says nothing more about reachability.
            Ok(Some(Err(_))) | Err(_) => break,
        }
    }
    let reusable = complete
        && !closes
        && matches!(
            tokio::time::timeout_at(deadline, conn.sender.ready()).await,
            Ok(Ok(()))
        );
    let answer = Answer {
        status,
        location,
        server,
        date,
        first_byte,
        body_bytes: body_bytes.min(BODY_CAP as u64),
    };
    Ok((answer, reusable.then_some(conn)))
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
    fn redirects_are_classified_by_the_profile_lists() {
        let answers = AnswerRules {
            refusal_pages: vec![("it.hms.harvard.edu".into(), "/vpn-now-required".into())],
            sign_in_hosts: vec!["key.harvard.edu".into()],
        };
        let rules = Rules {
            allowed_hosts: &[],
            answers: &answers,
            follow: false,
        };
        let mars = Url::parse("https://mars.med.harvard.edu/").unwrap();
        let kind = |to: &str| redirect_kind(&mars, &Url::parse(to).unwrap(), &rules);
        assert_eq!(
            kind("https://it.hms.harvard.edu/vpn-now-required/?from=mars"),
            RedirectKind::Refusal
        );
        assert_eq!(kind("https://key.harvard.edu/login"), RedirectKind::SignIn);
        assert_eq!(
            kind("https://mars.med.harvard.edu/login"),
            RedirectKind::SameSite
        );
        assert_eq!(kind("https://www.harvard.edu/"), RedirectKind::SameSite);
        assert_eq!(
            kind("http://portal.example.test/login"),
            RedirectKind::OtherSite
        );
    }

    #[test]
    fn same_site_needs_two_equal_labels_and_names() {
        assert!(same_site("mars.med.harvard.edu", "key.harvard.edu"));
        assert!(!same_site("harvard.edu.example.test", "harvard.edu"));
        assert!(!same_site("10.0.0.1", "10.0.0.2"));
        assert!(same_site("10.0.0.1", "10.0.0.1"));
        assert!(!same_site("localhost", "other"));
    }

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
