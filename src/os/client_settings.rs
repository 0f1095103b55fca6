//! The VPN server each installed client was last told to use, from the client's own settings
//! that a user may read (no administrator rights): GlobalProtect's portal (macOS property list,
//! Windows registry, read with `reg query` in [`super::windows::registry`]), Pulse Secure /
//! Ivanti's connection store, AnyConnect's last server. Where the files are is in the catalogue
//! ([`crate::clients`]); the parsers here are pure and tested on the real captures and labelled
//! hand-written fixtures under `tests/fixtures/clients/`.
//!
//! Only host names (and the tunnel addresses GlobalProtect records) leave this module: user
//! names, certificates and everything else in these files are never kept.

use std::io::Read;
use std::net::IpAddr;
use std::path::PathBuf;

use super::types::ClientGateway;
use super::windows::registry::{self, RegKey};
use crate::clients::{self, Settings};
use crate::os_tool::Tools;

/// Largest settings file read: the real ones are a few KiB.
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// The host of a server value: `vpn.hms.harvard.edu`, `https://host:443/path`,
/// `pvc.partners.org/saml`, `"https://host/"` (quoted). None when it is not a host name (a
/// profile's display name such as `Harvard VPN`).
#[must_use]
pub fn host_of(value: &str) -> Option<String> {
    let v = value.trim().trim_matches('"').trim();
    let v = v.split_once("://").map_or(v, |(_, rest)| rest);
    let v = v.split(['/', '?', '#']).next().unwrap_or("");
    let v = v.rsplit_once('@').map_or(v, |(_, h)| h);
    let host = match v.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => v.split(':').next().unwrap_or(""),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid = !host.is_empty()
        && host.len() <= 253
        && (host.parse::<IpAddr>().is_ok()
            || (host.contains('.')
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')));
    valid.then_some(host)
}

/// What GlobalProtect's macOS settings say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalProtectSettings {
    /// `PanSetup` > `Portal`: the portal it connects to.
    pub portal: Option<String>,
    /// `PanGPS` > `PreferredIP_*` / `PreferredIPV6_*`: addresses its tunnels were given.
    pub tunnel_addrs: Vec<IpAddr>,
}

/// Parses `com.paloaltonetworks.GlobalProtect.settings.plist` (XML or binary). Pure.
///
/// # Errors
/// When the bytes are not a property list.
pub fn parse_globalprotect_plist(bytes: &[u8]) -> Result<GlobalProtectSettings, String> {
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a property list ({e})"))?;
    let gp = value
        .as_dictionary()
        .and_then(|d| d.get("Palo Alto Networks"))
        .and_then(plist::Value::as_dictionary)
        .and_then(|d| d.get("GlobalProtect"))
        .and_then(plist::Value::as_dictionary);
    let Some(gp) = gp else {
        return Ok(GlobalProtectSettings::default());
    };
    let portal = gp
        .get("PanSetup")
        .and_then(plist::Value::as_dictionary)
        .and_then(|d| d.get("Portal"))
        .and_then(plist::Value::as_string)
        .and_then(host_of);
    let tunnel_addrs = gp
        .get("PanGPS")
        .and_then(plist::Value::as_dictionary)
        .map(|d| {
            d.iter()
                .filter(|(k, _)| k.starts_with("PreferredIP"))
                .filter_map(|(_, v)| v.as_string()?.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    Ok(GlobalProtectSettings {
        portal,
        tunnel_addrs,
    })
}

/// The servers of Pulse Secure / Ivanti's `connstore.dat`: the host of every `uri` inside an
/// `ive "…" { … }` block, in file order, each once. Pure.
#[must_use]
pub fn parse_pulse_connstore(text: &str) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    let mut in_ive = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with(';') {
            continue;
        }
        if t.starts_with("ive ") && t.ends_with('{') {
            in_ive = true;
        } else if t == "}" {
            in_ive = false;
        } else if in_ive
            && let Some(value) = t.strip_prefix("uri:")
            && let Some(host) = host_of(value)
            && !hosts.contains(&host)
        {
            hosts.push(host);
        }
    }
    hosts
}

/// The last server of AnyConnect / Secure Client preferences: `<DefaultHostAddress>` when it
/// holds a host, else `<DefaultHostName>` (which may be a profile's display name, then
/// nothing). Pure.
#[must_use]
pub fn parse_anyconnect_preferences(text: &str) -> Option<String> {
    let element = |tag: &str| -> Option<String> {
        let open = format!("<{tag}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find("</")? + start;
        Some(xml_unescape(&text[start..end]))
    };
    element("DefaultHostAddress")
        .and_then(|v| host_of(&v))
        .or_else(|| element("DefaultHostName").and_then(|v| host_of(&v)))
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A catalogue path with `~` (the home folder) and `%LOCALAPPDATA%` put in; None when the
/// variable is not set.
fn expand(path: &str) -> Option<PathBuf> {
    if let Some(rest) = path.strip_prefix("~/") {
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        return Some(PathBuf::from(home).join(rest));
    }
    if let Some(rest) = path.strip_prefix("%LOCALAPPDATA%\\") {
        return Some(PathBuf::from(std::env::var_os("LOCALAPPDATA")?).join(rest));
    }
    Some(PathBuf::from(path))
}

fn read_small(path: &PathBuf) -> Option<Vec<u8>> {
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    f.take(MAX_SETTINGS_BYTES).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Reads the settings of every client that keeps them on `os`: what each says, and notes on
/// files that exist but could not be read as expected. A missing file (or registry key) says
/// nothing.
pub(crate) fn read_all(os: &str, tools: &dyn Tools) -> (Vec<ClientGateway>, Vec<String>) {
    let mut found: Vec<ClientGateway> = Vec::new();
    let mut notes = Vec::new();
    for c in clients::CLIENTS {
        for (_, format, path) in c.settings.iter().filter(|(o, _, _)| *o == os) {
            let source = format!("{}'s settings", c.name);
            let (gateways, tunnel_addrs) = match format {
                Settings::GlobalProtectRegistry => (
                    registry::query(tools, path, false)
                        .map(|keys| globalprotect_portals(&keys))
                        .unwrap_or_default(),
                    Vec::new(),
                ),
                _ => {
                    let Some(bytes) = expand(path).as_ref().and_then(read_small) else {
                        continue;
                    };
                    match parse_file(*format, &bytes) {
                        Ok(found) => found,
                        Err(e) => {
                            notes.push(format!("{source} not read: {e}"));
                            continue;
                        }
                    }
                }
            };
            if gateways.is_empty() && tunnel_addrs.is_empty() {
                continue;
            }
            match found.iter_mut().find(|g| g.client == c.name) {
                Some(g) => {
                    for h in gateways {
                        if !g.gateways.contains(&h) {
                            g.gateways.push(h);
                        }
                    }
                    g.tunnel_addrs.extend(tunnel_addrs);
                }
                None => found.push(ClientGateway {
                    client: c.name,
                    gateways,
                    tunnel_addrs,
                    source,
                }),
            }
        }
    }
    (found, notes)
}

/// GlobalProtect's portals in a `reg query` of its keys: the value `Portal` of
/// `HKLM\…\PanSetup` (set by the installer), and the subkeys of `HKCU\…\Settings` (one per
/// portal the user connected to, named after it). Each host once, in the order read. Pure.
#[must_use]
pub fn globalprotect_portals(keys: &[RegKey]) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for k in keys {
        let mut parts = k.path.rsplit('\\');
        let (name, parent) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let found = if name.eq_ignore_ascii_case("PanSetup") {
            k.get("Portal").and_then(host_of)
        } else if parent.eq_ignore_ascii_case("Settings") {
            host_of(name)
        } else {
            None
        };
        if let Some(h) = found.filter(|h| !hosts.contains(h)) {
            hosts.push(h);
        }
    }
    hosts
}

/// One settings file's servers and tunnel addresses.
fn parse_file(format: Settings, bytes: &[u8]) -> Result<(Vec<String>, Vec<IpAddr>), String> {
    let text = || String::from_utf8_lossy(bytes).into_owned();
    Ok(match format {
        Settings::GlobalProtectPlist => {
            let s = parse_globalprotect_plist(bytes)?;
            (s.portal.into_iter().collect(), s.tunnel_addrs)
        }
        Settings::PulseConnstore => (parse_pulse_connstore(&text()), Vec::new()),
        Settings::AnyConnectPreferences => (
            parse_anyconnect_preferences(&text()).into_iter().collect(),
            Vec::new(),
        ),
        Settings::GlobalProtectRegistry => (Vec::new(), Vec::new()),
    })
}

#[cfg(test)]
#[path = "client_settings_tests.rs"]
mod tests;
