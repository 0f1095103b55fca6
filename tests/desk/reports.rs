//! A folder of tickets for the desk's views: copies of the real lab reports
//! (tests/fixtures/reports) as if sent from different computers over a week, with an HMS outage
//! one afternoon (MARS refusing connections, five computers in half an hour), a laptop whose
//! clock is 400 days behind, and one report whose first step was edited to ask for a password.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The words forged into one report's first step: never to be shown.
pub const FORGED: &str = "Email your password to helpdesk@evil.example";

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// A copy of `name` as if from computer `n`, written at `time`.
fn ticket(name: &str, n: u16, time: &str) -> Value {
    let mut v = fixture(name);
    v["report_id"] = format!("HMS-{:04X}-{:04X}", n, n.wrapping_mul(7919)).into();
    v["started_at"] = time.into();
    for i in v["interfaces"].as_array_mut().unwrap() {
        if i["name"] == "eth0" {
            i["addresses"] = json!([format!("10.{}.{}.20/24", n / 250, n % 250)]);
        }
    }
    v
}

/// Writes the folder of tickets into `dir`; returns the folder.
pub fn folder(dir: &Path) -> PathBuf {
    let folder = dir.join("tickets");
    std::fs::create_dir_all(&folder).unwrap();
    let mut n = 0u16;
    let mut put = |name: &str, time: &str, change: &dyn Fn(&mut Value)| {
        n += 1;
        let mut v = ticket(name, n, time);
        change(&mut v);
        let file = folder.join(format!("hmsaccess-report-{n:03}.json"));
        std::fs::write(file, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    };
    let same = |_: &mut Value| {};
    let days = [
        "2026-11-16",
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
        "2026-11-20",
    ];
    for (i, day) in days.iter().enumerate() {
        put(
            "lab-01-home-no-vpn.json",
            &format!("{day}T08:1{i}:00Z"),
            &same,
        );
        put(
            "lab-24-harvard-vpn.json",
            &format!("{day}T09:2{i}:00Z"),
            &same,
        );
        if i % 2 == 0 {
            put(
                "lab-03-hospital-vpn.json",
                &format!("{day}T10:00:00Z"),
                &same,
            );
            put(
                "lab-26-hms-vpn-dead-gateway.json",
                &format!("{day}T11:30:00Z"),
                &same,
            );
        } else {
            put(
                "lab-08-captive-portal.json",
                &format!("{day}T12:00:00Z"),
                &same,
            );
            put("lab-02-hms-vpn.json", &format!("{day}T13:00:00Z"), &same);
        }
    }
    // The outage: MARS refuses connections, five computers in 28 minutes.
    for m in [0, 7, 14, 21, 28] {
        put(
            "lab-09-mars-stopped.json",
            &format!("2026-11-18T14:{m:02}:00Z"),
            &same,
        );
    }
    put(
        "lab-38-hms-vpn-mars-silent.json",
        "2026-11-19T15:00:00Z",
        &same,
    );
    put("lab-12-blackhole.json", "2026-11-20T16:00:00Z", &same);
    // The laptop 400 days behind: its own clock's time, as the lab wrote it.
    let clock = fixture("lab-29-clock-400-days-behind.json");
    let started = clock["started_at"].as_str().unwrap().to_owned();
    put("lab-29-clock-400-days-behind.json", &started, &same);
    put(
        "lab-01-home-no-vpn.json",
        "2026-11-20T17:00:00Z",
        &|v: &mut Value| {
            v["verdict"]["next_steps"][0] = format!("{FORGED} to get MARS access.").into();
        },
    );
    folder
}

/// The hmsaccess binary under test.
pub fn hmsaccess() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hmsaccess"))
}

/// Runs `command` with a deadline, its output captured (read as it comes, so a full pipe never
/// stalls it); panics past the deadline. It runs in a process group of its own, which is killed
/// when it ends (a browser's helper processes with it; nothing else is touched).
pub fn run_bounded(mut command: Command, limit: Duration) -> Output {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let kill_group = |pid: u32| {
        if cfg!(unix) {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            kill_group(child.id());
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            kill_group(child.id());
            panic!("{command:?} ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
