//! Loopback fixtures: scripted DNS, a test CA, HTTP(S) servers and the `World` that wires them to the binary.
//!
//! Everything binds 127.0.0.1 with an OS-assigned port and stops when dropped. Fixture tasks run on
//! one shared multi-thread tokio runtime ([`rt`]), so synchronous tests (which spawn the binary) and
//! `#[tokio::test]` self-tests can both use them.

// Not every test module uses every helper; the suite as a whole does.
#![allow(dead_code)]

pub mod dns;
pub mod hostile;
pub mod proxy;
pub mod servers;
pub mod tls;
pub mod world;

use std::io::Write;
use std::sync::OnceLock;
use std::time::Duration;

/// The runtime every fixture task runs on; it lives as long as the test process.
pub fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fixture")
            .enable_all()
            .build()
            .expect("the fixture runtime starts")
    })
}

/// How long a fixture keeps one connection or one hanging request before giving up on it:
/// longer than any bounded run of the binary (10 s), short enough that nothing outlives a test.
pub const FIXTURE_HOLD: Duration = Duration::from_secs(30);

/// A test cannot do (part of) its work here because `what` is missing: a program, a tool.
///
/// Under CI ([`in_ci`]), where `.ci/run` installs everything the tests need, that is a failure
/// (this panics). Elsewhere it writes `skipped: <what>` straight to stderr, past libtest's
/// capture, so the skip shows even though the test then passes: the standard harness has no
/// run-time "ignored" (tests/README.md, "Missing preconditions").
pub fn precondition_missing(what: &str) {
    assert!(
        !in_ci(),
        "{what}, but CI must run this test: .ci/run installs the packages the tests need \
         (unset CI to skip it)"
    );
    let _ = writeln!(std::io::stderr(), "skipped: {what}");
}

/// `CI` is set (and not `false` or `0`), as `.ci/run` and most CI services do.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}
