//! The verdict's closed lists: codes (wire names, exit statuses), causes (each cause's verdict
//! and who acts, as the contract's table assigns them) and the parties who act.

use crate::report::model::{Acts, Cause, VerdictCode};

impl VerdictCode {
    /// Every code, in the contract's priority order.
    pub const ALL: [VerdictCode; 12] = [
        VerdictCode::Offline,
        VerdictCode::BlockedLocally,
        VerdictCode::ClockWrong,
        VerdictCode::CaptivePortal,
        VerdictCode::DnsFailure,
        VerdictCode::HmsVpn,
        VerdictCode::InsideLma,
        VerdictCode::TlsIntercepted,
        VerdictCode::ConflictingVpns,
        VerdictCode::MarsUnreachable,
        VerdictCode::NeedsHmsVpn,
        VerdictCode::Inconclusive,
    ];

    /// The code as written in reports and profiles (`needs-hms-vpn`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictCode::Offline => "offline",
            VerdictCode::BlockedLocally => "blocked-locally",
            VerdictCode::ClockWrong => "clock-wrong",
            VerdictCode::TlsIntercepted => "tls-intercepted",
            VerdictCode::CaptivePortal => "captive-portal",
            VerdictCode::DnsFailure => "dns-failure",
            VerdictCode::ConflictingVpns => "conflicting-vpns",
            VerdictCode::HmsVpn => "hms-vpn",
            VerdictCode::InsideLma => "inside-lma",
            VerdictCode::MarsUnreachable => "mars-unreachable",
            VerdictCode::NeedsHmsVpn => "needs-hms-vpn",
            VerdictCode::Inconclusive => "inconclusive",
        }
    }

    /// The process exit status the contract assigns to this verdict.
    #[must_use]
    pub fn exit_code(self) -> u8 {
        match self {
            VerdictCode::HmsVpn | VerdictCode::InsideLma => 0,
            VerdictCode::NeedsHmsVpn => 10,
            VerdictCode::ConflictingVpns => 11,
            VerdictCode::Offline => 12,
            VerdictCode::DnsFailure => 13,
            VerdictCode::CaptivePortal => 14,
            VerdictCode::MarsUnreachable => 15,
            VerdictCode::TlsIntercepted => 16,
            VerdictCode::ClockWrong => 17,
            VerdictCode::BlockedLocally => 18,
            VerdictCode::Inconclusive => 19,
        }
    }

    /// How the verdict reads at a glance (the human output's mark), beside its exit status so
    /// that a new code must say both.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            VerdictCode::HmsVpn | VerdictCode::InsideLma => Severity::Works,
            VerdictCode::NeedsHmsVpn
            | VerdictCode::ConflictingVpns
            | VerdictCode::CaptivePortal
            | VerdictCode::TlsIntercepted
            | VerdictCode::ClockWrong
            | VerdictCode::BlockedLocally => Severity::Action,
            VerdictCode::Offline
            | VerdictCode::DnsFailure
            | VerdictCode::MarsUnreachable
            | VerdictCode::Inconclusive => Severity::Broken,
        }
    }

    /// True for the verdicts that mean "you can reach MARS now".
    #[must_use]
    pub fn is_success(self) -> bool {
        self.exit_code() == 0
    }
}

/// How a verdict reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// MARS (or the portal) can be reached now (`OK`).
    Works,
    /// Something this computer's user can change (`!!`).
    Action,
    /// Broken, or not known why (`XX`).
    Broken,
}

impl Cause {
    /// Every cause, in the order of the contract's table (grouped by verdict, in the verdicts'
    /// priority order as the table lists them).
    pub const ALL: [Cause; 27] = [
        Cause::ViaHmsVpn,
        Cause::OnHmsNetwork,
        Cause::ViaHospitalVpn,
        Cause::OnLmaNetwork,
        Cause::NoVpn,
        Cause::NoHmsClient,
        Cause::OtherVpn,
        Cause::OtherVpnTakesMars,
        Cause::VpnsUp,
        Cause::NoConnection,
        Cause::NothingAnswers,
        Cause::ProxyDown,
        Cause::ResolversFail,
        Cause::LoginPage,
        Cause::TunnelDead,
        Cause::RouteTaken,
        Cause::HandshakeStalls,
        Cause::AccessRefused,
        Cause::MarsDown,
        Cause::MarsCertificate,
        Cause::MarsSilent,
        Cause::UntrustedIssuer,
        Cause::ClockBehind,
        Cause::ClockAhead,
        Cause::PermissionDenied,
        Cause::CutShort,
        Cause::Unexplained,
    ];

    /// The cause as written in reports (`other-vpn-takes-mars`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::ViaHmsVpn => "via-hms-vpn",
            Cause::OnHmsNetwork => "on-hms-network",
            Cause::ViaHospitalVpn => "via-hospital-vpn",
            Cause::OnLmaNetwork => "on-lma-network",
            Cause::NoVpn => "no-vpn",
            Cause::NoHmsClient => "no-hms-client",
            Cause::OtherVpn => "other-vpn",
            Cause::OtherVpnTakesMars => "other-vpn-takes-mars",
            Cause::VpnsUp => "vpns-up",
            Cause::NoConnection => "no-connection",
            Cause::NothingAnswers => "nothing-answers",
            Cause::ProxyDown => "proxy-down",
            Cause::ResolversFail => "resolvers-fail",
            Cause::LoginPage => "login-page",
            Cause::TunnelDead => "tunnel-dead",
            Cause::RouteTaken => "route-taken",
            Cause::HandshakeStalls => "handshake-stalls",
            Cause::AccessRefused => "access-refused",
            Cause::MarsDown => "mars-down",
            Cause::MarsCertificate => "mars-certificate",
            Cause::MarsSilent => "mars-silent",
            Cause::UntrustedIssuer => "untrusted-issuer",
            Cause::ClockBehind => "clock-behind",
            Cause::ClockAhead => "clock-ahead",
            Cause::PermissionDenied => "permission-denied",
            Cause::CutShort => "cut-short",
            Cause::Unexplained => "unexplained",
        }
    }

    /// The verdict this cause belongs to (its row in the contract's table).
    #[must_use]
    pub fn verdict(self) -> VerdictCode {
        match self {
            Cause::ViaHmsVpn | Cause::OnHmsNetwork => VerdictCode::HmsVpn,
            Cause::ViaHospitalVpn | Cause::OnLmaNetwork => VerdictCode::InsideLma,
            Cause::NoVpn | Cause::NoHmsClient | Cause::OtherVpn => VerdictCode::NeedsHmsVpn,
            Cause::OtherVpnTakesMars | Cause::VpnsUp => VerdictCode::ConflictingVpns,
            Cause::NoConnection | Cause::NothingAnswers | Cause::ProxyDown => VerdictCode::Offline,
            Cause::ResolversFail => VerdictCode::DnsFailure,
            Cause::LoginPage => VerdictCode::CaptivePortal,
            Cause::TunnelDead
            | Cause::RouteTaken
            | Cause::HandshakeStalls
            | Cause::AccessRefused
            | Cause::MarsDown
            | Cause::MarsCertificate
            | Cause::MarsSilent => VerdictCode::MarsUnreachable,
            Cause::UntrustedIssuer => VerdictCode::TlsIntercepted,
            Cause::ClockBehind | Cause::ClockAhead => VerdictCode::ClockWrong,
            Cause::PermissionDenied => VerdictCode::BlockedLocally,
            Cause::CutShort | Cause::Unexplained => VerdictCode::Inconclusive,
        }
    }

    /// Who must act for MARS to open, as the contract's table assigns it.
    #[must_use]
    pub fn acts(self) -> Acts {
        match self {
            Cause::NoHmsClient | Cause::AccessRefused | Cause::MarsSilent | Cause::Unexplained => {
                Acts::ServiceDesk
            }
            Cause::MarsDown | Cause::MarsCertificate => Acts::HmsIt,
            Cause::NothingAnswers | Cause::ResolversFail | Cause::HandshakeStalls => Acts::Network,
            Cause::ViaHmsVpn
            | Cause::OnHmsNetwork
            | Cause::ViaHospitalVpn
            | Cause::OnLmaNetwork
            | Cause::NoVpn
            | Cause::OtherVpn
            | Cause::OtherVpnTakesMars
            | Cause::VpnsUp
            | Cause::NoConnection
            | Cause::ProxyDown
            | Cause::LoginPage
            | Cause::TunnelDead
            | Cause::RouteTaken
            | Cause::UntrustedIssuer
            | Cause::ClockBehind
            | Cause::ClockAhead
            | Cause::PermissionDenied
            | Cause::CutShort => Acts::You,
        }
    }
}

impl Acts {
    /// Every party, in the order the contract names them.
    pub const ALL: [Acts; 4] = [Acts::You, Acts::ServiceDesk, Acts::HmsIt, Acts::Network];

    /// The party as written in reports (`service-desk`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Acts::You => "you",
            Acts::ServiceDesk => "service-desk",
            Acts::HmsIt => "hms-it",
            Acts::Network => "network",
        }
    }

    /// Who that is, in a person's words.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Acts::You => "you",
            Acts::ServiceDesk => "the HMS IT Service Desk",
            Acts::HmsIt => "HMS IT (MARS's side)",
            Acts::Network => "whoever runs this network",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's table gives every verdict at least one cause.
    #[test]
    fn every_verdict_has_a_cause() {
        for code in VerdictCode::ALL {
            assert!(
                Cause::ALL.iter().any(|c| c.verdict() == code),
                "{code} has no cause"
            );
        }
    }

    /// Only access that works reads as working; the rest ask for action or are broken.
    #[test]
    fn only_the_success_codes_read_as_working() {
        for code in VerdictCode::ALL {
            assert_eq!(
                code.severity() == Severity::Works,
                code.is_success(),
                "{code}"
            );
        }
    }
}
