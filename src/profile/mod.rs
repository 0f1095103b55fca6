//! Probe profiles: which hosts to probe, how long each step may take, and what to tell people.
//!
//! A profile is data (`probes/*.toml`); the HMS one is embedded and is the default. Parsing is
//! strict (unknown keys are rejected) and every error names `FILE:LINE:COL`, so a service desk
//! editing a profile by hand learns exactly what to fix. Loading does no network I/O.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::report::model::{Role, VerdictCode};

/// The embedded HMS profile, the default for `--profile`.
pub const HMS_PROFILE: &str = include_str!("../../probes/hms.toml");
/// The name shown for the embedded profile in errors.
pub const HMS_PROFILE_NAME: &str = "probes/hms.toml (embedded)";

/// Largest profile accepted: a real one is a few KiB; this keeps a wrong file from eating memory.
const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// A profile could not be read or is invalid. Displays as `FILE:LINE:COL: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub position: Option<(usize, usize)>,
    /// What is wrong, and where useful what to do.
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// A validated profile, ready to plan probes from.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Short name, recorded in reports.
    pub name: String,
    /// Nameservers to use instead of the OS configuration (empty: use the OS's).
    pub nameservers: Vec<SocketAddr>,
    /// Per-step time bounds.
    pub timeouts: Timeouts,
    /// Hosts to probe, in profile order.
    pub targets: Vec<Target>,
    /// Texts per verdict; every code has one.
    pub verdicts: BTreeMap<VerdictCode, VerdictText>,
}

/// Per-step time bounds; each is also cut by the run's overall deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// One DNS query to one nameserver.
    pub dns: Duration,
    /// One TCP connect.
    pub connect: Duration,
    /// The TLS handshake.
    pub tls: Duration,
    /// Request to first byte, plus reading the capped body.
    pub http: Duration,
}

/// One host to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Short identifier used in probe ids (`mars`).
    pub id: String,
    /// What this host is for.
    pub role: Role,
    /// Host name (or IP literal) to resolve and connect to.
    pub host: String,
    /// Port for the TLS and HTTPS probes.
    pub https_port: u16,
    /// Port for a plain-HTTP probe, if any (the control host).
    pub http_port: Option<u16>,
    /// Path to request.
    pub path: String,
    /// Hosts a redirect may point to without counting as foreign (the target's own host always may).
    pub redirect_hosts: Vec<String>,
}

/// What to tell people for one verdict.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictText {
    /// One line.
    pub title: String,
    /// A short paragraph.
    pub summary: String,
    /// What to do, in order.
    pub next_steps: Vec<String>,
    /// Steps put first when a VPN that is not the HMS one is up; `{vpn}` names it.
    #[serde(default)]
    pub next_steps_other_vpn: Vec<String>,
}

// ---- the file format (serde), kept apart from the validated types above ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    version: Spanned<u32>,
    name: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation for people; not used by the program
    description: Option<String>,
    #[serde(default)]
    nameservers: Vec<Spanned<String>>,
    #[serde(default)]
    timeouts: RawTimeouts,
    targets: Spanned<Vec<Spanned<RawTarget>>>,
    verdicts: Spanned<BTreeMap<Spanned<String>, VerdictText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeouts {
    #[serde(default = "default_dns_ms")]
    dns_ms: Spanned<u64>,
    #[serde(default = "default_connect_ms")]
    connect_ms: Spanned<u64>,
    #[serde(default = "default_tls_ms")]
    tls_ms: Spanned<u64>,
    #[serde(default = "default_http_ms")]
    http_ms: Spanned<u64>,
}

impl Default for RawTimeouts {
    fn default() -> Self {
        RawTimeouts {
            dns_ms: default_dns_ms(),
            connect_ms: default_connect_ms(),
            tls_ms: default_tls_ms(),
            http_ms: default_http_ms(),
        }
    }
}

fn default_dns_ms() -> Spanned<u64> {
    Spanned::new(0..0, 2500)
}
fn default_connect_ms() -> Spanned<u64> {
    Spanned::new(0..0, 3000)
}
fn default_tls_ms() -> Spanned<u64> {
    Spanned::new(0..0, 3000)
}
fn default_http_ms() -> Spanned<u64> {
    Spanned::new(0..0, 4000)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: Spanned<String>,
    role: Role,
    host: Spanned<String>,
    #[serde(default = "default_https_port")]
    https_port: Spanned<u16>,
    #[serde(default)]
    http_port: Option<Spanned<u16>>,
    #[serde(default = "default_path")]
    path: Spanned<String>,
    #[serde(default)]
    redirect_hosts: Vec<String>,
}

fn default_https_port() -> Spanned<u16> {
    Spanned::new(0..0, 443)
}
fn default_path() -> Spanned<String> {
    Spanned::new(0..0, "/".to_owned())
}

/// The current profile format version.
const PROFILE_VERSION: u32 = 1;

impl Profile {
    /// The embedded HMS profile.
    ///
    /// # Panics
    /// Never in a released build: a test proves the shipped file parses and validates.
    #[must_use]
    pub fn embedded() -> Profile {
        Profile::parse(HMS_PROFILE, HMS_PROFILE_NAME).expect("the embedded profile is valid")
    }

    /// Reads and validates a profile file.
    ///
    /// # Errors
    /// A [`ProfileError`] naming the file (and line and column when the problem has a place).
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let file = path.display().to_string();
        let error = |message: String| ProfileError {
            file: file.clone(),
            position: None,
            message,
        };
        let bytes = crate::input::read_capped(path, MAX_PROFILE_BYTES).map_err(error)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            error(format!(
                "not UTF-8 text (invalid byte at offset {}); a profile is a TOML file like probes/hms.toml",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Profile::parse(&text, &file)
    }

    /// Parses and validates profile text; `file` names it in errors.
    ///
    /// # Errors
    /// A [`ProfileError`] with the position of the first problem found.
    pub fn parse(text: &str, file: &str) -> Result<Profile, ProfileError> {
        let at = |span: std::ops::Range<usize>, message: String| ProfileError {
            file: file.to_owned(),
            position: (span.start != span.end || span.start != 0)
                .then(|| line_col(text, span.start)),
            message,
        };
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let message = first_line(e.message());
            match e.span() {
                Some(span) => at(span, message),
                None => ProfileError {
                    file: file.to_owned(),
                    position: None,
                    message,
                },
            }
        })?;

        if *raw.version.get_ref() != PROFILE_VERSION {
            return Err(at(
                raw.version.span(),
                format!(
                    "profile version {} is not supported (this hmsaccess reads version {PROFILE_VERSION}); update hmsaccess or fix the version",
                    raw.version.get_ref()
                ),
            ));
        }
        if raw.name.trim().is_empty() {
            return Err(at(0..0, "`name` must not be empty".into()));
        }

        let mut nameservers = Vec::new();
        for ns in &raw.nameservers {
            nameservers.push(parse_nameserver(ns.get_ref()).map_err(|m| at(ns.span(), m))?);
        }

        let timeouts = Timeouts {
            dns: step_timeout(&raw.timeouts.dns_ms, "dns_ms").map_err(|(s, m)| at(s, m))?,
            connect: step_timeout(&raw.timeouts.connect_ms, "connect_ms")
                .map_err(|(s, m)| at(s, m))?,
            tls: step_timeout(&raw.timeouts.tls_ms, "tls_ms").map_err(|(s, m)| at(s, m))?,
            http: step_timeout(&raw.timeouts.http_ms, "http_ms").map_err(|(s, m)| at(s, m))?,
        };

        let targets_span = raw.targets.span();
        let mut targets: Vec<Target> = Vec::new();
        for raw_target in raw.targets.into_inner() {
            let span = raw_target.span();
            let t = raw_target.into_inner();
            let id = t.id.get_ref().clone();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(at(
                    t.id.span(),
                    format!("target id {id:?} must be lowercase letters, digits and '-'"),
                ));
            }
            if targets.iter().any(|o| o.id == id) {
                return Err(at(t.id.span(), format!("target id {id:?} is used twice")));
            }
            let host = t.host.get_ref().trim_end_matches('.').to_ascii_lowercase();
            if !is_valid_host(&host) {
                return Err(at(
                    t.host.span(),
                    format!("{:?} is not a host name or IP address", t.host.get_ref()),
                ));
            }
            for port in std::iter::once(&t.https_port).chain(t.http_port.as_ref()) {
                if *port.get_ref() == 0 {
                    return Err(at(
                        port.span(),
                        "port 0 is not a port; use 1 to 65535".into(),
                    ));
                }
            }
            if !t.path.get_ref().starts_with('/') {
                return Err(at(t.path.span(), "path must start with '/'".into()));
            }
            if targets.iter().any(|o| o.role == t.role) {
                return Err(at(
                    span,
                    format!(
                        "a second target has role {:?}; each role appears at most once",
                        t.role
                    ),
                ));
            }
            targets.push(Target {
                id,
                role: t.role,
                host,
                https_port: *t.https_port.get_ref(),
                http_port: t.http_port.map(|p| *p.get_ref()),
                path: t.path.into_inner(),
                redirect_hosts: t
                    .redirect_hosts
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
            });
        }
        for needed in [Role::Mars, Role::Affiliate, Role::Control] {
            if !targets.iter().any(|t| t.role == needed) {
                return Err(at(
                    targets_span.clone(),
                    format!(
                        "no target has role {:?}; a profile needs one each for mars, affiliate and control",
                        role_name(needed)
                    ),
                ));
            }
        }

        let verdicts_span = raw.verdicts.span();
        let mut verdicts = BTreeMap::new();
        for (key, text_of) in raw.verdicts.into_inner() {
            let Some(code) = VerdictCode::ALL
                .iter()
                .find(|c| c.as_str() == key.get_ref())
            else {
                return Err(at(
                    key.span(),
                    format!(
                        "unknown verdict {:?}; expected one of: {}",
                        key.get_ref(),
                        VerdictCode::ALL.map(VerdictCode::as_str).join(", ")
                    ),
                ));
            };
            if text_of.title.trim().is_empty() || text_of.next_steps.is_empty() {
                return Err(at(
                    key.span(),
                    format!(
                        "verdict {:?} needs a title and at least one next step",
                        key.get_ref()
                    ),
                ));
            }
            verdicts.insert(*code, text_of);
        }
        if let Some(missing) = VerdictCode::ALL.iter().find(|c| !verdicts.contains_key(c)) {
            return Err(at(
                verdicts_span,
                format!("[verdicts.{missing}] is missing; every verdict needs its texts"),
            ));
        }

        Ok(Profile {
            name: raw.name,
            nameservers,
            timeouts,
            targets,
            verdicts,
        })
    }

    /// The target with this role, if the profile has one.
    #[must_use]
    pub fn target(&self, role: Role) -> Option<&Target> {
        self.targets.iter().find(|t| t.role == role)
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Mars => "mars",
        Role::Affiliate => "affiliate",
        Role::Gateway => "gateway",
        Role::Control => "control",
    }
}

/// A step timeout must be positive and at most a minute (the whole run is bounded anyway).
fn step_timeout(
    value: &Spanned<u64>,
    key: &str,
) -> Result<Duration, (std::ops::Range<usize>, String)> {
    let ms = *value.get_ref();
    if ms == 0 || ms > 60_000 {
        return Err((
            value.span(),
            format!("{key} = {ms} is out of range; use 1 to 60000 (milliseconds)"),
        ));
    }
    Ok(Duration::from_millis(ms))
}

/// `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353`.
fn parse_nameserver(text: &str) -> Result<SocketAddr, String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    text.parse::<SocketAddr>()
        .map_err(|_| format!("nameserver {text:?} is not an IP address (or ip:port, [v6]:port)"))
}

/// A DNS name (letters, digits, '-', dots; labels 1–63) or an IP literal.
fn is_valid_host(host: &str) -> bool {
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profile_parses_and_validates() {
        let p = Profile::parse(HMS_PROFILE, HMS_PROFILE_NAME).unwrap();
        assert_eq!(p.name, "hms");
        let hosts: Vec<&str> = p.targets.iter().map(|t| t.host.as_str()).collect();
        // The contract: these names and no others by default.
        assert_eq!(
            hosts,
            [
                "mars.med.harvard.edu",
                "affiliate-apps.hms.harvard.edu",
                "vpn.hms.harvard.edu",
                "it.hms.harvard.edu"
            ]
        );
        assert_eq!(p.target(Role::Control).unwrap().http_port, Some(80));
        assert!(
            p.nameservers.is_empty(),
            "the embedded profile must use the OS resolver"
        );
        assert_eq!(p.verdicts.len(), VerdictCode::ALL.len());
    }

    fn with(replace: &str, by: &str) -> Result<Profile, ProfileError> {
        assert!(
            HMS_PROFILE.contains(replace),
            "test setup: {replace:?} not in profile"
        );
        Profile::parse(&HMS_PROFILE.replacen(replace, by, 1), "p.toml")
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let e = with("dns_ms = 2500", "dns_ms = 2500\ndns_retries = 3").unwrap_err();
        let line = HMS_PROFILE
            .lines()
            .position(|l| l.starts_with("dns_ms"))
            .unwrap()
            + 2;
        assert_eq!(e.position, Some((line, 1)), "{e}");
        assert!(
            e.to_string().starts_with(&format!("p.toml:{line}:1: ")),
            "{e}"
        );
        assert!(e.message.contains("dns_retries"), "{e}");
    }

    #[test]
    fn wrong_type_is_located() {
        let e = with("https_port = 443", "https_port = \"443\"").unwrap_err();
        assert!(e.position.is_some());
        assert!(
            e.message.contains("invalid type") || e.message.contains("integer"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_are_rejected_with_position() {
        for (from, to, says) in [
            ("dns_ms = 2500", "dns_ms = 0", "out of range"),
            (
                "host = \"mars.med.harvard.edu\"",
                "host = \"mars med\"",
                "not a host name",
            ),
            ("https_port = 443", "https_port = 0", "port 0"),
            ("id = \"mars\"", "id = \"MARS\"", "lowercase"),
            ("version = 1", "version = 7", "not supported"),
            ("[verdicts.offline]", "[verdicts.ofline]", "unknown verdict"),
            (
                "# nameservers = [\"10.0.0.53\"]",
                "nameservers = [\"ten\"]",
                "not an IP",
            ),
        ] {
            let e = with(from, to).unwrap_err();
            assert!(e.message.contains(says), "{from} -> {to}: {e}");
            assert!(e.position.is_some(), "{from} -> {to}: no position in {e}");
        }
    }

    #[test]
    fn missing_role_and_verdict_are_reported() {
        let e = with("role = \"control\"", "role = \"gateway\"").unwrap_err();
        assert!(e.message.contains("role"), "{e}");
        let e = with("[verdicts.offline]", "[verdicts.inconclusive-x]").unwrap_err();
        assert!(e.message.contains("unknown verdict"), "{e}");
    }

    #[test]
    fn nameservers_accept_ports_and_v6() {
        let p = with(
            "# nameservers = [\"10.0.0.53\"]",
            "nameservers = [\"127.0.0.1:5353\", \"::1\", \"[::1]:54\"]",
        )
        .unwrap();
        assert_eq!(
            p.nameservers,
            vec![
                "127.0.0.1:5353".parse::<SocketAddr>().unwrap(),
                "[::1]:53".parse().unwrap(),
                "[::1]:54".parse().unwrap()
            ]
        );
    }

    proptest::proptest! {
        /// Any text: a profile or a one-line error with the file name, never a panic.
        #[test]
        fn prop_any_text_never_panics(text in "\\PC{0,400}") {
            if let Err(e) = Profile::parse(&text, "f.toml") {
                let shown = e.to_string();
                proptest::prop_assert!(shown.starts_with("f.toml"));
                proptest::prop_assert!(!shown.contains('\n'), "multi-line error: {shown}");
            }
        }

        /// The shipped profile with one byte range deleted and junk inserted: never a panic,
        /// and every error stays one line.
        #[test]
        fn prop_mutated_profile_never_panics(
            at in 0usize..HMS_PROFILE.len(),
            cut in 0usize..40,
            junk in "[\\[\\]={}\",.a-z0-9 \n-]{0,12}",
        ) {
            let at = HMS_PROFILE.floor_char_boundary(at);
            let end = HMS_PROFILE.floor_char_boundary((at + cut).min(HMS_PROFILE.len()));
            let text = format!("{}{junk}{}", &HMS_PROFILE[..at], &HMS_PROFILE[end..]);
            if let Err(e) = Profile::parse(&text, "m.toml") {
                proptest::prop_assert!(!e.to_string().contains('\n'), "multi-line: {e}");
            }
        }
    }

    #[test]
    fn binary_and_huge_and_empty_profiles_are_refused() {
        let e = Profile::parse("", "empty.toml").unwrap_err();
        assert!(e.message.contains("missing field"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin.toml");
        std::fs::write(&bin, [0u8, 159, 146, 150, 255]).unwrap();
        let e = Profile::load(&bin).unwrap_err();
        assert!(e.message.contains("not UTF-8"), "{e}");
        let huge = dir.path().join("huge.toml");
        std::fs::write(&huge, vec![b'#'; 2 * 1024 * 1024]).unwrap();
        let e = Profile::load(&huge).unwrap_err();
        assert!(e.message.contains("larger than"), "{e}");
        let e = Profile::load(&dir.path().join("missing.toml")).unwrap_err();
        assert!(e.message.contains("no such file"), "{e}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab\ncé\nx", 4), (2, 2));
    }
}
