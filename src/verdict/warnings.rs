//! `verdict.warnings`: findings that do not decide the verdict but that a person should know,
//! in plain words. Each is a small function of the facts and the verdict code that won.

use super::Facts;
use super::rules::{blocked_locally, tls_intercepted, untrusted_signers};
use super::service::clock_skew;
use super::words::{and_list, app_name, direction, gap, is_hms_tunnel, seconds, signer, who};
use crate::report::model::{Outcome, ProbeKind, RunEndReason, VerdictCode, VpnRole};

/// Every warning that applies when `code` is the verdict, in a fixed order.
pub(super) fn warnings(f: &Facts<'_>, code: VerdictCode) -> Vec<String> {
    [
        other_vpn(f, code),
        run_cut_short(f, code),
        blocked_elsewhere(f, code),
        untrusted_elsewhere(f, code),
        trusted_inspection(f, code),
        clock_off(f, code),
        detection_not_run(f),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Another VPN is up while MARS or the portal works: fine now, the first thing to undo if it stops.
fn other_vpn(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if !f.vpn_checked() || f.vpns.len() < 2 {
        return None;
    }
    if !code.is_success() {
        return None;
    }
    // The tunnel that carries the working access is not "another" VPN.
    let keep = |v: &&crate::report::model::Vpn| match code {
        VerdictCode::HmsVpn => is_hms_tunnel(v),
        _ => v.role == VpnRole::Affiliate,
    };
    let others: Vec<String> = f.vpns.iter().filter(|v| !keep(v)).map(app_name).collect();
    let what = if code == VerdictCode::HmsVpn {
        "MARS"
    } else {
        "the affiliate portal"
    };
    (!others.is_empty()).then(|| {
        format!(
            "Another VPN is connected as well: {}. {what} works now, but two VPNs at once often break it: if it stops working, disconnect {} first.",
            and_list(&others),
            and_list(&others)
        )
    })
}

/// The run ended before silent hosts could be called blocked (only worth saying when access
/// was not shown to work).
fn run_cut_short(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    let end = f.run_end?;
    if end.cut_short.is_empty() || code.is_success() {
        return None;
    }
    let by = match end.reason {
        RunEndReason::Interrupted => "by Ctrl-C",
        RunEndReason::Deadline if end.budget_ms < 9_000 => "by --timeout",
        _ => "by its time limit",
    };
    let needed = end
        .needed_ms
        .map(|ms| format!("about {}", seconds(ms.div_ceil(500) * 500)))
        .unwrap_or_else(|| "up to 10 seconds".into());
    Some(format!(
        "The run was cut short {by} after {}, before silent hosts could be told blocked from slow: a full run needs {needed} here. Run hmsaccess diagnose again without --timeout and let it finish.",
        seconds(f.duration_ms)
    ))
}

/// Some traffic was refused by this computer itself, but that did not decide the verdict.
fn blocked_elsewhere(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::BlockedLocally || blocked_locally(f).is_some() {
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
fn untrusted_elsewhere(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::TlsIntercepted || tls_intercepted(f).is_none() {
        return None;
    }
    let signers: Vec<String> = untrusted_signers(f)
        .iter()
        .map(|(issuer, _)| signer(issuer))
        .collect();
    Some(format!(
        "Secure connections outside MARS are re-signed by {}, which this computer does not trust: other websites may show certificate warnings. Do not click through them.",
        and_list(&signers)
    ))
}

/// Secure connections verified only through a root installed on this computer: TLS
/// inspection that this computer trusts (a hospital's, or security software's).
fn trusted_inspection(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::TlsIntercepted {
        return None;
    }
    let mut issuers: Vec<String> = Vec::new();
    let mut roles: Vec<String> = Vec::new();
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
        if let Some(r) = p.role {
            roles.push(who(r).to_owned());
        }
    }
    (!roles.is_empty()).then(|| {
        format!(
            "Secure connections to {} are vouched for by {}, a certificate authority installed on this computer rather than a public one, as when an organization or security software inspects secure traffic. That works, but whoever runs it can see what passes, sign-ins included; on a computer of your own, find out who installed it.",
            and_list(&roles),
            and_list(&issuers)
        )
    })
}

/// A clock off by more than a few minutes that did not make the verdict.
fn clock_off(f: &Facts<'_>, code: VerdictCode) -> Option<String> {
    if code == VerdictCode::ClockWrong {
        return None;
    }
    let skew = clock_skew(f)?;
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
