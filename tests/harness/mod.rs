//! The harness of the test binaries whose tests need what a machine may lack (`netns_vpn`,
//! `netns_path`: root and network namespaces; `tty`: tmux, util-linux `script`). Each binary
//! runs on libtest-mimic, so a test whose precondition is missing is reported
//! `ignored (<reason>)`, never passed; under `CI`, where `.ci/run` runs as root and installs
//! everything, it fails instead. This is the one place that decides between the two.

// Not every binary uses every helper (`tty` needs no namespaces).
#![allow(dead_code, unused_macros)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use libtest_mimic::{Completion, Failed, Trial};

/// A test that first asks `missing` what it lacks here: nothing runs it, a reason makes it
/// ignored with that reason, or failed under CI. `ci_installs` says what `.ci/run` installs
/// for it. A panic fails it.
pub fn precondition_trial(
    name: &'static str,
    missing: impl FnOnce() -> Option<String> + Send + 'static,
    ci_installs: &'static str,
    test: fn(),
) -> Trial {
    Trial::ignorable_test(name, move || match missing() {
        None => {
            test();
            Ok(Completion::Completed)
        }
        Some(reason) if in_ci() => Err(Failed::from(format!(
            "{reason}, but CI must run this test: .ci/run runs as root and installs \
             {ci_installs} (unset CI to report it as ignored)"
        ))),
        Some(reason) => Ok(Completion::ignored_with(reason)),
    })
}

/// A network-namespace test: it needs root, `ip` and `tools`.
pub fn trial(
    name: &'static str,
    tools: &'static [&'static str],
    ci_installs: &'static str,
    test: fn(),
) -> Trial {
    precondition_trial(
        name,
        move || {
            let mut needed = vec!["ip"];
            needed.extend_from_slice(tools);
            skip_reason(&needed)
        },
        ci_installs,
        test,
    )
}

/// `trial!(test_fn, tools, ci_installs)`: the test named after its function.
macro_rules! trial {
    ($test:ident, $tools:expr, $ci:expr) => {
        harness::trial(stringify!($test), $tools, $ci, $test)
    };
}

/// `tool` is on `PATH` (or in `/usr/sbin`, `/sbin`, where root's tools live).
fn which(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
        || Path::new("/usr/sbin").join(tool).is_file()
        || Path::new("/sbin").join(tool).is_file()
}

/// Why these tests cannot run here, if they cannot.
fn skip_reason(tools: &[&str]) -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root: network namespaces need CAP_SYS_ADMIN".into());
    }
    for t in tools {
        if !which(t) {
            return Some(format!("{t} not installed"));
        }
    }
    // Tests run on parallel threads of one process: the name must differ per call, or two
    // checks collide and one of them wrongly skips.
    static PROBES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = format!("hmsn-probe-{}-{n}", std::process::id());
    let ok = Command::new("ip")
        .args(["netns", "add", &probe])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return Some("`ip netns add` failed".into());
    }
    let _ = Command::new("ip").args(["netns", "del", &probe]).status();
    None
}

/// `CI` is set (and not `false` or `0`), as `.ci/run` and most CI services do.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs a setup command; a failure panics with its stderr.
pub fn run(args: &[&str]) -> Output {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
