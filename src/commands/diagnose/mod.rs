//! `hmsaccess diagnose`: run the probes, print the verdict, write the report; `--watch` repeats.

mod config;
mod once;
mod save;
mod watch;

use std::time::Instant;

use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::{Exit, Failure};
use config::DiagnoseConfig;

/// How long the end of a run may wait for blocking helpers still running (a scan, a trust-store
/// load) before the process exits without them.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(100);

pub(super) fn run(
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
    process_start: Instant,
) -> Result<Exit, Failure> {
    let config = DiagnoseConfig::build(args, color, verbose)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    let result = if config.watch.is_some() {
        watch::watch(&runtime, &config)
    } else {
        once::run(&runtime, &config, process_start)
    };
    // Blocking helpers (trust store, interface scan) must not hold the exit back for long, but
    // the tasks (and their sockets, some with connects still pending) are closed before the
    // process exits: exiting with them open crashed 2 of 15 runs under Wine (exit 139), and
    // none of 30 once they were closed first. 100 ms stays inside the contract's +0.3 s.
    runtime.shutdown_timeout(EXIT_GRACE);
    result
}
