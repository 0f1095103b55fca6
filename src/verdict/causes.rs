//! The cause (contract 3, "The cause, and who acts"): why the verdict holds, the most specific
//! row of the contract's table the facts prove. The cause decides the first step; with it come
//! the evidence lines that say what it means and the values of its own placeholders
//! (`profile::fills`), each one non-empty by construction.

use std::collections::BTreeMap;

use super::facts::Facts;
use super::service::{Service, clock_skew, service};
use super::signs::{dead_proxy, mars_certificate, no_route_out, passes_nothing, untrusted_signers};
use super::words::{
    and_list, certificate_fault, gap, is_hms_client, is_hms_tunnel, seconds, signer, vpn_names,
};
use crate::report::model::{
    Cause, Interface, InterfaceKind, Outcome, Probe, ProbeKind, RedirectKind, Role, RunEndReason,
    VerdictCode, Vpn, VpnRole,
};

/// A decided cause, what it means in words, and its placeholders' values.
pub(super) struct Decided {
    pub cause: Cause,
    /// Lines that say what the cause means, added after the rule's evidence.
    pub evidence: Vec<String>,
    /// The cause's own placeholders (`profile::fills(cause)`), filled.
    pub values: BTreeMap<&'static str, String>,
}

impl Decided {
    fn just(cause: Cause) -> Decided {
        Decided {
            cause,
            evidence: Vec::new(),
            values: BTreeMap::new(),
        }
    }

    fn with(mut self, name: &'static str, value: String) -> Decided {
        self.values.insert(name, value);
        self
    }

    fn saying(mut self, line: String) -> Decided {
        self.evidence.push(line);
        self
    }
}

/// The cause of `code` from the facts: one of `code`'s rows, always.
pub(super) fn decide(f: &Facts<'_>, code: VerdictCode) -> Decided {
    match code {
        VerdictCode::Offline => offline(f),
        VerdictCode::BlockedLocally => Decided::just(Cause::PermissionDenied),
        VerdictCode::ClockWrong => clock(f),
        VerdictCode::CaptivePortal => Decided::just(Cause::LoginPage),
        VerdictCode::DnsFailure => Decided::just(Cause::ResolversFail),
        VerdictCode::HmsVpn => Decided::just(if f.vpns.iter().any(is_hms_tunnel) {
            Cause::ViaHmsVpn
        } else {
            Cause::OnHmsNetwork
        }),
        VerdictCode::InsideLma => inside_lma(f),
        VerdictCode::TlsIntercepted => {
            let signers: Vec<String> = untrusted_signers(f)
                .iter()
                .map(|(issuer, _)| signer(issuer))
                .collect();
            Decided::just(Cause::UntrustedIssuer)
                .with("issuer", nonempty(and_list(&signers), "an unknown signer"))
        }
        VerdictCode::ConflictingVpns => conflicting_vpns(f),
        VerdictCode::MarsUnreachable => mars_unreachable(f),
        VerdictCode::NeedsHmsVpn => needs_hms_vpn(f),
        VerdictCode::Inconclusive => inconclusive(f),
    }
}

/// `value`, or `fallback` when it is blank: a placeholder is never filled with nothing.
fn nonempty(value: String, fallback: &str) -> String {
    if value.trim().is_empty() {
        fallback.to_owned()
    } else {
        value
    }
}

fn offline(f: &Facts<'_>) -> Decided {
    if no_route_out(f) {
        return Decided::just(Cause::NoConnection);
    }
    match dead_proxy(f) {
        Some(hop) => Decided::just(Cause::ProxyDown)
            .with("proxy", hop.url.clone())
            .with("proxy_source", proxy_source(&hop.source)),
        None => Decided::just(Cause::NothingAnswers),
    }
}

/// Where a proxy is set, as a person finds it.
fn proxy_source(source: &str) -> String {
    let s = source.trim();
    if s.is_empty() {
        return "this computer's proxy settings".into();
    }
    if s.chars().all(|c| c.is_ascii_uppercase() || c == '_') || s.ends_with("_proxy") {
        return format!("the {s} environment variable");
    }
    if s.to_ascii_lowercase().contains("macos") {
        return format!("{s} (System Settings > Network > your connection > Details > Proxies)");
    }
    if s.to_ascii_lowercase().contains("windows") {
        return format!("{s} (Settings > Network & internet > Proxy)");
    }
    s.to_owned()
}

fn clock(f: &Facts<'_>) -> Decided {
    let skew = clock_skew(f);
    let not_yet = f
        .all(ProbeKind::Tls)
        .any(|p| p.outcome == Outcome::TlsNotYetValid);
    // A server's clock ahead of this one (skew > 0), or certificates "not valid yet": behind.
    let behind = skew.map_or(not_yet, |s| s > 0);
    let cause = if behind {
        Cause::ClockBehind
    } else {
        Cause::ClockAhead
    };
    Decided::just(cause).with("offset", skew.map_or_else(|| "far".to_owned(), gap))
}

fn inside_lma(f: &Facts<'_>) -> Decided {
    let through_tunnel = route_tunnel(f, Role::Affiliate).is_some();
    let hospital = f.vpns.iter().any(|v| v.role == VpnRole::Affiliate);
    Decided::just(if hospital || through_tunnel {
        Cause::ViaHospitalVpn
    } else {
        Cause::OnLmaNetwork
    })
}

/// The VPN tunnel `role`'s route goes into, when it goes into one.
fn route_tunnel<'a>(f: &Facts<'a>, role: Role) -> Option<&'a Vpn> {
    let iface = route_interface(f, role)?;
    f.vpns.iter().find(|v| v.interface == iface)
}

/// The interface the OS would send `role`'s traffic out of.
fn route_interface<'a>(f: &Facts<'a>, role: Role) -> Option<&'a str> {
    f.find(role, ProbeKind::Route)
        .filter(|p| p.outcome == Outcome::Ok)
        .and_then(|p| p.route.as_ref()?.interface.as_deref())
}

/// The tunnel that should not carry MARS's (or the portal's) traffic but does: MARS's route
/// into a tunnel that is not the HMS VPN's, or the portal's into one of no known role.
fn taker<'a>(f: &Facts<'a>) -> Option<&'a Vpn> {
    route_tunnel(f, Role::Mars)
        .filter(|v| !is_hms_tunnel(v))
        .or_else(|| route_tunnel(f, Role::Affiliate).filter(|v| v.role == VpnRole::Unknown))
}

fn conflicting_vpns(f: &Facts<'_>) -> Decided {
    if let Some(v) = taker(f) {
        let name = vpn_names(&[v], f.vpns).join("");
        let what = if route_tunnel(f, Role::Mars).is_some_and(|m| m.interface == v.interface) {
            "MARS"
        } else {
            "the affiliate portal"
        };
        return Decided::just(Cause::OtherVpnTakesMars)
            .saying(format!(
                "This computer sends the traffic for {what} into {name}, not into the VPN that should carry it."
            ))
            .with("vpn", name)
            .with("taken", what.to_owned());
    }
    // Every VPN but one HMS VPN tunnel (all of them when none is the HMS VPN's).
    let keep = kept_hms_tunnel(f.vpns);
    let others: Vec<&Vpn> = f
        .vpns
        .iter()
        .filter(|v| keep.is_none_or(|k| k.interface != v.interface))
        .collect();
    let names = and_list(&vpn_names(&others, f.vpns));
    Decided::just(Cause::VpnsUp).with("vpn", nonempty(names, "the other VPNs"))
}

/// The HMS VPN tunnel to keep: one whose server is known, else whose app is an HMS client,
/// else the first.
pub(super) fn kept_hms_tunnel(vpns: &[Vpn]) -> Option<&Vpn> {
    let hms: Vec<&Vpn> = vpns.iter().filter(|v| is_hms_tunnel(v)).collect();
    hms.iter()
        .find(|v| v.network.is_some() || v.gateway.is_some())
        .or_else(|| {
            hms.iter()
                .find(|v| v.client.as_deref().is_some_and(is_hms_client))
        })
        .or(hms.first())
        .copied()
}

fn needs_hms_vpn(f: &Facts<'_>) -> Decided {
    let others: Vec<&Vpn> = if f.vpn_checked() {
        f.vpns.iter().filter(|v| !is_hms_tunnel(v)).collect()
    } else {
        Vec::new()
    };
    if !others.is_empty() {
        let names = and_list(&vpn_names(&others, f.vpns));
        return Decided::just(Cause::OtherVpn).with("vpn", nonempty(names, "the other VPN"));
    }
    // None means the check could not be made: an HMS app may be there.
    let installed = f.installed_clients;
    if installed.is_some_and(|list| !list.iter().any(|c| is_hms_client(c))) {
        return Decided::just(Cause::NoHmsClient).saying(
            "No HMS VPN app (GlobalProtect, Pulse Secure / Ivanti Secure Access, openconnect) is installed on this computer.".into(),
        );
    }
    Decided::just(Cause::NoVpn)
}

fn inconclusive(f: &Facts<'_>) -> Decided {
    let Some(end) = f.run_end.filter(|e| !e.cut_short.is_empty()) else {
        return Decided::just(Cause::Unexplained);
    };
    let rerun = match end.reason {
        RunEndReason::Deadline if end.by_timeout() => format!(
            "Run hmsaccess diagnose again without --timeout: a full check needs {} here, and never more than 10 seconds.",
            end.needed_ms
                .map_or_else(|| "up to 10 seconds".into(), |ms| format!("about {}", seconds(ms.div_ceil(500) * 500)))
        ),
        RunEndReason::Interrupted => {
            "Run hmsaccess diagnose again and let it finish: it takes at most 10 seconds.".into()
        }
        _ => "Run hmsaccess diagnose again: this time the network was too slow to tell within 10 seconds.".into(),
    };
    Decided::just(Cause::CutShort).with("rerun", rerun)
}

fn mars_unreachable(f: &Facts<'_>) -> Decided {
    let (mars, probe) = service(f, Role::Mars);
    if let (Service::Failing, Some(p)) = (mars, probe) {
        let status = p.http.as_ref().and_then(|h| h.status).unwrap_or(500);
        return Decided::just(Cause::MarsDown)
            .with("status", format!("HTTP {status}, a server error"));
    }
    if probe.is_some_and(|p| p.kind == ProbeKind::Tcp && p.outcome == Outcome::Refused) {
        return Decided::just(Cause::MarsDown)
            .saying(
                "The HMS VPN carries the connection, so MARS's own server turned it away.".into(),
            )
            .with("status", "it refuses connections".into());
    }
    if let Some(certificate) = mars_certificate(f) {
        return Decided::just(Cause::MarsCertificate)
            .saying(certificate_fault(&certificate))
            .with("certificate", certificate);
    }
    if let (Service::Refuses, Some(p)) = (mars, probe) {
        let redirect = p.http.as_ref().and_then(|h| h.redirect_kind) == Some(RedirectKind::Refusal);
        let status = if redirect {
            "it sends you to the \"VPN required\" page".to_owned()
        } else {
            let code = p.http.as_ref().and_then(|h| h.status).unwrap_or(403);
            format!("HTTP {code}, access forbidden")
        };
        return Decided::just(Cause::AccessRefused)
            .saying("MARS refuses even through the HMS VPN: the refusal is about your access, not your network.".into())
            .with("status", status);
    }
    let dead: Vec<&Vpn> = f
        .vpns
        .iter()
        .filter(|v| is_hms_tunnel(v) && passes_nothing(f, v))
        .collect();
    if !dead.is_empty() {
        let bytes: u64 = dead
            .iter()
            .filter_map(|v| f.traffic_of(&v.interface))
            .map(|t| t.sent_bytes)
            .sum();
        return Decided::just(Cause::TunnelDead).with("bytes", format!("{bytes} bytes"));
    }
    if let Some(device) = route_taken(f) {
        let state = if device.up {
            "a tunnel no connected VPN holds"
        } else {
            "a tunnel that is down and that no connected VPN holds"
        };
        return Decided::just(Cause::RouteTaken)
            .saying(format!(
                "This computer sends MARS's traffic into {}, {state}, not into the HMS VPN.",
                device.name
            ))
            .with(
                "vpn",
                format!(
                    "the VPN app that made the network interface {}",
                    device.name
                ),
            )
            .with("device", device.name.clone());
    }
    if let Some(p) = stalled(f) {
        let waited = seconds(p.duration_ms.unwrap_or(0));
        return Decided::just(Cause::HandshakeStalls)
            .saying(
                "Small packets pass and large ones are lost on the way, as when the path cannot carry packets that large (the MTU).".into(),
            )
            .with("waited", waited);
    }
    Decided::just(Cause::MarsSilent)
}

/// MARS's route goes into a tunnel interface no VPN was found for (left behind by a VPN app,
/// as a rule). A VPN's own tunnel beside the HMS VPN's makes two VPNs: conflicting-vpns,
/// which comes first in the contract's order.
fn route_taken<'a>(f: &Facts<'a>) -> Option<&'a Interface> {
    let iface = route_interface(f, Role::Mars)?;
    if f.vpns.iter().any(|v| v.interface == iface) {
        return None;
    }
    f.interfaces
        .iter()
        .find(|i| i.name == iface && matches!(i.kind, InterfaceKind::Tunnel | InterfaceKind::Ppp))
}

/// MARS's TCP connection went through, then the handshake or the answer never came (and the
/// run did not cut that wait short).
fn stalled<'a>(f: &Facts<'a>) -> Option<&'a Probe> {
    let tcp = f.find(Role::Mars, ProbeKind::Tcp)?;
    if tcp.outcome != Outcome::Ok || tcp.proxy_hop().is_some() {
        return None;
    }
    [ProbeKind::Tls, ProbeKind::Https]
        .into_iter()
        .filter_map(|k| f.find(Role::Mars, k))
        .find(|p| p.outcome != Outcome::Ok)
        .filter(|p| p.outcome == Outcome::Timeout && !f.cut_short(p))
}
