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
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(world.dir().join(&saved[0])).unwrap())
            .unwrap();
    let id = report["report_id"].as_str().unwrap();
    assert!(id.starts_with("HMS-") && id.len() == 13, "{id}");
    // The hint names the file, the ID, the address and the subject line.
    assert!(run.stdout.contains(&saved[0]), "{}", run.stdout);
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
    std::fs::write(&b, serde_json::to_vec(&old).unwrap()).unwrap();

    let run = world.run(&args(&[
        "explain",
        "--color",
        "never",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(
        run.stdout.matches("Connect the HMS VPN").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the verdict would be needs-hms-vpn (the report says offline)"),
        "{}",
        run.stdout
    );

    let run = world.run(&args(&[
        "explain",
        "--summary",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stdout.starts_with("2 report(s)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("needs-hms-vpn             1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("offline                   1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("tcp:mars:"),
        "failing probes are listed: {}",
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
        run.stdout.contains("Connect the HMS VPN"),
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

#[test]
fn an_output_path_that_cannot_be_written_is_a_usage_error() {
    let world = needs_vpn_world();
    let path = world.dir().join("no-such-folder").join("r.json");
    let run = world.diagnose(&["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write the report"),
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
            run.stdout.contains("Connect the HMS VPN"),
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
