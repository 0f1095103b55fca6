//! The DNS probe's default mode: the operating system's resolver decides (its answer is what the
//! browser gets, and its addresses are the ones the later steps connect to), and the system's
//! nameservers, plus the per-domain ones a VPN installed for this name, are asked directly at
//! the same time as evidence: which server said what.
//!
//! Once the OS resolver has answered, the direct queries get a short grace and the rest are
//! recorded `not-needed`; when it failed they may run to their own timeout, because they then
//! explain the failure (a "temporary failure" from the OS is refined to `servfail` or `refused`
//! when a nameserver said so).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;

use super::dns::{
    DnsResult, MAX_LISTED, Replies, Resolvers, ask_every_server, list_addresses, record_not_needed,
    single_server,
};
use super::os_resolver::{self, OsAnswer};
use super::split_dns;
use crate::os::dns::Dns;
use crate::report::model::{DnsServerResult, OsResolution, Outcome};

/// How long the direct queries may still take once the OS resolver has answered.
const GRACE: Duration = Duration::from_millis(300);

impl Resolvers {
    /// Resolves `host` through the OS resolver, with the nameservers asked directly beside it.
    pub(super) async fn resolve_os(&self, host: &str, split: &Dns) -> DnsResult {
        let start = Instant::now();
        let timeout = self.opts.timeout;
        let (servers, scopes) = self.servers_for(host, split);
        let mut set = ask_every_server(&servers, host, start);
        let mut replies = Replies::new(servers.len());
        // getaddrinfo may try several servers in turn: it gets twice one query's time, unless
        // every nameserver asked directly has failed: then it is waiting on the same dead DNS,
        // and gets only a short grace more.
        let os = os_resolver::lookup(host, timeout * 2);
        tokio::pin!(os);
        let give_up = tokio::time::sleep(timeout * 2);
        tokio::pin!(give_up);
        let answer = loop {
            tokio::select! {
                a = &mut os => break a,
                Some(joined) = set.join_next() => {
                    if let Ok(reply) = joined {
                        replies.take(reply);
                    }
                    if set.is_empty() && replies.data.servers.iter().all(|r| r.answers == 0) {
                        give_up.as_mut().reset(tokio::time::Instant::now() + GRACE);
                    }
                }
                () = &mut give_up => break OsAnswer {
                    outcome: Outcome::Timeout,
                    addresses: vec![],
                    duration: start.elapsed(),
                    error: Some(format!(
                        "no answer within {} ms, and every nameserver asked directly failed",
                        start.elapsed().as_millis()
                    )),
                },
            }
        };
        let wait = if answer.outcome == Outcome::Ok {
            GRACE
        } else {
            timeout + Duration::from_millis(200)
        };
        let until = tokio::time::Instant::now() + wait;
        while !set.is_empty() {
            match tokio::time::timeout_at(until, set.join_next()).await {
                Ok(Some(Ok(reply))) => replies.take(reply),
                Ok(Some(Err(_))) => {}
                Ok(None) | Err(_) => break,
            }
        }
        set.abort_all();
        let addrs: Vec<SocketAddr> = servers.iter().map(|(a, _)| *a).collect();
        record_not_needed(&addrs, &mut replies);
        for row in &mut replies.data.servers {
            if let Some(i) = addrs.iter().position(|a| a.to_string() == row.server) {
                row.scope.clone_from(&scopes[i]);
            }
        }
        self.os_result(host, split, answer, replies, start)
    }

    /// The ordinary nameservers, then the per-domain ones the OS would use for `host`, each with
    /// why it is asked.
    fn servers_for(
        &self,
        host: &str,
        split: &Dns,
    ) -> (Vec<(SocketAddr, TokioResolver)>, Vec<Option<String>>) {
        let mut servers = self.servers.clone();
        let mut scopes: Vec<Option<String>> = vec![None; servers.len()];
        for extra in split_dns::extra_servers(split, host) {
            let addr = SocketAddr::new(extra.ip, 53);
            if let Some(i) = servers.iter().position(|(a, _)| *a == addr) {
                scopes[i] = Some(extra.scope);
            } else if let Some(r) = single_server(addr, &self.opts) {
                servers.push((addr, r));
                scopes.push(Some(extra.scope));
            }
        }
        (servers, scopes)
    }

    /// The probe's result: the OS resolver's answer, with the direct answers as evidence.
    fn os_result(
        &self,
        host: &str,
        split: &Dns,
        answer: OsAnswer,
        replies: Replies,
        start: Instant,
    ) -> DnsResult {
        let mut data = replies.data;
        let listed = list_addresses(&answer.addresses, &mut data);
        data.answered_by = agreeing_server(&data.servers, &answer.addresses);
        data.source = Some("os".into());
        data.nrpt = split_dns::nrpt_for(split, host);
        data.os = Some(OsResolution {
            outcome: answer.outcome,
            addresses: answer
                .addresses
                .iter()
                .take(MAX_LISTED)
                .map(ToString::to_string)
                .collect(),
            duration_ms: super::millis(answer.duration),
            error: answer.error.clone(),
        });
        let outcome = refine_temporary(answer.outcome, answer.error.as_deref(), &data.servers);
        let detail = if outcome == Outcome::Ok {
            listed
        } else {
            Some(format!(
                "the system resolver failed ({}); {} nameserver(s) asked directly",
                answer.error.as_deref().unwrap_or(answer.outcome.as_str()),
                self.info.nameservers.len()
            ))
        };
        DnsResult {
            outcome,
            addresses: answer.addresses,
            data,
            duration: start.elapsed(),
            detail,
        }
    }
}

/// The first nameserver whose direct answer holds an address the OS resolver returned.
fn agreeing_server(rows: &[DnsServerResult], os: &[IpAddr]) -> Option<String> {
    let os: Vec<String> = os.iter().map(ToString::to_string).collect();
    rows.iter()
        .find(|r| r.addresses.iter().any(|a| os.contains(a)))
        .map(|r| r.server.clone())
}

/// "Temporary failure" from the OS (`EAI_AGAIN`) means a nameserver failed or none answered:
/// the direct queries say which. Other outcomes stand as they are. Pure.
#[must_use]
pub fn refine_temporary(outcome: Outcome, code: Option<&str>, rows: &[DnsServerResult]) -> Outcome {
    let temporary = matches!(code, Some("EAI_AGAIN" | "WSATRY_AGAIN"));
    if outcome != Outcome::Timeout || !temporary {
        return outcome;
    }
    // glibc answers EAI_AGAIN at once when this computer refuses to send (a firewall's
    // OUTPUT drop): the direct queries' permission error says why (lab scenario 28).
    [
        Outcome::PermissionDenied,
        Outcome::Servfail,
        Outcome::Refused,
    ]
    .into_iter()
    .find(|o| rows.iter().any(|r| r.outcome == *o))
    .unwrap_or(Outcome::Timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(server: &str, outcome: Outcome, addresses: &[&str]) -> DnsServerResult {
        DnsServerResult {
            server: server.into(),
            record_type: "A".into(),
            outcome,
            duration_ms: 1,
            answers: addresses.len(),
            addresses: addresses.iter().map(|a| (*a).to_owned()).collect(),
            scope: None,
        }
    }

    #[test]
    fn a_temporary_failure_takes_the_nameservers_word() {
        let rows = [
            row("10.0.0.1:53", Outcome::Timeout, &[]),
            row("10.0.0.2:53", Outcome::Servfail, &[]),
        ];
        assert_eq!(
            refine_temporary(Outcome::Timeout, Some("EAI_AGAIN"), &rows),
            Outcome::Servfail
        );
        assert_eq!(
            refine_temporary(Outcome::Timeout, Some("EAI_AGAIN"), &rows[..1]),
            Outcome::Timeout
        );
        // Our own deadline is a timeout whatever the servers said.
        assert_eq!(
            refine_temporary(Outcome::Timeout, Some("no answer within 5000 ms"), &rows),
            Outcome::Timeout
        );
        assert_eq!(
            refine_temporary(Outcome::Nxdomain, Some("EAI_NONAME"), &rows),
            Outcome::Nxdomain
        );
        // A firewall that drops this computer's own sends: EAI_AGAIN at once, EPERM directly.
        let denied = [row("10.0.0.1:53", Outcome::PermissionDenied, &[])];
        assert_eq!(
            refine_temporary(Outcome::Timeout, Some("EAI_AGAIN"), &denied),
            Outcome::PermissionDenied
        );
    }

    /// The DNS step takes the per-link resolvers of the one OS reading (Linux, systemd-resolved:
    /// the `resolvectl` fixture of an openconnect tunnel): MARS's name is asked of them too.
    #[tokio::test]
    async fn the_dns_step_asks_linux_per_link_resolvers_of_the_os_reading() {
        let fixture = |name: &str| {
            let p = format!("{}/tests/fixtures/linux/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
        };
        let (dns, domain) = (
            fixture("resolvectl_dns.txt"),
            fixture("resolvectl_domain.txt"),
        );
        let tools = crate::os_tool::Captured::new(&[
            ("resolvectl dns", &dns),
            ("resolvectl domain", &domain),
        ]);
        let reading = crate::os::read_as("linux", &tools, &[], |_| {});
        let dns = &reading.path.dns;
        let resolvers = Resolvers::new(&[], &dns.system, Duration::from_secs(1));
        let (servers, scopes) = resolvers.servers_for("mars.med.harvard.edu", dns);
        let asked: Vec<(String, Option<String>)> = servers
            .iter()
            .map(|(a, _)| a.to_string())
            .zip(scopes)
            .filter(|(_, scope)| scope.is_some())
            .collect();
        assert_eq!(
            asked,
            [
                (
                    "10.250.0.53:53".to_owned(),
                    Some(
                        "Linux per-link resolver (systemd-resolved) for med.harvard.edu (tun0)"
                            .to_owned()
                    )
                ),
                (
                    "10.250.0.54:53".to_owned(),
                    Some(
                        "Linux per-link resolver (systemd-resolved) for med.harvard.edu (tun0)"
                            .to_owned()
                    )
                ),
            ]
        );
        let other = resolvers.servers_for("example.org", dns).1;
        assert!(other.iter().all(Option::is_none), "{other:?}");
    }

    #[test]
    fn the_agreeing_server_is_the_one_with_an_os_address() {
        let rows = [
            row("10.0.0.1:53", Outcome::Nxdomain, &[]),
            row("10.250.0.53:53", Outcome::Ok, &["198.18.20.5"]),
        ];
        let os: Vec<IpAddr> = vec!["198.18.20.5".parse().unwrap()];
        assert_eq!(
            agreeing_server(&rows, &os).as_deref(),
            Some("10.250.0.53:53")
        );
        assert_eq!(agreeing_server(&rows[..1], &os), None);
    }
}
