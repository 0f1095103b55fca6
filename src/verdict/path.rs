//! The path the probes took, in sentences: where the nameservers asked directly disagree with
//! the operating system's resolver, and the proxy the HTTPS checks went through (or that stopped
//! them). Pure: reads only the finished probes.

use std::collections::BTreeMap;

use super::facts::Facts;
use super::words::who;
use crate::report::labels::ProxyStop;
use crate::report::model::{DnsData, DnsServerResult, Outcome, Probe, ProbeKind};

/// Evidence lines (disagreements, a proxy that stopped the checks) and warnings (a proxy in
/// use), in probe order. `dead_proxy`: a proxy the verdict already says does not answer
/// (proxy-down), whose silence is not said again.
#[must_use]
pub fn lines(f: &Facts<'_>, dead_proxy: Option<&str>) -> (Vec<String>, Vec<String>) {
    // The same disagreement for several names is one line naming them all.
    let mut evidence: Vec<String> = Vec::new();
    let mut names: Vec<Vec<String>> = Vec::new();
    for p in f.probes.iter().filter(|p| p.kind == ProbeKind::Dns) {
        let Some(line) = p.dns.as_ref().and_then(|d| disagreement(NAME, d)) else {
            continue;
        };
        match evidence.iter().position(|l| *l == line) {
            Some(i) => names[i].push(label(p)),
            None => {
                evidence.push(line);
                names.push(vec![label(p)]);
            }
        }
    }
    for (line, names) in evidence.iter_mut().zip(names) {
        *line = line.replace(NAME, &join_names(&names));
    }
    let (used, stopped) = proxies(f.probes, dead_proxy);
    evidence.extend(stopped);
    (evidence, used)
}

/// Stands for the host names in a disagreement line until the lines are grouped.
const NAME: &str = "\u{1}names\u{1}";

/// `MARS`, `MARS and the public HMS site`, `MARS, the affiliate portal and …`.
fn join_names(names: &[String]) -> String {
    join_with(names, "and")
}

/// `MARS or the affiliate portal`: the list for a sentence that says none of them.
fn join_with(names: &[String], word: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// What a person calls the probe's host, as in a sentence ("the affiliate portal").
fn label(p: &Probe) -> String {
    p.role
        .map_or_else(|| p.target.clone(), |r| who(r).to_owned())
}

/// A nameserver as a person reads it: its address, without the usual port.
fn server_name(s: &str) -> &str {
    s.strip_suffix(":53")
        .map(|a| a.trim_start_matches('[').trim_end_matches(']'))
        .unwrap_or(s)
}

/// What one nameserver said, over both record types.
#[derive(Default)]
struct Said<'a> {
    nxdomain: bool,
    addresses: Vec<&'a str>,
    silent: bool,
    scope: Option<&'a str>,
}

/// One line when the nameservers asked directly disagree with the OS resolver about a name.
fn disagreement(label: &str, d: &DnsData) -> Option<String> {
    let os = d.os.as_ref()?;
    let mut by_server: BTreeMap<&str, Said<'_>> = BTreeMap::new();
    for row in &d.servers {
        let said = by_server.entry(row.server.as_str()).or_default();
        said.scope = said.scope.or(row.scope.as_deref());
        record(said, row);
    }
    let os_found = os.outcome == Outcome::Ok;
    let agrees = |s: &Said<'_>| {
        s.addresses
            .iter()
            .any(|a| os.addresses.iter().any(|o| o == a))
    };
    let per_domain = by_server
        .values()
        .find(|s| s.scope.is_some() && agrees(s))
        .and_then(|s| s.scope);
    if os_found {
        if let Some((server, _)) = by_server
            .iter()
            .find(|(_, s)| s.nxdomain && s.scope.is_none())
        {
            let why = match per_domain {
                Some(scope) => format!("a VPN's own DNS is in use ({scope})"),
                None => {
                    "the name is answered by a VPN's own DNS or this computer's hosts file".into()
                }
            };
            return Some(format!(
                "The system resolver found {label}, but the nameserver {} says it does not exist: {why}",
                server_name(server)
            ));
        }
        if let Some((server, s)) = by_server
            .iter()
            .find(|(_, s)| !s.addresses.is_empty() && !agrees(s))
        {
            return Some(format!(
                "The nameserver {} gives other addresses for {label} ({}) than the system resolver ({})",
                server_name(server),
                s.addresses.join(", "),
                os.addresses.join(", ")
            ));
        }
        let none_agree = !by_server.values().any(agrees);
        if none_agree && !by_server.is_empty() && by_server.values().all(|s| s.silent) {
            return Some(format!(
                "The system resolver found {label}, but no nameserver asked directly answered: the address came from this computer's hosts file or another resolver"
            ));
        }
        return None;
    }
    let (server, s) = by_server.iter().find(|(_, s)| !s.addresses.is_empty())?;
    Some(format!(
        "The nameserver {} knows {label} ({}), but the system resolver does not find it ({})",
        server_name(server),
        s.addresses.join(", "),
        os.error.as_deref().unwrap_or(os.outcome.as_str())
    ))
}

fn record<'a>(said: &mut Said<'a>, row: &'a DnsServerResult) {
    match row.outcome {
        Outcome::Ok => said
            .addresses
            .extend(row.addresses.iter().map(String::as_str)),
        Outcome::Nxdomain => said.nxdomain = true,
        Outcome::Timeout | Outcome::NotNeeded | Outcome::Unreachable | Outcome::Refused => {
            said.silent = true;
        }
        _ => {}
    }
}

/// A proxy (URL, where it was set) and how it stopped connections (outcome, how).
type StopKey<'a> = (&'a str, &'a str, Outcome, Option<ProxyStop>);

/// Warnings for proxies the checks went through, and evidence for proxies that stopped them.
fn proxies(probes: &[Probe], dead: Option<&str>) -> (Vec<String>, Vec<String>) {
    // Per proxy: the hosts it let through; per proxy and failure: the hosts it stopped.
    let mut through: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    let mut stopped: BTreeMap<StopKey<'_>, Vec<String>> = BTreeMap::new();
    for p in probes.iter().filter(|p| p.kind == ProbeKind::Tcp) {
        let Some(hop) = p.proxy_hop() else {
            continue;
        };
        let (url, source) = (hop.url.as_str(), hop.source.as_str());
        if p.outcome == Outcome::Ok {
            through.entry((url, source)).or_default().push(label(p));
        } else if !p.outcome.is_not_run() {
            let how = (p.outcome == Outcome::ProxyRefused).then(|| hop.stop());
            let silent = p.outcome == Outcome::ProxyTimeout
                || matches!(how, Some(ProxyStop::NotReached | ProxyStop::HungUp));
            if silent && dead == Some(url) {
                continue;
            }
            stopped
                .entry((url, source, p.outcome, how))
                .or_default()
                .push(label(p));
        }
    }
    let used = through
        .iter()
        .map(|((url, source), hosts)| {
            format!(
                "Web traffic goes through the proxy {url} (set by {source}); the checks of {} went through it, as your browser's would.",
                join_names(hosts)
            )
        })
        .collect();
    let failed = stopped
        .iter()
        .map(|((url, source, outcome, how), hosts)| {
            format!(
                "The proxy {url} (set by {source}) {}.",
                stop_words(*outcome, *how, hosts)
            )
        })
        .collect();
    (used, failed)
}

/// What the proxy did to the connections to `hosts`, as the end of a sentence.
fn stop_words(outcome: Outcome, how: Option<ProxyStop>, hosts: &[String]) -> String {
    let all = join_names(hosts);
    match (outcome, how) {
        (Outcome::ProxyAuthRequired, _) => {
            format!("asks for a sign-in (HTTP 407) before it lets connections to {all} through")
        }
        (Outcome::ProxyTimeout, _) => format!("did not answer in time when asked for {all}"),
        (_, Some(ProxyStop::CouldNotReach(status))) => {
            format!("could not reach {} (HTTP {status})", join_with(hosts, "or"))
        }
        (_, Some(ProxyStop::Refused(status))) => {
            format!("refused to connect to {all} (HTTP {status})")
        }
        (_, Some(ProxyStop::HungUp)) => {
            format!("hung up without an answer when asked for {all}")
        }
        (_, Some(ProxyStop::NotReached)) => {
            format!("could not be reached, so {all} could not be checked through it")
        }
        (other, None) => format!("let the connections to {all} through, but they failed ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{OsResolution, ProxyHop, Role, TcpData};

    fn row(
        server: &str,
        outcome: Outcome,
        addresses: &[&str],
        scope: Option<&str>,
    ) -> DnsServerResult {
        DnsServerResult {
            server: server.into(),
            record_type: "A".into(),
            outcome,
            duration_ms: 1,
            answers: addresses.len(),
            addresses: addresses.iter().map(|a| (*a).to_owned()).collect(),
            scope: scope.map(str::to_owned),
        }
    }

    fn dns(os: Outcome, os_addrs: &[&str], rows: Vec<DnsServerResult>) -> DnsData {
        DnsData {
            servers: rows,
            source: Some("os".into()),
            os: Some(OsResolution {
                outcome: os,
                addresses: os_addrs.iter().map(|a| (*a).to_owned()).collect(),
                duration_ms: 1,
                error: (os != Outcome::Ok).then(|| "EAI_NONAME".into()),
            }),
            ..DnsData::default()
        }
    }

    #[test]
    fn a_vpn_per_domain_resolver_explains_a_nxdomain_from_the_ordinary_one() {
        let d = dns(
            Outcome::Ok,
            &["198.18.20.5"],
            vec![
                row("192.168.1.1:53", Outcome::Nxdomain, &[], None),
                row(
                    "10.250.0.53:53",
                    Outcome::Ok,
                    &["198.18.20.5"],
                    Some("macOS per-domain resolver for med.harvard.edu (utun4)"),
                ),
            ],
        );
        let line = disagreement("MARS", &d).unwrap();
        assert!(line.starts_with("The system resolver found MARS, but the nameserver 192.168.1.1 says it does not exist: a VPN's own DNS is in use (macOS per-domain resolver"), "{line}");
    }

    #[test]
    fn other_addresses_silence_and_a_failing_os_resolver_are_told() {
        let d = dns(
            Outcome::Ok,
            &["127.0.0.1"],
            vec![row("10.0.0.1:53", Outcome::Ok, &["198.18.0.9"], None)],
        );
        assert!(
            disagreement("MARS", &d)
                .unwrap()
                .contains("gives other addresses for MARS (198.18.0.9)")
        );
        let d = dns(
            Outcome::Ok,
            &["127.0.0.1"],
            vec![row("10.0.0.1:53", Outcome::NotNeeded, &[], None)],
        );
        assert!(disagreement("MARS", &d).unwrap().contains("hosts file"));
        let d = dns(
            Outcome::Nxdomain,
            &[],
            vec![row("10.0.0.1:53", Outcome::Ok, &["198.18.0.9"], None)],
        );
        assert!(
            disagreement("MARS", &d)
                .unwrap()
                .contains("does not find it (EAI_NONAME)")
        );
        let d = dns(
            Outcome::Ok,
            &["198.18.0.9"],
            vec![row("10.0.0.1:53", Outcome::Ok, &["198.18.0.9"], None)],
        );
        assert_eq!(disagreement("MARS", &d), None, "agreement is not news");
    }

    #[test]
    fn the_same_disagreement_for_several_names_is_one_line() {
        let dns_probe = |role| Probe {
            role: Some(role),
            outcome: Outcome::Ok,
            dns: Some(dns(
                Outcome::Ok,
                &["127.0.0.1"],
                vec![row("10.0.0.1:53", Outcome::NotNeeded, &[], None)],
            )),
            ..crate::probe::plan::slot("dns:x".into(), ProbeKind::Dns, None, "x".into())
        };
        let probes = [
            dns_probe(Role::Mars),
            dns_probe(Role::Affiliate),
            dns_probe(Role::Control),
        ];
        let detection = crate::report::model::Detection {
            status: crate::report::model::DetectionStatus::Ran,
            detail: None,
            sources: vec![],
        };
        let f = Facts {
            probes: &probes,
            vpns: &[],
            detection: &detection,
            run_end: None,
            traffic: None,
            installed_clients: None,
            duration_ms: 0,
            interfaces: &[],
            os: "linux",
        };
        let (evidence, warnings) = lines(&f, None);
        assert_eq!(evidence.len(), 1, "{evidence:?}");
        assert!(
            evidence[0].starts_with(
                "The system resolver found MARS, the affiliate portal and the public HMS site, but"
            ),
            "{evidence:?}"
        );
        assert!(warnings.is_empty());
    }

    /// A TCP probe of `role` through the proxy http://proxy.lan:3128 (HTTPS_PROXY).
    fn tcp(role: Role, outcome: Outcome, status: Option<u16>) -> Probe {
        Probe {
            role: Some(role),
            outcome,
            tcp: Some(TcpData {
                proxy: Some(ProxyHop {
                    url: "http://proxy.lan:3128".into(),
                    source: "HTTPS_PROXY".into(),
                    status,
                    ..ProxyHop::default()
                }),
                ..TcpData::default()
            }),
            ..crate::probe::plan::slot("tcp:x:443".into(), ProbeKind::Tcp, None, "x:443".into())
        }
    }

    #[test]
    fn proxies_used_are_warnings_and_proxies_that_stop_are_evidence() {
        let probes = [
            tcp(Role::Affiliate, Outcome::Ok, Some(200)),
            tcp(Role::Mars, Outcome::ProxyRefused, Some(403)),
            tcp(Role::Gateway, Outcome::ProxyRefused, Some(403)),
            tcp(Role::Control, Outcome::ProxyRefused, Some(504)),
        ];
        let (used, stopped) = proxies(&probes, None);
        assert_eq!(used.len(), 1);
        assert!(
            used[0].contains("http://proxy.lan:3128 (set by HTTPS_PROXY)")
                && used[0].contains("affiliate portal")
        );
        assert_eq!(
            stopped,
            [
                "The proxy http://proxy.lan:3128 (set by HTTPS_PROXY) could not reach the public HMS site (HTTP 504).",
                "The proxy http://proxy.lan:3128 (set by HTTPS_PROXY) refused to connect to MARS and the HMS VPN's server (HTTP 403).",
            ]
        );
    }

    #[test]
    fn a_dead_proxy_the_verdict_names_is_not_said_again_but_its_refusals_are() {
        let probes = [
            tcp(Role::Mars, Outcome::ProxyRefused, Some(403)),
            tcp(Role::Gateway, Outcome::ProxyRefused, None),
            tcp(Role::Control, Outcome::ProxyTimeout, None),
        ];
        let (_, all) = proxies(&probes, None);
        assert_eq!(all.len(), 3, "{all:#?}");
        let (_, stopped) = proxies(&probes, Some("http://proxy.lan:3128"));
        assert_eq!(
            stopped,
            [
                "The proxy http://proxy.lan:3128 (set by HTTPS_PROXY) refused to connect to MARS (HTTP 403)."
            ]
        );
        // Another proxy's silence is still said.
        let (_, stopped) = proxies(&probes, Some("http://other.lan:8080"));
        assert_eq!(stopped.len(), 3, "{stopped:#?}");
    }

    #[test]
    fn each_way_a_proxy_stops_a_connection_has_its_own_words() {
        let hop = |status, connect_ms| ProxyHop {
            status,
            connect_ms,
            ..ProxyHop::default()
        };
        let hosts = ["MARS".to_owned(), "the affiliate portal".to_owned()];
        let cases = [
            (
                hop(Some(502), Some(3)),
                "could not reach MARS or the affiliate portal (HTTP 502)",
            ),
            (
                hop(Some(403), Some(3)),
                "refused to connect to MARS and the affiliate portal (HTTP 403)",
            ),
            (
                hop(None, Some(3)),
                "hung up without an answer when asked for MARS and the affiliate portal",
            ),
            (
                hop(None, None),
                "could not be reached, so MARS and the affiliate portal could not be checked through it",
            ),
        ];
        for (hop, words) in cases {
            assert_eq!(
                stop_words(Outcome::ProxyRefused, Some(hop.stop()), &hosts),
                words
            );
        }
        assert!(
            stop_words(Outcome::ProxyAuthRequired, None, &hosts)
                .starts_with("asks for a sign-in (HTTP 407)")
        );
    }
}
