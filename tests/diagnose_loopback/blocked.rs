//! This computer blocking its own traffic (issue 11, situation 5): an `iptables` OUTPUT rule
//! that drops everything, inside a network namespace this test creates, makes every send fail
//! at once with `EPERM`. Root only: without root, `ip` or `iptables` it says `skipped: …` (and
//! fails under CI, where they are present). Nothing outside the namespace is touched: the
//! namespace has loopback and a veth pair whose both ends it holds (a default route that leads
//! nowhere), its own `resolv.conf` under `/etc/netns/`, and is deleted by a guard.
//! `docs_examples` runs `diagnose` in such a namespace too, for blocked-locally's example.

use std::path::Path;
use std::process::{Command, Stdio};

use super::check_report;
use crate::support::world::{Run, Spec, World, run_bounded};

/// A namespace of this test, deleted (with its `/etc/netns` folder) on drop.
pub(crate) struct Namespace {
    name: String,
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(Path::new("/etc/netns").join(&self.name));
        let _ = std::fs::remove_dir(Path::new("/etc/netns")); // only when empty
    }
}

fn sh(args: &[&str]) -> Result<(), String> {
    let out = Command::new(args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", args[0]))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// What is missing to run this test here, if anything.
pub(crate) fn missing() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root: network namespaces need CAP_SYS_ADMIN".into());
    }
    for tool in ["ip", "iptables"] {
        let found = Command::new(tool)
            .arg("-V")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !found {
            return Some(format!("{tool} is not installed"));
        }
    }
    None
}

/// A namespace with a default route out (that leads nowhere) whose OUTPUT chain drops everything.
pub(crate) fn locked_down_namespace() -> Result<Namespace, String> {
    let ns = Namespace {
        name: format!("hmsblk-{}", std::process::id()),
    };
    let n = ns.name.as_str();
    sh(&["ip", "netns", "add", n])?;
    sh(&["ip", "-n", n, "link", "set", "lo", "up"])?;
    sh(&[
        "ip", "-n", n, "link", "add", "vblk0", "type", "veth", "peer", "name", "vblk1",
    ])?;
    sh(&[
        "ip",
        "-n",
        n,
        "addr",
        "add",
        "198.18.77.2/24",
        "dev",
        "vblk0",
    ])?;
    sh(&["ip", "-n", n, "link", "set", "vblk0", "up"])?;
    sh(&["ip", "-n", n, "link", "set", "vblk1", "up"])?;
    sh(&[
        "ip",
        "-n",
        n,
        "route",
        "add",
        "default",
        "via",
        "198.18.77.1",
    ])?;
    // The OS resolver of the namespace points into the void too.
    let etc = Path::new("/etc/netns").join(n);
    std::fs::create_dir_all(&etc).map_err(|e| e.to_string())?;
    std::fs::write(etc.join("resolv.conf"), "nameserver 198.18.77.53\n")
        .map_err(|e| e.to_string())?;
    sh(&[
        "ip", "netns", "exec", n, "iptables", "-A", "OUTPUT", "-j", "DROP",
    ])?;
    Ok(ns)
}

/// Runs `hmsaccess diagnose <form> --profile <world's>` inside `ns` (`form`: `--json`, or
/// `--color=never` for the human output), as an 80-column terminal would.
pub(crate) fn diagnose_inside(ns: &Namespace, world: &World, form: &str) -> Run {
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    let mut command = world.command("ip");
    command.args(["netns", "exec", &ns.name]).arg(bin).args([
        "diagnose".as_ref(),
        form.as_ref(),
        "--profile".as_ref(),
        world.profile_path().as_os_str(),
    ]);
    command.env("COLUMNS", "80");
    run_bounded(command)
}

#[test]
fn an_output_drop_rule_is_blocked_locally() {
    if let Some(why) = missing() {
        crate::support::precondition_missing(&why);
        return;
    }
    // The world's profile names its DNS fixture on 127.0.0.1: inside the namespace, that
    // loopback is the namespace's own, and the OUTPUT rule refuses every packet to it.
    let world = World::builder().all(Spec::Up).start();
    let ns = locked_down_namespace().unwrap_or_else(|e| panic!("setting up the namespace: {e}"));
    let run = diagnose_inside(&ns, &world, "--json");
    check_report(&run);
    assert_eq!(run.verdict_code(), "blocked-locally", "{}", run.describe());
    assert_eq!(run.code, Some(18));
    for role in ["mars", "affiliate", "gateway", "control"] {
        assert_eq!(
            run.outcome("dns", role),
            Some("permission-denied"),
            "{}",
            run.describe()
        );
    }
    assert!(
        run.evidence().contains("refused to send name lookups"),
        "{}",
        run.describe()
    );
    // Refused at once: no waiting for a timeout.
    let dns_ms = run.probe("dns", "mars").unwrap()["duration_ms"]
        .as_u64()
        .unwrap_or(u64::MAX);
    assert!(dns_ms < 500, "{dns_ms} ms\n{}", run.describe());
}
