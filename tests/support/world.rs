//! A `World`: the four profile roles on loopback fixtures, a DNS fixture naming them, a profile
//! file pointing at both, and a runner for the real `hmsaccess` binary with the test CA trusted.
//!
//! ```ignore
//! let world = World::builder().all(Spec::Up).start();
//! let run = world.diagnose(&["--json"]);
//! assert_eq!(run.code, Some(0), "{}", run.describe());
//! ```

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use super::dns::{DnsServer, Rule};
use super::hostile::{self, DnsFront, DnsFrontServer, Hostile};
use super::servers::{self, Behaviour, Endpoint};
use super::tls::{self, TestCa, Validity};

/// The four roles of a probe profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// MARS itself.
    Mars,
    /// The affiliate portal.
    Affiliate,
    /// The HMS VPN gateway.
    Gateway,
    /// The public control host (HTTPS and plain HTTP).
    Control,
}

impl Role {
    /// Every role, in profile order.
    pub const ALL: [Role; 4] = [Role::Mars, Role::Affiliate, Role::Gateway, Role::Control];

    /// The target id in the generated profile (and so in probe ids: `tls:mars:PORT`).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Role::Mars => "mars",
            Role::Affiliate => "affiliate",
            Role::Gateway => "gateway",
            Role::Control => "control",
        }
    }

    /// The host name the generated profile probes for this role (answered by the DNS fixture).
    #[must_use]
    pub fn host(self) -> &'static str {
        match self {
            Role::Mars => "mars.hms.test",
            Role::Affiliate => "affiliate.hms.test",
            Role::Gateway => "vpn.hms.test",
            Role::Control => "it.hms.test",
        }
    }

    fn index(self) -> usize {
        match self {
            Role::Mars => 0,
            Role::Affiliate => 1,
            Role::Gateway => 2,
            Role::Control => 3,
        }
    }
}

/// The host the captive-portal stand-in redirects to and presents a certificate for.
pub const PORTAL_HOST: &str = "portal.example.test";

/// The generated profile's "VPN required" page: a redirect there means MARS refuses this network.
pub const REFUSAL_PAGE: &str = "https://it.hms.test/vpn-now-required";

/// The generated profile's sign-in host: a redirect there means MARS answers.
pub const SIGN_IN_HOST: &str = "login.hms.test";

/// Which certificate an HTTPS fixture presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cert {
    /// From the test CA, for the role's host, currently valid.
    Valid,
    /// From the test CA, for the role's host, expired yesterday.
    Expired,
    /// From the test CA, for the role's host, valid from 30 days on.
    NotYetValid,
    /// From the test CA, valid, but for this other name.
    OtherName(String),
    /// Valid and for the role's host, but self-signed (no trusted issuer).
    SelfSigned,
    /// Valid and for the role's host, signed by [`RESIGNING_CA`], a CA this computer does not
    /// trust: what a re-signing proxy (an antivirus web shield, an inspecting network) presents.
    Resigned,
}

/// The common name of the CA that [`Cert::Resigned`] leaves come from (a test CA made here,
/// standing in for an antivirus product's root).
pub const RESIGNING_CA: &str = "Web Shield test root";

/// The re-signing CA, shared by every world of the test process; kept in memory, never written
/// to a file (so never trusted, and nothing is left behind in the temporary folder).
fn resigning_ca() -> &'static TestCa {
    static CA: std::sync::OnceLock<TestCa> = std::sync::OnceLock::new();
    CA.get_or_init(|| TestCa::in_memory(RESIGNING_CA, "hmsaccess fixtures"))
}

/// What one role's host does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// Resolves to 127.0.0.1; HTTPS answers 200 with a valid certificate (control: plain HTTP 200 too).
    Up,
    /// Resolves; HTTPS presents this certificate and answers like this (control: plain HTTP too).
    Https(Cert, Behaviour),
    /// Resolves; its ports refuse connections.
    Refused,
    /// Resolves; its ports accept TCP and never send a byte.
    Silent,
    /// Resolves; connects to its ports never complete (falls back to [`Spec::Silent`], with a
    /// note in [`World::notes`], where the loopback blackhole does not work).
    Blackhole,
    /// The DNS fixture answers the name with this rule (`NxDomain`, `ServFail`, `Refused`,
    /// `Silent`, or other addresses); its ports refuse.
    Dns(Rule),
    /// Resolves; its ports run this hostile server (`tests/support/hostile.rs`), behind TLS with a
    /// valid certificate on the HTTPS port where the case is about HTTP.
    Hostile(Hostile),
}

/// Per-step time bounds written into the profile, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `dns_ms`
    pub dns_ms: u64,
    /// `connect_ms`
    pub connect_ms: u64,
    /// `tls_ms`
    pub tls_ms: u64,
    /// `http_ms`
    pub http_ms: u64,
}

impl Default for Timeouts {
    /// Short, so that failing scenarios finish in about a second, yet far above loopback latency.
    fn default() -> Self {
        Timeouts {
            dns_ms: 800,
            connect_ms: 800,
            tls_ms: 800,
            http_ms: 1000,
        }
    }
}

/// Describes a [`World`]; every role starts as [`Spec::Silent`].
#[derive(Debug, Clone)]
pub struct WorldBuilder {
    specs: [Spec; 4],
    control_http: Option<Behaviour>,
    dns_all: Option<Rule>,
    wildcard: Option<Rule>,
    timeouts: Timeouts,
    front: Option<DnsFront>,
}

impl WorldBuilder {
    /// Sets one role.
    #[must_use]
    pub fn role(mut self, role: Role, spec: Spec) -> Self {
        self.specs[role.index()] = spec;
        self
    }

    /// Sets every role.
    #[must_use]
    pub fn all(mut self, spec: Spec) -> Self {
        self.specs = std::array::from_fn(|_| spec.clone());
        self
    }

    /// Sets MARS.
    #[must_use]
    pub fn mars(self, spec: Spec) -> Self {
        self.role(Role::Mars, spec)
    }

    /// Sets the affiliate portal.
    #[must_use]
    pub fn affiliate(self, spec: Spec) -> Self {
        self.role(Role::Affiliate, spec)
    }

    /// Sets the VPN gateway.
    #[must_use]
    pub fn gateway(self, spec: Spec) -> Self {
        self.role(Role::Gateway, spec)
    }

    /// Sets the control host.
    #[must_use]
    pub fn control(self, spec: Spec) -> Self {
        self.role(Role::Control, spec)
    }

    /// Overrides how the control host's plain-HTTP port answers (default: like its HTTPS).
    #[must_use]
    pub fn control_http(mut self, behaviour: Behaviour) -> Self {
        self.control_http = Some(behaviour);
        self
    }

    /// The DNS fixture answers every name, known or not, with this rule (ports stay as specified).
    #[must_use]
    pub fn dns_for_all(mut self, rule: Rule) -> Self {
        self.dns_all = Some(rule);
        self
    }

    /// The rule for names the world does not know (default: NXDOMAIN).
    #[must_use]
    pub fn dns_wildcard(mut self, rule: Rule) -> Self {
        self.wildcard = Some(rule);
        self
    }

    /// The captive-portal world: every name resolves to 127.0.0.1, every HTTPS port presents a
    /// (CA-signed) certificate for [`PORTAL_HOST`] and redirects there, and the control host's
    /// plain HTTP answers `302 Location: http://portal.example.test/login` for any path.
    #[must_use]
    pub fn captive_portal(self) -> Self {
        self.all(Spec::Https(
            Cert::OtherName(PORTAL_HOST.to_owned()),
            Behaviour::captive_portal(),
        ))
        .control_http(Behaviour::captive_portal())
        .dns_wildcard(Rule::loopback())
    }

    /// Puts a hostile raw-UDP DNS responder in front of the DNS fixture: the profile's nameserver
    /// is then the front, which answers its own names with crafted (malformed) packets and
    /// relays every other query to the fixture.
    #[must_use]
    pub fn dns_front(mut self, front: DnsFront) -> Self {
        self.front = Some(front);
        self
    }

    /// Per-step timeouts in the profile (default [`Timeouts::default`]).
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Starts the fixtures and writes the profile.
    ///
    /// # Panics
    /// When a temporary directory or a fixture cannot be created.
    #[must_use]
    pub fn start(self) -> World {
        let dir = tempfile::Builder::new()
            .prefix("hmsaccess-world-")
            .tempdir()
            .expect("create a temporary directory");
        let empty_certs = dir.path().join("no-certs");
        std::fs::create_dir(&empty_certs).expect("create the empty SSL_CERT_DIR");
        let ca = TestCa::new(dir.path());
        let mut notes = Vec::new();

        let mut dns = DnsServer::builder();
        if let Some(rule) = self.dns_all.clone().or(self.wildcard.clone()) {
            dns = dns.wildcard(rule);
        }
        let mut https_ports = Vec::new();
        let mut endpoints = Vec::new();
        let mut control_http_port = 0;
        for role in Role::ALL {
            let spec = &self.specs[role.index()];
            let rule = match (&self.dns_all, spec) {
                (Some(rule), _) => rule.clone(),
                (None, Spec::Dns(rule)) => rule.clone(),
                (None, _) => Rule::loopback(),
            };
            dns = dns.name(role.host(), rule);

            let https = start_port(&ca, role, spec, false, None, &mut notes);
            https_ports.push(https.port());
            endpoints.push((role, Port::Https, https));
            if role == Role::Control {
                let http = start_port(
                    &ca,
                    role,
                    spec,
                    true,
                    self.control_http.as_ref(),
                    &mut notes,
                );
                control_http_port = http.port();
                endpoints.push((role, Port::Http, http));
            }
        }
        let dns = dns.start();
        let front = self
            .front
            .map(|front| hostile::dns_front(front, dns.addr()));
        let nameserver_port = front
            .as_ref()
            .map_or(dns.addr().port(), |f| f.addr().port());

        let profile = dir.path().join("profile.toml");
        let text = profile_text(
            nameserver_port,
            &https_ports,
            control_http_port,
            self.timeouts,
        );
        std::fs::write(&profile, text).expect("write the profile");
        for note in &notes {
            eprintln!("note: {note}");
        }
        World {
            dir,
            empty_certs,
            ca,
            dns,
            front,
            endpoints,
            profile,
            notes,
        }
    }
}

/// Which of a role's ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Port {
    /// The TLS/HTTPS port.
    Https,
    /// The plain-HTTP port (control only).
    Http,
}

fn start_port(
    ca: &TestCa,
    role: Role,
    spec: &Spec,
    plain: bool,
    http_override: Option<&Behaviour>,
    notes: &mut Vec<String>,
) -> Endpoint {
    let serve = |cert: &Cert, behaviour: &Behaviour| {
        if plain {
            return servers::http(http_override.unwrap_or(behaviour).clone());
        }
        let host = role.host();
        let leaf = match cert {
            Cert::Valid => ca.leaf(&[host]),
            Cert::Expired => ca.leaf_with(&[host], Validity::Expired),
            Cert::NotYetValid => ca.leaf_with(&[host], Validity::NotYetValid),
            Cert::OtherName(name) => ca.leaf(&[name.as_str()]),
            Cert::SelfSigned => tls::self_signed_leaf(&[host]),
            Cert::Resigned => resigning_ca().leaf(&[host]),
        };
        servers::https(&leaf, behaviour.clone())
    };
    match spec {
        Spec::Up => serve(&Cert::Valid, &Behaviour::Status(200)),
        Spec::Hostile(kind) => match (plain, http_override) {
            (true, Some(behaviour)) => servers::http(behaviour.clone()),
            (true, None) => hostile::serve(kind, None),
            (false, _) => hostile::serve(kind, Some(&ca.leaf(&[role.host()]))),
        },
        Spec::Https(cert, behaviour) => serve(cert, behaviour),
        Spec::Refused | Spec::Dns(_) => match (plain, http_override) {
            (true, Some(behaviour)) => servers::http(behaviour.clone()),
            _ => servers::refusing_port(),
        },
        Spec::Silent => match (plain, http_override) {
            (true, Some(behaviour)) => servers::http(behaviour.clone()),
            _ => servers::silent_port(),
        },
        Spec::Blackhole => match (plain, http_override) {
            (true, Some(behaviour)) => servers::http(behaviour.clone()),
            _ => servers::blackhole_addr().unwrap_or_else(|why| {
                notes.push(format!(
                    "{}: loopback blackhole unavailable ({why}); using a silent port",
                    role.id()
                ));
                servers::silent_port()
            }),
        },
    }
}

/// The profile: generated targets and timeouts; the service desk and the verdict texts copied
/// from `probes/hms.toml` (from its `[service_desk]` table on).
fn profile_text(dns_port: u16, https_ports: &[u16], http_port: u16, t: Timeouts) -> String {
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("probes/hms.toml"))
            .expect("read probes/hms.toml");
    let verdicts = shipped
        .find("\n[service_desk]")
        .map(|at| &shipped[at + 1..])
        .expect("probes/hms.toml has [service_desk] before its [verdicts.*] tables");
    let mut out = format!(
        "# Written by tests/support/world.rs: loopback fixtures only.\n\
         version = 1\n\
         name = \"loopback\"\n\
         description = \"hmsaccess integration tests: every host is a fixture on 127.0.0.1\"\n\
         nameservers = [\"127.0.0.1:{dns_port}\"]\n\
         refusal_pages = [\"{REFUSAL_PAGE}\"]\n\
         sign_in_hosts = [\"{SIGN_IN_HOST}\"]\n\n\
         [timeouts]\n\
         dns_ms = {}\nconnect_ms = {}\ntls_ms = {}\nhttp_ms = {}\n\n",
        t.dns_ms, t.connect_ms, t.tls_ms, t.http_ms
    );
    for (role, port) in Role::ALL.iter().zip(https_ports) {
        out.push_str(&format!(
            "[[targets]]\nid = \"{id}\"\nrole = \"{id}\"\nhost = \"{host}\"\nhttps_port = {port}\n",
            id = role.id(),
            host = role.host()
        ));
        if *role == Role::Control {
            out.push_str(&format!(
                "http_port = {http_port}\nredirect_hosts = [\"{}\"]\n",
                Role::Control.host()
            ));
        }
        out.push('\n');
    }
    out.push_str(verdicts);
    out
}

/// A running world; everything stops when it is dropped.
pub struct World {
    dir: TempDir,
    empty_certs: PathBuf,
    ca: TestCa,
    dns: DnsServer,
    front: Option<DnsFrontServer>,
    endpoints: Vec<(Role, Port, Endpoint)>,
    profile: PathBuf,
    notes: Vec<String>,
}

/// Longest a single run of the binary may take before the harness kills it: the contract bounds
/// a run without `--timeout` to 10 s, so anything past this is a hang.
const RUN_LIMIT: Duration = Duration::from_secs(20);
/// How often the harness checks whether the child has exited.
const POLL: Duration = Duration::from_millis(5);

impl World {
    /// Starts describing a world.
    #[must_use]
    pub fn builder() -> WorldBuilder {
        WorldBuilder {
            specs: std::array::from_fn(|_| Spec::Silent),
            control_http: None,
            dns_all: None,
            wildcard: None,
            timeouts: Timeouts::default(),
            front: None,
        }
    }

    /// The temporary directory holding `ca.pem`, `profile.toml` and anything a test writes.
    #[must_use]
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The generated profile.
    #[must_use]
    pub fn profile_path(&self) -> &Path {
        &self.profile
    }

    /// The test CA.
    #[must_use]
    pub fn ca(&self) -> &TestCa {
        &self.ca
    }

    /// The DNS fixture (for query counts).
    #[must_use]
    pub fn dns(&self) -> &DnsServer {
        &self.dns
    }

    /// The hostile DNS front, when the world has one.
    #[must_use]
    pub fn dns_front(&self) -> Option<&DnsFrontServer> {
        self.front.as_ref()
    }

    /// One role's fixture port.
    #[must_use]
    pub fn endpoint(&self, role: Role, port: Port) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .find(|(r, p, _)| *r == role && *p == port)
            .map(|(_, _, e)| e)
    }

    /// Things the world could not set up as asked (for example no loopback blackhole).
    #[must_use]
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Runs `hmsaccess diagnose --profile <profile> <extra…>`.
    #[must_use]
    pub fn diagnose(&self, extra: &[&str]) -> Run {
        self.diagnose_with(extra, &RunOptions::default())
    }

    /// `hmsaccess <args…>` as a command with this world's trust settings, not yet started.
    #[must_use]
    pub fn hmsaccess(&self, args: &[&OsStr]) -> Command {
        let mut command = self.command(assert_cmd::cargo::cargo_bin!("hmsaccess"));
        command.args(args);
        command
    }

    /// A command for `program` (the binary, or a wrapper that runs it) with this world's
    /// working directory, trust settings and environment; arguments are the caller's.
    #[must_use]
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.dir.path())
            .env("SSL_CERT_FILE", self.ca.pem_path())
            .env("SSL_CERT_DIR", &self.empty_certs)
            .env("NO_COLOR", "1");
        for var in [
            "NIX_SSL_CERT_FILE",
            "CLICOLOR_FORCE",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
        ] {
            command.env_remove(var);
        }
        command
    }

    /// Runs `hmsaccess <args…>` with this world's trust settings and no standard input.
    #[must_use]
    pub fn run(&self, args: &[&OsStr]) -> Run {
        run_bounded(self.hmsaccess(args))
    }

    /// Runs `hmsaccess <args…>` with `input` on standard input.
    #[must_use]
    pub fn run_with_stdin(&self, args: &[&OsStr], input: &[u8]) -> Run {
        run_bounded_with_stdin(self.hmsaccess(args), Some(input))
    }

    /// Runs `hmsaccess diagnose --profile <profile> <extra…>` with [`RunOptions`].
    #[must_use]
    pub fn diagnose_with(&self, extra: &[&str], options: &RunOptions<'_>) -> Run {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("diagnose"),
            OsStr::new("--profile"),
            self.profile.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        run_with_options(self.hmsaccess(&args), options)
    }
}

/// Runs a command with piped output, killing it (only it) if it outlives [`RUN_LIMIT`].
///
/// # Panics
/// When the command cannot start, or had to be killed.
#[must_use]
pub fn run_bounded(command: Command) -> Run {
    run_bounded_with_stdin(command, None)
}

/// [`run_bounded`], writing `input` (when given) to the child's standard input and closing it.
///
/// # Panics
/// When the command cannot start, or had to be killed.
#[must_use]
pub fn run_bounded_with_stdin(command: Command, input: Option<&[u8]>) -> Run {
    run_with_options(
        command,
        &RunOptions {
            stdin: input,
            ..RunOptions::default()
        },
    )
}

/// How [`run_with_options`] treats the child beyond piping its output.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// Written to standard input, which is then closed (None: standard input is null).
    pub stdin: Option<&'a [u8]>,
    /// Send SIGINT (Ctrl-C) to the child this long after it started (Unix only).
    pub interrupt_after: Option<Duration>,
    /// Close the read end of stdout at once, as `| head -0` would (the child sees a broken pipe).
    pub close_stdout: bool,
}

/// Runs a command with piped output, killing it (only it) if it outlives [`RUN_LIMIT`].
///
/// # Panics
/// When the command cannot start, or had to be killed.
#[must_use]
pub fn run_with_options(mut command: Command, options: &RunOptions<'_>) -> Run {
    command
        .stdin(if options.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("start the command");
    let writer = child
        .stdin
        .take()
        .zip(options.stdin)
        .map(|(mut pipe, input)| {
            let input = input.to_vec();
            // A child that exits without reading gives a broken pipe here, which is its business.
            std::thread::spawn(move || {
                let _ = std::io::Write::write_all(&mut pipe, &input);
            })
        });
    let stdout_pipe = child.stdout.take().expect("piped stdout");
    let out = if options.close_stdout {
        drop(stdout_pipe);
        None
    } else {
        Some(reader(stdout_pipe))
    };
    let err = reader(child.stderr.take().expect("piped stderr"));
    let mut interrupt = options.interrupt_after;
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            break Some(status);
        }
        if let Some(after) = interrupt
            && started.elapsed() >= after
        {
            interrupt = None;
            send_interrupt(child.id());
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(POLL);
    };
    let wall = started.elapsed();
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let stdout = out
        .map(|o| o.join().unwrap_or_default())
        .unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let Some(status) = status else {
        panic!(
            "{:?} {:?} was still running after {RUN_LIMIT:?} and was killed\nstderr:\n{stderr}",
            command.get_program(),
            command.get_args().collect::<Vec<_>>()
        );
    };
    let json = serde_json::from_str(&stdout).ok();
    Run {
        code: status.code(),
        stdout,
        stderr,
        json,
        wall,
    }
}

/// SIGINT to one child process of this harness, by its id (`kill -INT PID`; no libc binding here).
fn send_interrupt(pid: u32) {
    let sent = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        sent.is_ok_and(|s| s.success()),
        "could not send SIGINT to {pid}"
    );
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// One finished run of the binary.
#[derive(Debug, Clone)]
pub struct Run {
    /// Exit code (None: killed by a signal).
    pub code: Option<i32>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
    /// stdout parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// Wall time from spawn to exit.
    pub wall: Duration,
}

impl Run {
    /// The JSON report.
    ///
    /// # Panics
    /// When stdout was not JSON (the message shows the run).
    #[must_use]
    pub fn report(&self) -> &Value {
        self.json
            .as_ref()
            .unwrap_or_else(|| panic!("stdout is not a JSON report\n{}", self.describe()))
    }

    /// `verdict.code` of the report.
    #[must_use]
    pub fn verdict_code(&self) -> &str {
        self.report()["verdict"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("the report has no verdict.code\n{}", self.describe()))
    }

    /// The report's probes.
    #[must_use]
    pub fn probes(&self) -> &[Value] {
        self.report()["probes"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    /// The probe of this kind for this target id: its `id` is `KIND:TARGET` or `KIND:TARGET:PORT`.
    #[must_use]
    pub fn probe(&self, kind: &str, target: &str) -> Option<&Value> {
        let prefix = format!("{kind}:{target}");
        self.probes().iter().find(|p| {
            p["id"].as_str().is_some_and(|id| {
                id == prefix
                    || id
                        .strip_prefix(&prefix)
                        .is_some_and(|rest| rest.starts_with(':'))
            })
        })
    }

    /// The outcome string of [`Run::probe`].
    #[must_use]
    pub fn outcome(&self, kind: &str, target: &str) -> Option<&str> {
        self.probe(kind, target).and_then(|p| p["outcome"].as_str())
    }

    /// `verdict.evidence`, joined into one string (for "mentions" assertions).
    #[must_use]
    pub fn evidence(&self) -> String {
        self.report()["verdict"]["evidence"]
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// A readable account of the run for assertion messages: exit, verdict, every probe, stderr.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut out = format!("exit: {:?}, wall: {:?}\n", self.code, self.wall);
        match &self.json {
            Some(report) => {
                out.push_str(&format!(
                    "verdict: {}\nevidence:\n",
                    report["verdict"]["code"]
                ));
                for line in report["verdict"]["evidence"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    out.push_str(&format!("  {line}\n"));
                }
                out.push_str("probes:\n");
                for probe in report["probes"].as_array().into_iter().flatten() {
                    out.push_str(&format!(
                        "  {} {} {}ms {}\n",
                        probe["id"], probe["outcome"], probe["duration_ms"], probe["detail"]
                    ));
                }
            }
            None => {
                let head: String = self.stdout.chars().take(2000).collect();
                out.push_str(&format!("stdout (not JSON):\n{head}\n"));
            }
        }
        let tail: String = self.stderr.chars().take(4000).collect();
        out.push_str(&format!("stderr:\n{tail}"));
        out
    }
}
