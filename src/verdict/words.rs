//! Plain words for evidence and warnings (a person reads them, not a technician: no probe ids,
//! ports or library errors; those stay in `probes[]` and `-v`), and the names of VPN apps and
//! certificate signers that fill the profile's `{vpn}` and `{hms_client}` placeholders.

use super::service::{Service, judge_response};
use crate::report::labels::ProxyStop;
use crate::report::model::{Outcome, Probe, ProbeKind, ProxyHop, RedirectKind, Role, Vpn, VpnRole};

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

/// A VPN by the app a person sees (`Cisco AnyConnect`), with the network it is connected to
/// when that is known; the interface only when nothing else names it.
pub(super) fn app_name(v: &Vpn) -> String {
    match (&v.client, other_network(v)) {
        (Some(c), Some(n)) => format!("{c} (connected to {n})"),
        (Some(c), None) => c.clone(),
        (None, Some(n)) => format!("the VPN app connected to {n}"),
        (None, None) => format!(
            "the VPN app that owns the network interface {}",
            v.interface
        ),
    }
}

/// Tunnels by the app a person sees ([`app_name`]), with the interface added where another
/// tunnel of `all` has the same app and no network tells them apart (`OpenVPN on tun1`), so
/// that the one to disconnect is clear.
pub(super) fn vpn_names(selected: &[&Vpn], all: &[Vpn]) -> Vec<String> {
    selected
        .iter()
        .map(|v| {
            let name = app_name(v);
            let same_app = |o: &Vpn| o.client.is_some() && o.client == v.client;
            let twins = all
                .iter()
                .filter(|o| same_app(o) || app_name(o) == name)
                .count();
            if twins > 1 && other_network(v).is_none() && v.client.is_some() {
                format!("{name} on {}", v.interface)
            } else {
                name
            }
        })
        .collect()
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
            "Cisco AnyConnect (connected to Harvard University VPN)"
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
        assert_eq!(
            vpn_names(&all.iter().collect::<Vec<_>>(), &all),
            [
                "OpenVPN on tun1",
                "OpenVPN (connected to Harvard University VPN)"
            ]
        );
        assert_eq!(vpn_names(&[&all[0]], &all[..1]), ["OpenVPN"]);
    }
}
