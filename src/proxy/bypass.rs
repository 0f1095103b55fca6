//! The system bypass lists of macOS ("Bypass proxy settings for these Hosts & Domains") and
//! Windows (`ProxyOverride`): which hosts go direct although a proxy is set. Pure.
//!
//! Rules, as the browsers apply them: an entry with `*` is a wildcard pattern (`*.local`,
//! `10.*`); an entry starting with a dot matches the names under it (`.hms.harvard.edu`); an
//! address range (`169.254/16`, `10.0.0.0/8`) matches address literals inside it; anything
//! else matches that exact host. Case does not matter. `exclude_simple` sends names without a
//! dot direct (macOS "Exclude simple hostnames", Windows `<local>`).

use std::net::IpAddr;

/// The bypass entry (or rule) that sends `host` direct, if any.
#[must_use]
pub fn matching(entries: &[String], exclude_simple: bool, host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let literal: Option<IpAddr> = host.trim_matches(['[', ']']).parse().ok();
    if exclude_simple && literal.is_none() && !host.contains('.') {
        return Some("simple host names (no dot) go direct".into());
    }
    entries
        .iter()
        .find(|e| entry_matches(e, &host, literal))
        .cloned()
}

fn entry_matches(entry: &str, host: &str, literal: Option<IpAddr>) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    if entry.is_empty() {
        return false;
    }
    if let (Some(ip), Some((net, len))) = (literal, range(&entry)) {
        return in_range(ip, net, len);
    }
    if entry.contains('*') {
        return glob(&entry, host);
    }
    if let Some(suffix) = entry.strip_prefix('.') {
        return host.ends_with(&format!(".{suffix}"));
    }
    entry == host
}

/// `*` matches any run of characters (possibly empty); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// An address range: `10.0.0.0/8`, `fd00::/8`, or BSD's abbreviated `169.254/16`, `127/8`.
fn range(entry: &str) -> Option<(IpAddr, u8)> {
    let (addr, len) = entry.split_once('/')?;
    let len: u8 = len.parse().ok()?;
    let ip = addr.parse::<IpAddr>().ok().or_else(|| {
        // Abbreviated IPv4: fill the missing octets with zeros.
        let octets: Vec<u8> = addr
            .split('.')
            .map(|o| o.parse::<u8>().ok())
            .collect::<Option<_>>()?;
        (1..=4).contains(&octets.len()).then(|| {
            let mut full = [0u8; 4];
            full[..octets.len()].copy_from_slice(&octets);
            IpAddr::from(full)
        })
    })?;
    Some((ip, len))
}

fn in_range(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if len <= 32 => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if len <= 128 => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> Vec<String> {
        entries.iter().map(|e| (*e).to_owned()).collect()
    }

    #[test]
    fn wildcards_suffixes_exact_names_and_ranges() {
        let entries = list(&[
            "*.local",
            "169.254/16",
            ".hms.harvard.edu",
            "localhost",
            "10.*",
        ]);
        let m = |h: &str| matching(&entries, false, h);
        assert_eq!(m("printer.local").as_deref(), Some("*.local"));
        assert_eq!(
            m("mars.hms.harvard.edu").as_deref(),
            Some(".hms.harvard.edu")
        );
        // A leading-dot entry is for the names under it, not the domain itself.
        assert_eq!(m("hms.harvard.edu"), None);
        assert_eq!(m("LOCALHOST").as_deref(), Some("localhost"));
        // An exact entry does not cover subdomains (CFNetwork and WinINet match it exactly).
        assert_eq!(m("a.localhost"), None);
        assert_eq!(m("169.254.3.4").as_deref(), Some("169.254/16"));
        assert_eq!(m("169.255.3.4"), None);
        assert_eq!(m("10.1.2.3").as_deref(), Some("10.*"));
        assert_eq!(m("mars.med.harvard.edu"), None);
    }

    #[test]
    fn simple_host_names_only_when_asked() {
        assert!(matching(&[], true, "intranet").is_some());
        assert!(matching(&[], false, "intranet").is_none());
        assert!(matching(&[], true, "mars.med.harvard.edu").is_none());
        assert!(
            matching(&[], true, "::1").is_none(),
            "an address is not a simple name"
        );
    }

    #[test]
    fn glob_handles_inner_and_repeated_stars() {
        assert!(glob("*.med.*.edu", "mars.med.harvard.edu"));
        assert!(!glob("*.med.*.edu", "mars.hms.harvard.edu"));
        assert!(glob("*", "anything"));
        assert!(!glob("a*a", "a"));
    }
}
