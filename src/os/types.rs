//! The plain data a reading of the OS is made of, besides the report's own types
//! ([`Interface`], [`NrptRule`](crate::report::model::NrptRule)) and the parts with readers of
//! their own ([`super::dns`], [`super::proxy`]): routes, VPN client processes, OS VPN services,
//! per-domain resolvers, what clients' settings name, and the [`Network`] the per-OS readers
//! fill. Nothing here reads anything.

use std::net::IpAddr;

use serde::Serialize;

use super::prefix::Prefix;
use crate::report::model::Interface;

/// One route from the OS routing table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteEntry {
    /// Where it leads.
    pub destination: Prefix,
    /// Next hop, when the route has one (None for on-link / interface routes).
    pub gateway: Option<IpAddr>,
    /// The interface name (the report's interface name: `tun0`, `utun4`, Windows friendly name).
    pub interface: String,
}

/// A running VPN client process. The command line is read only to look for a gateway host and
/// the IP addresses written on it, and is never stored: this struct has no field that could hold
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VpnProcess {
    /// The client's name as people know it (`Pulse Secure`, `Cisco AnyConnect`, …).
    pub client: &'static str,
    /// The profile gateway host found in its command line, if any.
    pub matched_gateway: Option<String>,
    /// The IP addresses written on its command line (`openvpn --remote 198.18.64.1`): a server
    /// named by address, matched later against the gateway's resolved addresses. Addresses
    /// only: nothing else of the command line is kept.
    pub addresses: Vec<IpAddr>,
    /// The tunnel device the process holds open, when the OS says (Linux `/proc/PID/fdinfo`).
    pub interface: Option<String>,
}

/// A VPN service the OS itself manages (macOS `scutil --nc`, NetworkManager, Windows RAS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsVpnService {
    /// The service's name as the user configured it.
    pub name: String,
    /// True when the OS says it is connected.
    pub connected: bool,
    /// Its type as the OS writes it (`PPP:L2TP`, `VPN:<bundle id>`, `wireguard`, `RAS`).
    pub kind: String,
    /// The interface it runs on, when the OS says.
    pub interface: Option<String>,
}

/// Resolvers the OS uses only for some domains (VPN split DNS), per interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitDns {
    /// The interface (or scope) the resolver is bound to; empty when the OS does not say.
    pub interface: String,
    /// Domains sent to these nameservers.
    pub domains: Vec<String>,
    /// The nameservers.
    pub nameservers: Vec<IpAddr>,
}

/// What one client's settings say about the server it connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientGateway {
    /// The client (catalogue name).
    pub client: &'static str,
    /// The servers it names (host names, lower case), most recent or only one first.
    pub gateways: Vec<String>,
    /// Addresses the client records for its own tunnel (GlobalProtect's `PreferredIP_*`): a
    /// tunnel holding one of them is this client's.
    pub tunnel_addrs: Vec<IpAddr>,
    /// Where it was read, in words for evidence lines (`GlobalProtect's settings`).
    pub source: String,
}

/// Interfaces, routes and VPN clients, as the OS reports them.
#[derive(Debug, Clone, Default)]
pub struct Network {
    /// Interfaces, without hardware addresses.
    pub interfaces: Vec<Interface>,
    /// The routing table (main table on Linux).
    pub routes: Vec<RouteEntry>,
    /// Running VPN client processes.
    pub processes: Vec<VpnProcess>,
    /// OS-managed VPN services.
    pub services: Vec<OsVpnService>,
    /// What installed clients' own settings say about their servers.
    pub client_gateways: Vec<ClientGateway>,
    /// VPN clients installed (catalogue names, HMS clients first); None when not checked.
    pub installed: Option<Vec<String>>,
    /// Evidence sources consulted (`interfaces`, `routes`, `processes`, `nmcli`, …).
    pub sources: Vec<String>,
    /// What could not be checked, and why.
    pub notes: Vec<String>,
}
