//! What a person sees in an ordinary 80x24 terminal: `hmsaccess` run inside a tmux session of
//! 80 columns and 24 rows, and the screen captured when the run ends. Checks that no line was
//! wider than the terminal (tmux wraps a long line; `capture-pane -J` joins it back), that the
//! verdict and the first step are on the screen, and that no progress line is left behind,
//! also after Ctrl-C.
//!
//! Each test runs its own tmux server (`tmux -L <unique socket>`) and kills only that server.
//! Also here: progress drawn on a pseudo-terminal (util-linux `script`). These tests run in
//! `tests/tty.rs`, whose harness reports them ignored when tmux or `script` is missing (under
//! CI: failed; `.ci/run` installs both).

use std::ffi::OsStr;
use std::time::{Duration, Instant};

use regex::Regex;

use crate::support::dns::Rule;
use crate::support::world::{Spec, Timeouts, World, run_bounded};

/// The terminal every person is assumed to have.
const COLUMNS: usize = 80;
const ROWS: usize = 24;

/// One tmux server of our own, killed (only it) when dropped.
struct Tmux<'w> {
    world: &'w World,
    socket: String,
}

impl<'w> Tmux<'w> {
    /// Starts `shell_command` in an 80x24 session, with the world's environment.
    fn start(world: &'w World, shell_command: &str) -> Tmux<'w> {
        Tmux::start_sized(world, shell_command, COLUMNS)
    }

    /// Starts `shell_command` in a session `columns` wide and 24 rows high.
    fn start_sized(world: &'w World, shell_command: &str, columns: usize) -> Tmux<'w> {
        let socket = format!(
            "hmsaccess-test-{}-{}",
            std::process::id(),
            world
                .dir()
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        );
        let tmux = Tmux { world, socket };
        let run = tmux.tmux(&[
            "new-session",
            "-d",
            "-x",
            &columns.to_string(),
            "-y",
            &ROWS.to_string(),
            shell_command,
        ]);
        assert_eq!(run.code, Some(0), "tmux new-session: {}", run.describe());
        tmux
    }

    fn tmux(&self, args: &[&str]) -> crate::support::world::Run {
        let mut command = self.world.command("tmux");
        command
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .env_remove("TMUX");
        run_bounded(command)
    }

    /// The screen, wrapped lines joined back (so a line wider than 80 shows as such).
    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J"]).stdout
    }

    /// Everything the terminal showed, the scrolled-off part included, wrapped lines joined.
    fn history(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-S", "-"]).stdout
    }

    /// Waits (at most `limit`) until the screen shows `marker`.
    fn wait_for(&self, marker: &str, limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(marker) || started.elapsed() > limit {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The shell line that runs the binary in the world's folder, then marks the end and waits
/// (so the pane, and its screen, stay).
fn shell_line(world: &World, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    format!(
        "cd '{}' && '{}' diagnose --profile '{}' {args}; printf '[exit %s]' $?; sleep 30",
        world.dir().display(),
        bin.display(),
        world.profile_path().display()
    )
}

/// Lines the progress display draws: `  <tick> <group, padded>  <message>`.
fn progress_lines(screen: &str) -> Vec<&str> {
    let re =
        Regex::new(r"^  \S (DNS|MARS|affiliate portal|HMS VPN gateway|public HMS site) {2,}\S")
            .unwrap();
    screen.lines().filter(|l| re.is_match(l)).collect()
}

fn assert_fits(screen: &str) {
    for line in screen.lines() {
        assert!(
            line.chars().count() <= COLUMNS,
            "a line wider than {COLUMNS} columns:\n{line}\n\n{screen}"
        );
    }
}

pub fn the_verdict_and_first_step_are_on_screen_when_the_run_ends() {
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .start();
    let tmux = Tmux::start(&world, &shell_line(&world, ""));
    let screen = tmux.wait_for("[exit ", Duration::from_secs(15));
    if std::env::var_os("SHOW_SCREEN").is_some() {
        eprintln!("{screen}");
    }
    assert!(screen.contains("[exit 10]"), "{screen}");
    assert_eq!(
        screen.trim_end().lines().count(),
        ROWS,
        "the run filled the screen"
    );
    let history = tmux.history();
    assert_fits(&history);
    // The way to MARS, in UTF-8 (the session's LANG is C.UTF-8), on one line of the screen.
    let way = way_line(&history);
    assert!(
        way.contains(" ✗ MARS") && way.chars().count() <= COLUMNS,
        "{history}"
    );
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("Verdict:    ") && l.ends_with("(needs-hms-vpn)")),
        "the verdict is not on the last screen:\n{screen}"
    );
    // The first step, whichever the host's installed VPN apps make it: "Open <the HMS VPN
    // app> and connect to …", the command of a command-line one, or (none installed) asking
    // the Service Desk for one.
    let recap = screen.split("First step: ").nth(1).unwrap_or_default();
    assert!(
        [
            "Open ",
            "In a terminal, run:",
            "Ask the HMS IT Service Desk"
        ]
        .iter()
        .any(|s| recap.starts_with(s)),
        "the first step is not on the last screen:\n{screen}"
    );
    assert!(progress_lines(&history).is_empty(), "{history}");
}

/// The picture of the way to MARS: the line two above "What was checked".
fn way_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "What was checked")
        .unwrap_or_else(|| panic!("no 'What was checked':\n{text}"));
    assert!(at >= 2 && lines[at - 1].is_empty(), "{text}");
    lines[at - 2].to_owned()
}

/// In a terminal 40 columns wide whose locale is not UTF-8, the way to MARS is drawn in ASCII,
/// shortened to fit, on one line of the screen (tmux wraps a longer line; the joined capture
/// would show it longer than 40).
pub fn the_way_to_mars_fits_a_narrow_ascii_terminal() {
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .start();
    let line = format!("export LC_ALL=C; unset COLUMNS; {}", shell_line(&world, ""));
    let tmux = Tmux::start_sized(&world, &line, 40);
    let screen = tmux.wait_for("[exit ", Duration::from_secs(15));
    assert!(screen.contains("[exit 10]"), "{screen}");
    let history = tmux.history();
    let way = way_line(&history);
    assert!(
        way.chars().count() <= 40 && way.is_ascii() && way.contains(" x MARS"),
        "{way:?}\n\n{history}"
    );
}

pub fn ctrl_c_leaves_no_progress_line_behind() {
    // MARS's and the portal's names do not exist, and the other two hosts stay silent for 8 s:
    // the run is still going when Ctrl-C comes, and the DNS progress line names failures (a
    // line that once was wider than the terminal and stayed behind).
    let world = World::builder()
        .mars(Spec::Dns(Rule::NxDomain))
        .affiliate(Spec::Dns(Rule::NxDomain))
        .gateway(Spec::Silent)
        .control(Spec::Silent)
        .timeouts(Timeouts {
            dns_ms: 800,
            connect_ms: 8000,
            tls_ms: 8000,
            http_ms: 8000,
        })
        .start();
    let tmux = Tmux::start(&world, &shell_line(&world, ""));
    let drawing = tmux.wait_for("resolved;", Duration::from_secs(5));
    assert!(
        !progress_lines(&drawing).is_empty(),
        "no progress drawn:\n{drawing}"
    );
    let run = tmux.tmux(&["send-keys", "C-c"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let screen = tmux.wait_for("[exit ", Duration::from_secs(5));
    if std::env::var_os("SHOW_SCREEN").is_some() {
        eprintln!("{screen}");
    }
    assert!(screen.contains("[exit "), "the run did not end:\n{screen}");
    let history = tmux.history();
    assert!(
        progress_lines(&history).is_empty(),
        "a progress line stayed after Ctrl-C:\n{history}"
    );
    assert!(screen.contains("Verdict:"), "{screen}");
    assert!(screen.contains("interrupted (Ctrl-C)"), "{screen}");
    assert_fits(&history);
}

/// Runs `hmsaccess diagnose` under a pseudo-terminal (util-linux `script`); returns what the
/// terminal showed.
fn on_a_terminal(world: &World, extra: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    let line = format!(
        "{} diagnose --profile {} {extra}",
        bin.display(),
        world.profile_path().display()
    );
    let mut command = world.command("script");
    command.args([
        OsStr::new("-q"),
        OsStr::new("-e"),
        OsStr::new("-c"),
        OsStr::new(&line),
    ]);
    command.arg("/dev/null");
    let run = run_bounded(command);
    assert!(run.code.is_some(), "{}", run.describe());
    run.stdout
}

/// Progress lines are drawn while probes run on a terminal, and the report follows.
pub fn progress_is_drawn_on_a_terminal_and_cleared() {
    let world = World::builder()
        .all(Spec::Up)
        .affiliate(Spec::Blackhole)
        .start();
    let screen = on_a_terminal(&world, "--color never");
    // The spinner lines name each group while probes run…
    assert!(
        screen.contains("MARS") && screen.contains("public HMS site"),
        "{screen}"
    );
    assert!(
        screen.contains("names resolved"),
        "no DNS progress line:\n{screen}"
    );
    // …and the report follows.
    assert!(screen.contains("(hms-vpn)"), "{screen}");
}
