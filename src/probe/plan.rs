//! The probe plan: every probe a run will report, derived from the profile alone (no I/O), so the
//! report always lists the same probes in the same order, run or not.

use crate::profile::{Profile, Target};
use crate::report::model::{Probe, ProbeKind, Role};

use super::route::{PROBE_V4, PROBE_V6};

/// Probe id of the global IPv4 "is there a route out" lookup.
pub const ROUTE_V4: &str = "route:ipv4";
/// Probe id of the global IPv6 "is there a route out" lookup.
pub const ROUTE_V6: &str = "route:ipv6";

/// The ids of one target's probes.
#[must_use]
pub fn dns_id(t: &Target) -> String {
    format!("dns:{}", t.id)
}
/// See [`dns_id`].
#[must_use]
pub fn route_id(t: &Target) -> String {
    format!("route:{}", t.id)
}
/// See [`dns_id`].
#[must_use]
pub fn tcp_id(t: &Target, port: u16) -> String {
    format!("tcp:{}:{port}", t.id)
}
/// See [`dns_id`].
#[must_use]
pub fn tls_id(t: &Target) -> String {
    format!("tls:{}:{}", t.id, t.https_port)
}
/// See [`dns_id`].
#[must_use]
pub fn https_id(t: &Target) -> String {
    format!("https:{}:{}", t.id, t.https_port)
}
/// See [`dns_id`].
#[must_use]
pub fn http_id(t: &Target, port: u16) -> String {
    format!("http:{}:{port}", t.id)
}

/// A handle on one probe slot of a [`Plan`]: a run addresses its probes by these, never by
/// rebuilding and parsing id strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot(usize);

impl Slot {
    /// The slot's position in [`Plan::probes`].
    #[must_use]
    pub fn index(self) -> usize {
        self.0
    }
}

/// The slots of one target's chain.
#[derive(Debug, Clone, Copy)]
pub struct TargetSlots {
    /// Name resolution.
    pub dns: Slot,
    /// Which interface the first address is reached through.
    pub route: Slot,
    /// TCP connect to the HTTPS port.
    pub tcp: Slot,
    /// TLS handshake on the HTTPS port.
    pub tls: Slot,
    /// HTTPS request.
    pub https: Slot,
    /// The plain-HTTP chain, when the profile asks for one (the control host).
    pub plain: Option<PlainSlots>,
}

/// The slots of a target's plain-HTTP chain.
#[derive(Debug, Clone, Copy)]
pub struct PlainSlots {
    /// The plain-HTTP port.
    pub port: u16,
    /// TCP connect to it.
    pub tcp: Slot,
    /// HTTP request.
    pub http: Slot,
}

/// Every probe a run will report, in report order, with typed handles on each slot.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The probe slots, all `skipped` until their step reports.
    pub probes: Vec<Probe>,
    /// The global IPv4 "is there a route out" lookup.
    pub route_v4: Slot,
    /// The global IPv6 one.
    pub route_v6: Slot,
    /// Per profile target, in profile order.
    pub targets: Vec<TargetSlots>,
}

impl Plan {
    fn push(&mut self, probe: Probe) -> Slot {
        self.probes.push(probe);
        Slot(self.probes.len() - 1)
    }
}

/// A probe slot before it runs: outcome `skipped`, no duration.
#[must_use]
pub fn slot(id: String, kind: ProbeKind, target: Option<&Target>, what: String) -> Probe {
    Probe::not_run(
        id,
        kind,
        target.map(|t| t.id.clone()),
        target.map(|t| t.role),
        what,
    )
}

/// Every probe of a run, in report order.
#[must_use]
pub fn plan(profile: &Profile) -> Plan {
    let mut plan = Plan {
        probes: Vec::new(),
        route_v4: Slot(0),
        route_v6: Slot(0),
        targets: Vec::new(),
    };
    plan.route_v4 = plan.push(slot(
        ROUTE_V4.into(),
        ProbeKind::Route,
        None,
        PROBE_V4.to_string(),
    ));
    plan.route_v6 = plan.push(slot(
        ROUTE_V6.into(),
        ProbeKind::Route,
        None,
        PROBE_V6.to_string(),
    ));
    for t in &profile.targets {
        let host_port = |port: u16| format!("{}:{port}", t.host);
        let dns = plan.push(slot(dns_id(t), ProbeKind::Dns, Some(t), t.host.clone()));
        let route = plan.push(slot(route_id(t), ProbeKind::Route, Some(t), t.host.clone()));
        let tcp = plan.push(slot(
            tcp_id(t, t.https_port),
            ProbeKind::Tcp,
            Some(t),
            host_port(t.https_port),
        ));
        let tls = plan.push(slot(
            tls_id(t),
            ProbeKind::Tls,
            Some(t),
            host_port(t.https_port),
        ));
        let https = plan.push(slot(https_id(t), ProbeKind::Https, Some(t), https_url(t)));
        let plain = t.http_port.map(|port| PlainSlots {
            port,
            tcp: plan.push(slot(
                tcp_id(t, port),
                ProbeKind::Tcp,
                Some(t),
                host_port(port),
            )),
            http: plan.push(slot(
                http_id(t, port),
                ProbeKind::Http,
                Some(t),
                http_url(t, port),
            )),
        });
        plan.targets.push(TargetSlots {
            dns,
            route,
            tcp,
            tls,
            https,
            plain,
        });
    }
    plan
}

/// The HTTPS URL probed for a target.
#[must_use]
pub fn https_url(t: &Target) -> String {
    if t.https_port == 443 {
        format!("https://{}{}", t.host, t.path)
    } else {
        format!("https://{}:{}{}", t.host, t.https_port, t.path)
    }
}

/// The plain-HTTP URL probed for a target.
#[must_use]
pub fn http_url(t: &Target, port: u16) -> String {
    if port == 80 {
        format!("http://{}{}", t.host, t.path)
    } else {
        format!("http://{}:{port}{}", t.host, t.path)
    }
}

/// Restricted targets: the ones whose silence is the expected answer from the wrong network.
#[must_use]
pub fn is_restricted(role: Role) -> bool {
    matches!(role, Role::Mars | Role::Affiliate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Outcome;

    #[test]
    fn embedded_profile_plan_lists_every_step() {
        let plan = plan(&Profile::embedded());
        let probes = &plan.probes;
        let ids: Vec<&str> = probes.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids[..2], ["route:ipv4", "route:ipv6"]);
        for id in [
            "dns:mars",
            "tcp:mars:443",
            "tls:mars:443",
            "https:mars:443",
            "http:control:80",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        // 2 global + 5 per target + 2 for the control host's plain HTTP.
        assert_eq!(probes.len(), 2 + 5 * 4 + 2);
        assert!(
            probes
                .iter()
                .all(|p| p.outcome == Outcome::Skipped && p.duration_ms.is_none())
        );
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "ids must be unique");
    }

    #[test]
    fn slot_handles_point_at_their_probes() {
        let profile = Profile::embedded();
        let plan = plan(&profile);
        let at = |s: Slot| &plan.probes[s.index()];
        assert_eq!(at(plan.route_v4).id, ROUTE_V4);
        assert_eq!(at(plan.route_v6).id, ROUTE_V6);
        assert_eq!(plan.targets.len(), profile.targets.len());
        for (t, slots) in profile.targets.iter().zip(&plan.targets) {
            assert_eq!(at(slots.dns).id, dns_id(t));
            assert_eq!(at(slots.route).id, route_id(t));
            assert_eq!(at(slots.tcp).id, tcp_id(t, t.https_port));
            assert_eq!(at(slots.tls).id, tls_id(t));
            assert_eq!(at(slots.https).id, https_id(t));
            assert_eq!(slots.plain.map(|p| p.port), t.http_port);
            if let Some(plain) = slots.plain {
                assert_eq!(at(plain.tcp).id, tcp_id(t, plain.port));
                assert_eq!(at(plain.http).id, http_id(t, plain.port));
                assert_eq!(at(plain.http).port(), Some(plain.port));
            }
        }
    }

    #[test]
    fn urls_omit_default_ports() {
        let p = Profile::embedded();
        let control = p.target(Role::Control).unwrap();
        assert_eq!(https_url(control), "https://it.hms.harvard.edu/");
        assert_eq!(http_url(control, 80), "http://it.hms.harvard.edu/");
        assert_eq!(http_url(control, 8080), "http://it.hms.harvard.edu:8080/");
    }
}
