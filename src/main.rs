//! The `hmsaccess` binary: parse, run, print one-line errors, exit with the contract's status.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use hmsaccess::cli::Cli;
use hmsaccess::exit::Exit;

fn main() -> ExitCode {
    let start = Instant::now();
    // Before any thread starts: the local time zone can be read soundly only then (Unix).
    hmsaccess::commands::capture_local_offset();
    install_panic_message();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are "errors" to clap with exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                0
            });
        }
    };
    match hmsaccess::commands::run(cli, start) {
        Ok(exit) => exit.into(),
        Err(failure) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "hmsaccess: error: {}",
                failure.message
            );
            failure.exit.into()
        }
    }
}

/// A panic is a bug: say so in one line and exit 1, without a backtrace unless one is asked for.
fn install_panic_message() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr().lock(),
            "hmsaccess: internal error{place}; this is a bug, please attach this output to a ticket with the HMS IT Service Desk"
        );
        std::process::exit(i32::from(Exit::Internal.code()));
    }));
}
