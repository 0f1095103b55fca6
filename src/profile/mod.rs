//! Probe profiles: which hosts to probe, how long each step may take, and what to tell people.
//!
//! A profile is data (`probes/*.toml`); the HMS one is embedded and is the default. Parsing is
//! strict (unknown keys are rejected) and every error names `FILE:LINE:COL`, so a service desk
//! editing a profile by hand learns exactly what to fix. Loading does no network I/O.
//!
//! `raw` holds the file format as serde reads it (every value with its position); this module
//! holds the validated types and the checks that turn one into the other, a function per part.
//! The words per verdict and per cause are checked in `texts`, the Service Desk in `desk`; a
//! problem and where it is, in `problem`. The files import one way: none imports this one back.

mod desk;
mod problem;
mod raw;
#[cfg(test)]
mod tests;
mod texts;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use toml::Spanned;

pub use self::desk::ServiceDesk;
pub use self::problem::ProfileError;
use self::problem::{Checked, Problem, first_line, problem};
use self::raw::{PROFILE_VERSION, RawOtherVpn, RawProfile, RawTarget, RawTimeouts};
pub use self::texts::{
    CauseText, EVERY_CAUSE, PLACEHOLDERS, STEP_OSES, Step, Texts, VerdictText, fills,
    placeholders_in,
};
use crate::report::model::{Role, VerdictCode, VpnRole};

/// The embedded HMS profile, the default for `--profile`.
pub const HMS_PROFILE: &str = include_str!("../../probes/hms.toml");
/// The name shown for the embedded profile in errors.
pub const HMS_PROFILE_NAME: &str = "probes/hms.toml (embedded)";

/// Largest profile accepted: a real one is a few KiB; this keeps a wrong file from eating memory.
const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// A validated profile, ready to plan probes from.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Short name, recorded in reports.
    pub name: String,
    /// Nameservers to use instead of the OS configuration (empty: use the OS's).
    pub nameservers: Vec<SocketAddr>,
    /// Per-step time bounds.
    pub timeouts: Timeouts,
    /// Which redirects of MARS or the portal mean "refused" and which mean "sign in".
    pub answers: AnswerRules,
    /// Hosts to probe, in profile order.
    pub targets: Vec<Target>,
    /// Other VPNs a person is likely to have, by their servers: a tunnel to one of them is
    /// never the HMS VPN, whatever routes it carries.
    pub other_vpns: Vec<OtherVpn>,
    /// Texts per verdict; every code has one.
    pub verdicts: BTreeMap<VerdictCode, VerdictText>,
    /// Who people are sent to for help (`[service_desk]`); `{service_desk}` and
    /// `{service_desk_phone}` in texts are filled from it when the profile is read.
    pub service_desk: Option<ServiceDesk>,
}

/// A VPN that is not the HMS VPN, known by its servers (`[[other_vpns]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherVpn {
    /// Whose VPN it is, as reports name it (`Harvard University VPN`).
    pub name: String,
    /// `Affiliate` for a Longwood Medical Area hospital's VPN, else `Unknown`.
    pub role: VpnRole,
    /// Its servers' host names (lower case).
    pub gateways: Vec<String>,
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

/// Pages whose redirects tell whether a restricted server answers (contract: when a server
/// "answers"): a redirect to a refusal page means the server refuses this network; one to a
/// sign-in host means it answers and asks for a sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerRules {
    /// "Access denied / VPN required" pages, as lower-case host and path (no trailing `/`);
    /// scheme, port and query do not matter.
    pub refusal_pages: Vec<(String, String)>,
    /// Hosts of sign-in pages, lower case.
    pub sign_in_hosts: Vec<String>,
}

impl AnswerRules {
    /// Whether `url` is one of the refusal pages.
    #[must_use]
    pub fn is_refusal(&self, url: &url::Url) -> bool {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let path = url.path().trim_end_matches('/');
        self.refusal_pages
            .iter()
            .any(|(h, p)| *h == host && p.eq_ignore_ascii_case(path))
    }

    /// Whether `url` is on a sign-in host.
    #[must_use]
    pub fn is_sign_in(&self, url: &url::Url) -> bool {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        self.sign_in_hosts.contains(&host)
    }
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
    /// The checks run in file order (version, name, nameservers, timeouts, targets, verdicts) and
    /// the first problem found is the one reported.
    ///
    /// # Errors
    /// A [`ProfileError`] with the position of the first problem found.
    pub fn parse(text: &str, file: &str) -> Result<Profile, ProfileError> {
        let located = |p: Problem| p.locate(text, file);
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            located(Problem {
                span: e.span().unwrap_or(0..0),
                message: first_line(e.message()),
            })
        })?;
        check_header(&raw).map_err(located)?;
        let nameservers = nameservers(&raw.nameservers).map_err(located)?;
        let answers = answer_rules(&raw.refusal_pages, &raw.sign_in_hosts).map_err(located)?;
        let timeouts = timeouts(&raw.timeouts).map_err(located)?;
        let targets = targets(raw.targets).map_err(located)?;
        let other_vpns = other_vpns(raw.other_vpns, &targets).map_err(located)?;
        let service_desk = desk::service_desk(raw.service_desk).map_err(located)?;
        let mut verdicts = texts::verdicts(raw.verdicts).map_err(located)?;
        desk::fill_service_desk(&mut verdicts, service_desk.as_ref()).map_err(located)?;
        Ok(Profile {
            name: raw.name,
            nameservers,
            timeouts,
            answers,
            targets,
            other_vpns,
            verdicts,
            service_desk,
        })
    }

    /// The target with this role, if the profile has one.
    #[must_use]
    pub fn target(&self, role: Role) -> Option<&Target> {
        self.targets.iter().find(|t| t.role == role)
    }
}

// ---- validation: raw (file format) to validated types, one function per part ----

/// The format version this program reads, and a non-empty name.
fn check_header(raw: &RawProfile) -> Checked<()> {
    if *raw.version.get_ref() != PROFILE_VERSION {
        return Err(problem(
            raw.version.span(),
            format!(
                "profile version {} is not supported (this hmsaccess reads version {PROFILE_VERSION}); update hmsaccess or fix the version",
                raw.version.get_ref()
            ),
        ));
    }
    if raw.name.trim().is_empty() {
        return Err(problem(0..0, "`name` must not be empty"));
    }
    Ok(())
}

/// Every nameserver as a socket address (port 53 unless given).
fn nameservers(raw: &[Spanned<String>]) -> Checked<Vec<SocketAddr>> {
    raw.iter()
        .map(|ns| parse_nameserver(ns.get_ref()).map_err(|m| problem(ns.span(), m)))
        .collect()
}

/// Refusal pages as `http(s)://host/path` URLs, sign-in hosts as host names.
fn answer_rules(pages: &[Spanned<String>], hosts: &[Spanned<String>]) -> Checked<AnswerRules> {
    let mut rules = AnswerRules::default();
    for page in pages {
        let url = url::Url::parse(page.get_ref())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                problem(
                    page.span(),
                    format!(
                        "refusal page {:?} is not an http(s) URL with a host, like \"https://it.hms.harvard.edu/vpn-now-required\"",
                        page.get_ref()
                    ),
                )
            })?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let path = url.path().trim_end_matches('/').to_owned();
        rules.refusal_pages.push((host, path));
    }
    for host in hosts {
        let name = host.get_ref().trim_end_matches('.').to_ascii_lowercase();
        if !is_valid_host(&name) {
            return Err(problem(
                host.span(),
                format!(
                    "sign-in host {:?} is not a host name (write the host alone, without https:// or a path)",
                    host.get_ref()
                ),
            ));
        }
        rules.sign_in_hosts.push(name);
    }
    Ok(rules)
}

fn timeouts(raw: &RawTimeouts) -> Checked<Timeouts> {
    Ok(Timeouts {
        dns: step_timeout(&raw.dns_ms, "dns_ms")?,
        connect: step_timeout(&raw.connect_ms, "connect_ms")?,
        tls: step_timeout(&raw.tls_ms, "tls_ms")?,
        http: step_timeout(&raw.http_ms, "http_ms")?,
    })
}

/// A step timeout must be positive and at most a minute (the whole run is bounded anyway).
fn step_timeout(value: &Spanned<u64>, key: &str) -> Checked<Duration> {
    let ms = *value.get_ref();
    if ms == 0 || ms > 60_000 {
        return Err(problem(
            value.span(),
            format!("{key} = {ms} is out of range; use 1 to 60000 (milliseconds)"),
        ));
    }
    Ok(Duration::from_millis(ms))
}

/// Every target valid on its own and against the earlier ones; mars, affiliate and control present.
fn targets(raw: Spanned<Vec<Spanned<RawTarget>>>) -> Checked<Vec<Target>> {
    let span = raw.span();
    let mut targets: Vec<Target> = Vec::new();
    for raw_target in raw.into_inner() {
        let target = target(raw_target, &targets)?;
        targets.push(target);
    }
    for needed in [Role::Mars, Role::Affiliate, Role::Control] {
        if !targets.iter().any(|t| t.role == needed) {
            return Err(problem(
                span.clone(),
                format!(
                    "no target has role {:?}; a profile needs one each for mars, affiliate and control",
                    role_name(needed)
                ),
            ));
        }
    }
    Ok(targets)
}

/// One target: id, host, ports and path well formed; id and role not used by an `earlier` one.
fn target(raw: Spanned<RawTarget>, earlier: &[Target]) -> Checked<Target> {
    let span = raw.span();
    let t = raw.into_inner();
    let id = target_id(&t.id, earlier)?;
    let host = t.host.get_ref().trim_end_matches('.').to_ascii_lowercase();
    if !is_valid_host(&host) {
        return Err(problem(
            t.host.span(),
            format!("{:?} is not a host name or IP address", t.host.get_ref()),
        ));
    }
    for port in std::iter::once(&t.https_port).chain(t.http_port.as_ref()) {
        if *port.get_ref() == 0 {
            return Err(problem(port.span(), "port 0 is not a port; use 1 to 65535"));
        }
    }
    if !t.path.get_ref().starts_with('/') {
        return Err(problem(t.path.span(), "path must start with '/'"));
    }
    if earlier.iter().any(|o| o.role == t.role) {
        return Err(problem(
            span,
            format!(
                "a second target has role {:?}; each role appears at most once",
                t.role
            ),
        ));
    }
    Ok(Target {
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
    })
}

/// A target id: lowercase letters, digits and '-', not used by an `earlier` target.
fn target_id(raw: &Spanned<String>, earlier: &[Target]) -> Checked<String> {
    let id = raw.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(problem(
            raw.span(),
            format!("target id {id:?} must be lowercase letters, digits and '-'"),
        ));
    }
    if earlier.iter().any(|o| o.id == id) {
        return Err(problem(
            raw.span(),
            format!("target id {id:?} is used twice"),
        ));
    }
    Ok(id)
}

/// Every `[[other_vpns]]` entry: a name (not the HMS VPN's), a role, one or more servers that
/// are host names, none of them the HMS VPN gateway's or another entry's.
fn other_vpns(raw: Vec<Spanned<RawOtherVpn>>, targets: &[Target]) -> Checked<Vec<OtherVpn>> {
    let hms_gateway = targets.iter().find(|t| t.role == Role::Gateway);
    let mut out: Vec<OtherVpn> = Vec::new();
    for entry in raw {
        let span = entry.span();
        let e = entry.into_inner();
        let name = e.name.get_ref().trim().to_owned();
        let hms_words = name.to_ascii_lowercase();
        if name.is_empty()
            || hms_words.contains("hms")
            || hms_words.contains("harvard medical school")
        {
            return Err(problem(
                e.name.span(),
                "an other_vpns name must not be empty or name HMS: the HMS VPN is the gateway target",
            ));
        }
        let role = match e.role.get_ref().as_str() {
            "affiliate" => VpnRole::Affiliate,
            "other" => VpnRole::Unknown,
            r => {
                return Err(problem(
                    e.role.span(),
                    format!("role {r:?} is not one of \"affiliate\" (a hospital VPN) or \"other\""),
                ));
            }
        };
        if e.gateways.get_ref().is_empty() {
            return Err(problem(
                span,
                format!("{name:?} needs at least one server in `gateways`"),
            ));
        }
        let mut gateways = Vec::new();
        for g in e.gateways.get_ref() {
            let host = g.get_ref().trim_end_matches('.').to_ascii_lowercase();
            if !is_valid_host(&host) {
                return Err(problem(
                    g.span(),
                    format!("{:?} is not a host name or IP address", g.get_ref()),
                ));
            }
            let taken = hms_gateway.is_some_and(|t| t.host == host)
                || out.iter().any(|o| o.gateways.contains(&host));
            if taken {
                return Err(problem(
                    g.span(),
                    format!("{host:?} is already the server of another VPN in this profile"),
                ));
            }
            gateways.push(host);
        }
        out.push(OtherVpn {
            name,
            role,
            gateways,
        });
    }
    Ok(out)
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Mars => "mars",
        Role::Affiliate => "affiliate",
        Role::Gateway => "gateway",
        Role::Control => "control",
    }
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
