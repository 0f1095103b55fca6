//! What the system says about the path beyond the network itself: the proxy it would use
//! ([`crate::proxy`]) and the per-domain nameservers VPN clients install ([`SplitConfig`]).
//! Read once per run, on a thread of its own (it runs OS tools, each with its own time bound),
//! so that a run's deadline never waits for it.

use std::time::Duration;

use super::split_dns::SplitConfig;
use crate::proxy;

/// The system's proxy settings and per-domain DNS, as found at the start of a run.
#[derive(Debug, Clone, Default)]
pub struct SystemPath {
    /// Proxy settings.
    pub proxy: proxy::Settings,
    /// Per-domain nameservers (macOS supplemental resolvers, Windows NRPT).
    pub split: SplitConfig,
}

impl SystemPath {
    /// Reads both, giving up after `bound` (then: no proxy, no per-domain servers, and a note).
    pub async fn discover(bound: Duration) -> SystemPath {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("system-path".into())
            .spawn(move || {
                let _ = tx.send(SystemPath {
                    proxy: proxy::discover(),
                    split: SplitConfig::read(),
                });
            });
        let found = match spawned {
            Ok(_) => tokio::time::timeout(bound, rx)
                .await
                .ok()
                .and_then(Result::ok),
            Err(_) => None,
        };
        found.unwrap_or_else(|| {
            let mut p = SystemPath::default();
            p.split.notes.push(format!(
                "the proxy and per-domain DNS settings could not be read within {} ms: the probes went direct",
                bound.as_millis()
            ));
            p
        })
    }
}
