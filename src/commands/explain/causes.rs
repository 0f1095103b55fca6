//! What each cause of the contract (version 3, "The cause, and who acts") means, in a few words
//! for the service desk: the table's "when" column, shortened to fit a line.

use crate::report::model::Cause;

/// The cause in a few words (`MARS refuses connections or fails with a server error`).
#[must_use]
pub fn meaning(cause: Cause) -> &'static str {
    match cause {
        Cause::ViaHmsVpn => "MARS answers through the HMS VPN",
        Cause::OnHmsNetwork => "MARS answers on the HMS network, no VPN needed",
        Cause::ViaHospitalVpn => "the affiliate portal answers through a hospital VPN",
        Cause::OnLmaNetwork => "the affiliate portal answers on the LMA network",
        Cause::NoVpn => "no VPN up; the HMS VPN app is there to connect",
        Cause::NoHmsClient => "no VPN up and no HMS VPN app installed",
        Cause::OtherVpn => "a VPN that is not the HMS VPN is up",
        Cause::OtherVpnTakesMars => "another VPN carries the routes to MARS",
        Cause::VpnsUp => "two or more VPNs up, no access",
        Cause::NoConnection => "no network connection",
        Cause::NothingAnswers => "a way out, but not even the public HMS site answers",
        Cause::ProxyDown => "the proxy set for HTTPS does not answer",
        Cause::ResolversFail => "name resolution fails for every name",
        Cause::LoginPage => "a Wi-Fi login page takes web traffic",
        Cause::TunnelDead => "the HMS VPN tunnel passes no traffic",
        Cause::RouteTaken => "MARS is routed into another tunnel",
        Cause::HandshakeStalls => "MARS connects, but the secure handshake stalls",
        Cause::AccessRefused => "MARS refuses this account: HTTP 403",
        Cause::MarsDown => "MARS refuses connections or answers with a server error",
        Cause::MarsCertificate => "MARS's own certificate fails",
        Cause::MarsSilent => "MARS does not answer through a working tunnel",
        Cause::UntrustedIssuer => "secure connections re-signed by an untrusted issuer",
        Cause::ClockBehind => "the computer's clock is behind",
        Cause::ClockAhead => "the computer's clock is ahead",
        Cause::PermissionDenied => "this computer refuses to send: a firewall or lock-down",
        Cause::CutShort => "the run was cut short before it could tell",
        Cause::Unexplained => "the evidence fits no other cause",
    }
}

/// Causes that mean MARS itself fails for everyone: several of them from different computers
/// at about the same time are one HMS incident, not separate problems.
#[must_use]
pub fn is_outage(cause: Cause) -> bool {
    matches!(cause, Cause::MarsDown | Cause::MarsCertificate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Acts;

    #[test]
    fn every_cause_has_a_short_meaning_and_outages_are_hms_its() {
        for cause in Cause::ALL {
            let words = meaning(cause);
            assert!(!words.is_empty() && words.len() <= 56, "{cause:?}: {words}");
            // Shown in parentheses ("Cause: id (meaning)"): none of its own inside.
            assert!(!words.contains(['(', ')']), "{cause:?}: {words}");
            if is_outage(cause) {
                assert_eq!(cause.acts(), Acts::HmsIt, "{cause:?}");
            }
        }
    }
}
