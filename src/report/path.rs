//! The path the checks took, for a person: the way from this computer to MARS hop by hop and
//! where it breaks ([`way`], drawn as one line by the human view), and one line on the path when
//! it was not the plain one ([`summary`]: through a proxy, past a PAC file that was not
//! evaluated, or with names answered by a VPN's own DNS). Built from the report alone, so
//! `explain` shows them for saved reports too.

use super::labels::ProxyStop;
use super::model::{
    Cause, Interface, InterfaceKind, Outcome, Probe, ProbeKind, ProxyHop, Report, Role,
    VerdictCode, Vpn, VpnRole,
};

/// The path line, or `None` when the checks went direct with ordinary DNS.
#[must_use]
pub fn summary(report: &Report) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut proxies: Vec<String> = Vec::new();
    for hop in report
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Tcp)
        .filter_map(|p| p.tcp.as_ref()?.proxy.as_ref())
    {
        let text = format!("{} ({})", hop.url, hop.source);
        if !proxies.contains(&text) {
            proxies.push(text);
        }
    }
    if !proxies.is_empty() {
        parts.push(format!(
            "HTTPS checks through the proxy {}",
            proxies.join(", ")
        ));
    } else if let Some(pac) = report.proxy.as_ref().and_then(|p| p.pac_url.as_ref()) {
        parts.push(format!(
            "a proxy auto-config file is in use ({pac}); it was not evaluated and the checks went direct"
        ));
    }
    let mut vpn_dns: Vec<&str> = Vec::new();
    for p in report.probes.iter().filter(|p| p.kind == ProbeKind::Dns) {
        let Some(d) = &p.dns else { continue };
        for row in &d.servers {
            if let Some(scope) = row.scope.as_deref()
                && row.outcome == Outcome::Ok
                && !vpn_dns.contains(&scope)
            {
                vpn_dns.push(scope);
            }
        }
        if !d.nrpt.is_empty() && vpn_dns.is_empty() {
            vpn_dns.push("a Windows NRPT rule");
        }
    }
    if !vpn_dns.is_empty() {
        parts.push(format!(
            "names answered by a VPN's own DNS: {}",
            vpn_dns.join("; ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// What a hop of [`Way`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopKind {
    /// This computer, where the way starts.
    Computer,
    /// The link the default route leaves by (Wi-Fi, Ethernet, cellular).
    Link,
    /// Name lookup (DNS): shown only where it is what breaks.
    Names,
    /// The web proxy the system names for HTTPS.
    Proxy,
    /// The networks between: the internet, or the HMS or hospital network itself.
    Network,
    /// The tunnel the target's route goes into: a VPN's, or one no VPN was found for.
    Tunnel,
    /// MARS, or the affiliate portal when that is what answers.
    Target,
}

/// One stop on the way to MARS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// What it is.
    pub kind: HopKind,
    /// Its name for a person (`Wi-Fi`, `Harvard University VPN`).
    pub name: String,
    /// A shorter name for a narrow terminal (`other VPN`).
    pub short: String,
}

/// The way from this computer to MARS (or the affiliate portal), hop by hop, and the hop that
/// could not be reached, from the report alone: the interfaces, the VPN tunnel MARS's route goes
/// into, the proxy, and where it breaks from the verdict's cause (else its code, else the probes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Way {
    /// The hops in order, this computer first, the target last.
    pub hops: Vec<Hop>,
    /// The index of the hop where it breaks (the hop that could not be reached, or this
    /// computer itself, 0); None when the way works.
    pub broken_at: Option<usize>,
}

/// Where a way breaks, before the hops are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spot {
    /// Nothing breaks: access works.
    Nowhere,
    /// This computer itself (its clock, its firewall).
    Computer,
    /// The first hop after this computer (no connection).
    FirstHop,
    /// At the hop of this kind.
    At(HopKind),
}

fn hop(kind: HopKind, name: &str, short: &str) -> Hop {
    Hop {
        kind,
        name: name.to_owned(),
        short: short.to_owned(),
    }
}

/// The way of `report`, for the picture above "What was checked".
#[must_use]
pub fn way(report: &Report) -> Way {
    let v = &report.verdict;
    let target = if v.code == VerdictCode::InsideLma {
        Role::Affiliate
    } else {
        Role::Mars
    };
    let spot = spot(report, target);
    // When the target's route was not looked up, the tunnel the cause names (a dead HMS
    // tunnel is where it breaks; access through a VPN goes through it).
    let named = match (v.cause, spot) {
        (Some(Cause::ViaHmsVpn), _) | (_, Spot::At(HopKind::Tunnel)) => Some(VpnRole::Hms),
        (Some(Cause::ViaHospitalVpn), _) => Some(VpnRole::Affiliate),
        _ => None,
    };
    let tunnel = tunnel_of(report, target)
        .or_else(|| named.and_then(|role| report.vpns.iter().find(|t| t.role == role)));
    let mut hops = vec![hop(HopKind::Computer, "This computer", "computer")];
    if let Some(link) = link(report) {
        let name = link_name(link);
        hops.push(hop(HopKind::Link, name, name));
    }
    if spot == Spot::At(HopKind::Names) {
        hops.push(hop(HopKind::Names, "names (DNS)", "DNS"));
    }
    if spot == Spot::At(HopKind::Proxy) || proxied(report, target) {
        hops.push(hop(HopKind::Proxy, "proxy", "proxy"));
    }
    let network = match (v.code, tunnel) {
        (VerdictCode::HmsVpn, None) => ("HMS network", "HMS net"),
        (VerdictCode::InsideLma, None) => ("hospital network", "hospital"),
        _ => ("internet", "internet"),
    };
    hops.push(hop(HopKind::Network, network.0, network.1));
    if let Some(t) = tunnel {
        let (name, short) = tunnel_names(t);
        hops.push(Hop {
            kind: HopKind::Tunnel,
            name,
            short: short.to_owned(),
        });
    } else if let Some(i) = stray_tunnel(report, target) {
        hops.push(Hop {
            kind: HopKind::Tunnel,
            name: format!("tunnel {}", i.name),
            short: "tunnel".to_owned(),
        });
    }
    let target_name = match target {
        Role::Affiliate => ("affiliate portal", "portal"),
        _ => ("MARS", "MARS"),
    };
    hops.push(hop(HopKind::Target, target_name.0, target_name.1));
    let broken_at = match spot {
        Spot::Nowhere => None,
        Spot::Computer => Some(0),
        Spot::FirstHop => Some(1),
        Spot::At(kind) => Some(
            hops.iter()
                .position(|h| h.kind == kind)
                .unwrap_or(hops.len() - 1),
        ),
    };
    Way { hops, broken_at }
}

/// Where it breaks: from the cause, else from the verdict code, else from the probes.
fn spot(report: &Report, target: Role) -> Spot {
    let from_cause = report.verdict.cause.and_then(|c| match c {
        Cause::ViaHmsVpn | Cause::OnHmsNetwork | Cause::ViaHospitalVpn | Cause::OnLmaNetwork => {
            Some(Spot::Nowhere)
        }
        Cause::NoVpn
        | Cause::NoHmsClient
        | Cause::OtherVpn
        | Cause::OtherVpnTakesMars
        | Cause::VpnsUp
        | Cause::RouteTaken
        | Cause::HandshakeStalls
        | Cause::AccessRefused
        | Cause::MarsDown
        | Cause::MarsCertificate
        | Cause::MarsSilent
        | Cause::UntrustedIssuer => Some(Spot::At(HopKind::Target)),
        Cause::NoConnection => Some(Spot::FirstHop),
        Cause::ClockBehind | Cause::ClockAhead | Cause::PermissionDenied => Some(Spot::Computer),
        Cause::NothingAnswers | Cause::LoginPage => Some(Spot::At(HopKind::Network)),
        Cause::ProxyDown => Some(Spot::At(HopKind::Proxy)),
        Cause::ResolversFail => Some(Spot::At(HopKind::Names)),
        Cause::TunnelDead => Some(Spot::At(HopKind::Tunnel)),
        Cause::CutShort | Cause::Unexplained => None,
    });
    let from_code = || match report.verdict.code {
        VerdictCode::HmsVpn | VerdictCode::InsideLma => Some(Spot::Nowhere),
        VerdictCode::BlockedLocally | VerdictCode::ClockWrong => Some(Spot::Computer),
        VerdictCode::CaptivePortal => Some(Spot::At(HopKind::Network)),
        VerdictCode::DnsFailure => Some(Spot::At(HopKind::Names)),
        VerdictCode::NeedsHmsVpn | VerdictCode::ConflictingVpns | VerdictCode::TlsIntercepted => {
            Some(Spot::At(HopKind::Target))
        }
        VerdictCode::Offline | VerdictCode::MarsUnreachable | VerdictCode::Inconclusive => None,
    };
    from_cause
        .or_else(from_code)
        .unwrap_or_else(|| spot_from_probes(report, target))
}

/// Where the probes say it breaks: the first step along the way that failed.
fn spot_from_probes(report: &Report, target: Role) -> Spot {
    let failed = |p: &&Probe| p.outcome != Outcome::Ok && !p.outcome.is_not_run();
    if report
        .probes
        .iter()
        .any(|p| p.outcome == Outcome::PermissionDenied)
    {
        return Spot::Computer;
    }
    if link(report).is_none() && default_route_failed(report) {
        return Spot::FirstHop;
    }
    let dns: Vec<&Probe> = report
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Dns && !p.outcome.is_not_run())
        .collect();
    if !dns.is_empty() && dns.iter().all(failed) {
        return Spot::At(HopKind::Names);
    }
    let chain_failed = |role: Role| {
        report
            .probes
            .iter()
            .filter(|p| p.role == Some(role) && p.kind != ProbeKind::Route)
            .find(failed)
    };
    if let Some(p) = chain_failed(Role::Control) {
        return match p.proxy_hop().map(ProxyHop::stop) {
            Some(ProxyStop::NotReached | ProxyStop::HungUp) => Spot::At(HopKind::Proxy),
            _ => Spot::At(HopKind::Network),
        };
    }
    if let Some(t) = tunnel_of(report, target)
        && report
            .tunnel_traffic
            .iter()
            .flatten()
            .any(|tt| tt.interface == t.interface && tt.sent_bytes > 0 && tt.received_bytes == 0)
    {
        return Spot::At(HopKind::Tunnel);
    }
    if chain_failed(target).is_some() {
        return Spot::At(HopKind::Target);
    }
    Spot::Nowhere
}

/// The route lookup for the way out (an address on no target's list) found none.
fn default_route_failed(report: &Report) -> bool {
    let out: Vec<&Probe> = report
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Route && p.target_id.is_none())
        .collect();
    !out.is_empty() && out.iter().all(|p| p.outcome != Outcome::Ok)
}

/// The interface that is no VPN tunnel: up, not loopback, not a tunnel the report lists.
fn physical<'r>(report: &'r Report, name: &str) -> Option<&'r Interface> {
    report.interfaces.iter().find(|i| {
        i.name == name
            && i.up
            && !matches!(i.kind, InterfaceKind::Loopback | InterfaceKind::Tunnel)
            && !report.vpns.iter().any(|v| v.interface == i.name)
    })
}

/// The link the way out leaves by: the interface the route lookup for the way out names, when
/// it is no tunnel (a full-tunnel VPN takes that route), else one that holds a default route.
fn link(report: &Report) -> Option<&Interface> {
    let by_lookup = report
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Route && p.target_id.is_none() && p.outcome == Outcome::Ok)
        .filter_map(|p| p.route.as_ref()?.interface.as_deref())
        .find_map(|name| physical(report, name));
    by_lookup.or_else(|| {
        report
            .interfaces
            .iter()
            .filter(|i| i.default_route)
            .find_map(|i| physical(report, &i.name))
    })
}

/// What a person calls a link: its kind, where the OS says it.
fn link_name(i: &Interface) -> &'static str {
    let description = i.description.as_deref().unwrap_or_default().to_lowercase();
    match i.kind {
        InterfaceKind::Wifi => "Wi-Fi",
        InterfaceKind::Ethernet if !i.name.starts_with("wwan") => "Ethernet",
        _ if i.name.starts_with("wwan")
            || i.name.starts_with("pdp_ip")
            || description.contains("mobile broadband")
            || description.contains("cellular") =>
        {
            "cellular"
        }
        _ => "network",
    }
}

/// The VPN tunnel the target's route goes into, when it goes into one.
fn tunnel_of(report: &Report, target: Role) -> Option<&Vpn> {
    let interface = route_interface(report, target)?;
    report.vpns.iter().find(|v| v.interface == interface)
}

/// The interface the target's route lookup named.
fn route_interface(report: &Report, target: Role) -> Option<&str> {
    report
        .probes
        .iter()
        .find(|p| p.kind == ProbeKind::Route && p.role == Some(target))
        .and_then(|p| p.route.as_ref()?.interface.as_deref())
}

/// The tunnel interface the target's route goes into when no VPN was found for it (down, or
/// with no address of its own): the way goes into it, not out to the internet.
fn stray_tunnel(report: &Report, target: Role) -> Option<&Interface> {
    let interface = route_interface(report, target)?;
    if report.vpns.iter().any(|v| v.interface == interface) {
        return None;
    }
    report.interfaces.iter().find(|i| {
        i.name == interface && matches!(i.kind, InterfaceKind::Tunnel | InterfaceKind::Ppp)
    })
}

/// A tunnel's name, and a short one: whose VPN it is.
fn tunnel_names(t: &Vpn) -> (String, &'static str) {
    match (t.role, &t.network, &t.client) {
        (VpnRole::Hms, _, _) => ("HMS VPN".into(), "HMS VPN"),
        (VpnRole::Affiliate, Some(network), _) => (network.clone(), "hospital VPN"),
        (VpnRole::Affiliate, None, _) => ("hospital VPN".into(), "hospital VPN"),
        (VpnRole::Unknown, Some(network), _) => (network.clone(), "other VPN"),
        (VpnRole::Unknown, None, Some(client)) => (client.clone(), "other VPN"),
        (VpnRole::Unknown, None, None) => ("another VPN".into(), "other VPN"),
    }
}

/// The target's secure connection went through a proxy.
fn proxied(report: &Report, target: Role) -> bool {
    report
        .probes
        .iter()
        .any(|p| p.role == Some(target) && p.proxy_hop().is_some())
}

#[cfg(test)]
#[path = "path_tests.rs"]
mod tests;
