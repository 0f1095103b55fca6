//! VPN detection: which tunnels are up, whose they are, and whether they pass traffic. Pure
//! functions of the OS reading ([`crate::os::Reading`]: interfaces, routes, VPN client
//! processes and services, split DNS, clients' settings), the servers the profile knows
//! ([`KnownVpns`]) and the targets' resolved addresses. Behaviour decides what is a VPN (an up
//! tunnel with a usable address that carries a route); names only say whose client it is.
//!
//! Rooms, each importing only those after it: `classify.rs` ([`classify()`]: the behaviour test,
//! the client's name, the report's [`Vpn`](crate::report::model::Vpn) list) → `roles.rs` (whose
//! VPN, first from its server, then from its routes) → `tunnel.rs` (the tunnel under judgement)
//! and `known.rs` (the servers the caller knows). [`counters`] reads the tunnels' byte counters
//! at the start and end of a run and words what passed. netif knows nothing of the profile:
//! callers hand it the servers they know. This file only names the rooms.
//!
//! Issue 3 ("VPN detection on macOS, Windows and Linux") is the specification; contract 3's
//! "Tunnel roles" the rule for roles.

mod classify;
pub mod counters;
mod known;
mod roles;
mod tunnel;

pub use classify::{classify, tunnel_reason};
pub use known::{HMS_NETWORK, KnownNetwork, KnownVpns};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod roles_tests;

#[cfg(test)]
mod captures_vpn_tests;
