//! The operating system's resolver, asked as applications ask it: `getaddrinfo` (through the
//! `dns-lookup` crate, which keeps its error codes; std's `ToSocketAddrs` hides them). On macOS
//! that honours the per-domain resolvers VPN clients install and `/etc/hosts`; on Windows the
//! DNS client with its NRPT rules and per-adapter servers; on Linux `nsswitch.conf`, the hosts
//! file and systemd-resolved.
//!
//! `getaddrinfo` cannot be cancelled, so it runs on a thread of its own (not tokio's blocking
//! pool, which a runtime waits for on shutdown) and the caller stops waiting at its deadline.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use dns_lookup::{AddrInfoHints, LookupError, LookupErrorKind};

use crate::report::model::Outcome;

/// Addresses kept from one answer (a hostile or huge answer cannot grow the report).
const MAX_ADDRESSES: usize = 32;

/// What the OS resolver said about one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsAnswer {
    /// `ok`, or the failure mapped onto the report's outcomes.
    pub outcome: Outcome,
    /// The addresses, in the resolver's order, without repeats.
    pub addresses: Vec<IpAddr>,
    /// How long it took (or until the caller stopped waiting).
    pub duration: Duration,
    /// The resolver's error code (`EAI_NONAME`), when it failed.
    pub error: Option<String>,
}

/// Resolves `host` through the OS resolver, waiting at most `timeout`.
pub async fn lookup(host: &str, timeout: Duration) -> OsAnswer {
    let start = Instant::now();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let name = host.trim_end_matches('.').to_owned();
    let spawned = std::thread::Builder::new()
        .name("getaddrinfo".into())
        .spawn(move || {
            let _ = tx.send(resolve_blocking(&name));
        });
    if spawned.is_err() {
        return OsAnswer {
            outcome: Outcome::Error,
            addresses: vec![],
            duration: start.elapsed(),
            error: Some("no thread could be started for the lookup".into()),
        };
    }
    match tokio::time::timeout(timeout, rx).await {
        Ok(Ok(Ok(addresses))) => OsAnswer {
            outcome: if addresses.is_empty() {
                Outcome::NoRecords
            } else {
                Outcome::Ok
            },
            addresses,
            duration: start.elapsed(),
            error: None,
        },
        Ok(Ok(Err((outcome, code)))) => OsAnswer {
            outcome,
            addresses: vec![],
            duration: start.elapsed(),
            error: Some(code),
        },
        Ok(Err(_)) => OsAnswer {
            outcome: Outcome::Error,
            addresses: vec![],
            duration: start.elapsed(),
            error: Some("the lookup thread ended without an answer".into()),
        },
        Err(_) => OsAnswer {
            outcome: Outcome::Timeout,
            addresses: vec![],
            duration: start.elapsed(),
            error: Some(format!("no answer within {} ms", timeout.as_millis())),
        },
    }
}

/// `getaddrinfo(host, NULL, {SOCK_STREAM})`: every family, one entry per address.
fn resolve_blocking(host: &str) -> Result<Vec<IpAddr>, (Outcome, String)> {
    let hints = AddrInfoHints {
        socktype: dns_lookup::SockType::Stream.into(),
        ..AddrInfoHints::default()
    };
    let iter = dns_lookup::getaddrinfo(Some(host), None, Some(hints)).map_err(classify)?;
    let mut out: Vec<IpAddr> = Vec::new();
    for info in iter.flatten() {
        let ip = info.sockaddr.ip();
        if !out.contains(&ip) && out.len() < MAX_ADDRESSES {
            out.push(ip);
        }
    }
    Ok(out)
}

/// Maps a `getaddrinfo` failure onto the report's outcomes, with the code a service desk can
/// look up.
fn classify(e: LookupError) -> (Outcome, String) {
    let (kind, code) = (e.kind(), e.error_num());
    // For `EAI_SYSTEM` the crate keeps the OS error (errno, or the Winsock error) it read right
    // after the call.
    let errno = std::io::Error::from(e).raw_os_error();
    classify_parts(kind, code, errno)
}

/// [`classify`] on plain values (testable without a failing lookup). `errno` is the OS error
/// behind `EAI_SYSTEM` (Unix) or the Winsock error (Windows).
#[must_use]
pub fn classify_parts(kind: LookupErrorKind, code: i32, errno: Option<i32>) -> (Outcome, String) {
    match kind {
        // "Name or service not known": NXDOMAIN, and on macOS also "no address of that kind".
        LookupErrorKind::NoName => (Outcome::Nxdomain, name_of(code, "EAI_NONAME")),
        LookupErrorKind::NoData => (Outcome::NoRecords, name_of(code, "EAI_NODATA")),
        // "Temporary failure": no nameserver answered, or one said SERVFAIL; the direct queries
        // beside it tell which (see `dns::refine_temporary`).
        LookupErrorKind::Again => (Outcome::Timeout, name_of(code, "EAI_AGAIN")),
        LookupErrorKind::Fail => (Outcome::Servfail, name_of(code, "EAI_FAIL")),
        LookupErrorKind::System | LookupErrorKind::IO => match errno {
            // EPERM, EACCES (Unix); WSAEACCES (Windows): something on this computer refused.
            Some(1 | 13 | 10013) => (
                Outcome::PermissionDenied,
                format!(
                    "EAI_SYSTEM (permission denied, errno {})",
                    errno.unwrap_or(0)
                ),
            ),
            Some(n) => (Outcome::Error, format!("EAI_SYSTEM (errno {n})")),
            None => (Outcome::Error, format!("error {code}")),
        },
        _ => (Outcome::Error, format!("getaddrinfo error {code}")),
    }
}

/// The code's usual name on this OS (Windows reports Winsock numbers under other names).
fn name_of(code: i32, unix: &str) -> String {
    match code {
        11001 => "WSAHOST_NOT_FOUND".into(),
        11002 => "WSATRY_AGAIN".into(),
        11003 => "WSANO_RECOVERY".into(),
        11004 => "WSANO_DATA".into(),
        _ => unix.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kinds_map_to_outcomes() {
        use LookupErrorKind as K;
        assert_eq!(
            classify_parts(K::NoName, -2, None),
            (Outcome::Nxdomain, "EAI_NONAME".into())
        );
        assert_eq!(
            classify_parts(K::NoName, 11001, None).1,
            "WSAHOST_NOT_FOUND"
        );
        assert_eq!(classify_parts(K::NoData, -5, None).0, Outcome::NoRecords);
        assert_eq!(classify_parts(K::Again, -3, None).0, Outcome::Timeout);
        assert_eq!(classify_parts(K::Fail, -4, None).0, Outcome::Servfail);
        assert_eq!(
            classify_parts(K::System, -11, Some(13)).0,
            Outcome::PermissionDenied
        );
        assert_eq!(
            classify_parts(K::System, -11, Some(1)).0,
            Outcome::PermissionDenied
        );
        assert_eq!(
            classify_parts(K::IO, 0, Some(10013)).0,
            Outcome::PermissionDenied
        );
        assert_eq!(
            classify_parts(K::System, -11, Some(24)),
            (Outcome::Error, "EAI_SYSTEM (errno 24)".into())
        );
        assert_eq!(classify_parts(K::Memory, -10, None).0, Outcome::Error);
    }

    #[tokio::test]
    async fn literals_and_localhost_resolve_and_a_reserved_name_does_not() {
        let a = lookup("127.0.0.1", Duration::from_secs(5)).await;
        assert_eq!(a.outcome, Outcome::Ok);
        assert_eq!(a.addresses, ["127.0.0.1".parse::<IpAddr>().unwrap()]);
        let a = lookup("localhost", Duration::from_secs(5)).await;
        assert_eq!(a.outcome, Outcome::Ok, "{a:?}");
        assert!(a.addresses.iter().all(|ip| ip.is_loopback()), "{a:?}");
    }

    #[tokio::test]
    async fn a_stuck_lookup_is_cut_at_the_deadline() {
        // A zero deadline: the caller stops waiting whatever the resolver does.
        let a = lookup("localhost", Duration::ZERO).await;
        assert!(matches!(a.outcome, Outcome::Timeout | Outcome::Ok), "{a:?}");
        assert!(a.duration < Duration::from_millis(500));
    }
}
