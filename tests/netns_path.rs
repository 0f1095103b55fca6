//! Issue 12's proof for names: the binary in a network namespace whose `resolv.conf` and `hosts`
//! are its own (`/etc/netns/NAME/…`, which `ip netns exec` mounts over `/etc`), resolving the
//! four test hosts through the OS resolver (getaddrinfo) and reaching HTTPS fixtures on the
//! namespace's own loopback (`tests/lab/server.py`, python3).
//!
//! - `hosts_file_names_reach_fixtures_past_a_dead_resolver`: `resolv.conf` names a nameserver
//!   that does not exist, `hosts` names the hosts: every name resolves, MARS answers.
//! - `a_nameserver_that_disagrees_with_the_os_resolver_is_evidence`: a real nameserver (dnsmasq
//!   on 127.0.0.1:53 in the namespace) says the names do not exist, `hosts` says they do: the OS
//!   resolver wins, and the evidence names the disagreement.
//! - `a_name_nobody_knows_is_nxdomain_from_the_os_resolver`: MARS in neither: `EAI_NONAME`.
//! - `an_output_drop_rule_is_blocked_locally`: the namespace's own firewall drops every send
//!   (issue 11's lock-down situation): `blocked-locally`, and blocked-locally's documented
//!   example checked against the run.
//!
//! Needs root, `ip`, python3, dnsmasq and iptables. Own harness (libtest-mimic, shared in
//! `harness/`): without them each test is reported `ignored (<reason>)`; under CI it fails. Namespaces, `/etc/netns` directories and
//! processes are removed by a Drop guard; every wait is bounded.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use harness::run;
use libtest_mimic::Arguments;
use serde_json::Value;

#[path = "docs_examples/committed.rs"]
mod committed;
#[macro_use]
mod harness;

/// Fixture ports inside the namespace (its loopback is its own: no clash with anything).
const PORTS: [(&str, &str, u16); 4] = [
    ("mars", "mars.hms.test", 8441),
    ("affiliate", "affiliate.hms.test", 8442),
    ("gateway", "vpn.hms.test", 8443),
    ("control", "it.hms.test", 8444),
];
const CONTROL_HTTP: u16 = 8080;
/// A nameserver address that nothing answers on (no route to it inside the namespace).
const DEAD_NAMESERVER: &str = "198.18.111.53";
/// How long fixtures may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// What `.ci/run` installs for these tests.
const CI_INSTALLS: &str = "iproute2, python3, dnsmasq and iptables";

/// Which of the four hosts the namespace's `hosts` file names.
#[derive(Clone, Copy, PartialEq)]
enum InHosts {
    All,
    AllButMars,
    None,
}

fn main() -> std::process::ExitCode {
    let trials = vec![
        trial!(
            hosts_file_names_reach_fixtures_past_a_dead_resolver,
            &["python3"],
            CI_INSTALLS
        ),
        trial!(
            a_nameserver_that_disagrees_with_the_os_resolver_is_evidence,
            &["python3", "dnsmasq"],
            CI_INSTALLS
        ),
        trial!(
            a_name_nobody_knows_is_nxdomain_from_the_os_resolver,
            &["python3", "dnsmasq"],
            CI_INSTALLS
        ),
        trial!(
            an_output_drop_rule_is_blocked_locally,
            &["python3", "iptables"],
            CI_INSTALLS
        ),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

fn hosts_file_names_reach_fixtures_past_a_dead_resolver() {
    let ns = Netns::new(
        "dead",
        &format!("nameserver {DEAD_NAMESERVER}\n"),
        InHosts::All,
    );
    let run = ns.diagnose();
    let report = run.report();
    assert_eq!(report["verdict"]["code"], "hms-vpn", "{}", run.describe());
    assert_eq!(report["resolver"]["mode"], "os", "{}", run.describe());
    for (id, _, port) in PORTS {
        let dns = &probe(&report, &format!("dns:{id}"))["dns"];
        assert_eq!(dns["source"], "os", "{id}: {}", run.describe());
        assert_eq!(dns["os"]["outcome"], "ok", "{id}: {}", run.describe());
        assert_eq!(dns["a"][0], "127.0.0.1", "{id}: {}", run.describe());
        // The dead nameserver was asked as evidence, and said nothing.
        let rows = dns["servers"].as_array().cloned().unwrap_or_default();
        assert!(
            rows.iter()
                .any(|r| r["server"] == format!("{DEAD_NAMESERVER}:53") && r["outcome"] != "ok"),
            "{id}: {rows:?}"
        );
        // Connected through the hosts file's address, or stopped once the verdict was certain.
        let tcp = probe(&report, &format!("tcp:{id}:{port}"))["outcome"].clone();
        assert!(
            tcp == "ok" || (id != "mars" && tcp == "not-needed"),
            "{id}: {}",
            run.describe()
        );
    }
    assert_eq!(probe(&report, "https:mars:8441")["outcome"], "ok");
    let evidence = run.evidence();
    assert!(
        evidence.contains(
            "The system resolver found MARS, the affiliate portal, the HMS VPN's server and the public HMS site, but no nameserver asked directly answered"
        ),
        "{evidence}"
    );
}

fn a_nameserver_that_disagrees_with_the_os_resolver_is_evidence() {
    let mut ns = Netns::new("disagree", "nameserver 127.0.0.1\n", InHosts::All);
    ns.nxdomain_nameserver();
    let run = ns.diagnose();
    let report = run.report();
    assert_eq!(report["verdict"]["code"], "hms-vpn", "{}", run.describe());
    let dns = &probe(&report, "dns:mars")["dns"];
    assert_eq!(dns["os"]["outcome"], "ok", "{}", run.describe());
    let rows = dns["servers"].as_array().cloned().unwrap_or_default();
    assert!(
        rows.iter()
            .any(|r| r["server"] == "127.0.0.1:53" && r["outcome"] == "nxdomain"),
        "{rows:?}"
    );
    let evidence = run.evidence();
    assert!(
        evidence.contains(
            "The system resolver found MARS, the affiliate portal, the HMS VPN's server and the public HMS site, but the nameserver 127.0.0.1 says it does not exist"
        ),
        "{evidence}"
    );
    // Never dns-failure when the OS resolver succeeded, whatever the direct queries said.
    assert!(
        !evidence.contains("no name could be resolved"),
        "{evidence}"
    );
}

fn a_name_nobody_knows_is_nxdomain_from_the_os_resolver() {
    let mut ns = Netns::new("nobody", "nameserver 127.0.0.1\n", InHosts::AllButMars);
    ns.nxdomain_nameserver();
    let run = ns.diagnose();
    let report = run.report();
    let dns = &probe(&report, "dns:mars");
    assert_eq!(dns["outcome"], "nxdomain", "{}", run.describe());
    assert_eq!(
        dns["dns"]["os"]["error"],
        "EAI_NONAME",
        "{}",
        run.describe()
    );
    // The others are in the hosts file: they resolve; MARS's chain stops at its name.
    assert_eq!(probe(&report, "dns:control")["outcome"], "ok");
    let tcp = probe(&report, "tcp:mars:8441")["outcome"].clone();
    assert!(
        tcp == "skipped" || tcp == "not-needed",
        "tcp:mars ran: {tcp}"
    );
}

/// Issue 11's situation 5: this computer's own firewall (an `iptables` OUTPUT rule that drops
/// everything, as a VPN client's lock-down mode does) makes every send fail at once with
/// `EPERM`: `blocked-locally`, exit 18, not a DNS failure. No name is in the hosts file, so
/// every lookup has to be sent. The run's verdict words are blocked-locally's documented
/// example (`docs/examples/blocked-locally.json`; `UPDATE_DOCS=1` rewrites it and its `.txt`).
fn an_output_drop_rule_is_blocked_locally() {
    let ns = Netns::new("lock", "nameserver 198.18.0.2\n", InHosts::None);
    run(&[
        "ip", "netns", "exec", &ns.name, "iptables", "-A", "OUTPUT", "-j", "DROP",
    ]);
    let run = ns.diagnose();
    let report = run.report();
    assert_eq!(
        report["verdict"]["code"],
        "blocked-locally",
        "{}",
        run.describe()
    );
    assert_eq!(run.out.status.code(), Some(18), "{}", run.describe());
    for (id, _, _) in PORTS {
        let dns = probe(&report, &format!("dns:{id}"));
        assert_eq!(dns["outcome"], "permission-denied", "{}", run.describe());
        // Refused at once: no waiting for a timeout.
        let ms = dns["duration_ms"].as_u64().unwrap_or(u64::MAX);
        assert!(ms < 500, "dns:{id} took {ms} ms\n{}", run.describe());
    }
    assert!(
        run.evidence().contains("refused to send name lookups"),
        "{}",
        run.describe()
    );
    docs_example::check_blocked_locally(&report);
    // A person's view ends with the verdict and the first step, as on an 80-column screen.
    let human = ns.diagnose_with(&["--color=never"]);
    let text = String::from_utf8_lossy(&human.out.stdout).into_owned();
    assert!(text.contains("(blocked-locally)"), "{text}");
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "a line wider than 80 columns:\n{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let last_verdict = lines.iter().rposition(|l| l.starts_with("Verdict:"));
    let first_step = lines.iter().rposition(|l| l.starts_with("First step:"));
    assert!(
        matches!((last_verdict, first_step), (Some(v), Some(f)) if f == v + 1),
        "the verdict and first step are not last:\n{text}"
    );
}

/// blocked-locally's documented example, checked against (or, with `UPDATE_DOCS`, written
/// from) a real run: a loopback world cannot refuse its own sends, so this binary keeps it.
/// Committed and checked as every per-verdict example is (`tests/docs_examples/committed.rs`):
/// by verdict and cause, its words pinned to the rules, never to what this machine installed.
mod docs_example {
    use serde_json::Value;

    use crate::committed;

    pub fn check_blocked_locally(live: &Value) {
        let report = serde_json::from_value(live.clone()).expect("a report");
        committed::check_live(
            "blocked-locally",
            report,
            "UPDATE_DOCS=1 cargo test --test netns_path",
        );
    }
}

// --- the namespace --------------------------------------------------------------------------

/// One namespace with its own `resolv.conf` and `hosts`, HTTPS fixtures on its loopback, a test
/// CA and a profile without nameservers (so the OS resolver decides). Removed on drop.
struct Netns {
    name: String,
    /// The namespace at the other end of the default route.
    peer: Option<String>,
    etc: PathBuf,
    dir: tempfile::TempDir,
    children: Vec<Child>,
}

impl Netns {
    fn new(tag: &str, resolv_conf: &str, in_hosts: InHosts) -> Netns {
        let name = format!("hmsp-{}-{tag}", std::process::id() % 100_000);
        run(&["ip", "netns", "add", &name]);
        let etc = Path::new("/etc/netns").join(&name);
        let mut ns = Netns {
            name,
            peer: None,
            etc: etc.clone(),
            dir: tempfile::tempdir().expect("tempdir"),
            children: Vec::new(),
        };
        run(&["ip", "-n", &ns.name, "link", "set", "lo", "up"]);
        ns.wire();
        std::fs::create_dir_all(&etc).expect("create /etc/netns/NAME");
        std::fs::write(etc.join("resolv.conf"), resolv_conf).expect("write resolv.conf");
        let mut hosts = String::from("127.0.0.1 localhost\n::1 localhost\n");
        for (id, host, _) in PORTS {
            let named = match in_hosts {
                InHosts::All => true,
                InHosts::AllButMars => id != "mars",
                InHosts::None => false,
            };
            if named {
                hosts.push_str(&format!("127.0.0.1 {host}\n"));
            }
        }
        std::fs::write(etc.join("hosts"), hosts).expect("write hosts");
        ns.pki_and_profile();
        ns.start_sites();
        ns
    }

    /// The "internet" side: a second namespace behind a veth pair, and a default route to it
    /// (a laptop has a route out; nothing answers there).
    fn wire(&mut self) {
        let net = format!("{}-n", self.name);
        run(&["ip", "netns", "add", &net]);
        self.peer = Some(net.clone());
        // Interface names are global to the kernel while they are created: unique per test.
        static WIRES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = WIRES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tag = std::process::id() % 100_000;
        let (a, b) = (format!("hpa{tag}x{n}"), format!("hpb{tag}x{n}"));
        let (a, b) = (&a[..a.len().min(15)], &b[..b.len().min(15)]);
        run(&[
            "ip", "link", "add", a, "netns", &self.name, "type", "veth", "peer", "name", b,
            "netns", &net,
        ]);
        run(&[
            "ip",
            "-n",
            &self.name,
            "addr",
            "add",
            "198.18.0.1/30",
            "dev",
            a,
        ]);
        run(&["ip", "-n", &net, "addr", "add", "198.18.0.2/30", "dev", b]);
        run(&["ip", "-n", &self.name, "link", "set", a, "up"]);
        run(&["ip", "-n", &net, "link", "set", b, "up"]);
        run(&[
            "ip",
            "-n",
            &self.name,
            "route",
            "add",
            "default",
            "via",
            "198.18.0.2",
        ]);
    }

    fn path(&self, file: &str) -> String {
        self.dir.path().join(file).to_string_lossy().into_owned()
    }

    /// A CA, one leaf for the four names, and the profile.
    fn pki_and_profile(&self) {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "hmsaccess netns test CA");
        let ca_key = rcgen::KeyPair::generate().expect("ca key");
        let ca = params.self_signed(&ca_key).expect("ca cert");
        let issuer = rcgen::Issuer::new(params, ca_key);
        let names: Vec<String> = PORTS.iter().map(|(_, h, _)| (*h).to_owned()).collect();
        let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
        let leaf = rcgen::CertificateParams::new(names)
            .expect("leaf params")
            .signed_by(&leaf_key, &issuer)
            .expect("leaf cert");
        std::fs::write(self.path("ca.pem"), ca.pem()).expect("ca.pem");
        std::fs::write(self.path("leaf.pem"), leaf.pem()).expect("leaf.pem");
        std::fs::write(self.path("leaf.key"), leaf_key.serialize_pem()).expect("leaf.key");
        std::fs::create_dir_all(self.path("no-certs")).expect("empty cert dir");
        let shipped =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("probes/hms.toml"))
                .expect("probes/hms.toml");
        let verdicts = &shipped[shipped
            .find("\n[service_desk]")
            .expect("the desk and verdict texts")
            + 1..];
        let mut profile = String::from(
            "version = 1\nname = \"netns-path\"\ndescription = \"issue 12: names through the OS resolver\"\n\n[timeouts]\ndns_ms = 800\nconnect_ms = 800\ntls_ms = 800\nhttp_ms = 1000\n\n",
        );
        for (id, host, port) in PORTS {
            profile.push_str(&format!(
                "[[targets]]\nid = \"{id}\"\nrole = \"{id}\"\nhost = \"{host}\"\nhttps_port = {port}\n"
            ));
            if id == "control" {
                profile.push_str(&format!(
                    "http_port = {CONTROL_HTTP}\nredirect_hosts = [\"{host}\"]\n"
                ));
            }
            profile.push('\n');
        }
        profile.push_str(verdicts);
        std::fs::write(self.path("profile.toml"), profile).expect("profile");
    }

    /// One `server.py` per host on the namespace's loopback; waits (bounded) until all listen.
    fn start_sites(&mut self) {
        let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab/server.py");
        for (id, host, port) in PORTS {
            let ready = self.path(&format!("{id}.ready"));
            let mut args = vec![
                "python3".to_owned(),
                server.to_string_lossy().into_owned(),
                "--host".into(),
                host.into(),
                "--cert".into(),
                self.path("leaf.pem"),
                "--key".into(),
                self.path("leaf.key"),
                "--listen".into(),
                format!("127.0.0.1:{port}:https"),
                "--ready-file".into(),
                ready.clone(),
            ];
            if id == "control" {
                args.extend(["--listen".into(), format!("127.0.0.1:{CONTROL_HTTP}:http")]);
            }
            self.spawn(&args, &format!("{id}.log"));
            self.wait_for(&ready);
        }
    }

    /// dnsmasq on 127.0.0.1:53 inside the namespace: NXDOMAIN for every name under `hms.test`.
    fn nxdomain_nameserver(&mut self) {
        let pid = self.path("dnsmasq.pid");
        let args: Vec<String> = [
            "dnsmasq",
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--user=root",
            "--group=root",
            "--address=/hms.test/",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([format!("--pid-file={pid}")])
        .collect();
        self.spawn(&args, "dnsmasq.log");
        self.wait_for(&pid);
    }

    fn spawn(&mut self, args: &[String], log: &str) {
        let log = std::fs::File::create(self.dir.path().join(log)).expect("log file");
        let child = Command::new("ip")
            .args(["netns", "exec", &self.name])
            .args(args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        self.children.push(child);
    }

    fn wait_for(&self, file: &str) {
        let start = Instant::now();
        while !Path::new(file).exists() {
            assert!(
                start.elapsed() < START_TIMEOUT,
                "{file} did not appear within {START_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `hmsaccess diagnose --json` inside the namespace, trusting the test CA only.
    fn diagnose(&self) -> Run {
        self.diagnose_with(&["--json"])
    }

    /// `hmsaccess diagnose FORM…` inside the namespace (an 80-column terminal), trusting the
    /// test CA only.
    fn diagnose_with(&self, form: &[&str]) -> Run {
        let started = Instant::now();
        let out = Command::new("ip")
            .args(["netns", "exec", &self.name])
            .arg(env!("CARGO_BIN_EXE_hmsaccess"))
            .arg("diagnose")
            .args(form)
            .args(["--profile", &self.path("profile.toml")])
            .env("COLUMNS", "80")
            .env("SSL_CERT_FILE", self.path("ca.pem"))
            .env("SSL_CERT_DIR", self.path("no-certs"))
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .stdin(Stdio::null())
            .output()
            .expect("run hmsaccess");
        let wall = started.elapsed();
        assert!(wall < Duration::from_secs(12), "the run took {wall:?}");
        Run { out }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        if let Some(peer) = &self.peer {
            let _ = Command::new("ip").args(["netns", "del", peer]).status();
        }
        let _ = std::fs::remove_dir_all(&self.etc);
    }
}

struct Run {
    out: Output,
}

impl Run {
    fn report(&self) -> Value {
        serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| panic!("not a JSON report ({e})\n{}", self.describe()))
    }

    fn evidence(&self) -> String {
        self.report()["verdict"]["evidence"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    fn describe(&self) -> String {
        format!(
            "exit {:?}\nstdout: {}\nstderr: {}",
            self.out.status.code(),
            String::from_utf8_lossy(&self.out.stdout),
            String::from_utf8_lossy(&self.out.stderr)
        )
    }
}

fn probe(report: &Value, id: &str) -> Value {
    report["probes"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] == id).cloned())
        .unwrap_or_else(|| panic!("no probe {id}"))
}
