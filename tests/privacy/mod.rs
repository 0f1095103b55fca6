//! Privacy of the report (issue 6): secrets planted where a careless tool would pick them up,
//! then every output of the binary searched for them.
//!
//! Planted, fresh random values each run:
//! - the environment of the child: `HMSACCESS_TEST_SECRET=<random>`, and `HOME`, `USER` and
//!   `LOGNAME` naming a user `jdoe-<random>`;
//! - the working directory: `<world tmp>/jdoe-<random>/` (the profile and the `--output` file
//!   live there too);
//! - a running process whose command line holds a password: `<tmp>/openconnect --passwd=<random>
//!   vpn.hms.test 30`, killed by its PID at the end;
//! - the MARS fixture's answer: a `Set-Cookie` value and an HTML body;
//! - in one test, a proxy URL with credentials: `HTTPS_PROXY=http://proxyuser-<random>:pw-<random>@…`
//!   (issue 12: the proxy is used, with them, and recorded without them).
//!
//! Searched: stdout and stderr of `diagnose --json --output FILE`, the FILE, `diagnose` (human),
//! `diagnose -v`, `interfaces` (JSON and human), `diagnose --json --redact`, and `explain FILE`;
//! in each, every secret, the temporary paths, the machine's MAC addresses, any IPv6 address
//! whose interface identifier was built from a MAC (EUI-64) and the machine's own such
//! addresses; in the JSON, anything shaped like a MAC address (`xx:xx:xx:xx:xx:xx`). The one
//! exception is the path of the report file the person named, in the lines that say where it
//! was written and which file `explain` shows.

use std::collections::hash_map::RandomState;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

use crate::support::dns::Rule;
use crate::support::hostile::{Hostile, RawHttp};
use crate::support::proxy::{ProxyFixture, ProxyMode};
use crate::support::world::{Role, Run, Spec, World, run_bounded};

/// A random hex string (std's per-process random hasher keys; no extra crate).
fn random_hex() -> String {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id()));
    format!("{:016x}", hasher.finish())
}

/// Everything planted for one world.
struct Secrets {
    env_secret: String,
    password: String,
    user: String,
    cookie: String,
    body_secret: String,
    proxy_user: String,
    proxy_password: String,
}

impl Secrets {
    fn new() -> Secrets {
        Secrets {
            env_secret: format!("envsecret-{}", random_hex()),
            password: format!("pw-{}", random_hex()),
            user: format!("jdoe-{}", random_hex()),
            cookie: format!("cookie-{}", random_hex()),
            body_secret: format!("bodysecret-{}", random_hex()),
            proxy_user: format!("proxyuser-{}", random_hex()),
            proxy_password: format!("proxypw-{}", random_hex()),
        }
    }
}

/// A stand-in VPN client whose command line holds the password. GNU `sleep` (the obvious
/// stand-in) refuses the unknown `--passwd` option and exits at once, so this is a `/bin/sh`
/// script named `openconnect` that blocks on its stdin: one process, whose name (`comm`) is
/// `openconnect` and whose `/proc/PID/cmdline` is `/bin/sh <tmp>/openconnect --passwd=<pw>
/// vpn.hms.test 30`. It ends when killed (Drop, by PID) or when its stdin closes.
struct FakeVpnClient {
    child: Child,
}

impl FakeVpnClient {
    fn start(dir: &Path, password: &str) -> FakeVpnClient {
        let program = dir.join("openconnect");
        std::fs::write(
            &program,
            "#!/bin/sh\n# Stand-in for a VPN client (hmsaccess privacy test): waits for stdin to close.\nread -r _line\n",
        )
        .expect("write the fake openconnect");
        set_executable(&program);
        let child = Command::new(&program)
            .arg(format!("--passwd={password}"))
            .args(["vpn.hms.test", "30"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the fake openconnect");
        let client = FakeVpnClient { child };
        client.wait_until_visible(password);
        client
    }

    /// Waits (at most 2 s) until the process's command line shows the password, so the binary
    /// runs while it is there to find. Off Linux there is no /proc to look at: a short pause.
    fn wait_until_visible(&self, password: &str) {
        let cmdline = PathBuf::from(format!("/proc/{}/cmdline", self.child.id()));
        if !Path::new("/proc/self/cmdline").exists() {
            std::thread::sleep(Duration::from_millis(200));
            return;
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(2) {
            let seen = std::fs::read(&cmdline).unwrap_or_default();
            if String::from_utf8_lossy(&seen).contains(password) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the fake openconnect never showed its password in {cmdline:?}");
    }
}

impl Drop for FakeVpnClient {
    fn drop(&mut self) {
        // Only this child, by its PID.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .expect("make the fake openconnect executable");
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) {}

/// IPv6 addresses in `text` whose interface identifier carries a MAC address (modified EUI-64:
/// `ff:fe` in its middle, RFC 4291 appendix A), unless it is the masked form whose MAC bytes
/// are all zero (`…::ff:fe00:0`). Written here, apart from the code under test.
fn eui64_like(text: &str) -> Vec<String> {
    let run = Regex::new(r"[0-9A-Fa-f:]{3,}").unwrap();
    run.find_iter(text)
        .filter_map(|m| {
            let s = m.as_str().trim_end_matches(':');
            let ip: std::net::Ipv6Addr = s.parse().ok()?;
            let g = ip.segments();
            let eui64 = (g[5] & 0x00ff) == 0x00ff && (g[6] & 0xff00) == 0xfe00;
            let masked = g[4] == 0 && g[5] == 0x00ff && g[6] == 0xfe00 && g[7] == 0;
            let mapped_v4 = ip.to_ipv4_mapped().is_some();
            (eui64 && !masked && !mapped_v4).then(|| s.to_owned())
        })
        .collect()
}

/// The machine's IPv6 addresses built from a MAC (Linux `/proc/net/if_inet6`; none elsewhere).
fn local_eui64() -> Vec<String> {
    let text = std::fs::read_to_string("/proc/net/if_inet6").unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|hex| hex.len() == 32)
        .filter_map(|hex| u128::from_str_radix(hex, 16).ok())
        .map(|n| std::net::Ipv6Addr::from(n).to_string())
        .filter(|a| !eui64_like(a).is_empty())
        .collect()
}

/// The machine's MAC addresses as Linux shows them (none elsewhere), all-zero ones left out.
fn local_macs() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/sys/class/net") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("address")).ok())
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.len() == 17 && a != "00:00:00:00:00:00")
        .collect()
}

/// Substrings shaped like a MAC address: six two-digit hex groups joined by `:` or `-`, not part
/// of a longer run of hex digits and separators (so IPv6 addresses do not count).
fn mac_like(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let is_hex = |b: u8| b.is_ascii_hexdigit();
    let mut found = Vec::new();
    for start in 0..bytes.len().saturating_sub(16) {
        let window = &bytes[start..start + 17];
        let sep = window[2];
        if sep != b':' && sep != b'-' {
            continue;
        }
        let shaped = (0..6).all(|g| is_hex(window[g * 3]) && is_hex(window[g * 3 + 1]))
            && (0..5).all(|g| window[g * 3 + 2] == sep);
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(start + 17).copied();
        let bounded = |b: Option<u8>| b.is_none_or(|b| !is_hex(b) && b != b':' && b != b'-');
        if shaped && bounded(before) && bounded(after) {
            found.push(String::from_utf8_lossy(window).into_owned());
        }
    }
    found
}

/// One output of the binary, for the search.
struct Output {
    what: String,
    text: String,
}

/// A world, the planted secrets, and the directories they live in.
struct Planted {
    world: World,
    secrets: Secrets,
    /// `<world>/jdoe-<random>`: working directory, profile and `--output` file.
    user_dir: PathBuf,
    /// `<world>/home/jdoe-<random>`: the child's HOME.
    home: PathBuf,
    _vpn: FakeVpnClient,
    /// A proxy that the run goes through, with the planted credentials in `HTTPS_PROXY`.
    proxy: Option<ProxyFixture>,
}

impl Planted {
    fn new(world: World, secrets: Secrets) -> Planted {
        let user_dir = world.dir().join(&secrets.user);
        let home = world.dir().join("home").join(&secrets.user);
        for dir in [&user_dir, &home] {
            std::fs::create_dir_all(dir).expect("create the user's directories");
        }
        std::fs::copy(world.profile_path(), user_dir.join("profile.toml"))
            .expect("copy the profile into the user's directory");
        let vpn = FakeVpnClient::start(world.dir(), &secrets.password);
        Planted {
            world,
            secrets,
            user_dir,
            home,
            _vpn: vpn,
            proxy: None,
        }
    }

    /// The runs go through a tunnelling proxy named with the planted credentials.
    fn with_proxy(mut self) -> Planted {
        self.proxy = Some(ProxyFixture::start(ProxyMode::Tunnel));
        self
    }

    /// `hmsaccess <args…>` from the user's directory with the planted environment.
    fn run(&self, args: &[&OsStr]) -> Run {
        let mut command = self
            .world
            .command(assert_cmd::cargo::cargo_bin!("hmsaccess"));
        command
            .args(args)
            .current_dir(&self.user_dir)
            .env("HMSACCESS_TEST_SECRET", &self.secrets.env_secret)
            .env("HOME", &self.home)
            .env("USER", &self.secrets.user)
            .env("LOGNAME", &self.secrets.user);
        if let Some(proxy) = &self.proxy {
            command.env(
                "HTTPS_PROXY",
                format!(
                    "http://{}:{}@{}",
                    self.secrets.proxy_user,
                    self.secrets.proxy_password,
                    proxy.addr()
                ),
            );
        }
        run_bounded(command)
    }

    fn diagnose(&self, extra: &[&str]) -> Run {
        let profile = self.user_dir.join("profile.toml");
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("diagnose"),
            OsStr::new("--profile"),
            profile.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        self.run(&args)
    }

    /// Every output of every report-producing command, run against this world.
    fn outputs(&self) -> Vec<Output> {
        let mut outputs = Vec::new();
        let keep = |outputs: &mut Vec<Output>, what: &str, run: &Run| {
            assert!(
                run.code.is_some_and(|c| c == 0 || (10..20).contains(&c)),
                "{what}: exit {:?}\n{}",
                run.code,
                run.describe()
            );
            outputs.push(Output {
                what: format!("{what} (stdout)"),
                text: run.stdout.clone(),
            });
            outputs.push(Output {
                what: format!("{what} (stderr)"),
                text: run.stderr.clone(),
            });
        };

        let saved = self.user_dir.join("report.json");
        let saved_arg = saved.to_str().expect("a UTF-8 temporary path");
        let json = self.diagnose(&["--json", "--output", saved_arg]);
        assert!(
            json.json.is_some(),
            "--json printed no JSON\n{}",
            json.describe()
        );
        keep(&mut outputs, "diagnose --json --output", &json);
        let file = std::fs::read_to_string(&saved)
            .unwrap_or_else(|e| panic!("--output wrote nothing: {e}\n{}", json.describe()));
        outputs.push(Output {
            what: "the --output file".into(),
            text: file,
        });
        keep(&mut outputs, "diagnose (human)", &self.diagnose(&[]));
        keep(&mut outputs, "diagnose -v (human)", &self.diagnose(&["-v"]));
        keep(
            &mut outputs,
            "interfaces --json",
            &self.run(&[OsStr::new("interfaces"), OsStr::new("--json")]),
        );
        keep(
            &mut outputs,
            "interfaces (human)",
            &self.run(&[OsStr::new("interfaces")]),
        );
        keep(
            &mut outputs,
            "diagnose --json --redact",
            &self.diagnose(&["--json", "--redact"]),
        );

        let explained = self.run(&[OsStr::new("explain"), saved.as_os_str()]);
        assert_eq!(explained.code, Some(0), "{}", explained.describe());
        outputs.push(Output {
            what: "explain (stdout)".into(),
            text: explained.stdout,
        });
        outputs.push(Output {
            what: "explain (stderr)".into(),
            text: explained.stderr,
        });
        outputs
    }

    /// Asserts that no output holds a planted secret, a temporary path, or a MAC address.
    fn assert_nothing_leaks(&self) {
        let s = &self.secrets;
        let world_dir = self.world.dir().to_string_lossy().into_owned();
        let mut needles: Vec<(&str, String)> = vec![
            ("the environment secret", s.env_secret.clone()),
            ("the VPN client's password", s.password.clone()),
            ("the username", s.user.clone()),
            ("the cookie", s.cookie.clone()),
            ("the HTTP body", s.body_secret.clone()),
            ("the proxy user", s.proxy_user.clone()),
            ("the proxy password", s.proxy_password.clone()),
            (
                "the working directory",
                self.user_dir.to_string_lossy().into_owned(),
            ),
            (
                "the home directory",
                self.home.to_string_lossy().into_owned(),
            ),
            ("the temporary directory", world_dir),
        ];
        for address in local_eui64() {
            needles.push(("an EUI-64 IPv6 address of this machine", address));
        }
        for mac in local_macs() {
            needles.push(("a MAC address of this machine", mac.clone()));
            needles.push((
                "a MAC address of this machine",
                mac.to_ascii_uppercase().replace(':', "-"),
            ));
        }
        let outputs = self.outputs();
        // The one path a person may see: the report file they named, where `--output` says it
        // wrote and `explain` says which file it shows. Everything else still counts.
        let named = self
            .user_dir
            .join("report.json")
            .to_string_lossy()
            .to_ascii_lowercase();
        // A long path may be broken after a slash onto an indented line: joined back.
        let broken_path = Regex::new(r"/\n +").unwrap();
        let mut leaks = Vec::new();
        for output in &outputs {
            let joined = broken_path
                .replace_all(&output.text, "/")
                .to_ascii_lowercase();
            let haystack = joined.replace(&named, "<the named file>");
            for (name, needle) in &needles {
                if haystack.contains(&needle.to_ascii_lowercase()) {
                    leaks.push(format!("{}: {name} ({needle})", output.what));
                }
            }
            if output.what.contains("json") || output.what.contains("file") {
                for mac in mac_like(&output.text) {
                    leaks.push(format!("{}: a MAC-address-like string {mac}", output.what));
                }
            }
            for address in eui64_like(&output.text) {
                leaks.push(format!(
                    "{}: an IPv6 address carrying a MAC (EUI-64) {address}",
                    output.what
                ));
            }
        }
        let mut shown = String::new();
        for output in &outputs {
            let head: String = output.text.chars().take(3000).collect();
            let _ = writeln!(shown, "--- {} ---\n{head}", output.what);
        }
        assert!(
            leaks.is_empty(),
            "private data in the outputs:\n{}\n\n{shown}",
            leaks.join("\n")
        );
        println!(
            "privacy: {} outputs searched for {} planted values: nothing found",
            outputs.len(),
            needles.len()
        );
    }
}

#[test]
fn mac_like_finds_mac_addresses_and_not_ipv6() {
    assert_eq!(mac_like("hw 00:1a:2B:3c:4d:5e."), ["00:1a:2B:3c:4d:5e"]);
    assert_eq!(mac_like("AA-BB-CC-DD-EE-FF"), ["AA-BB-CC-DD-EE-FF"]);
    assert!(mac_like("fe80::aa:bb:cc:dd:ee:ff and 2001:db8::1 at 12:30:45").is_empty());
    assert!(mac_like("{\"a\":\"10.0.0.1\"}").is_empty());
}

#[test]
fn eui64_like_finds_addresses_carrying_a_mac() {
    assert_eq!(
        eui64_like("fe80::211:22ff:fe33:4455/64 and [2001:db8::a8bb:ccff:fedd:eeff]:53"),
        ["fe80::211:22ff:fe33:4455", "2001:db8::a8bb:ccff:fedd:eeff"]
    );
    assert!(
        eui64_like("fe80::ff:fe00:0/64, fe80::1c2b:3a4d:5e6f:7081, ::ffff:254.1.2.3").is_empty()
    );
    assert!(eui64_like("12:30:45 and 10.0.0.1").is_empty());
}

#[test]
fn no_report_holds_secrets_when_mars_answers() {
    let secrets = Secrets::new();
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Hostile(Hostile::Http(RawHttp::Leaky {
            cookie: secrets.cookie.clone(),
            body: format!("<html><body>{}</body></html>\n", secrets.body_secret),
        })))
        .start();
    let planted = Planted::new(world, secrets);
    planted.assert_nothing_leaks();
    let mars = planted
        .world
        .endpoint(Role::Mars, crate::support::world::Port::Https)
        .expect("MARS port");
    assert!(
        mars.requests() >= 1,
        "MARS never served its cookie and body"
    );
}

#[test]
fn no_report_holds_secrets_when_things_fail() {
    // A mixed world, for failure evidence and details: MARS silent, the affiliate portal
    // refusing, the gateway's name missing, the control host up.
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Refused)
        .gateway(Spec::Dns(Rule::NxDomain))
        .control(Spec::Up)
        .start();
    Planted::new(world, Secrets::new()).assert_nothing_leaks();
}

#[test]
fn no_report_holds_a_proxy_password() {
    let world = World::builder().all(Spec::Up).start();
    let planted = Planted::new(world, Secrets::new()).with_proxy();
    planted.assert_nothing_leaks();
    // The credentials were used: the proxy got them, as `Proxy-Authorization: Basic …`.
    let proxy = planted.proxy.as_ref().expect("the proxy");
    let s = &planted.secrets;
    let expected = format!(
        "Proxy-Authorization: Basic {}",
        base64(format!("{}:{}", s.proxy_user, s.proxy_password).as_bytes())
    );
    let heads = proxy.heads();
    assert!(
        heads.iter().any(|h| h.contains(&expected)),
        "the proxy never received the credentials: {heads:?}"
    );
}

/// Standard base64 (RFC 4648), for the expected `Proxy-Authorization` value.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
