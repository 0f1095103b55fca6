//! The probes of a report: one per step (DNS, route, TCP, TLS, HTTP) and target, with each
//! step's own data; and the closed lists a probe is told by: its target's [`Role`], its
//! [`ProbeKind`], its [`Outcome`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::network::NrptRule;

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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
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
