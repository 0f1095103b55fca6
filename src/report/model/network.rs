//! What the report says of the computer's network: VPN tunnels, interfaces, the resolver and
//! the proxy the probes used.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    #[schemars(with = "String")]
    pub kind: InterfaceKind,
    /// Administratively up and running.
    pub up: bool,
    /// Point-to-point link (typical of tunnels).
    pub point_to_point: bool,
    /// Addresses with prefix length, `198.18.0.2/24`.
    pub addresses: Vec<String>,
    /// Holds the default route.
    pub default_route: bool,
}

/// What kind of link an interface is. A closed list inside the code; on the wire a plain string
/// (the schema keeps `kind` an open string: a reader meets a kind it does not know as `other`,
/// the original shown as written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InterfaceKind {
    /// The loopback interface.
    Loopback,
    /// Wired Ethernet (and what the OS cannot tell from it).
    Ethernet,
    /// Wi-Fi.
    Wifi,
    /// A tunnel: tun, WireGuard, a VPN adapter, IP-in-IP.
    Tunnel,
    /// A point-to-point protocol link (L2TP, PPTP, the built-in Windows VPN).
    Ppp,
    /// Anything else (bridges, VLANs, virtual adapters).
    #[default]
    Other,
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
    /// Per-domain resolvers VPN clients install: macOS supplemental resolvers (`scutil --dns`),
    /// Linux per-link DNS (systemd-resolved's `resolvectl`).
    #[serde(default)]
    pub supplemental: Vec<SupplementalResolver>,
    /// Windows name resolution policy (NRPT) rules, which VPN clients install.
    #[serde(default)]
    pub nrpt: Vec<NrptRule>,
    /// What could not be read, and why.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A resolver the operating system asks only for some domains (a macOS supplemental resolver, a
/// Linux link's DNS under systemd-resolved).
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
