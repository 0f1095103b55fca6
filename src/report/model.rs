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

/// What a probe is for, from the profile: decides how its result counts in the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// MARS: answers only through the HMS VPN or on the HMS network.
    Mars,
    /// The affiliate portal: answers only inside the Longwood Medical Area networks.
    Affiliate,
    /// The HMS VPN gateway: public.
    Gateway,
    /// The public control host: "is the internet working", captive portals.
    Control,
}

/// The kind of a probe (contract: `dns|tcp|tls|https|http|route`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeKind {
    /// Name resolution (A and AAAA) through every configured nameserver.
    Dns,
    /// Which local address and interface the OS would use to reach a destination (no packet sent).
    Route,
    /// TCP connect to each resolved address.
    Tcp,
    /// TLS handshake and certificate verification against the OS trust store.
    Tls,
    /// HTTPS GET over the verified TLS connection.
    Https,
    /// Plain HTTP GET (control host: captive portals).
    Http,
}

/// The closed list of probe outcomes, shared by the human output and the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The step succeeded.
    Ok,
    /// The step did not finish within its own timeout or the run's deadline.
    Timeout,
    /// The peer actively refused (TCP RST, DNS REFUSED).
    Refused,
    /// No route to the destination (network or host unreachable).
    Unreachable,
    /// The name does not exist (DNS NXDOMAIN).
    Nxdomain,
    /// The name exists but has no address of that type (DNS NODATA).
    NoRecords,
    /// The nameserver failed (DNS SERVFAIL).
    Servfail,
    /// No nameserver is configured or none could be used.
    NoNameservers,
    /// The certificate chains to no trusted root.
    TlsUnknownIssuer,
    /// The certificate does not name the host that was asked for.
    TlsNameMismatch,
    /// The certificate has expired (or the local clock is ahead).
    TlsExpired,
    /// The certificate is not valid yet (or the local clock is behind).
    TlsNotYetValid,
    /// The TLS handshake failed for another reason (protocol error, garbage, reset).
    TlsHandshakeFailed,
    /// The connection was reset or closed before an answer.
    Reset,
    /// The server sent something that is not valid HTTP (or DNS).
    ProtocolError,
    /// Redirects went round more than the allowed number of hops.
    TooManyRedirects,
    /// Not run, because a step it depends on failed.
    Skipped,
    /// Not run or not finished, because the verdict was already certain.
    NotNeeded,
    /// This computer refused to send the traffic: a permission error (`EPERM`/`EACCES`,
    /// `WSAEACCES` on Windows) from a firewall, security software or a VPN lock-down.
    PermissionDenied,
    /// Any other failure; `detail` says what (scrubbed).
    Error,
    /// The proxy refused: its port closed or unreachable, or it answered `CONNECT` with a refusal
    /// (the status is in `tcp.proxy.status`).
    ProxyRefused,
    /// The proxy asks for a sign-in (HTTP 407) before it lets the connection through.
    ProxyAuthRequired,
    /// The proxy did not accept the connection, or did not answer `CONNECT`, in time.
    ProxyTimeout,
}

/// One probe: one step (DNS, route, TCP, TLS, HTTP) for one target.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Probe {
    /// Stable identifier, `KIND:TARGET-ID[:PORT]`, for example `tls:mars:443`.
    pub id: String,
    /// Which step this is.
    pub kind: ProbeKind,
    /// The profile target this probe belongs to (`mars`, `affiliate`, …); null for global probes.
    pub target_id: Option<String>,
    /// What the target is for; null for global probes.
    pub role: Option<Role>,
    /// What was probed: a host name, `host:port`, or an address.
    pub target: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Time this step took in milliseconds; null when it did not run.
    pub duration_ms: Option<u64>,
    /// One scrubbed line saying what happened, when there is more to say than the outcome.
    pub detail: Option<String>,
    /// DNS results (kind `dns`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsData>,
    /// Route lookup results (kind `route`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteData>,
    /// TCP connect results (kind `tcp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpData>,
    /// TLS results (kind `tls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsData>,
    /// HTTP results (kinds `https` and `http`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpData>,
}

/// DNS results for one name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct DnsData {
    /// IPv4 addresses found (A), in answer order.
    pub a: Vec<String>,
    /// IPv6 addresses found (AAAA), in answer order.
    pub aaaa: Vec<String>,
    /// The nameserver whose answer was used; null when none answered.
    pub answered_by: Option<String>,
    /// What each nameserver said, per record type.
    pub servers: Vec<DnsServerResult>,
    /// Where the addresses used came from: `os` (the operating system's resolver, asked as a
    /// browser asks it) or `nameservers` (the profile's nameservers, asked directly). Null in
    /// reports written before contract 2.
    #[serde(default)]
    pub source: Option<String>,
    /// What the operating system's resolver answered, when it was asked.
    #[serde(default)]
    pub os: Option<OsResolution>,
    /// Windows name resolution policy (NRPT) rules that match this name: the nameservers
    /// Windows sends it to.
    #[serde(default)]
    pub nrpt: Vec<NrptRule>,
}

/// The operating system resolver's answer for one name (`getaddrinfo`, the Windows DNS client).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct OsResolution {
    /// How the lookup ended.
    pub outcome: Outcome,
    /// The addresses it returned, in its order (the first 32).
    pub addresses: Vec<String>,
    /// How long it took in milliseconds.
    pub duration_ms: u64,
    /// The resolver's error code when it failed (`EAI_NONAME`, `EAI_AGAIN`, `WSAHOST_NOT_FOUND`,
    /// `EAI_SYSTEM (errno 13)`); null on success.
    pub error: Option<String>,
}

/// One nameserver's answer to one query.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DnsServerResult {
    /// The nameserver, `ip:port`.
    pub server: String,
    /// `A` or `AAAA`.
    pub record_type: String,
    /// How the query ended.
    pub outcome: Outcome,
    /// Latency in milliseconds.
    pub duration_ms: u64,
    /// How many addresses it returned.
    pub answers: usize,
    /// The addresses it returned (the first 8), to compare with the OS resolver.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// Why this server was asked, when it is not one of the system's ordinary nameservers:
    /// `macOS per-domain resolver for med.harvard.edu (utun4)`, `Windows NRPT rule for
    /// .harvard.edu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// Which way the operating system would send packets to a destination.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct RouteData {
    /// The destination address looked up.
    pub destination: String,
    /// The local source address the OS picked; null when there is no route.
    pub local_address: Option<String>,
    /// The interface that owns that local address; null when unknown.
    pub interface: Option<String>,
}

/// TCP connect results for one target: every address tried.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TcpData {
    /// The port connected to.
    pub port: u16,
    /// The address whose connection was used for the next steps; null when none connected.
    pub connected: Option<String>,
    /// The local address of that connection.
    pub local_address: Option<String>,
    /// Every connect attempt.
    pub attempts: Vec<TcpAttempt>,
    /// The proxy this connection went through with HTTP `CONNECT`, when one applies; `connected`
    /// and `attempts` are then the proxy's addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyHop>,
}

/// One connection through a proxy: which proxy, how it was found, and its phases.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ProxyHop {
    /// The proxy, `http://host:port`, never with credentials.
    pub url: String,
    /// Where the setting came from (`HTTPS_PROXY`, `macOS network settings`, `Windows Internet
    /// Options`).
    pub source: String,
    /// Milliseconds to connect to the proxy; null when no connection was made.
    pub connect_ms: Option<u64>,
    /// The status the proxy answered `CONNECT` with (200 lets the connection through); null when
    /// it did not answer.
    pub status: Option<u16>,
    /// Milliseconds from sending `CONNECT` to the proxy's answer.
    pub answer_ms: Option<u64>,
    /// The sign-in methods a proxy asking for authentication offers (`Negotiate, NTLM`).
    pub authenticate: Option<String>,
}

/// One TCP connect attempt.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TcpAttempt {
    /// The remote address, `ip:port`.
    pub address: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Latency in milliseconds.
    pub duration_ms: u64,
}

/// TLS handshake results: what the server presented, even when verification failed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TlsData {
    /// The name sent in SNI and checked against the certificate.
    pub server_name: String,
    /// Negotiated protocol version (`TLSv1.3`); null when the handshake failed.
    pub version: Option<String>,
    /// Negotiated cipher suite; null when the handshake failed.
    pub cipher: Option<String>,
    /// Negotiated ALPN protocol, if any.
    pub alpn: Option<String>,
    /// How many certificates the server presented (leaf included).
    pub chain_length: usize,
    /// The leaf certificate, when one was presented.
    pub leaf: Option<CertInfo>,
    /// Issuer of the last certificate in the presented chain (the closest to a root).
    pub chain_top_issuer: Option<String>,
    /// The verifier's words when verification failed.
    pub verify_error: Option<String>,
    /// For a verified chain: does it also verify against the public (Mozilla) root list? `false`
    /// means it is trusted only through a root installed on this computer, as with TLS
    /// inspection by a hospital proxy or security software. Null when not verified.
    #[serde(default)]
    pub public_root: Option<bool>,
}

/// The parts of a certificate that explain a TLS verdict.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CertInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// DNS names and addresses the certificate is valid for.
    pub san: Vec<String>,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
}

/// HTTP exchange results (HTTPS or plain HTTP), including redirects.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct HttpData {
    /// The URL requested first.
    pub url: String,
    /// Status of the final response; null when none arrived.
    pub status: Option<u16>,
    /// `Server` header of the final response.
    pub server: Option<String>,
    /// `Location` header of the final response, when it redirects.
    pub location: Option<String>,
    /// Milliseconds from sending the request to the first byte of the response (last hop).
    pub first_byte_ms: Option<u64>,
    /// Bytes of body read (at most 64 KiB are read).
    pub body_bytes: u64,
    /// Redirect hops recorded, in order.
    pub redirects: Vec<Redirect>,
    /// The final response redirects to a host the profile does not expect (captive portal sign).
    pub foreign_redirect: bool,
    /// Server clock minus local clock in seconds, from the `Date` header, when the gap is over 5 minutes.
    pub clock_skew_s: Option<i64>,
    /// Where the final response's redirect points, by the profile's lists: within the same
    /// site, to a sign-in page, to a refusal ("VPN required") page, or elsewhere. Null when the
    /// final response is not a redirect (or in reports written before contract 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_kind: Option<RedirectKind>,
}

/// What a redirect tells about the server that sent it (contract: when a server "answers").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectKind {
    /// To the same host or another host of the same site: the server answers.
    SameSite,
    /// To a sign-in page the profile lists: the server answers and asks the person to sign in.
    SignIn,
    /// To a page the profile lists as "access denied / VPN required": the server refuses this
    /// network.
    Refusal,
    /// To another site the profile does not know.
    OtherSite,
}

/// One redirect hop.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Redirect {
    /// The URL that answered with a redirect.
    pub from: String,
    /// Its status code.
    pub status: u16,
    /// Where it pointed (resolved against `from`).
    pub to: String,
}

/// Whether a detector ran.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Detection {
    /// `ran`, or `not-run` with the reason in `detail`.
    pub status: DetectionStatus,
    /// Why it did not run, or what was partial.
    pub detail: Option<String>,
    /// Which evidence sources were consulted (for example `interfaces`, `routes`, `processes`).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Whether a detector ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DetectionStatus {
    /// The detector ran; an empty list means none found.
    Ran,
    /// The detector did not run; an empty list means "not checked", never "none found".
    NotRun,
}

/// One active VPN tunnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Vpn {
    /// The tunnel interface (`utun4`, `tun0`, or the Windows adapter name).
    pub interface: String,
    /// The VPN client that owns it, when known (`Pulse Secure`, `Cisco AnyConnect`, …).
    pub client: Option<String>,
    /// Whose tunnel it is.
    pub role: VpnRole,
    /// The VPN server this tunnel is connected to (host name or address), when known: from
    /// the client's own settings or the host route to it.
    #[serde(default)]
    pub gateway: Option<String>,
    /// Whose VPN that server is, when the profile knows it (`Harvard University VPN`): a
    /// tunnel to another network is never the HMS VPN, whatever routes it carries.
    #[serde(default)]
    pub network: Option<String>,
    /// Why it is taken for a VPN and for that role.
    pub evidence: Vec<String>,
}

/// Whose VPN a tunnel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VpnRole {
    /// The HMS VPN.
    Hms,
    /// A hospital (Longwood Medical Area) VPN.
    Affiliate,
    /// Some other VPN.
    Unknown,
}

/// One network interface as the OS reports it (no hardware addresses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Interface {
    /// OS name (`en0`, `eth0`, `utun4`, Windows adapter name).
    pub name: String,
    /// Windows friendly name or description, when the OS has one.
    pub description: Option<String>,
    /// `loopback`, `ethernet`, `wifi`, `tunnel`, `ppp`, `other`.
    pub kind: String,
    /// Administratively up and running.
    pub up: bool,
    /// Point-to-point link (typical of tunnels).
    pub point_to_point: bool,
    /// Addresses with prefix length, `198.18.0.2/24`.
    pub addresses: Vec<String>,
    /// Holds the default route.
    pub default_route: bool,
}

/// The resolver configuration used for the DNS probes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResolverInfo {
    /// `system` (the OS configuration) or `profile` (nameservers named by the profile).
    pub source: String,
    /// Nameservers queried, `ip:port`.
    pub nameservers: Vec<String>,
    /// Search domains from the configuration.
    pub search: Vec<String>,
    /// Why the configuration could not be read, when it could not.
    pub error: Option<String>,
    /// How the probes resolved names: `os` (the operating system's resolver, as the browser does;
    /// the nameservers above were asked directly beside it, as evidence) or `nameservers` (only the
    /// profile's nameservers). Null in reports written before contract 2.
    #[serde(default)]
    pub mode: Option<String>,
    /// macOS per-domain (supplemental) resolvers from `scutil --dns`, which VPN clients install.
    #[serde(default)]
    pub supplemental: Vec<SupplementalResolver>,
    /// Windows name resolution policy (NRPT) rules, which VPN clients install.
    #[serde(default)]
    pub nrpt: Vec<NrptRule>,
    /// What could not be read, and why.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A resolver the operating system asks only for some domains (macOS supplemental resolver).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SupplementalResolver {
    /// The interface it is bound to (`utun4`); empty when the OS does not say.
    pub interface: String,
    /// The domains sent to it.
    pub domains: Vec<String>,
    /// Its nameservers.
    pub nameservers: Vec<String>,
}

/// One Windows NRPT rule: names under these namespaces go to these nameservers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NrptRule {
    /// Namespaces (`.harvard.edu`, a full name, or `.` for every name).
    pub namespaces: Vec<String>,
    /// The nameservers named by the rule (addresses or names).
    pub nameservers: Vec<String>,
    /// `group policy` (domain policy: when present, Windows ignores the local rules) or `local`.
    pub source: String,
}

/// The proxy the system would use for `https://` URLs, and how that was found.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ProxyInfo {
    /// Where proxy settings were looked for (`environment`, `scutil --proxy`, `Windows Internet
    /// Options`).
    pub checked: Vec<String>,
    /// The proxy for `https://` URLs, without credentials; null when none is set.
    pub https_proxy: Option<String>,
    /// Where it was set (`HTTPS_PROXY`, `ALL_PROXY`, `macOS network settings`, `Windows Internet
    /// Options`).
    pub source: Option<String>,
    /// Hosts, domains and networks that go direct (`NO_PROXY`, the system's bypass list).
    pub bypass: Vec<String>,
    /// An automatic proxy configuration (PAC) file in use: its URL, without credentials.
    pub pac_url: Option<String>,
    /// Automatic proxy discovery (WPAD) is turned on.
    pub auto_detect: bool,
    /// For each probed `https://` URL: the proxy it went through, or why it went direct.
    pub decisions: Vec<ProxyDecision>,
    /// What a service desk should know: a PAC file that was not evaluated, a proxy kind the probes
    /// cannot use, a setting that could not be read.
    pub notes: Vec<String>,
}

/// The proxy decision for one URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProxyDecision {
    /// The URL probed.
    pub url: String,
    /// The proxy it went through, without credentials; null when it went direct.
    pub proxy: Option<String>,
    /// Why (`HTTPS_PROXY`, `NO_PROXY entry .harvard.edu`, `no proxy set`, `PAC file not
    /// evaluated`).
    pub reason: String,
}

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
            "docs/report.schema.json is out of date with src/report/model.rs; \
             run UPDATE_SCHEMA=1 cargo test --lib schema and review the diff (only ever add fields)"
        );
    }
}
