//! Proxy discovery: which proxy the system would use for an `https://` URL, and how that was
//! found, so that the HTTPS probes take the path the browser takes. A pure function of what the
//! OS reading found ([`crate::os::proxy::ProxyReading`]).
//!
//! Sources, as a browser follows them:
//! - macOS: the network settings (`scutil --proxy`);
//! - Windows: the current user's Internet Options, or the machine's where a policy makes them
//!   per machine (`reg query`);
//! - everywhere: `HTTPS_PROXY`/`https_proxy`, `ALL_PROXY`/`all_proxy` and `NO_PROXY`/`no_proxy`.
//!   Browsers on macOS and Windows follow the system settings, so there the variables
//!   apply only when the system settings name no proxy, PAC file or auto-detection; on Linux they
//!   are the settings. `HTTP_PROXY` is for `http://` URLs: it is recorded, not used.
//!
//! A proxy auto-config (PAC) file is not evaluated (a JavaScript engine would more than double
//! the binary, see `docs/architecture.md`): the report says that one is in use and that the probes
//! went direct. Matching a host against `NO_PROXY` uses hyper-util's matcher (curl's rules);
//! the system bypass lists of macOS and Windows have their own rules ([`bypass`]).

pub mod bypass;

use hyper_util::client::proxy::matcher::Matcher;

use crate::os::env_proxy::EnvProxy;
use crate::os::proxy::{ProxyReading, SystemProxy};
use crate::report::model::{ProxyDecision, ProxyInfo};

/// A proxy the probes can connect through (HTTP `CONNECT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyTarget {
    /// Host name or address of the proxy.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// `http://host:port`, never with credentials: what the report shows.
    pub display: String,
    /// Where the setting came from (`HTTPS_PROXY`, `macOS network settings`).
    pub source: String,
    /// A `Proxy-Authorization` value built from credentials in the proxy URL (never reported).
    pub authorization: Option<String>,
}

/// The decision for one URL: through a proxy or direct, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The proxy to go through; `None`: direct.
    pub proxy: Option<ProxyTarget>,
    /// Why, in the report's words.
    pub reason: String,
}

/// Everything discovered about proxies for this run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The chosen proxy URL for `https://` (may carry credentials; never reported as is).
    https: Option<(String, String)>,
    /// Bypass rules: `NO_PROXY` (curl's rules) when the proxy came from the environment.
    no_proxy: Option<String>,
    /// Bypass rules of the system settings, when the proxy came from them.
    system_bypass: Vec<String>,
    /// Simple host names go direct (system settings).
    exclude_simple: bool,
    /// A PAC file in use (not evaluated).
    pac_url: Option<String>,
    /// WPAD on (not evaluated).
    auto_detect: bool,
    /// Where settings were looked for.
    checked: Vec<String>,
    /// Notes for the report.
    notes: Vec<String>,
}

impl Settings {
    /// The settings a browser would follow, from what the OS reading found.
    #[must_use]
    pub fn from_reading(r: &ProxyReading) -> Settings {
        Settings::combine(
            r.system.as_ref().map(|(s, p)| (s.as_str(), p.clone())),
            &r.env,
            r.checked.clone(),
            r.notes.clone(),
        )
    }

    /// Combines what the system settings and the environment say, the browser's way: on macOS
    /// and Windows the system settings win when they configure anything; the variables fill in
    /// otherwise (and are the settings on other systems).
    #[must_use]
    pub fn combine(
        system: Option<(&str, SystemProxy)>,
        env: &EnvProxy,
        mut checked: Vec<String>,
        mut notes: Vec<String>,
    ) -> Settings {
        checked.push("environment".into());
        if let Some(http) = &env.http {
            notes.push(format!(
                "{} is set ({}): it is for http:// URLs; the plain-HTTP check went direct",
                http.0,
                display_url(&http.1).unwrap_or_else(|| "unreadable".into())
            ));
        }
        if let Some((source, sys)) = system
            && sys.configures_anything()
        {
            if let Some((name, _)) = &env.https {
                notes.push(format!(
                    "{name} is set, but the system settings configure proxies and browsers follow those: the variable was not used"
                ));
            }
            if let Some(socks) = &sys.socks
                && sys.https.is_none()
            {
                notes.push(format!(
                    "the system settings name a SOCKS proxy ({}), which the probes cannot use: they went direct",
                    strip_credentials(socks)
                ));
            }
            return Settings {
                https: sys
                    .https
                    .as_ref()
                    .map(|h| (source.to_owned(), format!("http://{h}"))),
                no_proxy: None,
                system_bypass: sys.bypass.clone(),
                exclude_simple: sys.exclude_simple,
                pac_url: sys.pac_url.clone(),
                auto_detect: sys.auto_detect,
                checked,
                notes,
            };
        }
        Settings {
            https: env.https.clone(),
            no_proxy: env.no_proxy.as_ref().map(|(_, v)| v.clone()),
            checked,
            notes,
            ..Settings::default()
        }
    }

    /// The proxy for `url` (an `https://` URL of a probed host), or why it goes direct.
    #[must_use]
    pub fn decide(&self, url: &url::Url) -> Decision {
        let direct = |reason: String| Decision {
            proxy: None,
            reason,
        };
        let host = url.host_str().unwrap_or_default();
        let Some((source, raw)) = &self.https else {
            return direct(match (&self.pac_url, self.auto_detect) {
                (Some(_), _) => {
                    "a PAC file is in use and was not evaluated: the probes went direct".into()
                }
                (None, true) => {
                    "automatic proxy detection is on and was not evaluated: the probes went direct"
                        .into()
                }
                (None, false) => "no proxy is set".into(),
            });
        };
        if let Some(no) = &self.no_proxy
            && let Some(entry) = no_proxy_match(no, url)
        {
            return direct(format!("NO_PROXY entry {entry}"));
        }
        if let Some(entry) = bypass::matching(&self.system_bypass, self.exclude_simple, host) {
            return direct(format!("the system's bypass list: {entry}"));
        }
        match target(raw, source) {
            Ok(proxy) => Decision {
                reason: source.clone(),
                proxy: Some(proxy),
            },
            Err(why) => direct(why),
        }
    }

    /// The report's `proxy` section, with one decision per probed URL.
    #[must_use]
    pub fn info(&self, decisions: Vec<ProxyDecision>) -> ProxyInfo {
        let mut bypass: Vec<String> = self
            .no_proxy
            .iter()
            .flat_map(|n| n.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect();
        bypass.extend(self.system_bypass.iter().cloned());
        if self.exclude_simple {
            bypass.push("<simple host names>".into());
        }
        ProxyInfo {
            checked: self.checked.clone(),
            https_proxy: self.https.as_ref().and_then(|(_, u)| display_url(u)),
            source: self.https.as_ref().map(|(s, _)| s.clone()),
            bypass,
            pac_url: self.pac_url.as_deref().map(strip_credentials),
            auto_detect: self.auto_detect,
            decisions,
            notes: self.notes.clone(),
        }
    }
}

/// The `NO_PROXY` entry that sends `url` direct, by curl's rules (hyper-util's matcher, asked
/// one entry at a time so that the report can name the entry).
fn no_proxy_match(no_proxy: &str, url: &url::Url) -> Option<String> {
    let uri: hyper::Uri = url.as_str().parse().ok()?;
    no_proxy
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .find(|entry| {
            Matcher::builder()
                .https("http://proxy.invalid:1")
                .no(*entry)
                .build()
                .intercept(&uri)
                .is_none()
        })
        .map(str::to_owned)
}

/// A usable proxy from a proxy URL (`http://user:pw@host:port`, `host:port`), or why not.
///
/// # Errors
/// A line for the report when the URL cannot be used (unreadable, SOCKS, HTTPS to the proxy).
pub fn target(raw: &str, source: &str) -> Result<ProxyTarget, String> {
    let matcher = Matcher::builder().https(raw).build();
    let probe = hyper::Uri::from_static("https://example.invalid/");
    let Some(intercept) = matcher.intercept(&probe) else {
        return Err(format!(
            "the proxy set by {source} could not be read: the probes went direct"
        ));
    };
    let uri = intercept.uri();
    let scheme = uri.scheme_str().unwrap_or("http");
    let host = uri
        .host()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_owned();
    if scheme != "http" {
        return Err(format!(
            "the proxy set by {source} is a {scheme} proxy, which the probes cannot use: they went direct"
        ));
    }
    if host.is_empty() {
        return Err(format!(
            "the proxy set by {source} names no host: the probes went direct"
        ));
    }
    // curl's default proxy port when none is given.
    let port = uri.port_u16().unwrap_or(1080);
    let display = if host.contains(':') {
        format!("http://[{host}]:{port}")
    } else {
        format!("http://{host}:{port}")
    };
    Ok(ProxyTarget {
        host,
        port,
        display,
        source: source.to_owned(),
        authorization: intercept
            .basic_auth()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    })
}

/// A proxy URL as the report may show it: scheme, host and port, never credentials or a path.
#[must_use]
pub fn display_url(raw: &str) -> Option<String> {
    let matcher = Matcher::builder().https(raw).build();
    let probe = hyper::Uri::from_static("https://example.invalid/");
    let intercept = matcher.intercept(&probe)?;
    let uri = intercept.uri();
    let scheme = uri.scheme_str()?;
    let host = uri.host()?;
    Some(match uri.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// A URL (a PAC file's, say) as a report may show it: without the `user:password@` part, and
/// without its query and fragment (PAC services put account names and tokens there:
/// `smart.pac?fid=<e-mail>`).
#[must_use]
pub fn strip_credentials(raw: &str) -> String {
    // `user:pw@host:port` parses as a URL of scheme `user`: only `scheme://…` is taken as one.
    let parsed = raw
        .contains("://")
        .then(|| url::Url::parse(raw).ok())
        .flatten();
    match parsed {
        Some(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        // Not a URL: drop anything up to an `@` (it may be `user:pw@host`).
        None => raw.rsplit('@').next().unwrap_or(raw).to_owned(),
    }
}

#[cfg(test)]
mod tests;
