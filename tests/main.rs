//! Integration tests of the `hmsaccess` binary: one test binary (STYLE item 16), modules below.

mod bad_input;
mod commands;
mod diagnose_loopback;
mod docs_examples;
mod docs_match;
mod explain;
mod fixtures_selftest;
mod hostile;
mod privacy;
mod proxy;
mod support;
mod terminal;
