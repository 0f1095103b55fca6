//! hmsaccess: why can't this laptop reach MARS, and what to do about it.
//!
//! Data flow: [`profile`] → [`probe::plan`] → [`run`] (every target's [`probe::chain`]
//! concurrently under one deadline, the one reading of the OS ([`os`]) beside them; the chains
//! take its proxy ([`proxy`]) and DNS settings, [`netif`] its interfaces and VPN clients; then
//! the report) → [`verdict::evaluate`] → renderers ([`report::human`], JSON).
//! See `docs/architecture.md`.

pub mod cli;
pub mod clients;
pub mod commands;
pub mod exit;
pub mod input;
pub mod netif;
pub mod os;
pub mod os_tool;
pub mod probe;
pub mod profile;
pub mod progress;
pub mod proxy;
pub mod report;
pub mod run;
pub mod verdict;
