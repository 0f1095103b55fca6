//! The Windows registry, read one way: `reg query` through the bounded runner, its output
//! parsed by [`parse_reg_query`]. No administrator rights are needed for any key read here.
//!
//! Why `reg.exe` and not a registry crate: every key is then read through the same [`Tools`]
//! seam as every other OS tool, bounded in time and counted by the tests that prove each key is
//! read once per run; the parser is proven on a real capture (`tests/fixtures/windows/real/`);
//! and it is what `scripts/windows-wine` checks under Wine (the machine-wide proxy). The cost is
//! a process start per key (tens of milliseconds, run beside the other readers).

use crate::os_tool::{ToolOutput, Tools};

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

/// NRPT rules set by group policy (domain or local policy).
pub const NRPT_POLICY_KEY: &str =
    r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient\DnsPolicyConfig";
/// NRPT rules set locally (VPN clients, `Add-DnsClientNrptRule`).
pub const NRPT_LOCAL_KEY: &str =
    r"HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters\DnsPolicyConfig";

/// Runs `reg query` on `key` (with `/s`: every subkey too).
///
/// # Errors
/// Why it could not be read (`reg` missing, failed, timed out). A key that does not exist makes
/// `reg` fail too.
pub fn query(tools: &dyn Tools, key: &str, recurse: bool) -> Result<Vec<RegKey>, String> {
    let mut args = vec!["query", key];
    if recurse {
        args.push("/s");
    }
    match tools.run("reg", &args) {
        ToolOutput::Ok(text) => Ok(parse_reg_query(&text)),
        ToolOutput::NotFound => Err("reg.exe was not found".into()),
        ToolOutput::TimedOut => Err(format!(
            "reg did not answer within {} ms",
            crate::os_tool::TOOL_TIMEOUT.as_millis()
        )),
        ToolOutput::Failed(e) => Err(format!("reg query failed ({e})")),
    }
}
