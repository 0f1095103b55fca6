//! hmsaccess: why can't this laptop reach MARS, and what to do about it.
//!
//! Data flow: [`profile`] → [`probe::plan`] → [`run`] (every target's [`probe::chain`]
//! concurrently under one deadline, [`netif`] beside them, through the system's [`proxy`] where
//! one applies, then the report) →
//! [`verdict::evaluate`] → renderers ([`report::human`], JSON).
//! See `docs/architecture.md`.

pub mod build_info;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod input;
pub mod netif;
pub mod os_tool;
pub mod probe;
pub mod profile;
pub mod progress;
pub mod proxy;
pub mod report;
pub mod run;
pub mod verdict;
