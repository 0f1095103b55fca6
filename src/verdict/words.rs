//! Plain words for evidence and warnings (a person reads them, not a technician: no probe ids,
//! ports or library errors; those stay in `probes[]` and `-v`), and the names of VPN apps and
//! certificate signers that fill the profile's `{vpn}` and `{hms_client}` placeholders.

use super::service::{Service, judge_response};
use crate::report::labels::ProxyStop;
use crate::report::model::{
    Outcome, Probe, ProbeKind, ProxyHop, RedirectKind, Role, RunEnd, RunEndReason, Vpn, VpnRole,
};

/// The HMS VPN app named when none is seen connected or installed: HMS IT's current client,
/// the catalogue's first HMS client.
pub(super) fn default_hms_client() -> &'static str {
    crate::clients::CLIENTS
        .iter()
        .find(|c| c.hms)
        .map_or("the HMS VPN app", |c| c.name)
}

/// What a person calls the host of `role`, inside a sentence.
pub(super) fn who(role: Role) -> &'static str {
    match role {
        Role::Mars => "MARS",
        Role::Affiliate => "the affiliate portal",
        Role::Gateway => "the HMS VPN's server",
        Role::Control => "the public HMS site",
    }
}

/// `text` with its first letter upper case (a sentence start).
pub(super) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// `1.5 seconds`, `3 seconds`, `0.8 seconds`, `1 second`.
pub(super) fn seconds(ms: u64) -> String {
    let tenths = (ms + 50) / 100;
    match tenths {
        10 => "1 second".into(),
        t if t % 10 == 0 => format!("{} seconds", t / 10),
        t => format!("{}.{} seconds", t / 10, t % 10),
    }
}

/// `A`, `A and B`, `A, B and C`, without repeats.
pub(super) fn and_list(items: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for i in items {
        if !unique.contains(&i) {
            unique.push(i);
        }
    }
    match unique.as_slice() {
        [] => String::new(),
        [one] => (*one).clone(),
        [init @ .., last] => format!(
            "{} and {last}",
            init.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A clock gap in words: `400 days`, `3 hours`, `7 minutes`.
pub(super) fn gap(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    // Nearest whole unit: a `Date` header has whole seconds, so 400 days reads 399.99 days.
    let (n, unit) = match s {
        0..7_200 => ((s + 30) / 60, "minute"),
        7_200..172_800 => ((s + 1_800) / 3_600, "hour"),
        _ => ((s + 43_200) / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// "behind" when the server's clock is ahead of this computer's, else "ahead of" (to be
/// followed by the clock it is compared with).
pub(super) fn direction(skew: i64) -> &'static str {
    if skew > 0 { "behind" } else { "ahead of" }
}

/// Whether a VPN network name (from the profile's list of known VPNs) is the HMS VPN.
pub fn is_hms_network(network: &str) -> bool {
    let n = network.to_ascii_lowercase();
    n.contains("hms") || n.contains("harvard medical school")
}

/// The network a tunnel is connected to, when that is known and is not the HMS VPN.
pub(super) fn other_network(v: &Vpn) -> Option<&str> {
    v.network.as_deref().filter(|n| !is_hms_network(n))
}

/// A tunnel of the HMS VPN: its role says so and its server is not another VPN's.
pub(super) fn is_hms_tunnel(v: &Vpn) -> bool {
    v.role == VpnRole::Hms && other_network(v).is_none()
}

/// What a tunnel is, in a few words: `the HMS VPN`, `a hospital VPN`, `another VPN`.
pub(super) fn role_words(role: VpnRole) -> &'static str {
    match role {
        VpnRole::Hms => "the HMS VPN",
        VpnRole::Affiliate => "a hospital VPN",
        VpnRole::Unknown => "another VPN",
    }
}

/// A VPN network by name inside a sentence: `the Harvard University VPN`.
pub(super) fn network_name(network: &str) -> String {
    let n = network.trim();
    if n.to_ascii_lowercase().starts_with("the ") {
        n.to_owned()
    } else {
        format!("the {n}")
    }
}

/// A VPN as a person knows it: by the network it is connected to when that is known, with the
/// app that connects it (`the Harvard University VPN (Cisco AnyConnect)`), else by the app
/// (`Cisco AnyConnect`); the interface only when nothing else names it.
pub(super) fn app_name(v: &Vpn) -> String {
    match (&v.client, other_network(v)) {
        (Some(c), Some(n)) => format!("{} ({c})", network_name(n)),
        (Some(c), None) => c.clone(),
        (None, Some(n)) => network_name(n),
        (None, None) => format!(
            "the VPN app that owns the network interface {}",
            v.interface
        ),
    }
}

/// Tunnels by name ([`app_name`]), with the interface added only where another tunnel of
/// `all` would read the same (`OpenVPN on tun1` beside another OpenVPN tunnel that no network
/// tells apart), so that the one to disconnect is clear.
pub(super) fn vpn_names(selected: &[&Vpn], all: &[Vpn]) -> Vec<String> {
    selected
        .iter()
        .map(|v| {
            let name = app_name(v);
            let twins = all.iter().filter(|o| app_name(o) == name).count();
            if twins > 1 && !name.contains(&v.interface) {
                format!("{name} on {}", v.interface)
            } else {
                name
            }
        })
        .collect()
}

/// Each VPN named by its network and app (`the Harvard University VPN (OpenVPN)`) is named so
/// once, where `texts` (in the order a person reads them) first name it; after that, by its
/// network alone (`the Harvard University VPN`).
pub(super) fn once_in_full(texts: &mut [&mut String], vpns: &[Vpn]) {
    for v in vpns {
        let (Some(_), Some(network)) = (&v.client, other_network(v)) else {
            continue;
        };
        let (full, short) = (app_name(v), network_name(network));
        let forms = [
            (full.clone(), short.clone()),
            (capital(&full), capital(&short)),
        ];
        let mut seen = false;
        for text in texts.iter_mut() {
            let mut out = String::new();
            let mut rest = text.as_str();
            // The next mention, at a sentence start or inside one.
            while let Some((at, (long, brief))) = forms
                .iter()
                .filter_map(|f| rest.find(&f.0).map(|at| (at, f)))
                .min_by_key(|(at, _)| *at)
            {
                out.push_str(&rest[..at]);
                out.push_str(if seen { brief } else { long });
                seen = true;
                rest = &rest[at + long.len()..];
            }
            out.push_str(rest);
            **text = out;
        }
    }
}

/// Whether an installed VPN app is one that reaches the HMS VPN: the catalogue's HMS clients
/// (GlobalProtect, HMS IT's current client, first; contract 2).
pub(super) fn is_hms_client(name: &str) -> bool {
    crate::clients::CLIENTS
        .iter()
        .any(|c| c.hms && c.name.eq_ignore_ascii_case(name))
}

/// A certificate signer's distinguished name as a person reads it: `CN=Acme Web Shield,
/// O=Acme Inc` becomes `Acme Web Shield (Acme Inc)`.
pub(super) fn signer(dn: &str) -> String {
    let field = |key: &str| {
        dn.split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    match (field("CN"), field("O")) {
        (Some(cn), Some(o)) if !cn.contains(o) => format!("\"{cn}\" ({o})"),
        (Some(cn), _) => format!("\"{cn}\""),
        (None, Some(o)) => format!("\"{o}\""),
        (None, None) => format!("\"{}\"", dn.trim()),
    }
}

/// How a verified response of MARS or the portal reads (`MARS answered …`).
pub(super) fn answered(p: &Probe, role: Role) -> String {
    let name = capital(who(role));
    let status = p.http.as_ref().and_then(|h| h.status).unwrap_or(0);
    let redirect = p.http.as_ref().and_then(|h| h.redirect_kind);
    let target = p
        .http
        .as_ref()
        .and_then(|h| h.location.as_deref())
        .and_then(|l| url::Url::parse(l).ok())
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let how = match (judge_response(p), status, redirect) {
        (Service::Refuses, 403, _) => {
            return format!("{name} refused access (HTTP 403, access forbidden).");
        }
        (Service::Refuses, ..) => {
            return format!(
                "{name} turns this network away: it sends visitors to the \"VPN required\" page."
            );
        }
        (Service::Failing, ..) => {
            return format!(
                "{name} answered with a server error (HTTP {status}): the service itself is failing."
            );
        }
        (_, 401, _) | (_, _, Some(RedirectKind::SignIn)) => " and asks for a sign-in",
        (_, _, Some(RedirectKind::SameSite)) => {
            " and sends the browser on to another of its pages (its sign-in page, as a rule)"
        }
        (_, _, Some(RedirectKind::OtherSite)) => {
            return format!(
                "{name} answered over a verified secure connection and sends the browser on to {target}."
            );
        }
        (_, 200..=299, _) => "",
        _ => return format!("{name} answered over a verified secure connection (HTTP {status})."),
    };
    format!("{name} answered over a verified secure connection{how}.")
}

/// What cut a run short, inside a sentence: `by --timeout`, `by Ctrl-C`, `by its 10-second limit`.
pub(super) fn cut_by(end: &RunEnd) -> &'static str {
    match end.reason {
        RunEndReason::Interrupted => "by Ctrl-C",
        RunEndReason::Deadline if end.by_timeout() => "by --timeout",
        _ => "by its 10-second limit",
    }
}

/// MARS's own certificate fails (`certificate`: `expired on …`) while other HMS sites verify.
pub(super) fn certificate_fault(certificate: &str) -> String {
    format!(
        "MARS's own certificate {certificate}, while other HMS sites verify: the fault is MARS's, not this computer's clock or network."
    )
}

/// Why a host did not answer, from the step that failed, in one sentence.
pub(super) fn no_answer(p: &Probe, role: Role) -> String {
    let w = who(role);
    let name = capital(w);
    let waited = seconds(p.duration_ms.unwrap_or(0));
    let certificate = |why: &str| format!("{name}'s certificate was refused as {why}.");
    match (p.kind, p.outcome) {
        (_, Outcome::PermissionDenied) => format!(
            "This computer refused to send traffic to {w}: it failed at once with a permission error."
        ),
        (ProbeKind::Https | ProbeKind::Http, Outcome::Ok) => answered(p, role),
        (ProbeKind::Dns, Outcome::Nxdomain | Outcome::NoRecords) => {
            format!("{name}'s name is not known to this network's name servers.")
        }
        (ProbeKind::Dns, _) => format!("{name}'s name could not be looked up."),
        (ProbeKind::Tcp, Outcome::Timeout) => format!("{name} did not answer within {waited}."),
        (ProbeKind::Tcp, Outcome::Refused) => format!("{name} refused the connection."),
        (ProbeKind::Tcp, Outcome::Unreachable) => {
            format!("There is no route to {w} from this network.")
        }
        (_, Outcome::Reset) => format!("The connection to {w} was cut before it answered."),
        (ProbeKind::Tls, Outcome::Timeout) => format!(
            "{name} accepted the connection but did not complete the secure handshake within {waited}."
        ),
        (ProbeKind::Tls, Outcome::TlsExpired) => certificate("expired"),
        (ProbeKind::Tls, Outcome::TlsNotYetValid) => certificate("not valid yet"),
        (ProbeKind::Tls, Outcome::TlsUnknownIssuer) => {
            certificate("signed by an authority this computer does not trust")
        }
        (ProbeKind::Tls, Outcome::TlsNameMismatch) => certificate("made out for another name"),
        (ProbeKind::Tls, _) => format!("The secure handshake with {w} failed."),
        (_, Outcome::Timeout) => format!("{name} did not send an answer within {waited}."),
        (_, Outcome::ProtocolError) => format!("{name} sent an answer that is not valid HTTP."),
        (_, Outcome::TooManyRedirects) => {
            format!("{name} sends the browser round in circles (too many redirects).")
        }
        (_, Outcome::ProxyRefused) => match p.proxy_hop().map(ProxyHop::stop) {
            Some(ProxyStop::CouldNotReach(_)) => {
                format!("{name} did not answer through the proxy.")
            }
            Some(ProxyStop::HungUp) => {
                format!("The proxy hung up instead of connecting to {w}.")
            }
            Some(ProxyStop::NotReached) | None => {
                format!("The proxy for {w} could not be reached.")
            }
            Some(ProxyStop::Refused(_)) => format!("The proxy refused to connect to {w}."),
        },
        (_, Outcome::ProxyAuthRequired) => {
            format!("The proxy asks for a sign-in before it lets the connection to {w} through.")
        }
        (_, Outcome::ProxyTimeout) => format!("The proxy did not answer in time for {w}."),
        _ => format!("{name} could not be reached (an unexpected error)."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_lists_read_naturally() {
        assert_eq!(seconds(1500), "1.5 seconds");
        assert_eq!(seconds(3000), "3 seconds");
        assert_eq!(seconds(1000), "1 second");
        assert_eq!(seconds(240), "0.2 seconds");
        assert_eq!(and_list(&["A".into()]), "A");
        assert_eq!(and_list(&["A".into(), "B".into(), "A".into()]), "A and B");
        assert_eq!(
            and_list(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
        assert_eq!(gap(34_560_000), "400 days");
        assert_eq!(gap(34_559_990), "400 days");
        assert_eq!(gap(-420), "7 minutes");
        assert_eq!(gap(3 * 3600), "3 hours");
        assert_eq!(direction(34_560_000), "behind");
    }

    #[test]
    fn signers_are_named_by_common_name_and_organisation() {
        assert_eq!(
            signer("CN=Acme Web Shield Root, O=Acme Inc"),
            "\"Acme Web Shield Root\" (Acme Inc)"
        );
        assert_eq!(signer("O=Hospital"), "\"Hospital\"");
        assert_eq!(signer("CN=Hospital Root, O=Hospital"), "\"Hospital Root\"");
    }

    #[test]
    fn vpns_are_named_by_app_then_network_then_interface() {
        let vpn = |client: Option<&str>, network: Option<&str>| Vpn {
            interface: "utun4".into(),
            client: client.map(Into::into),
            role: VpnRole::Hms,
            gateway: None,
            network: network.map(Into::into),
            evidence: vec![],
        };
        assert_eq!(
            app_name(&vpn(Some("Cisco AnyConnect"), None)),
            "Cisco AnyConnect"
        );
        let wrong = vpn(Some("Cisco AnyConnect"), Some("Harvard University VPN"));
        assert_eq!(
            app_name(&wrong),
            "the Harvard University VPN (Cisco AnyConnect)"
        );
        assert!(
            !is_hms_tunnel(&wrong),
            "another network is never the HMS VPN"
        );
        assert!(is_hms_tunnel(&vpn(None, Some("HMS VPN"))));
        assert!(app_name(&vpn(None, None)).contains("utun4"));
        assert!(is_hms_client("Pulse Secure") && is_hms_client("GlobalProtect"));
        // With no HMS client seen, the steps name HMS IT's current one.
        assert_eq!(default_hms_client(), "GlobalProtect");
        assert!(!is_hms_client("Cisco AnyConnect"));
    }

    #[test]
    fn tunnels_of_the_same_app_are_told_apart() {
        let vpn = |interface: &str, network: Option<&str>| Vpn {
            interface: interface.into(),
            client: Some("OpenVPN".into()),
            role: VpnRole::Unknown,
            gateway: None,
            network: network.map(Into::into),
            evidence: vec![],
        };
        let all = [
            vpn("tun1", None),
            vpn("tun2", Some("Harvard University VPN")),
        ];
        // The network tells the two apart: no interface is named.
        assert_eq!(
            vpn_names(&all.iter().collect::<Vec<_>>(), &all),
            ["OpenVPN", "the Harvard University VPN (OpenVPN)"]
        );
        assert_eq!(vpn_names(&[&all[0]], &all[..1]), ["OpenVPN"]);
        // Nothing but the interface does.
        let twins = [vpn("tun1", None), vpn("tun3", None)];
        assert_eq!(
            vpn_names(&twins.iter().collect::<Vec<_>>(), &twins),
            ["OpenVPN on tun1", "OpenVPN on tun3"]
        );
    }

    #[test]
    fn a_vpn_is_named_in_full_once_then_by_its_network() {
        let vpn = Vpn {
            interface: "tun2".into(),
            client: Some("OpenVPN".into()),
            role: VpnRole::Unknown,
            gateway: None,
            network: Some("Harvard University VPN".into()),
            evidence: vec![],
        };
        let mut summary =
            "This computer is connected to the Harvard University VPN (OpenVPN).".to_owned();
        let mut step = "Disconnect the Harvard University VPN (OpenVPN) first.".to_owned();
        let mut why = "The Harvard University VPN (OpenVPN) takes MARS's traffic.".to_owned();
        once_in_full(&mut [&mut summary, &mut step, &mut why], &[vpn]);
        assert_eq!(
            summary,
            "This computer is connected to the Harvard University VPN (OpenVPN)."
        );
        assert_eq!(step, "Disconnect the Harvard University VPN first.");
        assert_eq!(why, "The Harvard University VPN takes MARS's traffic.");
    }
}
