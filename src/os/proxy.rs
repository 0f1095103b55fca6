//! The proxy settings a browser would follow, as the OS and the environment hold them: macOS's
//! network settings (`scutil --proxy`, the same dictionary `SCDynamicStoreCopyProxies` returns,
//! which Safari and Chrome follow), Windows' Internet Options (the WinINet settings that Edge and
//! Chrome follow: the current user's or, where a policy makes them per machine
//! (`ProxySettingsPerUser` = 0, as managed hospital and company laptops may have), the
//! machine's; read with `reg query`, no administrator rights needed), and the proxy variables of
//! the environment ([`EnvProxy`]). Which proxy a URL takes is decided in [`crate::proxy`]; the
//! parsers here are pure and tested on real captures (`proxy_tests.rs`).

use super::env_proxy::EnvProxy;
use super::windows::registry::{self, RegKey};
use crate::os_tool::{ToolOutput, Tools};

/// The proxy settings a platform's system configuration holds (macOS network settings, Windows
/// Internet Options), before a URL is matched against them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemProxy {
    /// The proxy for `https://` URLs as the system writes it (`host:port`).
    pub https: Option<String>,
    /// Bypass entries as the system writes them (`*.local`, `169.254/16`, `10.*`).
    pub bypass: Vec<String>,
    /// Names without a dot go direct (macOS "Exclude simple hostnames", Windows `<local>`).
    pub exclude_simple: bool,
    /// An automatic configuration (PAC) file, when one is set.
    pub pac_url: Option<String>,
    /// Automatic proxy discovery (WPAD) is on.
    pub auto_detect: bool,
    /// A SOCKS proxy is set (browsers use it when no HTTPS proxy is set; the probes cannot).
    pub socks: Option<String>,
}

impl SystemProxy {
    /// True when the system settings say anything about proxies for `https://` URLs.
    #[must_use]
    pub fn configures_anything(&self) -> bool {
        self.https.is_some() || self.pac_url.is_some() || self.auto_detect || self.socks.is_some()
    }
}

/// What the system and the environment say about proxies, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyReading {
    /// The system settings and where they came from (`macOS network settings`, `Windows
    /// Internet Options`); None where the OS has none or they could not be read.
    pub system: Option<(String, SystemProxy)>,
    /// The proxy variables of this process's environment.
    pub env: EnvProxy,
    /// Where settings were looked for besides the environment (`scutil --proxy`, `Windows
    /// Internet Options`).
    pub checked: Vec<String>,
    /// What could not be read, and why.
    pub notes: Vec<String>,
}

/// Reads the proxy settings of `os` and of this process's environment (runs OS tools).
pub(super) fn read(os: &str, tools: &dyn Tools) -> ProxyReading {
    let mut r = ProxyReading {
        env: EnvProxy::read(|name| std::env::var(name).ok()),
        ..ProxyReading::default()
    };
    match os {
        "macos" => {
            r.checked.push("scutil --proxy".to_owned());
            match tools.run("scutil", &["--proxy"]) {
                ToolOutput::Ok(text) => {
                    r.system = Some(("macOS network settings".into(), parse_scutil_proxy(&text)));
                }
                other => r.notes.push(format!(
                    "the macOS proxy settings could not be read: {}",
                    why_not("scutil", &other)
                )),
            }
        }
        "windows" => {
            r.checked.push("Windows Internet Options".to_owned());
            match read_internet_settings(tools) {
                Ok((source, found)) => r.system = Some((source.into(), found)),
                Err(e) => r
                    .notes
                    .push(format!("the Windows proxy settings could not be read: {e}")),
            }
        }
        _ => {}
    }
    r
}

/// Why a tool gave nothing, in the words of a note.
pub(super) fn why_not(program: &str, output: &ToolOutput) -> String {
    match output {
        ToolOutput::Ok(_) => String::new(),
        ToolOutput::NotFound => format!("{program} was not found"),
        ToolOutput::TimedOut => format!(
            "{program} did not answer within {} ms",
            crate::os_tool::TOOL_TIMEOUT.as_millis()
        ),
        ToolOutput::Failed(e) => format!("{program} failed ({e})"),
    }
}

/// Parses `scutil --proxy`: the top-level keys of its dictionary (the per-interface
/// `__SCOPED__` and `__SUPPLEMENTAL__` dictionaries are skipped). Pure.
///
/// A proxy counts when its `…Enable` key is `1` and it names a host; the port defaults to 80
/// (HTTP) and 443 (HTTPS) as in the settings panel.
#[must_use]
pub fn parse_scutil_proxy(text: &str) -> SystemProxy {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut exceptions: Vec<String> = Vec::new();
    // Depth 1 is the top-level dictionary; 2 is inside one of its arrays or dictionaries.
    let mut depth = 0usize;
    let mut in_exceptions = false;
    for line in text.lines() {
        let t = line.trim();
        if t == "}" {
            depth = depth.saturating_sub(1);
            in_exceptions = false;
            continue;
        }
        let Some((k, v)) = t.split_once(" : ") else {
            if t.ends_with('{') {
                depth += 1;
            }
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if v.ends_with('{') {
            depth += 1;
            in_exceptions = depth == 2 && k == "ExceptionsList";
            continue;
        }
        match depth {
            1 => keys.push((k.to_owned(), v.to_owned())),
            2 if in_exceptions => exceptions.extend(
                v.split([',', '、'])
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
    let get = |name: &str| {
        keys.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let on = |name: &str| get(name) == Some("1");
    let server = |prefix: &str, default_port: u16| {
        if !on(&format!("{prefix}Enable")) {
            return None;
        }
        let host = get(&format!("{prefix}Proxy")).filter(|h| !h.is_empty())?;
        let port = get(&format!("{prefix}Port"))
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or(default_port);
        Some(if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        })
    };
    SystemProxy {
        https: server("HTTPS", 443),
        bypass: exceptions,
        exclude_simple: on("ExcludeSimpleHostnames"),
        pac_url: on("ProxyAutoConfigEnable")
            .then(|| get("ProxyAutoConfigURLString").map(str::to_owned))
            .flatten()
            .filter(|u| !u.is_empty()),
        auto_detect: on("ProxyAutoDiscoveryEnable"),
        socks: server("SOCKS", 1080),
    }
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
fn read_internet_settings(tools: &dyn Tools) -> Result<(&'static str, SystemProxy), String> {
    // No policy key (the usual case) makes `reg` fail: the settings are per user.
    let machine = registry::query(tools, registry::INTERNET_SETTINGS_POLICY, false)
        .is_ok_and(|k| per_machine(&k));
    let (key, source) = if machine {
        (
            registry::MACHINE_INTERNET_SETTINGS,
            "Windows Internet Options (set for all users)",
        )
    } else {
        (registry::INTERNET_SETTINGS, "Windows Internet Options")
    };
    let keys = registry::query(tools, key, false)?;
    Ok((
        source,
        keys.first().map(internet_settings).unwrap_or_default(),
    ))
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
