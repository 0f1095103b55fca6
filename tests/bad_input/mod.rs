//! Bad input, through the real binary: every broken profile or saved report exits 3 with one
//! line that names the file and says what is wrong; never a panic, never a stack trace.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::support::world::{Run, World};

/// The broken files, by what is wrong with them.
fn broken_files(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let huge = dir.join("huge.bin");
    // 100 MB without writing 100 MB: a sparse file reads as zeros.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    vec![
        ("empty", write("empty.txt", b"")),
        (
            "binary garbage",
            write("garbage.bin", &[0, 159, 146, 150, 255, 0, 1, 2]),
        ),
        (
            "deeply nested",
            write("deep.txt", "[".repeat(200_000).as_bytes()),
        ),
        ("huge", huge),
        (
            "wrong types",
            write("types.txt", br#"{"schema_version": "one", "version": "1"}"#),
        ),
        ("a folder", dir.to_path_buf()),
        ("missing", dir.join("does-not-exist.json")),
    ]
}

fn assert_one_line_exit_3(run: &Run, what: &str, file: &Path) {
    assert_eq!(run.code, Some(3), "{what}: {}", run.describe());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: not one line: {}", run.stderr);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(
        lines[0].contains(&name),
        "{what}: the file is not named: {}",
        lines[0]
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{what}"
    );
}

#[test]
fn broken_profiles_exit_3_in_one_line() {
    let world = World::builder().start();
    for (what, file) in broken_files(world.dir()) {
        let run = world.run(&[
            OsStr::new("diagnose"),
            OsStr::new("--profile"),
            file.as_os_str(),
        ]);
        assert_one_line_exit_3(&run, what, &file);
    }
    // Unknown keys and newer versions name the line too.
    let file = world.dir().join("unknown.toml");
    let text = std::fs::read_to_string(world.profile_path()).unwrap();
    std::fs::write(&file, format!("{text}\n[extra]\nkey = 1\n")).unwrap();
    let run = world.run(&[
        OsStr::new("diagnose"),
        OsStr::new("--profile"),
        file.as_os_str(),
    ]);
    assert_one_line_exit_3(&run, "unknown key", &file);
    assert!(run.stderr.contains("unknown.toml:"), "{}", run.stderr);
}

#[test]
fn broken_reports_exit_3_in_one_line() {
    let world = World::builder().start();
    for (what, file) in broken_files(world.dir()) {
        let run = world.run(&[OsStr::new("explain"), file.as_os_str()]);
        assert_one_line_exit_3(&run, what, &file);
    }
    let newer = world.dir().join("newer.json");
    std::fs::write(
        &newer,
        br#"{"schema_version": 2, "tool": {"name": "hmsaccess"}}"#,
    )
    .unwrap();
    let run = world.run(&[OsStr::new("explain"), newer.as_os_str()]);
    assert_one_line_exit_3(&run, "newer schema", &newer);
    assert!(run.stderr.contains("update hmsaccess"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_named_and_refused() {
    use std::os::unix::ffi::OsStrExt;
    let world = World::builder().start();
    let name = OsStr::from_bytes(b"report-\xff\xfe.json");
    let file = world.dir().join(name);
    std::fs::write(&file, b"not json").unwrap();
    let run = world.run(&[OsStr::new("explain"), file.as_os_str()]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("report-"), "{}", run.stderr);
}
