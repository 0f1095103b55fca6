//! Windows: the Internet Options (the WinINet settings that Edge and Chrome follow), the
//! current user's or, where a policy makes them per machine (`ProxySettingsPerUser` = 0, as
//! managed hospital and company laptops may have), the machine's; read with `reg query` (no
//! administrator rights needed), and the parser of `reg query` output that the NRPT reader
//! shares.

use super::SystemProxy;
use crate::os_tool::{TOOL_TIMEOUT, ToolOutput, run_tool};

/// The registry key of the current user's Internet Options.
pub const INTERNET_SETTINGS: &str =
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings";

/// The machine's Internet Options, used for everyone when the policy below says so.
pub const MACHINE_INTERNET_SETTINGS: &str =
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings";

/// The policy key whose `ProxySettingsPerUser` = 0 makes the proxy settings per machine.
pub const INTERNET_SETTINGS_POLICY: &str =
    r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings";

/// One registry key from `reg query` output, with its values in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegKey {
    /// The key's full path as printed (`HKEY_CURRENT_USER\…`).
    pub path: String,
    /// `(name, type, data)`: `("ProxyEnable", "REG_DWORD", "0x1")`. A `REG_MULTI_SZ`'s items
    /// are separated by a literal `\0`, as `reg` prints them.
    pub values: Vec<(String, String, String)>,
}

impl RegKey {
    /// The data of the value called `name` (names are case-insensitive in the registry).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, _, d)| d.as_str())
    }

    /// A `REG_DWORD` value as a number (`0x1` → 1; `reg` prints DWORDs in hexadecimal).
    #[must_use]
    pub fn dword(&self, name: &str) -> Option<u32> {
        let d = self.get(name)?.trim();
        match d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => d.parse().ok(),
        }
    }

    /// A `REG_MULTI_SZ` value's items.
    #[must_use]
    pub fn multi(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|d| {
                d.split(r"\0")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Parses `reg query KEY [/s]` output: every key line (`HKEY_…`) and the value lines below it
/// (`    Name    REG_TYPE    data`; names and data may hold single spaces). Lines of other
/// shapes are skipped. Pure.
#[must_use]
pub fn parse_reg_query(text: &str) -> Vec<RegKey> {
    let mut keys: Vec<RegKey> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("HKEY_") {
            keys.push(RegKey {
                path: trimmed.to_owned(),
                values: Vec::new(),
            });
            continue;
        }
        let Some(key) = keys.last_mut() else {
            continue;
        };
        let body = line.trim_start();
        let Some(at) = body.find("    REG_") else {
            continue;
        };
        let name = body[..at].trim_end().to_owned();
        let rest = &body[at + 4..];
        let (kind, data) = match rest.find("    ") {
            Some(sep) => (&rest[..sep], rest[sep + 4..].to_owned()),
            None => (rest.trim_end(), String::new()),
        };
        if !name.is_empty() {
            key.values.push((name, kind.to_owned(), data));
        }
    }
    keys
}

/// The Internet Options of the key `INTERNET_SETTINGS` as proxy settings. Pure.
///
/// `ProxyServer` is either one `host:port` for every protocol or a per-protocol list
/// (`http=h:p;https=h:p;socks=h:p`); `ProxyOverride` is the `;`-separated bypass list, where
/// `<local>` means names without a dot; `AutoConfigURL` is a PAC file.
#[must_use]
pub fn internet_settings(key: &RegKey) -> SystemProxy {
    let enabled = key.dword("ProxyEnable") == Some(1);
    let server = key.get("ProxyServer").unwrap_or_default();
    let (https, socks) = if enabled {
        proxy_server_entries(server)
    } else {
        (None, None)
    };
    let override_list: Vec<String> = key
        .get("ProxyOverride")
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    let exclude_simple = override_list
        .iter()
        .any(|e| e.eq_ignore_ascii_case("<local>"));
    SystemProxy {
        https,
        bypass: if enabled {
            override_list
                .into_iter()
                .filter(|e| !e.eq_ignore_ascii_case("<local>"))
                .collect()
        } else {
            Vec::new()
        },
        exclude_simple: enabled && exclude_simple,
        pac_url: key
            .get("AutoConfigURL")
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
        auto_detect: key.dword("AutoDetect") == Some(1),
        socks,
    }
}

/// The HTTPS and SOCKS proxies of a `ProxyServer` value. One `host:port` applies to every
/// protocol; in a per-protocol list only `https=` serves `https://` URLs. Pure.
#[must_use]
pub fn proxy_server_entries(value: &str) -> (Option<String>, Option<String>) {
    let value = value.trim();
    if value.is_empty() {
        return (None, None);
    }
    let strip = |s: &str| {
        let s = s.trim();
        s.split_once("://").map_or(s, |(_, rest)| rest).to_owned()
    };
    if !value.contains('=') {
        return (Some(strip(value)), None);
    }
    let mut https = None;
    let mut socks = None;
    for entry in value.split(';') {
        if let Some((proto, server)) = entry.split_once('=') {
            let server = strip(server);
            if server.is_empty() {
                continue;
            }
            match proto.trim().to_ascii_lowercase().as_str() {
                "https" => https = Some(server),
                "socks" => socks = Some(server),
                _ => {}
            }
        }
    }
    (https, socks)
}

/// Runs `reg query` on `key` (with `/s`: every subkey too).
///
/// # Errors
/// Why it could not be read (`reg` missing, failed, timed out). A key that does not exist makes
/// `reg` fail too.
pub fn reg_query(key: &str, recurse: bool) -> Result<Vec<RegKey>, String> {
    let mut args = vec!["query", key];
    if recurse {
        args.push("/s");
    }
    match run_tool("reg", &args, TOOL_TIMEOUT) {
        ToolOutput::Ok(text) => Ok(parse_reg_query(&text)),
        ToolOutput::NotFound => Err("reg.exe was not found".into()),
        ToolOutput::TimedOut => Err(format!(
            "reg did not answer within {} ms",
            TOOL_TIMEOUT.as_millis()
        )),
        ToolOutput::Failed(e) => Err(format!("reg query failed ({e})")),
    }
}

/// True when the policy key (as `reg query` read it) makes proxy settings per machine. Pure.
#[must_use]
pub fn per_machine(policy: &[RegKey]) -> bool {
    policy.first().and_then(|k| k.dword("ProxySettingsPerUser")) == Some(0)
}

/// Reads the Internet Options that apply to the current user: theirs, or the machine's when a
/// policy says so. Returns where they came from with them.
///
/// # Errors
/// Why they could not be read.
pub fn read_internet_settings() -> Result<(&'static str, SystemProxy), String> {
    // No policy key (the usual case) makes `reg` fail: the settings are per user.
    let machine = reg_query(INTERNET_SETTINGS_POLICY, false).is_ok_and(|k| per_machine(&k));
    let (key, source) = if machine {
        (
            MACHINE_INTERNET_SETTINGS,
            "Windows Internet Options (set for all users)",
        )
    } else {
        (INTERNET_SETTINGS, "Windows Internet Options")
    };
    let keys = reg_query(key, false)?;
    Ok((
        source,
        keys.first().map(internet_settings).unwrap_or_default(),
    ))
}
