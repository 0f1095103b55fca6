//! What a rule that held but lost becomes: a second cause's evidence, a warning, or nothing.

use crate::report::model::VerdictCode;

/// What a rule that held but lost to `winner` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// A second cause of the same failure: its evidence joins the winner's.
    Evidence,
    /// Something a person should know beside the verdict (`warnings.rs` words it).
    Warning,
    /// Said already by the winner, or beside the point.
    Nothing,
}

/// The rule of `loser` held too, but `winner` came first in the contract's order.
pub(super) fn keep(winner: VerdictCode, loser: VerdictCode) -> Keep {
    match loser {
        // Warnings word them from the facts they rest on; they matter once the winner is fixed.
        VerdictCode::BlockedLocally | VerdictCode::TlsIntercepted | VerdictCode::ClockWrong => {
            Keep::Warning
        }
        // Beside access that works: a warning; beside a failure: a second cause.
        VerdictCode::ConflictingVpns => {
            if winner.is_success() {
                Keep::Warning
            } else {
                Keep::Evidence
            }
        }
        // MARS failing beside a working portal is worth knowing; a dead HMS tunnel beside a
        // second VPN is a second cause; under a failure that breaks everything (the clock, the
        // network, this computer) MARS's silence follows from it.
        VerdictCode::MarsUnreachable => match winner {
            VerdictCode::HmsVpn | VerdictCode::InsideLma => Keep::Warning,
            VerdictCode::ConflictingVpns => Keep::Evidence,
            _ => Keep::Nothing,
        },
        VerdictCode::CaptivePortal => Keep::Evidence,
        // Implied by the winner (no way out, no names, access elsewhere), or the catch-all.
        VerdictCode::Offline
        | VerdictCode::DnsFailure
        | VerdictCode::HmsVpn
        | VerdictCode::InsideLma
        | VerdictCode::NeedsHmsVpn
        | VerdictCode::Inconclusive => Keep::Nothing,
    }
}
