//! What the system says about the path beyond the network itself, as the probes use it: the
//! proxy it would use ([`crate::proxy`]), the nameservers the DNS step asks directly (the
//! resolver configuration's and the per-domain ones VPN clients install), all from the OS
//! reading's [`PathSettings`], which the run hands over as soon as it is read.

use std::net::SocketAddr;
use std::time::Duration;

use super::dns::Resolvers;
use crate::os::PathSettings;
use crate::os::dns::Dns;
use crate::proxy;

/// The system's proxy settings, nameservers and per-domain DNS, as found at the start of a run.
#[derive(Clone)]
pub struct SystemPath {
    /// Proxy settings.
    pub proxy: proxy::Settings,
    /// Name resolution: the resolver configuration and per-domain nameservers (macOS
    /// supplemental resolvers, Linux per-link DNS, Windows NRPT).
    pub dns: Dns,
    /// The resolvers the DNS step asks.
    pub resolvers: Resolvers,
}

impl SystemPath {
    /// The path as the OS reading found it, or, when it was not read within `bound`, no proxy
    /// and no nameserver of the system's (the profile's still decide), with a note.
    #[must_use]
    pub fn new(
        read: Option<&PathSettings>,
        profile_nameservers: &[SocketAddr],
        dns_timeout: Duration,
        bound: Duration,
    ) -> SystemPath {
        let (proxy, dns) = match read {
            Some(p) => (proxy::Settings::from_reading(&p.proxy), p.dns.clone()),
            None => {
                let mut dns = Dns::default();
                dns.notes.push(format!(
                    "the proxy and per-domain DNS settings could not be read within {} ms: the probes went direct",
                    bound.as_millis()
                ));
                dns.system.error = Some(format!(
                    "the resolver configuration was not read within {} ms",
                    bound.as_millis()
                ));
                (proxy::Settings::default(), dns)
            }
        };
        let resolvers = Resolvers::new(profile_nameservers, &dns.system, dns_timeout);
        SystemPath {
            proxy,
            dns,
            resolvers,
        }
    }
}
