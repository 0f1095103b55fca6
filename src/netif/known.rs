//! The VPN servers the caller knows, as plain data: netif never reads the profile.

use crate::report::model::VpnRole;

/// The name reports give the HMS VPN's network (`vpns[].network`).
pub const HMS_NETWORK: &str = "HMS VPN";

/// The VPN servers the caller knows, as plain data: the profile's HMS VPN gateway and the other
/// VPNs it lists (`run` builds this; netif never reads the profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownVpns {
    /// The HMS VPN's servers (host names).
    pub hms: Vec<String>,
    /// Other VPNs a person is likely to have, each with its servers.
    pub others: Vec<KnownNetwork>,
}

/// Another VPN, known by its servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownNetwork {
    /// Whose VPN it is, as reports name it (`Harvard University VPN`).
    pub name: String,
    /// What a tunnel to it is: `Affiliate` (a hospital VPN) or `Unknown`; never `Hms`.
    pub role: VpnRole,
    /// Its servers (host names).
    pub gateways: Vec<String>,
}

impl KnownVpns {
    /// Every known server host name, the HMS VPN's first (what the OS reading looks for on VPN
    /// client command lines).
    #[must_use]
    pub fn hosts(&self) -> Vec<String> {
        let mut all = self.hms.clone();
        all.extend(self.others.iter().flat_map(|n| n.gateways.iter().cloned()));
        all
    }

    /// Whose server `host` is: the network's name and the role of a tunnel to it; None for a
    /// server the profile does not know. Case and a trailing dot do not matter.
    #[must_use]
    pub fn network_of(&self, host: &str) -> Option<(&str, VpnRole)> {
        let same = |h: &String| {
            h.trim_end_matches('.')
                .eq_ignore_ascii_case(host.trim_end_matches('.'))
        };
        if self.hms.iter().any(same) {
            return Some((HMS_NETWORK, VpnRole::Hms));
        }
        self.others
            .iter()
            .find(|n| n.gateways.iter().any(same))
            .map(|n| (n.name.as_str(), n.role))
    }
}
