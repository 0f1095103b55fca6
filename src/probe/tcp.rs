//! TCP probe: connect to every resolved address at once (IPv4 and IPv6), keep the first that
//! connects for the TLS/HTTP steps, and record every attempt.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::report::model::{Outcome, TcpAttempt, TcpData};

/// At most this many addresses per family are tried: enough to see a pattern, few enough to
/// keep a run light (big sites return many addresses).
const MAX_PER_FAMILY: usize = 2;

/// Result of the TCP step.
pub struct TcpResult {
    /// Overall outcome: `ok` when any address connected.
    pub outcome: Outcome,
    /// Details for the report.
    pub data: TcpData,
    /// Time to the connection used (or until every attempt ended).
    pub duration: Duration,
    /// The open connection, when one was made.
    pub stream: Option<TcpStream>,
    /// A line explaining a failure.
    pub detail: Option<String>,
}

/// Which addresses to try, in order: IPv4 first (HMS hosts are IPv4), at most two per family.
#[must_use]
pub fn candidates(addresses: &[IpAddr]) -> Vec<IpAddr> {
    let v4 = addresses
        .iter()
        .filter(|a| a.is_ipv4())
        .take(MAX_PER_FAMILY);
    let v6 = addresses
        .iter()
        .filter(|a| a.is_ipv6())
        .take(MAX_PER_FAMILY);
    v4.chain(v6).copied().collect()
}

/// Connects to every candidate address concurrently; the first success wins.
pub async fn connect(addresses: &[IpAddr], port: u16, timeout: Duration) -> TcpResult {
    let start = Instant::now();
    let mut data = TcpData {
        port,
        ..TcpData::default()
    };
    let candidates = candidates(addresses);
    let mut set = JoinSet::new();
    for ip in candidates.iter().copied() {
        set.spawn(async move {
            let addr = SocketAddr::new(ip, port);
            let result = tokio::time::timeout(timeout, TcpStream::connect(addr)).await;
            (addr, result, start.elapsed())
        });
    }
    let mut winner = None;
    let mut last_error: Option<String> = None;
    while let Some(joined) = set.join_next().await {
        let Ok((addr, result, elapsed)) = joined else {
            continue;
        };
        let outcome = match result {
            Ok(Ok(stream)) => {
                // Without it Nagle holds the HTTP request until the server acknowledges the last
                // TLS packet: one extra round trip on every slow link (measured: docs/performance.md).
                let _ = stream.set_nodelay(true);
                data.connected = Some(addr.to_string());
                data.local_address = stream.local_addr().ok().map(|a| a.ip().to_string());
                data.attempts.push(TcpAttempt {
                    address: addr.to_string(),
                    outcome: Outcome::Ok,
                    duration_ms: super::millis(elapsed),
                });
                winner = Some((stream, elapsed));
                break;
            }
            Ok(Err(e)) => {
                last_error = Some(format!("{addr}: {}", super::io_detail(&e)));
                super::classify_io(&e)
            }
            Err(_) => {
                last_error = Some(format!(
                    "{addr}: no answer within {} ms",
                    timeout.as_millis()
                ));
                Outcome::Timeout
            }
        };
        data.attempts.push(TcpAttempt {
            address: addr.to_string(),
            outcome,
            duration_ms: super::millis(elapsed),
        });
    }
    set.abort_all();
    let elapsed = start.elapsed();
    for ip in candidates {
        let address = SocketAddr::new(ip, port).to_string();
        if !data.attempts.iter().any(|a| a.address == address) {
            data.attempts.push(TcpAttempt {
                address,
                outcome: Outcome::NotNeeded,
                duration_ms: super::millis(elapsed),
            });
        }
    }
    if let Some((stream, elapsed)) = winner {
        return TcpResult {
            outcome: Outcome::Ok,
            data,
            duration: elapsed,
            stream: Some(stream),
            detail: None,
        };
    }
    let outcomes: Vec<Outcome> = data.attempts.iter().map(|a| a.outcome).collect();
    // This computer refusing to send says most; then an active refusal (something is there and
    // said no); a silent drop says least.
    let outcome = [
        Outcome::PermissionDenied,
        Outcome::Refused,
        Outcome::Reset,
        Outcome::Unreachable,
        Outcome::Error,
    ]
    .into_iter()
    .find(|o| outcomes.contains(o))
    .unwrap_or(Outcome::Timeout);
    TcpResult {
        outcome,
        data,
        duration: elapsed,
        stream: None,
        detail: last_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_prefer_ipv4_and_cap_each_family() {
        let addrs: Vec<IpAddr> = ["::1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "::2", "::3"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let got: Vec<String> = candidates(&addrs).iter().map(ToString::to_string).collect();
        assert_eq!(got, ["10.0.0.1", "10.0.0.2", "::1", "::2"]);
    }

    #[tokio::test]
    async fn refused_port_is_refused_and_open_port_connects() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap().port();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let lo = ["127.0.0.1".parse().unwrap()];
        let r = connect(&lo, closed, Duration::from_secs(2)).await;
        assert_eq!(r.outcome, Outcome::Refused);
        assert!(r.stream.is_none());
        let r = connect(&lo, open, Duration::from_secs(2)).await;
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(
            r.data.connected.as_deref(),
            Some(format!("127.0.0.1:{open}").as_str())
        );
    }
}
