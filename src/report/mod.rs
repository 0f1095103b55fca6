//! The report: wire types ([`model`]) and their renderers.

pub mod model;
