//! The probes: one module per step (DNS → route → TCP → TLS → HTTP), a pure [`plan`] of what to
//! probe, and one target's [`chain`] of steps. The run ([`crate::run`]) runs the chains
//! concurrently under one deadline.
//!
//! Every probe returns data: a failure is an [`Outcome`], never a Rust `Err`.

pub mod chain;
pub mod dns;
pub mod http;
pub mod plan;
pub mod route;
pub mod tcp;
pub mod tls;

use std::io;
use std::time::Duration;

use crate::report::model::{DnsData, HttpData, Outcome, Probe, RouteData, TcpData, TlsData};

/// What one finished step found, before it is written into its probe slot.
#[derive(Debug)]
pub struct StepResult {
    /// How the step ended.
    pub outcome: Outcome,
    /// How long it took.
    pub duration: Duration,
    /// A line explaining the outcome, when there is more to say.
    pub detail: Option<String>,
    /// The step's own data.
    pub data: StepData,
}

/// The data of one step, by kind.
#[derive(Debug)]
pub enum StepData {
    /// Name resolution.
    Dns(DnsData),
    /// Route lookup.
    Route(RouteData),
    /// TCP connect.
    Tcp(TcpData),
    /// TLS handshake.
    Tls(TlsData),
    /// HTTP(S) request.
    Http(HttpData),
}

impl StepResult {
    /// A finished step.
    #[must_use]
    pub fn new(
        outcome: Outcome,
        duration: Duration,
        detail: Option<String>,
        data: StepData,
    ) -> StepResult {
        StepResult {
            outcome,
            duration,
            detail,
            data,
        }
    }

    /// Writes this result into its probe slot.
    pub fn write_into(self, p: &mut Probe) {
        p.outcome = self.outcome;
        p.duration_ms = Some(millis(self.duration));
        p.detail = self.detail;
        match self.data {
            StepData::Dns(d) => p.dns = Some(d),
            StepData::Route(d) => p.route = Some(d),
            StepData::Tcp(d) => p.tcp = Some(d),
            StepData::Tls(d) => p.tls = Some(d),
            StepData::Http(d) => p.http = Some(d),
        }
    }
}

/// Maps an I/O error to the closed outcome list: error kind first, then the raw OS code.
#[must_use]
pub fn classify_io(e: &io::Error) -> Outcome {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => Outcome::Refused,
        K::TimedOut => Outcome::Timeout,
        K::NetworkUnreachable | K::HostUnreachable | K::AddrNotAvailable | K::NetworkDown => {
            Outcome::Unreachable
        }
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            Outcome::Reset
        }
        K::InvalidData => Outcome::ProtocolError,
        _ => match e.raw_os_error() {
            // ENETUNREACH/EHOSTUNREACH on Linux (101/113), macOS (51/65), Windows (10051/10065).
            Some(101 | 113 | 51 | 65 | 10051 | 10065) => Outcome::Unreachable,
            _ => Outcome::Error,
        },
    }
}

/// Milliseconds, saturating, for the report.
#[must_use]
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// An I/O error in our own words for `detail` lines: from its kind or OS code, never the OS's
/// message text (localised on Windows; under Wine "OS Error 10051 (FormatMessageW() returned
/// error 317)").
#[must_use]
pub fn io_detail(e: &io::Error) -> String {
    crate::input::os_error_words(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_map_to_outcomes() {
        let kinds = [
            (io::ErrorKind::ConnectionRefused, Outcome::Refused),
            (io::ErrorKind::TimedOut, Outcome::Timeout),
            (io::ErrorKind::NetworkUnreachable, Outcome::Unreachable),
            (io::ErrorKind::ConnectionReset, Outcome::Reset),
            (io::ErrorKind::Other, Outcome::Error),
        ];
        for (kind, want) in kinds {
            assert_eq!(classify_io(&io::Error::from(kind)), want, "{kind:?}");
        }
        assert_eq!(
            classify_io(&io::Error::from_raw_os_error(113)),
            Outcome::Unreachable
        );
    }

    #[test]
    fn details_name_what_happened_not_the_os_text() {
        let unreachable = io::Error::from(io::ErrorKind::NetworkUnreachable);
        assert_eq!(io_detail(&unreachable), "network unreachable");
        // Windows' WSAENETUNREACH as Wine returns it: the OS's message cannot be formatted there.
        let wsa = io::Error::from_raw_os_error(10051);
        let detail = io_detail(&wsa);
        assert!(!detail.contains("FormatMessageW"), "{detail}");
        let want = if std::env::consts::OS == "windows" {
            "no route to that network"
        } else {
            "OS error 10051" // not an errno on Linux or macOS
        };
        assert_eq!(detail, want);
    }
}
