//! What a real terminal shows: `diagnose` in an 80x24 tmux session, and progress drawn on a
//! pseudo-terminal made by util-linux `script` (the tests are in `screen/`). Its own harness
//! (libtest-mimic, `harness = false`): a test whose program is missing is reported
//! `ignored (<reason>)`, never passed; under `CI`, where `.ci/run` installs tmux and
//! util-linux, it fails instead.

use std::process::{Command, Stdio};

use libtest_mimic::{Arguments, Trial};

mod harness;
mod screen;
mod support;

fn main() -> std::process::ExitCode {
    let trials = vec![
        trial(
            "the_verdict_and_first_step_are_on_screen_when_the_run_ends",
            &["tmux", "-V"],
            screen::the_verdict_and_first_step_are_on_screen_when_the_run_ends,
        ),
        trial(
            "the_way_to_mars_fits_a_narrow_ascii_terminal",
            &["tmux", "-V"],
            screen::the_way_to_mars_fits_a_narrow_ascii_terminal,
        ),
        trial(
            "ctrl_c_leaves_no_progress_line_behind",
            &["tmux", "-V"],
            screen::ctrl_c_leaves_no_progress_line_behind,
        ),
        trial(
            "progress_is_drawn_on_a_terminal_and_cleared",
            &["script", "--version"],
            screen::progress_is_drawn_on_a_terminal_and_cleared,
        ),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

/// A test that first checks that `program` runs (`program` with its version flag).
fn trial(name: &'static str, program: &'static [&'static str], test: fn()) -> Trial {
    let missing = move || {
        let runs = Command::new(program[0])
            .args(&program[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        (!runs).then(|| format!("{} is not installed", program[0]))
    };
    harness::precondition_trial(name, missing, "tmux and util-linux", test)
}
