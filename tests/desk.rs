//! The service desk's views checked with the tools a desk uses: the `--csv` output opened by
//! Python's `csv` module, and the `--html` page rendered by a real browser (headless Chromium)
//! at a desk's and a phone's width. Its own harness (libtest-mimic, `harness = false`): a test
//! whose program is missing is reported `ignored (<reason>)`, never passed; under `CI`, where
//! `.ci/run` installs python3 and chromium, it fails instead.

use std::process::{Command, Stdio};

use libtest_mimic::{Arguments, Trial};

#[path = "desk/browser.rs"]
mod browser;
#[path = "desk/csv_python.rs"]
mod csv_python;
mod harness;
#[path = "desk/reports.rs"]
mod reports;

fn main() -> std::process::ExitCode {
    let trials = vec![
        trial(
            "csv_opens_in_pythons_csv_module_with_the_new_columns",
            &[&["python3", "--version"]],
            csv_python::csv_opens_in_pythons_csv_module_with_the_new_columns,
        ),
        trial(
            "the_page_renders_in_chromium_at_desk_and_phone_widths",
            &[&[browser::CHROMIUM, "--version"], &["python3", "--version"]],
            browser::the_page_renders_in_chromium_at_desk_and_phone_widths,
        ),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

/// A test that first checks that each program runs (with its version flag).
fn trial(name: &'static str, programs: &'static [&'static [&'static str]], test: fn()) -> Trial {
    let missing = move || {
        programs.iter().find_map(|program| {
            let runs = Command::new(program[0])
                .args(&program[1..])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            (!runs).then(|| format!("{} is not installed", program[0]))
        })
    };
    harness::precondition_trial(name, missing, "python3 and chromium", test)
}
