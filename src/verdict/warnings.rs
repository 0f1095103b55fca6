//! `verdict.warnings`: findings that do not decide the verdict but that a person should know,
//! in plain words. Each is a small function of the facts, the verdict code that won and the
//! rules that held but lost (`losers`, see [`super::losers::keep`]).

use super::facts::Facts;
use super::losers::{Keep, keep};
use super::service::{Service, clock_skew, service};
use super::signs::untrusted_signers;
use super::words::{
    and_list, answered, cut_by, direction, gap, is_hms_tunnel, seconds, signer, vpn_names, who,
};
use crate::report::model::{
    Cause, Outcome, ProbeKind, Role, RunEndReason, VerdictCode, Vpn, VpnRole,
};

/// Every warning that applies when `code` (for `cause`) is the verdict and `losers` held too,
/// in a fixed order.
pub(super) fn warnings(
    f: &Facts<'_>,
    code: VerdictCode,
    cause: Cause,
    losers: &[VerdictCode],
) -> Vec<String> {
    let lost = |c: VerdictCode| losers.contains(&c) && keep(code, c) == Keep::Warning;
    [
        lost(VerdictCode::MarsUnreachable)
            .then(|| mars_failing(f))
            .flatten(),
        lost(VerdictCode::ConflictingVpns)
            .then(|| other_vpn(f, code))
            .flatten(),
        slow_answer(f, code),
        run_cut_short(f, code, cause),
        blocked_elsewhere(f, code),
        lost(VerdictCode::TlsIntercepted).then(|| untrusted_elsewhere(f)),
        trusted_inspection(f, code),
        clock_off(f, code, lost(VerdictCode::ClockWrong)),
        detection_not_run(f),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// MARS itself answers with a server error while the portal lets this computer in.
fn mars_failing(f: &Facts<'_>) -> Option<String> {
    match service(f, Role::Mars) {
        (Service::Failing, Some(p)) => Some(format!(
            "{} Through the portal it may fail too, until HMS IT fixes it.",
            answered(p, Role::Mars)
        )),
        _ => None,
    }
}

/// A verified answer took seconds to come (more than this, from connecting to the answer).
const SLOW_MS: u64 = 2_000;

/// MARS (or the portal) answered, but slowly: pages will load slowly over this link.
fn slow_answer(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    let role = match code {
        VerdictCode::HmsVpn => Role::Mars,
        VerdictCode::InsideLma => Role::Affiliate,
        _ => return None,
    };
    let took: u64 = [ProbeKind::Tcp, ProbeKind::Tls, ProbeKind::Https]
        .into_iter()
        .filter_map(|k| f.find(role, k))
        .filter(|p| p.outcome == Outcome::Ok)
        .filter_map(|p| p.duration_ms)
        .sum();
    (took >= SLOW_MS).then(|| {
        format!(
            "{} answered, but took {} to connect and answer (a good connection takes well under a second): this network is slow, so pages will load slowly.",
            super::words::capital(who(role)),
            seconds(took)
        )
    })
}

/// Another VPN is up while MARS or the portal works: fine now, the first thing to undo if it stops.
fn other_vpn(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    // The tunnel that carries the working access is not "another" VPN.
    let carries = |v: &&Vpn| match code {
        VerdictCode::HmsVpn => is_hms_tunnel(v),
        _ => v.role == VpnRole::Affiliate,
    };
    let others: Vec<&Vpn> = f.vpns.iter().filter(|v| !carries(v)).collect();
    let what = if code == VerdictCode::HmsVpn {
        "MARS"
    } else {
        "the affiliate portal"
    };
    let names = and_list(&vpn_names(&others, f.vpns));
    (!others.is_empty()).then(|| {
        format!(
            "Another VPN is connected as well: {names}. Two VPNs can run together, and {what} works now; they break it when one takes the other's routes, so if it stops working, disconnect {names} first."
        )
    })
}

/// The run ended before silent hosts could be called blocked (only worth saying when access
/// was not shown to work). Only a run that `--timeout` cut is told to run without it. For the
/// cut-short cause, "Why" says what cut it and the first step how to run again: nothing to add.
fn run_cut_short(f: &Facts<'_>, code: VerdictCode, cause: Cause) -> Option<String> {
    let end = f.run_end?;
    if end.cut_short.is_empty() || code.is_success() || cause == Cause::CutShort {
        return None;
    }
    let by = cut_by(end);
    let needed = end
        .needed_ms
        .map(|ms| format!("about {}", seconds(ms.div_ceil(500) * 500)))
        .unwrap_or_else(|| "up to 10 seconds".into());
    let mut text = format!(
        "The run was cut short {by} after {}, before silent hosts could be told blocked from slow: a full run needs {needed} here.",
        seconds(f.duration_ms)
    );
    if end.reason == RunEndReason::Deadline && end.by_timeout() {
        text.push_str(" Run hmsaccess diagnose again without --timeout and let it finish.");
    }
    Some(text)
}

/// Some traffic was refused by this computer itself, but that did not decide the verdict.
fn blocked_elsewhere(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::BlockedLocally {
        return None;
    }
    let mut roles: Vec<String> = Vec::new();
    for p in f
        .probes
        .iter()
        .filter(|p| p.outcome == Outcome::PermissionDenied)
    {
        if let Some(r) = p.role {
            roles.push(who(r).to_owned());
        }
    }
    (!roles.is_empty()).then(|| {
        format!(
            "This computer itself refused to send some traffic (to {}): a firewall, security software or a VPN app's lock-down mode is in the way.",
            and_list(&roles)
        )
    })
}

/// Untrusted re-signing seen, but another verdict won (MARS answers through the VPN, say).
fn untrusted_elsewhere(f: &Facts<'_>) -> String {
    let signers: Vec<String> = untrusted_signers(f)
        .iter()
        .map(|(issuer, _)| signer(issuer))
        .collect();
    format!(
        "Secure connections outside MARS are re-signed by {}, which this computer does not trust: other websites may show certificate warnings. Do not click through them.",
        and_list(&signers)
    )
}

/// Secure connections verified only through a root installed on this computer: TLS
/// inspection that this computer trusts (a hospital's, or security software's).
fn trusted_inspection(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::TlsIntercepted {
        return None;
    }
    let mut issuers: Vec<String> = Vec::new();
    let mut any = false;
    for p in f.all(ProbeKind::Tls).filter(|p| p.outcome == Outcome::Ok) {
        let Some(t) = p.tls.as_ref().filter(|t| t.public_root == Some(false)) else {
            continue;
        };
        if let Some(issuer) = t
            .chain_top_issuer
            .as_ref()
            .or(t.leaf.as_ref().map(|l| &l.issuer))
        {
            issuers.push(signer(issuer));
        }
        any = true;
    }
    // Two lines at most at 80 columns: who vouches, and what that means.
    any.then(|| {
        format!(
            "Secure connections are vouched for by {}, installed on this computer: whoever runs it may see what passes.",
            and_list(&issuers)
        )
    })
}

/// A clock off by more than a few minutes that did not make the verdict.
/// `far_off`: the clock-wrong rule held too but lost (to no connection, say), with or without
/// a server's time to say by how much.
fn clock_off(f: &Facts<'_>, code: VerdictCode, far_off: bool) -> Option<String> {
    if code == VerdictCode::ClockWrong {
        return None;
    }
    let Some(skew) = clock_skew(f) else {
        return far_off.then(|| {
            "Certificates were refused as expired or not valid yet, as when this computer's clock is far off: let it set the time automatically.".to_owned()
        });
    };
    Some(format!(
        "This computer's clock is {} {} the public HMS site's clock. Let it set the time automatically: sign-ins and Duo prompts can fail when the clock is off.",
        gap(skew),
        direction(skew)
    ))
}

/// VPN detection did not run: the verdict could not take VPNs into account.
fn detection_not_run(f: &Facts<'_>) -> Option<String> {
    (!f.vpn_checked()).then(|| {
        "The VPN apps and tunnels of this computer could not be checked, so this verdict does not take them into account."
            .to_owned()
    })
}
