//! The person at the terminal: `--watch` going from needs-hms-vpn to hms-vpn, no progress
//! where stderr is not a terminal, colour flags and variables. What a real terminal shows (a
//! pseudo-terminal, tmux at 80x24) is in `tests/tty.rs`, which needs those programs.

use regex::Regex;

use crate::support::servers::Behaviour;
use crate::support::world::{Cert, Spec, World, run_bounded};

/// MARS hangs on the first `hangs` requests, then answers: the person connected the HMS VPN in
/// between.
fn connecting_world_after(hangs: usize) -> World {
    World::builder()
        .mars(Spec::Https(Cert::Valid, Behaviour::HangFirst(hangs)))
        .affiliate(Spec::Blackhole)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start()
}

fn connecting_world() -> World {
    connecting_world_after(1)
}

#[test]
fn watch_prints_a_line_per_run_and_stops_when_mars_answers() {
    let world = connecting_world_after(2);
    let run = world.diagnose(&["--watch", "--interval", "0.3", "--color", "never"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let out = &run.stdout;
    if std::env::var_os("SHOW_WATCH").is_some() {
        eprintln!("{out}");
    }
    // First the whole report of the first run…
    let first = out.find("(needs-hms-vpn)").expect("first verdict shown");
    let watching = out
        .find("Watching: checking again every 0.3 s")
        .expect("watch announced");
    // …then a line per run: the second run changed nothing and says so, with the time…
    let still = Regex::new(r"(?m)^\d\d:\d\d:\d\d(?: UTC)?  still needs-hms-vpn$").unwrap();
    let still_at = still.find(out).map(|m| m.start()).expect("a liveness line");
    // …the third names the host that changed, in plain words, and the new verdict.
    let change = Regex::new(r"(?m)^\d\d:\d\d:\d\d(?: UTC)?  MARS: [a-z ()]+ -> answers$").unwrap();
    let change_at = change
        .find(out)
        .map(|m| m.start())
        .expect("the MARS change is listed");
    let now = out
        .find("now: MARS answers")
        .expect("the new verdict is announced");
    let words = out[now..].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("(hms-vpn, was needs-hms-vpn) after"),
        "{out}"
    );
    assert!(
        first < watching && watching < still_at && still_at < change_at && change_at < now,
        "{out}"
    );
    // Unchanged hosts are not repeated between the two reports.
    let between = &out[watching..now];
    assert!(
        !between.contains("public HMS site"),
        "an unchanged host was printed:\n{between}"
    );
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
}

/// `--watch --save` saves the last run's report once watching ends (it used to save nothing).
#[test]
fn watch_saves_the_last_report_when_it_ends() {
    let world = connecting_world();
    let run = world.diagnose(&["--watch", "--interval", "0.3", "--save", "--color", "never"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let saved: Vec<_> = std::fs::read_dir(world.dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("hmsaccess-report-"))
        })
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}\n{}", run.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved[0]).unwrap()).unwrap();
    assert_eq!(
        report["verdict"]["code"], "hms-vpn",
        "the last run's report"
    );
    assert!(run.stdout.contains("Saved the report as"), "{}", run.stdout);
}

#[test]
fn watch_cannot_be_combined_with_json() {
    let world = connecting_world();
    let run = world.diagnose(&["--watch", "--json"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let world = World::builder()
        .all(Spec::Up)
        .affiliate(Spec::Blackhole)
        .start();
    let run = world.diagnose(&["--color", "never"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stderr.is_empty(),
        "progress leaked to a non-terminal: {}",
        run.stderr
    );
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let world = World::builder()
        .all(Spec::Up)
        .affiliate(Spec::Blackhole)
        .start();
    let profile = world.profile_path().to_path_buf();
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    let run = |extra: &[&str], env: &[(&str, Option<&str>)]| {
        let mut c = world.command(bin);
        c.args(["diagnose", "--profile"]).arg(&profile).args(extra);
        for (k, v) in env {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        run_bounded(c).stdout
    };
    let esc = "\u{1b}[";
    // Piped stdout: no colour by default (the world sets NO_COLOR=1 as well).
    assert!(!run(&[], &[]).contains(esc));
    assert!(
        !run(&[], &[("NO_COLOR", None)]).contains(esc),
        "colour on a pipe"
    );
    // --color always forces it; CLICOLOR_FORCE does too; --color never beats CLICOLOR_FORCE.
    assert!(run(&["--color", "always"], &[("NO_COLOR", None)]).contains(esc));
    assert!(run(&[], &[("NO_COLOR", None), ("CLICOLOR_FORCE", Some("1"))]).contains(esc));
    assert!(
        !run(
            &["--color", "never"],
            &[("NO_COLOR", None), ("CLICOLOR_FORCE", Some("1"))]
        )
        .contains(esc)
    );
}

/// Ctrl-C while watching: the last whole run's verdict is the exit status, and its report is the
/// one saved.
#[test]
fn ctrl_c_ends_a_watch_with_the_last_whole_run() {
    use crate::support::world::RunOptions;
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .start();
    let run = world.diagnose_with(
        &["--watch", "--interval", "0.2", "--save", "--color", "never"],
        &RunOptions {
            interrupt_after: Some(std::time::Duration::from_millis(2500)),
            ..RunOptions::default()
        },
    );
    assert_eq!(run.code, Some(10), "{}", run.describe());
    assert!(run.stdout.contains("still needs-hms-vpn"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Saved the report as:"),
        "{}",
        run.stdout
    );
    let saved: Vec<_> = std::fs::read_dir(world.dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("hmsaccess-report-")
        })
        .collect();
    assert_eq!(saved.len(), 1);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(saved[0].path()).unwrap()).unwrap();
    assert_eq!(report["verdict"]["code"], "needs-hms-vpn");
    assert!(
        !report["notes"].to_string().contains("interrupted"),
        "the half run was saved: {}",
        report["notes"]
    );
}
