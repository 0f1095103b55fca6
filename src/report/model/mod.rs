//! The JSON report: the wire types that service desks and scripts rely on.
//!
//! These types are the API described in `../shared/CONTRACT.md` and `docs/report.schema.json`
//! (generated from them and pinned by a test: `UPDATE_SCHEMA=1 cargo test --lib schema`). Only
//! ever add fields; never rename or remove one. Every probe failure is data here (an
//! [`Outcome`]), never a Rust error. Names, labels and exit codes of the closed lists live in
//! [`super::labels`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The report format version. Bump only for a change that breaks readers (never planned).
pub const SCHEMA_VERSION: u32 = 1;

/// One run of `hmsaccess diagnose`, as saved with `--json` / `--output`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Format version of this report; readers refuse a newer major version.
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// The computer the report comes from (null in reports written before contract 2).
    #[serde(default)]
    pub system: Option<SystemInfo>,
    /// When the run started, RFC 3339 in UTC.
    pub started_at: String,
    /// Wall time of the whole run in milliseconds.
    pub duration_ms: u64,
    /// Which probe profile was used (its name only; never a local path).
    pub profile: String,
    /// Short identifier of this report, derived from its content, to quote on the phone or in a ticket.
    #[serde(default)]
    pub report_id: Option<String>,
    /// The single conclusion and what to do about it.
    pub verdict: Verdict,
    /// Every probe of the plan, in plan order, including those that did not run.
    pub probes: Vec<Probe>,
    /// Every VPN tunnel active at the moment of the run, one entry per tunnel interface.
    pub vpns: Vec<Vpn>,
    /// Whether VPN detection ran; `vpns` is only meaningful when it did.
    pub vpn_detection: Detection,
    /// VPN apps found installed on this computer (by their install locations), HMS clients
    /// first; null when not checked.
    #[serde(default)]
    pub installed_clients: Option<Vec<String>>,
    /// Network interfaces the operating system reported (no MAC addresses).
    pub interfaces: Vec<Interface>,
    /// The resolver configuration the DNS probes used.
    pub resolver: ResolverInfo,
    /// The proxy the system would use for the probed `https://` URLs, and how it was found; null
    /// in reports written before contract 2.
    #[serde(default)]
    pub proxy: Option<ProxyInfo>,
    /// Things worth knowing that are not probe results (for example a run cut short by --timeout).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Why and when the run stopped waiting for probes (null in reports written before
    /// contract 2).
    #[serde(default)]
    pub run_end: Option<RunEnd>,
    /// Traffic through each tunnel interface during the run, from the operating system's
    /// interface counters; null when they could not be read.
    #[serde(default)]
    pub tunnel_traffic: Option<Vec<TunnelTraffic>>,
}

/// Why and when a run stopped waiting for its probes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RunEnd {
    /// What ended it.
    pub reason: RunEndReason,
    /// The time the probes were allowed, in milliseconds from the start (from `--timeout`, or
    /// the built-in bound).
    pub budget_ms: u64,
    /// Probes that were still waiting for an answer when the run ended, before they had waited
    /// long enough to tell a blocked path from a slow one; their `timeout` decides nothing.
    #[serde(default)]
    pub cut_short: Vec<String>,
    /// How long from the start a run would have needed for those probes to decide; null when
    /// none was cut short.
    #[serde(default)]
    pub needed_ms: Option<u64>,
}

/// What ended a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RunEndReason {
    /// Every probe finished.
    Complete,
    /// The verdict was certain before every probe finished.
    Settled,
    /// The time bound (`--timeout`, or the built-in 10 s) was reached.
    Deadline,
    /// The person pressed Ctrl-C.
    Interrupted,
}

/// Bytes that went through one tunnel interface between the interface scan and the end of the
/// run. A tunnel that sends but receives nothing passes no traffic (its VPN session is gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TunnelTraffic {
    /// The tunnel interface (as in `vpns[].interface`).
    pub interface: String,
    /// Bytes sent into the tunnel during the interval.
    pub sent_bytes: u64,
    /// Bytes received from the tunnel during the interval.
    pub received_bytes: u64,
    /// Length of the interval, in milliseconds.
    pub interval_ms: u64,
}

/// Name and version of the program that wrote a report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// Always "hmsaccess".
    pub name: String,
    /// The program's version (semver).
    pub version: String,
}

/// The computer a report comes from, as its operating system describes itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SystemInfo {
    /// `macos`, `windows`, `linux`, … (Rust's `std::env::consts::OS`).
    pub os: String,
    /// The operating system's version (`14.5`, `11 (26100)`, `12`); null when it cannot be read.
    pub os_version: Option<String>,
    /// The operating system's own long name (`macOS 14.5 Sonoma`, `Windows 11 Pro`,
    /// `Linux 12 Debian GNU/Linux`); null when it cannot be read.
    #[serde(default)]
    pub os_name: Option<String>,
    /// The processor architecture (`aarch64`, `x86_64`).
    pub arch: String,
}

/// The verdict: one contract code, with the words a person acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Verdict {
    /// The contract's verdict code; the exit status follows from it.
    pub code: VerdictCode,
    /// Why the verdict holds (contract 3): the most specific cause the evidence proves, one of
    /// the verdict's rows in the contract's table; it decides the first step. Null in reports
    /// written before contract 3.
    #[serde(default)]
    pub cause: Option<Cause>,
    /// Who must act for MARS to open (follows from the cause); null in reports written before
    /// contract 3.
    #[serde(default)]
    pub acts: Option<Acts>,
    /// One line saying what is going on.
    pub title: String,
    /// A short paragraph explaining the verdict in plain words.
    pub summary: String,
    /// What to do, in order.
    pub next_steps: Vec<String>,
    /// The observations that led here, in plain words (the probes keep the technical account).
    pub evidence: Vec<String>,
    /// Findings that do not decide the verdict but that a person should know (another VPN is
    /// also up while MARS works, TLS inspection with a trusted root, a clock a few minutes off,
    /// a proxy in use, the run cut short), in plain words; empty when none.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// The closed list of verdicts from the contract, in priority order (first wins).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictCode {
    /// No usable network connection.
    Offline,
    /// This computer itself refuses to send the traffic (a firewall, security software, or a VPN
    /// client's lock-down mode): connections fail at once with a permission error.
    BlockedLocally,
    /// This computer's date or time is far enough off that certificates fail.
    ClockWrong,
    /// A hotel or guest Wi-Fi login page intercepts web traffic.
    CaptivePortal,
    /// A route out exists but name resolution does not work.
    DnsFailure,
    /// MARS answers: connected through the HMS VPN or on the HMS network.
    HmsVpn,
    /// The affiliate portal answers: inside the Longwood Medical Area network.
    InsideLma,
    /// Secure connections are re-signed by something this computer does not trust.
    TlsIntercepted,
    /// Two or more VPN tunnels are active at once and neither MARS nor the portal answers.
    ConflictingVpns,
    /// The HMS VPN is connected but MARS does not answer.
    MarsUnreachable,
    /// The internet works but neither MARS nor the affiliate portal answers.
    NeedsHmsVpn,
    /// The evidence fits none of the above, or the run was cut short before it could tell.
    Inconclusive,
}

/// Why a verdict holds (contract 3, "The cause, and who acts"): each belongs to one verdict code
/// ([`Cause::verdict`]) and names the party who acts ([`Cause::acts`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// `hms-vpn`: MARS answers and an HMS VPN tunnel is up.
    ViaHmsVpn,
    /// `hms-vpn`: MARS answers with no HMS VPN tunnel up.
    OnHmsNetwork,
    /// `inside-lma`: the portal answers and a hospital (affiliate) VPN is up.
    ViaHospitalVpn,
    /// `inside-lma`: the portal answers with no VPN up (on site, or through the site's proxy).
    OnLmaNetwork,
    /// `needs-hms-vpn`: no VPN is up; an HMS VPN client is installed (or that could not be checked).
    NoVpn,
    /// `needs-hms-vpn`: no VPN is up and no HMS VPN client is installed.
    NoHmsClient,
    /// `needs-hms-vpn`: a VPN that is not the HMS VPN is up.
    OtherVpn,
    /// `conflicting-vpns`: another tunnel carries the routes to MARS or the portal.
    OtherVpnTakesMars,
    /// `conflicting-vpns`: two or more tunnels, no access, and the routes do not say which is at fault.
    VpnsUp,
    /// `offline`: no interface with a way out.
    NoConnection,
    /// `offline`: a way out exists but not even the public HMS site answers.
    NothingAnswers,
    /// `offline`: the proxy the system names for HTTPS does not answer.
    ProxyDown,
    /// `dns-failure`: the resolvers stay silent or fail for every name.
    ResolversFail,
    /// `captive-portal`: a login page takes web traffic.
    LoginPage,
    /// `mars-unreachable`: the HMS tunnel passes no traffic.
    TunnelDead,
    /// `mars-unreachable`: MARS's addresses are routed into another tunnel, not the HMS VPN's.
    RouteTaken,
    /// `mars-unreachable`: TCP to MARS connects, but the secure handshake or the answer never
    /// completes (typically packets too large for the path).
    HandshakeStalls,
    /// `mars-unreachable`: MARS refuses this account through the HMS VPN (403).
    AccessRefused,
    /// `mars-unreachable`: MARS refuses connections or answers with a server error (5xx).
    MarsDown,
    /// `mars-unreachable`: MARS's own certificate fails while other HMS sites verify.
    MarsCertificate,
    /// `mars-unreachable`: the tunnel carries traffic, MARS does not answer, nothing above explains it.
    MarsSilent,
    /// `tls-intercepted`: secure connections are re-signed by an issuer this computer does not trust.
    UntrustedIssuer,
    /// `clock-wrong`: the clock is behind.
    ClockBehind,
    /// `clock-wrong`: the clock is ahead.
    ClockAhead,
    /// `blocked-locally`: connections fail at once with a permission error.
    PermissionDenied,
    /// `inconclusive`: the run was cut short before it could tell.
    CutShort,
    /// `inconclusive`: the evidence fits no other row.
    Unexplained,
}

/// The party who must act for MARS to open (contract 3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Acts {
    /// The person at the computer.
    You,
    /// The HMS IT Service Desk: accounts, access, VPN set-up.
    ServiceDesk,
    /// A failure on HMS's side: nothing on this computer will fix it.
    HmsIt,
    /// Whoever runs the network the computer is on.
    Network,
}

mod network;
mod probe;

pub use network::*;
pub use probe::*;

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.schema.json");

    fn generated() -> String {
        let schema = schemars::schema_for!(Report);
        serde_json::to_string_pretty(&schema).unwrap() + "\n"
    }

    /// The committed schema is what the types generate. To refresh it after a deliberate change:
    /// `UPDATE_SCHEMA=1 cargo test --lib schema`.
    #[test]
    fn committed_schema_matches_the_types() {
        let want = generated();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(SCHEMA_PATH, &want).unwrap();
        }
        let have = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
        assert!(
            have == want,
            "docs/report.schema.json is out of date with src/report/model/; \
             run UPDATE_SCHEMA=1 cargo test --lib schema and review the diff (only ever add fields)"
        );
    }
}
