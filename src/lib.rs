//! hmsaccess: why can't this laptop reach MARS, and what to do about it.
//!
//! Data flow: `profile` → `probe::plan` → `probe::run` (concurrent probes, one deadline) →
//! `report::model::Report` → `verdict::evaluate` → renderers (`report::human`, JSON).
//! See `docs/architecture.md`.

pub mod input;
pub mod netif;
pub mod profile;
pub mod report;
