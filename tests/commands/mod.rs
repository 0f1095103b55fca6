//! The everyday commands around `diagnose`: `--save`, `explain` of many reports (re-judged,
//! summarised), `interfaces`, `setup`, `completions`, `man`, `--redact`.

use std::ffi::OsStr;

use serde_json::Value;

use crate::support::world::{Spec, World};

fn args(list: &[&str]) -> Vec<&'static OsStr> {
    list.iter()
        .map(|a| OsStr::new(Box::leak(a.to_string().into_boxed_str())))
        .collect()
}

fn needs_vpn_world() -> World {
    World::builder()
        .all(Spec::Up)
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .start()
}

#[test]
fn save_writes_a_named_report_and_says_how_to_send_it() {
    let world = needs_vpn_world();
    let run = world.diagnose(&["--save", "--color", "never"]);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    let saved: Vec<_> = std::fs::read_dir(world.dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("hmsaccess-report-") && n.ends_with(".json"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let path = world.dir().join(&saved[0]);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let id = report["report_id"].as_str().unwrap();
    assert!(id.starts_with("HMS-") && id.len() == 13, "{id}");
    // The hint names the file by its absolute path, the address and the subject line.
    let joined = run.stdout.replace("/\n  ", "/");
    assert!(
        joined.contains(&format!("Saved the report as:\n  {}\n", path.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ITServiceDesk@hms.harvard.edu"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("subject: MARS access: {id} (needs-hms-vpn)")),
        "{}",
        run.stdout
    );
    // After a save, no footer asking for one.
    assert!(
        !run.stdout.contains("run: hmsaccess diagnose --save"),
        "{}",
        run.stdout
    );
}

/// Two saves in the same second: two files, two paths, nothing overwritten.
#[test]
fn save_never_overwrites() {
    let world = needs_vpn_world();
    let first = world.diagnose(&["--save", "--json"]);
    let second = world.diagnose(&["--save", "--json"]);
    let saved: Vec<String> = std::fs::read_dir(world.dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("hmsaccess-report-"))
        .collect();
    assert_eq!(saved.len(), 2, "{saved:?}");
    let ids: Vec<Value> = saved
        .iter()
        .map(|n| {
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(world.dir().join(n)).unwrap())
                    .unwrap();
            v["report_id"].clone()
        })
        .collect();
    for run in [&first, &second] {
        assert!(
            ids.contains(&run.report()["report_id"]),
            "the report of a run was lost: {}",
            run.describe()
        );
    }
}

/// From the home folder, `--save` puts the report in Downloads, where people look.
#[test]
fn save_from_the_home_folder_goes_to_downloads() {
    let world = needs_vpn_world();
    let home = world.dir().join("home");
    std::fs::create_dir_all(home.join("Downloads")).unwrap();
    let mut command = world.hmsaccess(&args(&[
        "diagnose",
        "--profile",
        world.profile_path().to_str().unwrap(),
        "--save",
        "--color",
        "never",
    ]));
    command.current_dir(&home).env("HOME", &home);
    let run = crate::support::world::run_bounded(command);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    let in_downloads: Vec<_> = std::fs::read_dir(home.join("Downloads"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(in_downloads.len(), 1, "{}", run.stdout);
    let path = in_downloads[0].path();
    // A long path is broken after a slash onto indented lines: join them back.
    let joined = run.stdout.replace("/\n  ", "/");
    assert!(
        joined.contains(&format!("  {}\n", path.display())),
        "{}",
        run.stdout
    );
}

/// `--save --output` writes both files and says where each is.
#[test]
fn save_and_output_mention_both_files() {
    let world = needs_vpn_world();
    let out = world.dir().join("mine.json");
    let run = world.diagnose(&[
        "--save",
        "--output",
        out.to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    assert!(out.is_file());
    let joined = run.stdout.replace("/\n  ", "/");
    assert!(
        joined.contains(&format!("Wrote the report to:\n  {}\n", out.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Saved the report as:"),
        "{}",
        run.stdout
    );
}

#[test]
fn save_with_json_keeps_stdout_for_the_report() {
    let world = needs_vpn_world();
    let run = world.diagnose(&["--save", "--json"]);
    assert!(
        run.json.is_some(),
        "stdout is not only JSON: {}",
        run.stdout
    );
    assert!(run.stderr.contains("Saved the report as"), "{}", run.stderr);
}

#[test]
fn explain_many_rejudges_and_summarises() {
    let world = needs_vpn_world();
    let a = world.dir().join("a.json");
    let b = world.dir().join("b.json");
    let run = world.diagnose(&["--output", a.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, Some(10));
    // A report whose recorded verdict today's rules would not give (as from an older version).
    let mut old: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    old["verdict"]["code"] = Value::from("offline");
    old["report_id"] = Value::from("HMS-0000-0001");
    std::fs::write(&b, serde_json::to_vec(&old).unwrap()).unwrap();

    let run = world.run(&args(&[
        "explain",
        "--color",
        "never",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // Each judged again in the tool's words: the title first, and last with the first step.
    assert_eq!(
        // The title depends on the host's installed VPN apps (the cause), as the report's.
        run.stdout
            .matches(old["verdict"]["title"].as_str().unwrap())
            .count(),
        4,
        "{}",
        run.stdout
    );
    let words = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "the report itself says offline; judged again from what it observed, the verdict is needs-hms-vpn"
        ),
        "{}",
        run.stdout
    );
    // Each report under its file's name.
    for file in [&a, &b] {
        assert!(
            run.stdout.contains(&format!("File: {}", file.display())),
            "{}",
            run.stdout
        );
    }

    let run = world.run(&args(&[
        "explain",
        "--summary",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        a.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // The same report ID is one report, however many times its file is given.
    assert!(run.stdout.starts_with("2 reports, "), "{}", run.stdout);
    assert!(
        run.stdout.contains("1 duplicate counted once"),
        "{}",
        run.stdout
    );
    let count = |verdict: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(&format!("  {verdict} ")))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_owned)
    };
    // Counted as judged today; the header says one was told another verdict.
    assert_eq!(
        count("needs-hms-vpn").as_deref(),
        Some("2"),
        "{}",
        run.stdout
    );
    assert_eq!(count("offline"), None, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("1 told\n  another verdict when written")
            || run.stdout.contains("1 told another verdict"),
        "{}",
        run.stdout
    );

    let run = world.run(&args(&[
        "explain",
        "--summary",
        "--csv",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(
        run.stdout.lines().count(),
        3,
        "header and a row each: {}",
        run.stdout
    );
}

#[test]
fn explain_goes_on_after_a_bad_file_and_exits_3() {
    let world = needs_vpn_world();
    let good = world.dir().join("good.json");
    let run = world.diagnose(&["--output", good.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, Some(10));
    let bad = world.dir().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 9}").unwrap();
    let run = world.run(&args(&[
        "explain",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert!(
        run.stdout.contains("  (needs-hms-vpn)"),
        "the good report is still shown"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bad.json: report schema version 9 is newer"),
        "{}",
        run.stderr
    );
}

#[test]
fn redact_hides_local_addresses_but_keeps_outcomes() {
    let world = needs_vpn_world();
    let run = world.diagnose(&["--json", "--redact"]);
    let text = run.stdout.clone();
    assert!(
        !text.contains("127.0.0.1"),
        "a loopback address survived --redact"
    );
    let report = run.report();
    assert_eq!(report["verdict"]["code"], "needs-hms-vpn");
    assert!(
        text.contains("\"ip-1"),
        "no placeholder in the redacted report"
    );
    assert!(
        report["notes"].to_string().contains("redacted"),
        "{}",
        report["notes"]
    );
}

#[test]
fn interfaces_lists_loopback_without_probing() {
    let world = World::builder().start();
    let run = world.run(&args(&["interfaces", "--json"]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        v["interfaces"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "loopback"),
        "{v:#}"
    );
    assert_eq!(v["vpn_detection"]["status"], "ran");
    assert_eq!(
        world.dns().queries(),
        0,
        "interfaces must not resolve anything"
    );
}

#[test]
fn setup_completions_and_man_render() {
    let world = World::builder().start();
    let run = world.run(&args(&["setup", "--color", "never"]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stdout.contains("HarvardKey does not work"),
        "{}",
        run.stdout
    );
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = world.run(&args(&["completions", shell]));
        assert_eq!(run.code, Some(0), "{shell}: {}", run.describe());
        assert!(
            run.stdout.contains("diagnose"),
            "{shell} completions lack the subcommands"
        );
    }
    let run = world.run(&args(&["man"]));
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH hmsaccess"),
        "{}",
        run.stdout
    );
}

/// A file that cannot be written costs neither the diagnosis nor its exit status: one line on
/// stderr, the verdict shown, the verdict's code.
#[test]
fn an_output_path_that_cannot_be_written_keeps_the_verdict() {
    let world = needs_vpn_world();
    let path = world.dir().join("no-such-folder").join("r.json");
    let run = world.diagnose(&["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    assert!(run.stdout.contains("(needs-hms-vpn)"), "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("r.json: cannot write the report"),
        "{}",
        run.stderr
    );
}

/// What Windows tools save a report as: UTF-8 with a BOM (Notepad, `Out-File -Encoding utf8`
/// in PowerShell 5.1), UTF-16LE with a BOM (PowerShell 5.1's `>`), UTF-16BE with a BOM. The
/// bytes are made here from a report this run wrote.
#[test]
fn explain_reads_bom_and_utf16_reports() {
    let world = needs_vpn_world();
    let run = world.diagnose(&["--json"]);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    let text = run.stdout.clone();
    let utf16 = |bom: [u8; 2], word: fn(u16) -> [u8; 2]| {
        let mut out = bom.to_vec();
        out.extend(text.encode_utf16().flat_map(word));
        out
    };
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend(text.as_bytes());
    for (name, bytes) in [
        ("utf8-bom.json", utf8_bom),
        ("utf16le.json", utf16([0xFF, 0xFE], u16::to_le_bytes)),
        ("utf16be.json", utf16([0xFE, 0xFF], u16::to_be_bytes)),
    ] {
        let file = world.dir().join(name);
        std::fs::write(&file, bytes).unwrap();
        let run = world.run(&args(&["explain", file.to_str().unwrap()]));
        assert_eq!(run.code, Some(0), "{name}: {}", run.describe());
        assert!(
            run.stdout.contains("  (needs-hms-vpn)"),
            "{name}: {}",
            run.stdout
        );
    }
}

/// `interfaces` and `setup` fit an 80-column terminal whatever the terminal says.
#[test]
fn interfaces_and_setup_fit_80_columns() {
    let world = World::builder().start();
    for cmd in [&["interfaces"][..], &["setup", "--color", "never"][..]] {
        let run = world.run(&args(cmd));
        assert_eq!(run.code, Some(0), "{}", run.describe());
        for line in run.stdout.lines() {
            assert!(
                line.chars().count() <= 80,
                "{cmd:?}: {} columns: {line:?}",
                line.chars().count()
            );
        }
    }
}

/// `setup`, `explain`, `explain --summary` and `--help` in an 80-column terminal: no line wider.
#[test]
fn setup_and_explain_fit_80_columns() {
    let world = needs_vpn_world();
    let report = world
        .dir()
        .join("hmsaccess-report-20261122T165250Z-with-a-long-name.json");
    let run = world.diagnose(&["--output", report.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, Some(10), "{}", run.describe());
    let file = report.to_str().unwrap();
    for command in [
        vec!["--help"],
        vec!["diagnose", "--help"],
        vec!["explain", "--help"],
        vec!["setup", "--help"],
        vec!["setup", "--color", "never"],
        vec!["explain", "--color", "never", file],
        vec!["explain", "-v", "--color", "never", file],
        vec!["explain", "--summary", file, file],
    ] {
        let mut c = world.hmsaccess(&args(&command));
        c.env("COLUMNS", "80");
        let run = crate::support::world::run_bounded(c);
        assert_eq!(run.code, Some(0), "{command:?}: {}", run.describe());
        crate::docs_examples::assert_widths(&run.stdout, 80, &command.join(" "));
    }
}

/// `hmsaccess` alone: a short hint, not the whole usage, and a usage error for scripts.
#[test]
fn no_command_prints_a_short_hint() {
    let world = World::builder().start();
    let run = world.run(&[]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("hmsaccess diagnose "), "{}", run.stderr);
    assert!(run.stderr.lines().count() <= 6, "{}", run.stderr);
}

/// Explain of a report from a newer build (same schema) shows the unknown values as written;
/// a cut-short file says so.
#[test]
fn explain_shows_unknown_values_and_names_a_cut_short_file() {
    let world = needs_vpn_world();
    let a = world.dir().join("a.json");
    let run = world.diagnose(&["--output", a.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, Some(10));
    let mut newer: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    newer["verdict"]["code"] = Value::from("proxy-blocked");
    newer["probes"][0]["outcome"] = Value::from("quantum-flux");
    let b = world.dir().join("b.json");
    std::fs::write(&b, serde_json::to_vec(&newer).unwrap()).unwrap();
    let run = world.run(&args(&[
        "explain",
        "-v",
        "--color",
        "never",
        b.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // Judged again: the title shows today's verdict; the unknown one is the report's own.
    assert!(run.stdout.contains("(needs-hms-vpn)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("| verdict: \"proxy-blocked\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("quantum-flux"), "{}", run.stdout);

    let text = std::fs::read_to_string(&a).unwrap();
    let cut = world.dir().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let run = world.run(&args(&["explain", cut.to_str().unwrap()]));
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert!(run.stderr.contains("cut short"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
