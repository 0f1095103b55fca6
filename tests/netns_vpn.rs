//! Issue 3's proof on real tunnels: network namespaces, veth "physical" links, real VPN
//! clients from Debian's packages (`openvpn` peers with a static key, `wireguard-go` + `wg`),
//! and `examples/netif_dump` run inside the "laptop" namespace.
//!
//! Needs root, `ip`, `openvpn` (and `wireguard-go`, `wg` for the two-tunnel test). This file has
//! its own harness (`harness = false`, libtest-mimic): each test checks what it needs when it
//! starts, and without it is reported as `ignored (<reason>)` and counted as ignored, not passed.
//! Under CI (`CI` set, as `.ci/run` does, as root with those packages installed) a missing
//! precondition fails the test instead. Only 198.18.0.0/15 addresses are used, only inside
//! namespaces these tests create; every namespace and every process started here is removed by
//! a Drop guard, and every wait is bounded.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::run;
use libtest_mimic::Arguments;
use serde_json::Value;

#[macro_use]
mod harness;

/// How long a tunnel may take to come up: openvpn and wireguard-go need well under a second.
const SETUP_TIMEOUT: Duration = Duration::from_secs(10);
/// One run of the dump helper: it answers in milliseconds.
const DUMP_TIMEOUT: Duration = Duration::from_secs(10);

/// The MARS stand-in address (inside the benchmarking range, never routed outside).
const MARS_TEST: &str = "198.18.20.10";

/// The programs (besides `ip`) most tests need.
const OPENVPN: &[&str] = &["openvpn"];

/// What `.ci/run` installs for these tests.
const CI_INSTALLS: &str = "iproute2, openvpn, wireguard-go and wireguard-tools";

/// Every test, with the programs it needs besides `ip`.
fn main() -> std::process::ExitCode {
    let trials = vec![
        trial!(one_openvpn_tunnel_is_listed_once, OPENVPN, CI_INSTALLS),
        trial!(
            two_tunnels_are_two_entries,
            &["openvpn", "wireguard-go", "wg"],
            CI_INSTALLS
        ),
        trial!(tunnel_set_down_is_not_listed, OPENVPN, CI_INSTALLS),
        trial!(tunnel_with_route_to_mars_is_hms, OPENVPN, CI_INSTALLS),
        trial!(
            full_tunnel_without_hms_evidence_is_unknown,
            OPENVPN,
            CI_INSTALLS
        ),
        trial!(
            full_tunnel_with_host_route_to_the_gateway_is_hms,
            OPENVPN,
            CI_INSTALLS
        ),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

/// Namespaces, processes and files of one test; all removed on drop.
struct Lab {
    tag: String,
    namespaces: Vec<String>,
    children: Vec<Child>,
    dir: tempfile::TempDir,
}

impl Lab {
    fn new(test: &str) -> Lab {
        Lab {
            tag: format!("{}{test}", std::process::id() % 100_000),
            namespaces: Vec::new(),
            children: Vec::new(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A fresh namespace with loopback up.
    fn ns(&mut self, role: &str) -> String {
        let name = format!("hmsn-{}-{role}", self.tag);
        run(&["ip", "netns", "add", &name]);
        self.namespaces.push(name.clone());
        run(&["ip", "-n", &name, "link", "set", "lo", "up"]);
        name
    }

    /// A veth pair between the laptop (198.18.0.1/30, default route out) and the "internet"
    /// side (198.18.0.2/30). Returns the laptop-side device name.
    fn wire(&mut self, laptop: &str, net: &str) -> String {
        let a = format!("va{}", self.tag);
        let b = format!("vb{}", self.tag);
        let (a, b) = (&a[..a.len().min(15)], &b[..b.len().min(15)]);
        run(&[
            "ip", "link", "add", a, "netns", laptop, "type", "veth", "peer", "name", b, "netns",
            net,
        ]);
        run(&["ip", "-n", laptop, "addr", "add", "198.18.0.1/30", "dev", a]);
        run(&["ip", "-n", net, "addr", "add", "198.18.0.2/30", "dev", b]);
        run(&["ip", "-n", laptop, "link", "set", a, "up"]);
        run(&["ip", "-n", net, "link", "set", b, "up"]);
        run(&[
            "ip",
            "-n",
            laptop,
            "route",
            "add",
            "default",
            "via",
            "198.18.0.2",
        ]);
        a.to_string()
    }

    fn spawn(&mut self, ns: &str, args: &[&str], log: &str) {
        let log = std::fs::File::create(self.dir.path().join(log)).expect("log file");
        let child = Command::new("ip")
            .args(["netns", "exec", ns])
            .args(args)
            .env("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        self.children.push(child);
    }

    /// An openvpn peer pair (static key, UDP) between `laptop` (198.18.8.2) and `net`
    /// (198.18.8.1); `extra` goes to the laptop's client.
    fn openvpn(&mut self, laptop: &str, net: &str, extra: &[&str]) {
        let key = self.dir.path().join("static.key");
        if !key.exists() {
            run(&[
                "openvpn",
                "--genkey",
                "secret",
                key.to_str().expect("utf-8 path"),
            ]);
        }
        let key = key.to_str().expect("utf-8 path").to_string();
        let common = [
            "--dev",
            "tun0",
            "--dev-type",
            "tun",
            "--proto",
            "udp",
            "--secret",
            &key,
            "--cipher",
            "AES-256-CBC",
            "--auth",
            "SHA256",
            "--verb",
            "3",
        ];
        let mut server = vec![
            "openvpn",
            "--lport",
            "1194",
            "--ifconfig",
            "198.18.8.1",
            "198.18.8.2",
        ];
        server.extend(common);
        self.spawn(net, &server, "openvpn-server.log");
        // The server in a configuration file, as installed clients keep it: the command line
        // then names no server (a test that wants the host route as the only witness needs that).
        let conf = self.dir.path().join("client.conf");
        std::fs::write(&conf, "remote 198.18.0.2 1194\n").expect("client.conf");
        let conf = conf.to_str().expect("utf-8 path").to_string();
        let mut client = vec![
            "openvpn",
            "--config",
            &conf,
            "--nobind",
            "--ifconfig",
            "198.18.8.2",
            "198.18.8.1",
        ];
        client.extend(common);
        client.extend(extra);
        self.spawn(laptop, &client, "openvpn-client.log");
    }

    /// A wireguard-go peer pair: laptop 198.18.9.2/24 on `dev`, net side 198.18.9.1/24.
    fn wireguard(&mut self, laptop: &str, net: &str) -> String {
        // Distinct names per side: wireguard-go's control socket is
        // `/var/run/wireguard/<dev>.sock`, shared by every namespace.
        let dev = format!("wg{}", self.tag);
        let dev = dev[..dev.len().min(15)].to_string();
        let net_dev = format!("wn{}", self.tag);
        let net_dev = net_dev[..net_dev.len().min(15)].to_string();
        let dir = self.dir.path().to_path_buf();
        let key = |name: &str| -> (PathBuf, String) {
            let private = run(&["wg", "genkey"]).stdout;
            let path = dir.join(name);
            std::fs::write(&path, &private).expect("key file");
            let mut p = Command::new("wg")
                .arg("pubkey")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("wg pubkey");
            std::io::Write::write_all(p.stdin.as_mut().expect("stdin"), &private).expect("write");
            let out = p.wait_with_output().expect("wg pubkey");
            (
                path,
                String::from_utf8_lossy(&out.stdout).trim().to_string(),
            )
        };
        let (lap_key, lap_pub) = key("wg-laptop.key");
        let (net_key, net_pub) = key("wg-net.key");
        for (ns, d, log) in [
            (laptop, &dev, "wg-laptop.log"),
            (net, &net_dev, "wg-net.log"),
        ] {
            self.spawn(ns, &["wireguard-go", "-f", d], log);
        }
        for (ns, dev) in [(laptop, &dev), (net, &net_dev)] {
            wait_until(SETUP_TIMEOUT, || {
                Command::new("ip")
                    .args(["-n", ns, "link", "show", dev])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            })
            .unwrap_or_else(|()| panic!("wireguard-go did not create {dev} in {ns}"));
        }
        let conf = [
            (
                laptop,
                &dev,
                &lap_key,
                &net_pub,
                "198.18.9.1/32",
                "198.18.0.2:51820",
                "198.18.9.2/24",
            ),
            (
                net,
                &net_dev,
                &net_key,
                &lap_pub,
                "198.18.9.2/32",
                "198.18.0.1:51820",
                "198.18.9.1/24",
            ),
        ];
        for (ns, dev, key, peer, allowed, endpoint, addr) in conf {
            run(&[
                "ip",
                "netns",
                "exec",
                ns,
                "wg",
                "set",
                dev,
                "private-key",
                key.to_str().expect("utf-8"),
                "listen-port",
                "51820",
                "peer",
                peer,
                "allowed-ips",
                allowed,
                "endpoint",
                endpoint,
            ]);
            run(&["ip", "-n", ns, "addr", "add", addr, "dev", dev]);
            run(&["ip", "-n", ns, "link", "set", dev, "up"]);
        }
        dev
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Only the processes this test started, by their own PIDs: SIGTERM first so that
        // wireguard-go removes its control socket and openvpn its routes, SIGKILL after 3 s.
        for c in &self.children {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .stderr(Stdio::null())
                .status();
        }
        for c in &mut self.children {
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in &self.namespaces {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> Result<(), ()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if cond() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(())
}

/// `target/<profile>/examples/netif_dump`, built by `cargo test` along with the tests
/// (examples are test-built by default); built once on demand when missing (for example under
/// `cargo test --test netns_vpn`, which builds only this target).
fn dump_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("current_exe");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>");
        let bin = profile_dir.join("examples").join("netif_dump");
        if !bin.is_file() {
            let release = profile_dir.file_name().is_some_and(|n| n == "release");
            let status = Command::new(env!("CARGO"))
                .args(["build", "--example", "netif_dump"])
                .args(release.then_some("--release"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo build --example netif_dump");
            assert!(status.success());
        }
        bin
    })
    .clone()
}

/// Runs the dump helper in `ns` and parses its JSON.
fn dump(ns: &str, env: &[(&str, &str)]) -> Value {
    let mut child = Command::new("ip")
        .args(["netns", "exec", ns])
        .arg(dump_binary())
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("netif_dump");
    let deadline = Instant::now() + DUMP_TIMEOUT;
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("netif_dump did not finish within {DUMP_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "netif_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("netif_dump prints JSON")
}

/// Polls the dump until `cond` holds (bounded); returns the last dump either way.
fn dump_until(ns: &str, env: &[(&str, &str)], cond: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + SETUP_TIMEOUT;
    loop {
        let v = dump(ns, env);
        if cond(&v) || Instant::now() > deadline {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn vpns(v: &Value) -> &Vec<Value> {
    v["vpns"].as_array().expect("vpns array")
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = vpns(v)
        .iter()
        .map(|x| x["interface"].as_str().expect("interface").to_string())
        .collect();
    n.sort();
    n
}

fn one_openvpn_tunnel_is_listed_once() {
    let mut lab = Lab::new("one");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    lab.openvpn(&laptop, &net, &[]);
    let v = dump_until(&laptop, &[], |v| !vpns(v).is_empty());
    assert_eq!(
        names(&v),
        ["tun0"],
        "{v:#}\nclient log:\n{}",
        lab.log("openvpn-client.log")
    );
    let t = &vpns(&v)[0];
    assert_eq!(t["client"], "OpenVPN", "{v:#}");
    assert_eq!(t["role"], "unknown");
    assert_eq!(v["vpn_detection"]["status"], "ran");
    // The shipped command reports the same tunnel, once.
    let out = Command::new("ip")
        .args(["netns", "exec", &laptop])
        .arg(env!("CARGO_BIN_EXE_hmsaccess"))
        .args(["interfaces", "--json"])
        .output()
        .expect("hmsaccess interfaces");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shipped: Value = serde_json::from_slice(&out.stdout).expect("interfaces --json is JSON");
    assert_eq!(names(&shipped), ["tun0"], "{shipped:#}");
    assert_eq!(vpns(&shipped)[0]["client"], "OpenVPN", "{shipped:#}");
    let sources = v["vpn_detection"]["sources"].as_array().expect("sources");
    for s in ["interfaces", "routes", "processes"] {
        assert!(sources.iter().any(|x| x == s), "{s} missing: {v:#}");
    }
    let tun = v["interfaces"]
        .as_array()
        .expect("interfaces")
        .iter()
        .find(|i| i["name"] == "tun0")
        .expect("tun0 listed");
    assert_eq!(tun["kind"], "tunnel");
    assert_eq!(tun["point_to_point"], true);
}

fn two_tunnels_are_two_entries() {
    let mut lab = Lab::new("two");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    lab.openvpn(&laptop, &net, &[]);
    let wg = lab.wireguard(&laptop, &net);
    let v = dump_until(&laptop, &[], |v| vpns(v).len() >= 2);
    let mut expected = vec!["tun0".to_string(), wg.clone()];
    expected.sort();
    assert_eq!(
        names(&v),
        expected,
        "{v:#}\nwg log:\n{}",
        lab.log("wg-laptop.log")
    );
    let wg_entry = vpns(&v)
        .iter()
        .find(|x| x["interface"] == wg.as_str())
        .expect("wg entry");
    assert_eq!(wg_entry["client"], "WireGuard", "{v:#}");
    let ovpn = vpns(&v)
        .iter()
        .find(|x| x["interface"] == "tun0")
        .expect("tun0 entry");
    assert_eq!(ovpn["client"], "OpenVPN", "{v:#}");
}

fn tunnel_set_down_is_not_listed() {
    let mut lab = Lab::new("down");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    lab.openvpn(&laptop, &net, &[]);
    let v = dump_until(&laptop, &[], |v| !vpns(v).is_empty());
    assert_eq!(
        names(&v),
        ["tun0"],
        "precondition: the tunnel came up\n{v:#}"
    );
    run(&["ip", "-n", &laptop, "link", "set", "tun0", "down"]);
    let v = dump(&laptop, &[]);
    assert!(vpns(&v).is_empty(), "{v:#}");
    let tun = v["interfaces"]
        .as_array()
        .expect("interfaces")
        .iter()
        .find(|i| i["name"] == "tun0")
        .expect("tun0 still listed as an interface");
    assert_eq!(tun["up"], false);
}

fn tunnel_with_route_to_mars_is_hms() {
    let mut lab = Lab::new("hms");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    // The route the HMS VPN pushes for MARS's network.
    lab.openvpn(&laptop, &net, &["--route", "198.18.20.0", "255.255.255.0"]);
    let env = [("HMSACCESS_TEST_MARS", MARS_TEST)];
    let v = dump_until(&laptop, &env, |v| {
        vpns(v).first().is_some_and(|x| x["role"] == "hms")
    });
    assert_eq!(
        names(&v),
        ["tun0"],
        "{v:#}\n{}",
        lab.log("openvpn-client.log")
    );
    let t = &vpns(&v)[0];
    assert_eq!(t["role"], "hms", "{v:#}");
    let evidence: Vec<&str> = t["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        evidence.contains(&"route 198.18.20.0/24 via tun0 covers mars (198.18.20.10)"),
        "{evidence:?}"
    );
}

fn full_tunnel_without_hms_evidence_is_unknown() {
    let mut lab = Lab::new("full");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    // Another company's full-tunnel VPN: 0.0.0.0/1 + 128.0.0.0/1 also carry MARS's address.
    lab.openvpn(&laptop, &net, &["--redirect-gateway", "def1"]);
    let env = [("HMSACCESS_TEST_MARS", MARS_TEST)];
    let v = dump_until(&laptop, &env, |v| {
        vpns(v).first().is_some_and(|x| {
            x["evidence"].as_array().is_some_and(|e| {
                e.iter()
                    .any(|l| l.as_str().is_some_and(|s| s.contains("default route")))
            })
        })
    });
    assert_eq!(
        names(&v),
        ["tun0"],
        "{v:#}\n{}",
        lab.log("openvpn-client.log")
    );
    assert_eq!(vpns(&v)[0]["role"], "unknown", "{v:#}");
}

fn full_tunnel_with_host_route_to_the_gateway_is_hms() {
    let mut lab = Lab::new("gw");
    let (laptop, net) = (lab.ns("lap"), lab.ns("net"));
    lab.wire(&laptop, &net);
    // redirect-gateway makes openvpn add the host route to its server via the physical link;
    // the server (198.18.0.2) stands in for the HMS VPN gateway's address.
    lab.openvpn(&laptop, &net, &["--redirect-gateway", "def1"]);
    let env = [
        ("HMSACCESS_TEST_MARS", MARS_TEST),
        ("HMSACCESS_TEST_GATEWAY", "198.18.0.2"),
    ];
    let v = dump_until(&laptop, &env, |v| {
        vpns(v).first().is_some_and(|x| x["role"] == "hms")
    });
    assert_eq!(
        names(&v),
        ["tun0"],
        "{v:#}\n{}",
        lab.log("openvpn-client.log")
    );
    let t = &vpns(&v)[0];
    assert_eq!(t["role"], "hms", "{v:#}");
    assert!(
        t["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .any(|e| e.as_str().is_some_and(
                |s| s.starts_with("host route to the HMS VPN gateway (198.18.0.2) via va")
            )),
        "{v:#}"
    );
}
