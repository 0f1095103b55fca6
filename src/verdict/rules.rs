//! One rule per contract code. A rule looks at the facts and, when its situation holds, returns
//! the evidence that shows it, in plain words (see [`super::words`]). Rules do not look at each
//! other: the contract's order ([`super::RULES`]) picks the winner.

use super::facts::Facts;
use super::service::{
    Service, clock_skew, internet_works, is_answer, name_resolved, proxy_answered,
    restricted_answers, restricted_responded, service,
};
use super::signs::{dead_proxy, mars_certificate, no_route_out, passes_nothing, untrusted_signers};
use super::words::{
    and_list, answered, app_name, capital, certificate_fault, cut_by, direction, gap,
    is_hms_tunnel, no_answer, other_network, role_words, seconds, signer, vpn_names, who,
};
use crate::report::model::{Outcome, Probe, ProbeKind, Role, Vpn, VpnRole};

/// Evidence lines when a rule fires.
pub(super) type Evidence = Option<Vec<String>>;

pub(super) fn offline(f: &Facts<'_>) -> Evidence {
    if no_route_out(f) {
        return Some(vec![
            "This computer has no route to the internet: it is not connected to a working network."
                .to_owned(),
        ]);
    }
    // Secure web traffic goes to a proxy that does not answer: nothing secure opens.
    if let Some(hop) = dead_proxy(f) {
        let mut e = vec![format!(
            "The proxy {} (set by {}) answered none of the secure checks, not even the one to the public HMS site.",
            hop.url, hop.source
        )];
        if internet_works(f).is_some() {
            e.push("The public HMS site answered directly (plain web), so the network itself works: only the proxy fails.".into());
        }
        return Some(e);
    }
    // Names resolve, but no server answers at all, not even the public HMS hosts.
    let resolved = f.all(ProbeKind::Dns).any(name_resolved);
    let public: Vec<&Probe> = f
        .probes
        .iter()
        .filter(|p| matches!(p.role, Some(Role::Control | Role::Gateway)))
        .filter(|p| p.kind != ProbeKind::Dns && p.kind != ProbeKind::Route)
        .filter(|p| !p.outcome.is_not_run())
        .collect();
    let silent = !public.is_empty()
        && !f.probes.iter().any(is_answer)
        && !proxy_answered(f)
        && public.iter().all(|p| !f.cut_short(p));
    // An HMS tunnel that swallows everything is a dead VPN session, not a dead connection:
    // mars-unreachable says so.
    let dead_hms = f
        .vpns
        .iter()
        .any(|v| is_hms_tunnel(v) && passes_nothing(f, v));
    (resolved && silent && !dead_hms).then(|| {
        let mut e = vec![
            "Names can be looked up, but no server answers, not even the public HMS site or the HMS VPN's server."
                .to_owned(),
        ];
        for role in [Role::Control, Role::Gateway] {
            if let (_, Some(p)) = service(f, role) {
                e.push(no_answer(p, role));
            }
        }
        for v in f.vpns.iter().filter(|v| passes_nothing(f, v)) {
            e.push(format!(
                "{} is connected but passes no traffic: everything sent into it goes unanswered.",
                capital(&app_name(v))
            ));
        }
        e
    })
}

pub(super) fn blocked_locally(f: &Facts<'_>) -> Evidence {
    if restricted_responded(f) {
        return None; // the traffic that matters went out
    }
    let denied: Vec<&Probe> = f
        .probes
        .iter()
        .filter(|p| p.outcome == Outcome::PermissionDenied)
        .collect();
    if denied.is_empty() {
        return None;
    }
    let mut e = Vec::new();
    if denied.iter().any(|p| p.kind == ProbeKind::Dns) {
        e.push(
            "This computer refused to send name lookups (DNS): they failed at once with a permission error, before leaving it."
                .to_owned(),
        );
    }
    let mut roles: Vec<Role> = Vec::new();
    for p in denied.iter().filter(|p| p.kind != ProbeKind::Dns) {
        if let Some(role) = p.role
            && !roles.contains(&role)
        {
            roles.push(role);
        }
    }
    if !roles.is_empty() {
        let names: Vec<String> = roles.iter().map(|r| who(*r).to_owned()).collect();
        e.push(format!(
            "This computer refused to connect to {}: the connection failed at once with a permission error.",
            and_list(&names)
        ));
    }
    if f.find(Role::Gateway, ProbeKind::Https)
        .is_some_and(|p| p.outcome == Outcome::Ok)
    {
        e.push(
            "Only the HMS VPN's server answered, as when a VPN app lets nothing else through until it is connected."
                .to_owned(),
        );
    }
    Some(e)
}

/// TLS probes refused for time: expired, or not valid yet.
fn time_failures<'a>(f: &Facts<'a>) -> Vec<&'a Probe> {
    f.all(ProbeKind::Tls)
        .filter(|p| matches!(p.outcome, Outcome::TlsExpired | Outcome::TlsNotYetValid))
        .collect()
}

/// More than a day off: no clock drifts that far by itself.
const FAR_OFF_S: i64 = 86_400;

pub(super) fn clock_wrong(f: &Facts<'_>) -> Evidence {
    if restricted_responded(f) {
        return None; // certificates verified, so the clock is not in their way
    }
    let skew = clock_skew(f);
    let timed = time_failures(f);
    // The direction a wrong clock refuses certificates in: behind makes them "not valid yet".
    let matches = |p: &&Probe| match skew {
        Some(s) if s > 0 => p.outcome == Outcome::TlsNotYetValid,
        Some(_) => p.outcome == Outcome::TlsExpired,
        None => true,
    };
    let tls_failed = f.all(ProbeKind::Tls).any(|p| p.outcome.is_tls());
    let tls_verified = f.all(ProbeKind::Tls).any(|p| p.outcome == Outcome::Ok);
    let consistent: Vec<&Probe> = timed.iter().copied().filter(matches).collect();
    let same_way = !timed.is_empty() && timed.iter().all(|p| p.outcome == timed[0].outcome);
    let fires = match skew {
        // A clock minutes off that other certificates pass is not why these failed.
        Some(s) if !consistent.is_empty() => s.abs() >= FAR_OFF_S || !tls_verified,
        Some(s) => s.abs() >= FAR_OFF_S && tls_failed && !tls_verified,
        None => timed.len() >= 2 && same_way && !tls_verified,
    };
    if !fires {
        return None;
    }
    let mut e = Vec::new();
    if let Some(s) = skew {
        e.push(format!(
            "This computer's clock is {} {} the public HMS site's clock.",
            gap(s),
            direction(s)
        ));
    }
    let refused: Vec<&Probe> = if consistent.is_empty() {
        timed
    } else {
        consistent
    };
    if let Some(first) = refused.first() {
        let names: Vec<String> = refused
            .iter()
            .filter_map(|p| p.role)
            .map(|r| who(r).to_owned())
            .collect();
        let (why, cause) = if first.outcome == Outcome::TlsNotYetValid {
            ("not valid yet", "behind")
        } else {
            ("expired", "ahead")
        };
        e.push(format!(
            "The certificates of {} were refused as {why}, as happens when the clock is {cause}.",
            and_list(&names)
        ));
    } else {
        e.push("Secure connections fail: the certificates cannot be checked against a clock that far off.".into());
    }
    Some(e)
}

pub(super) fn captive_portal(f: &Facts<'_>) -> Evidence {
    if restricted_responded(f) {
        return None; // a verified answer from MARS or the portal means nothing intercepts
    }
    let mut e = Vec::new();
    if let Some(h) = f.find(Role::Control, ProbeKind::Http)
        && let Some(d) = h.http.as_ref().filter(|d| d.foreign_redirect)
    {
        let to = d
            .location
            .as_deref()
            .and_then(|l| url::Url::parse(l).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "another site".into());
        e.push(format!(
            "The public HMS site's plain web address is answered by a page of this network instead ({to}), as Wi-Fi login pages do."
        ));
    }
    if let Some(t) = f.find(Role::Control, ProbeKind::Tls)
        && t.outcome == Outcome::TlsNameMismatch
    {
        let names = t
            .tls
            .as_ref()
            .and_then(|d| d.leaf.as_ref())
            .map(|l| l.san.join(", "))
            .unwrap_or_default();
        e.push(format!(
            "A secure connection to the public HMS site gets a certificate made out for another name ({names}): something on this network answers in its place."
        ));
    }
    (!e.is_empty()).then_some(e)
}

pub(super) fn dns_failure(f: &Facts<'_>) -> Evidence {
    let ran: Vec<&Probe> = f
        .all(ProbeKind::Dns)
        .filter(|p| !p.outcome.is_not_run())
        .collect();
    // A server that answered through a proxy had its name resolved by the proxy.
    let through_proxy = f.probes.iter().any(is_answer) || proxy_answered(f);
    let all_failed = !ran.is_empty()
        && !through_proxy
        && ran.iter().all(|p| !name_resolved(p) && !f.cut_short(p));
    all_failed.then(|| {
        let silent = ran.iter().all(|p| p.outcome == Outcome::Timeout);
        vec![if silent {
            "No name could be looked up: the name servers did not answer for any name (MARS, the affiliate portal, the HMS VPN's server, the public HMS site).".to_owned()
        } else {
            "No name could be looked up: the name servers failed or did not answer for every name (MARS, the affiliate portal, the HMS VPN's server, the public HMS site).".to_owned()
        }]
    })
}

pub(super) fn hms_vpn(f: &Facts<'_>) -> Evidence {
    let (Service::Answers, Some(p)) = service(f, Role::Mars) else {
        return None;
    };
    let mut e = vec![answered(p, Role::Mars)];
    let hms: Vec<String> = f
        .vpns
        .iter()
        .filter(|v| is_hms_tunnel(v))
        .map(app_name)
        .collect();
    if !hms.is_empty() {
        e.push(format!("The HMS VPN is connected ({}).", and_list(&hms)));
    } else if f.vpn_checked() && f.vpns.is_empty() {
        e.push("No VPN is connected, so this computer is on the HMS network itself.".into());
    }
    Some(e)
}

pub(super) fn inside_lma(f: &Facts<'_>) -> Evidence {
    let (Service::Answers, Some(p)) = service(f, Role::Affiliate) else {
        return None;
    };
    let mut e = vec![format!(
        "{} So this computer is inside the Longwood Medical Area network.",
        answered(p, Role::Affiliate)
    )];
    if let (s, Some(m)) = service(f, Role::Mars)
        && s.shut()
    {
        e.push(no_answer(m, Role::Mars));
    }
    Some(e)
}

pub(super) fn tls_intercepted(f: &Facts<'_>) -> Evidence {
    let signers = untrusted_signers(f);
    (!signers.is_empty()).then(|| {
        let mut e: Vec<String> = signers
            .iter()
            .map(|(issuer, roles)| {
                let names: Vec<String> = roles.iter().map(|r| who(*r).to_owned()).collect();
                format!(
                    "Secure connections to {} come back signed by {}, which this computer does not trust, yet made out for the right names: something re-signs them on the way.",
                    and_list(&names),
                    signer(issuer)
                )
            })
            .collect();
        e.push(
            "The same signer on unrelated sites is the mark of security software on this computer, or of a network that inspects secure traffic."
                .to_owned(),
        );
        e
    })
}

pub(super) fn conflicting_vpns(f: &Facts<'_>) -> Evidence {
    (f.vpn_checked() && f.vpns.len() >= 2).then(|| {
        let names: Vec<String> = f
            .vpns
            .iter()
            .zip(vpn_names(&f.vpns.iter().collect::<Vec<_>>(), f.vpns))
            .map(|(v, name)| match (other_network(v), v.role, &v.client) {
                (Some(_), ..) => name,
                (None, VpnRole::Hms, Some(app)) => format!("the HMS VPN ({app})"),
                (None, role, _) => format!("{name} ({})", role_words(role)),
            })
            .collect();
        let mut e = vec![format!(
            "{} VPNs are connected at once: {}.",
            f.vpns.len(),
            and_list(&names)
        )];
        if service(f, Role::Mars).0.shut() && service(f, Role::Affiliate).0.shut() {
            e.push("Neither MARS nor the affiliate portal answers.".into());
        }
        e
    })
}

pub(super) fn mars_unreachable(f: &Facts<'_>) -> Evidence {
    let (mars, probe) = service(f, Role::Mars);
    if let (Service::Failing, Some(p)) = (mars, probe) {
        return Some(vec![answered(p, Role::Mars)]);
    }
    // MARS's own certificate fails while other HMS sites verify: MARS was reached.
    let certificate = mars_certificate(f);
    if let Some(c) = &certificate
        && !f.vpns.iter().any(is_hms_tunnel)
    {
        return Some(vec![certificate_fault(c)]);
    }
    let hms: Vec<_> = f.vpns.iter().filter(|v| is_hms_tunnel(v)).collect();
    let silent = matches!(
        mars,
        Service::Silent | Service::TlsProblem | Service::Refuses
    );
    if !(f.vpn_checked() && !hms.is_empty() && silent) {
        return None;
    }
    let mut e: Vec<String> = hms
        .iter()
        .map(|v| {
            passes_nothing_line(f, v)
                .unwrap_or_else(|| format!("The HMS VPN is connected ({}).", app_name(v)))
        })
        .collect();
    e.extend(gateway_silent(f));
    match (certificate, probe) {
        (Some(c), _) => e.push(certificate_fault(&c)),
        (None, Some(p)) => e.push(no_answer(p, Role::Mars)),
        (None, None) => {}
    }
    Some(e)
}

/// What MARS's silence through the HMS VPN adds when two VPNs won (conflicting-vpns names
/// the HMS VPN among the VPNs up, and says when MARS does not answer): a tunnel that passes
/// nothing, the HMS VPN's server silent too, MARS's silence when that was not said.
pub(super) fn mars_unreachable_beside_vpns(f: &Facts<'_>) -> Vec<String> {
    let mut e: Vec<String> = f
        .vpns
        .iter()
        .filter(|v| is_hms_tunnel(v))
        .filter_map(|v| passes_nothing_line(f, v))
        .collect();
    e.extend(gateway_silent(f));
    let neither = service(f, Role::Mars).0.shut() && service(f, Role::Affiliate).0.shut();
    if let (false, (_, Some(p))) = (neither, service(f, Role::Mars)) {
        e.push(no_answer(p, Role::Mars));
    }
    e
}

/// An HMS tunnel that passes nothing, with the bytes it swallowed.
fn passes_nothing_line(f: &Facts<'_>, v: &Vpn) -> Option<String> {
    let t = f
        .traffic_of(&v.interface)
        .filter(|_| passes_nothing(f, v))?;
    Some(format!(
        "The HMS VPN ({}) is connected but passes no traffic: during the run this computer sent {} bytes into it and received nothing back, as when the VPN session has ended.",
        app_name(v),
        t.sent_bytes
    ))
}

/// The HMS VPN's own server did not answer either.
fn gateway_silent(f: &Facts<'_>) -> Option<String> {
    let (s, p) = service(f, Role::Gateway);
    (p.is_some() && matches!(s, Service::Silent | Service::TlsProblem)).then(|| {
        let host = f
            .find(Role::Gateway, ProbeKind::Dns)
            .map_or_else(String::new, |p| format!(" ({})", p.target));
        format!("The HMS VPN's own server{host} did not answer either.")
    })
}

pub(super) fn needs_hms_vpn(f: &Facts<'_>) -> Evidence {
    let works = internet_works(f)?;
    let (mars, mars_p) = service(f, Role::Mars);
    let (aff, aff_p) = service(f, Role::Affiliate);
    if !(mars.shut() && aff.shut()) || restricted_answers(f) {
        return None;
    }
    let mut e = Vec::new();
    for v in f.vpns.iter().filter(|v| other_network(v).is_some()) {
        e.push(format!(
            "You are connected to {}, which is not the HMS VPN: MARS does not accept connections from it.",
            app_name(v)
        ));
    }
    let host = works.role.map_or("a public HMS host", who);
    e.push(format!(
        "{} answered, so the internet works.",
        capital(host)
    ));
    if let Some(p) = mars_p {
        e.push(no_answer(p, Role::Mars));
    }
    if let Some(p) = aff_p {
        e.push(no_answer(p, Role::Affiliate));
    }
    Some(e)
}

/// Why nothing fit, in plain words: the oddities worth a service desk's eye.
pub(super) fn oddities(f: &Facts<'_>) -> Vec<String> {
    let mut e = Vec::new();
    if let Some(end) = f.run_end
        && !end.cut_short.is_empty()
    {
        let mut roles: Vec<String> = Vec::new();
        for p in f.probes.iter().filter(|p| f.cut_short(p)) {
            if let Some(r) = p.role {
                roles.push(who(r).to_owned());
            }
        }
        e.push(format!(
            "The run was cut short {} after {}, before {} had been silent long enough to tell a blocked path from a slow one.",
            cut_by(end),
            seconds(f.duration_ms),
            if roles.is_empty() { "the probes".to_owned() } else { and_list(&roles) }
        ));
    }
    let tls: Vec<(Role, Option<&Probe>)> = Role::ALL
        .into_iter()
        .filter_map(|r| match service(f, r) {
            (Service::TlsProblem, p) => Some((r, p)),
            _ => None,
        })
        .collect();
    if !tls.is_empty() {
        // The clock is a suspect only where a certificate was refused for its dates.
        let dates = tls.iter().any(|(_, p)| {
            p.is_some_and(|p| matches!(p.outcome, Outcome::TlsExpired | Outcome::TlsNotYetValid))
        });
        let names: Vec<String> = tls.iter().map(|(r, _)| who(*r).to_owned()).collect();
        e.push(format!(
            "The certificates of {} were not accepted: something may intercept secure connections{}.",
            and_list(&names),
            if dates { ", or the clock may be off" } else { "" }
        ));
    }
    if internet_works(f).is_none() {
        e.push("Neither the public HMS site nor the HMS VPN's server answered.".into());
    }
    for role in Role::ALL {
        if let (s, Some(p)) = service(f, role)
            && matches!(s, Service::Silent | Service::Refuses | Service::Failing)
        {
            e.push(no_answer(p, role));
        }
    }
    if e.is_empty() {
        e.push("The probes did not finish in time to tell.".into());
    }
    e
}
