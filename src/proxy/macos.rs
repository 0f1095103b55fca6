//! macOS: the proxy settings of the network settings, as `scutil --proxy` prints them (the same
//! dictionary `SCDynamicStoreCopyProxies` returns, which Safari and Chrome follow).

use super::SystemProxy;
use crate::os_tool::{TOOL_TIMEOUT, ToolOutput, run_tool};

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

/// Runs `scutil --proxy` and parses it.
///
/// # Errors
/// Why the settings could not be read (tool missing, failed, timed out).
pub fn read() -> Result<SystemProxy, String> {
    match run_tool("scutil", &["--proxy"], TOOL_TIMEOUT) {
        ToolOutput::Ok(text) => Ok(parse_scutil_proxy(&text)),
        ToolOutput::NotFound => Err("scutil was not found".into()),
        ToolOutput::TimedOut => Err(format!(
            "scutil did not answer within {} ms",
            TOOL_TIMEOUT.as_millis()
        )),
        ToolOutput::Failed(e) => Err(format!("scutil failed ({e})")),
    }
}
