//! Names and words for the report's closed lists, in one place: the wire spelling (`as_str`,
//! which is also `Display`, and must equal serde's), the words a person reads (`label`), the
//! contract's exit statuses, and [`Probe::describe`], the one-line account of a probe that
//! evidence, progress lines and `-v` share.

use std::fmt;

use std::net::IpAddr;

use super::model::{
    Acts, Cause, Interface, InterfaceKind, Outcome, Probe, ProbeKind, ProxyHop, Role, RunEnd,
    RunEndReason, VerdictCode, VpnRole,
};

mod verdict;

pub use verdict::Severity;

impl Role {
    /// Every role, in the order the profile lists its targets.
    pub const ALL: [Role; 4] = [Role::Mars, Role::Affiliate, Role::Gateway, Role::Control];

    /// The role as written in reports and profiles (`mars`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mars => "mars",
            Role::Affiliate => "affiliate",
            Role::Gateway => "gateway",
            Role::Control => "control",
        }
    }

    /// What a person calls the host of this role.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Role::Mars => "MARS",
            Role::Affiliate => "affiliate portal",
            Role::Gateway => "HMS VPN gateway",
            Role::Control => "public HMS site",
        }
    }
}

impl VpnRole {
    /// Every VPN role.
    pub const ALL: [VpnRole; 3] = [VpnRole::Hms, VpnRole::Affiliate, VpnRole::Unknown];

    /// The role as written in reports (`hms`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VpnRole::Hms => "hms",
            VpnRole::Affiliate => "affiliate",
            VpnRole::Unknown => "unknown",
        }
    }

    /// What a person calls a VPN of this role.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            VpnRole::Hms => "HMS VPN",
            VpnRole::Affiliate => "affiliate (hospital) VPN",
            VpnRole::Unknown => "unknown VPN",
        }
    }
}

impl ProbeKind {
    /// Every kind, in the order of a target's chain.
    pub const ALL: [ProbeKind; 6] = [
        ProbeKind::Dns,
        ProbeKind::Route,
        ProbeKind::Tcp,
        ProbeKind::Tls,
        ProbeKind::Https,
        ProbeKind::Http,
    ];

    /// The kind as written in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Dns => "dns",
            ProbeKind::Route => "route",
            ProbeKind::Tcp => "tcp",
            ProbeKind::Tls => "tls",
            ProbeKind::Https => "https",
            ProbeKind::Http => "http",
        }
    }
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 23] = [
        Outcome::Ok,
        Outcome::Timeout,
        Outcome::Refused,
        Outcome::Unreachable,
        Outcome::Nxdomain,
        Outcome::NoRecords,
        Outcome::Servfail,
        Outcome::NoNameservers,
        Outcome::TlsUnknownIssuer,
        Outcome::TlsNameMismatch,
        Outcome::TlsExpired,
        Outcome::TlsNotYetValid,
        Outcome::TlsHandshakeFailed,
        Outcome::Reset,
        Outcome::ProtocolError,
        Outcome::TooManyRedirects,
        Outcome::Skipped,
        Outcome::NotNeeded,
        Outcome::PermissionDenied,
        Outcome::Error,
        Outcome::ProxyRefused,
        Outcome::ProxyAuthRequired,
        Outcome::ProxyTimeout,
    ];

    /// The outcome as written in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Timeout => "timeout",
            Outcome::Refused => "refused",
            Outcome::Unreachable => "unreachable",
            Outcome::Nxdomain => "nxdomain",
            Outcome::NoRecords => "no-records",
            Outcome::Servfail => "servfail",
            Outcome::NoNameservers => "no-nameservers",
            Outcome::TlsUnknownIssuer => "tls-unknown-issuer",
            Outcome::TlsNameMismatch => "tls-name-mismatch",
            Outcome::TlsExpired => "tls-expired",
            Outcome::TlsNotYetValid => "tls-not-yet-valid",
            Outcome::TlsHandshakeFailed => "tls-handshake-failed",
            Outcome::Reset => "reset",
            Outcome::ProtocolError => "protocol-error",
            Outcome::TooManyRedirects => "too-many-redirects",
            Outcome::Skipped => "skipped",
            Outcome::NotNeeded => "not-needed",
            Outcome::PermissionDenied => "permission-denied",
            Outcome::Error => "error",
            Outcome::ProxyRefused => "proxy-refused",
            Outcome::ProxyAuthRequired => "proxy-auth-required",
            Outcome::ProxyTimeout => "proxy-timeout",
        }
    }

    /// True when the step did not run at all (as opposed to running and failing).
    #[must_use]
    pub fn is_not_run(self) -> bool {
        matches!(self, Outcome::Skipped | Outcome::NotNeeded)
    }

    /// True for the TLS failures: a server answered, but its certificate or handshake failed.
    #[must_use]
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            Outcome::TlsUnknownIssuer
                | Outcome::TlsNameMismatch
                | Outcome::TlsExpired
                | Outcome::TlsNotYetValid
                | Outcome::TlsHandshakeFailed
        )
    }
}

impl InterfaceKind {
    /// Every interface kind.
    pub const ALL: [InterfaceKind; 6] = [
        InterfaceKind::Loopback,
        InterfaceKind::Ethernet,
        InterfaceKind::Wifi,
        InterfaceKind::Tunnel,
        InterfaceKind::Ppp,
        InterfaceKind::Other,
    ];

    /// The kind as written in reports (`wifi`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InterfaceKind::Loopback => "loopback",
            InterfaceKind::Ethernet => "ethernet",
            InterfaceKind::Wifi => "wifi",
            InterfaceKind::Tunnel => "tunnel",
            InterfaceKind::Ppp => "ppp",
            InterfaceKind::Other => "other",
        }
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(
    VerdictCode,
    Cause,
    Acts,
    Role,
    VpnRole,
    ProbeKind,
    Outcome,
    InterfaceKind
);

/// The time a run without `--timeout` gives its probes, in milliseconds (contract: such a run
/// ends within 10 s, bookkeeping included).
pub const DEFAULT_BUDGET_MS: u64 = 9_500;

impl RunEnd {
    /// The run's time bound came from a `--timeout` shorter than the default one, as its budget
    /// shows (`--timeout SECS` gives SECS less 60 ms of bookkeeping).
    #[must_use]
    pub fn by_timeout(&self) -> bool {
        self.budget_ms < DEFAULT_BUDGET_MS
    }
}

impl RunEndReason {
    /// The report's note on how the run ended; none for a run whose every probe finished.
    #[must_use]
    pub fn note(self) -> Option<&'static str> {
        match self {
            RunEndReason::Complete => None,
            RunEndReason::Settled => Some(
                "the verdict was certain before every probe finished; those are marked not-needed",
            ),
            RunEndReason::Deadline => {
                Some("the run reached its time limit; steps still running are marked timeout")
            }
            RunEndReason::Interrupted => {
                Some("the run was interrupted (Ctrl-C); steps still running are marked timeout")
            }
        }
    }
}

/// How a proxy stopped a connection it did not let through (`proxy-refused`), from its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProxyStop {
    /// No connection to the proxy itself could be made.
    NotReached,
    /// The proxy took the connection and closed it without answering `CONNECT`.
    HungUp,
    /// The proxy tried and could not get there (502 bad gateway, 503, 504 gateway timeout).
    CouldNotReach(u16),
    /// The proxy answered with another refusal (403 by policy, as a rule).
    Refused(u16),
}

impl ProxyHop {
    /// How this proxy stopped the connection, when it did (its `CONNECT` status was not 200).
    #[must_use]
    pub fn stop(&self) -> ProxyStop {
        match (self.status, self.connect_ms) {
            (Some(s @ 502..=504), _) => ProxyStop::CouldNotReach(s),
            (Some(s), _) => ProxyStop::Refused(s),
            (None, Some(_)) => ProxyStop::HungUp,
            (None, None) => ProxyStop::NotReached,
        }
    }
}

impl Interface {
    /// Its addresses without their prefix lengths (`198.18.0.2/24` gives 198.18.0.2); a
    /// string that is not an address is left out.
    pub fn ips(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.addresses
            .iter()
            .filter_map(|a| a.split('/').next()?.parse().ok())
    }
}

impl Probe {
    /// The proxy this connection went through (or was stopped by); None when it went direct.
    #[must_use]
    pub fn proxy_hop(&self) -> Option<&ProxyHop> {
        self.tcp.as_ref().and_then(|t| t.proxy.as_ref())
    }

    /// A probe before its step runs: outcome `skipped`, no duration, no data.
    #[must_use]
    pub fn not_run(
        id: String,
        kind: ProbeKind,
        target_id: Option<String>,
        role: Option<Role>,
        target: String,
    ) -> Probe {
        Probe {
            id,
            kind,
            target_id,
            role,
            target,
            outcome: Outcome::Skipped,
            duration_ms: None,
            detail: None,
            dns: None,
            route: None,
            tcp: None,
            tls: None,
            http: None,
        }
    }

    /// The port this step used, from what it probed (`host:port` or a URL); null for DNS and
    /// route lookups.
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        match self.kind {
            ProbeKind::Dns | ProbeKind::Route => None,
            ProbeKind::Tcp | ProbeKind::Tls => self.target.rsplit_once(':')?.1.parse().ok(),
            ProbeKind::Https | ProbeKind::Http => {
                url::Url::parse(&self.target).ok()?.port_or_known_default()
            }
        }
    }

    /// One evidence line for this probe: `https:mars:443: ok (HTTP 200, 41 ms)`.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut extra = Vec::new();
        if let Some(h) = &self.http
            && let Some(status) = h.status
        {
            extra.push(format!("HTTP {status}"));
            if let Some(loc) = &h.location
                && (300..400).contains(&status)
            {
                extra.push(format!("to {loc}"));
            }
        }
        if let Some(d) = &self.dns
            && self.outcome == Outcome::Ok
        {
            let addrs: Vec<&str> =
                d.a.iter()
                    .chain(&d.aaaa)
                    .map(String::as_str)
                    .take(3)
                    .collect();
            extra.push(addrs.join(", "));
        }
        if let Some(r) = &self.route
            && let Some(i) = &r.interface
        {
            extra.push(format!("via {i}"));
        }
        if let Some(t) = &self.tls
            && t.public_root == Some(false)
        {
            extra.push("certificate trusted only through a root installed on this computer".into());
        }
        if let Some(ms) = self.duration_ms
            && !self.outcome.is_not_run()
        {
            extra.push(format!("{ms} ms"));
        }
        if let Some(d) = &self.detail
            && self.outcome != Outcome::Ok
        {
            extra.push(d.clone());
        }
        if extra.is_empty() {
            format!("{}: {}", self.id, self.outcome)
        } else {
            format!("{}: {} ({})", self.id, self.outcome, extra.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use schemars::JsonSchema;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::*;

    /// `ALL` lists every value the schema knows, and each one's `as_str` is serde's spelling
    /// both ways.
    fn check<T>(all: &[T])
    where
        T: Copy + fmt::Display + PartialEq + fmt::Debug + Serialize + DeserializeOwned + JsonSchema,
    {
        let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
        let mut names = BTreeSet::new();
        for variant in schema["oneOf"].as_array().unwrap() {
            let value = variant.get("const").or_else(|| variant["enum"].get(0));
            names.insert(value.unwrap().as_str().unwrap().to_owned());
        }
        let listed: BTreeSet<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(listed, names, "ALL and the schema disagree");
        assert_eq!(listed.len(), all.len(), "ALL lists a value twice");
        for &v in all {
            let wire = serde_json::to_value(v).unwrap();
            assert_eq!(wire, v.to_string(), "{v:?}");
            assert_eq!(serde_json::from_value::<T>(wire).unwrap(), v);
        }
    }

    #[test]
    fn every_closed_list_is_spelled_as_serde_spells_it() {
        check(&VerdictCode::ALL);
        check(&Role::ALL);
        check(&VpnRole::ALL);
        check(&ProbeKind::ALL);
        check(&Outcome::ALL);
        check(&Cause::ALL);
        check(&Acts::ALL);
        check(&InterfaceKind::ALL);
    }

    #[test]
    fn tls_outcomes_are_the_tls_prefixed_ones() {
        for o in Outcome::ALL {
            assert_eq!(o.is_tls(), o.as_str().starts_with("tls-"), "{o}");
        }
    }

    #[test]
    fn ports_come_from_what_was_probed() {
        let probe =
            |kind, target: &str| Probe::not_run("x".into(), kind, None, None, target.into());
        assert_eq!(probe(ProbeKind::Tcp, "a.test:8443").port(), Some(8443));
        assert_eq!(probe(ProbeKind::Https, "https://a.test/").port(), Some(443));
        assert_eq!(
            probe(ProbeKind::Http, "http://a.test:81/x").port(),
            Some(81)
        );
        assert_eq!(probe(ProbeKind::Dns, "a.test").port(), None);
    }
}
