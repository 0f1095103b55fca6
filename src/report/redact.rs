//! `--redact`: replaces local and private addresses with stable placeholders before a report
//! leaves the laptop, keeping what the service desk needs (verdict, outcomes, timings, which
//! interface is which kind).
//!
//! Works on the JSON form, so every field (present and future) is covered: any IP address inside
//! any string that is loopback, private (RFC 1918, ULA), link-local, shared (CGNAT 100.64/10) or
//! assigned to one of this machine's interfaces becomes `ip-N`, the same N for the same address.
//! A VPN server the profile does not know (another employer's, a personal VPN's) says where a
//! person works or what they use, while the desk needs only that such a tunnel is up: its name
//! becomes `vpn-server-N` wherever it is written, and its address `ip-N`.

use std::collections::HashMap;
use std::net::IpAddr;

use serde_json::Value;

use super::model::{Report, VpnRole};

/// A redacted copy of `report`.
#[must_use]
pub fn redact(report: &Report) -> Report {
    // This machine's own addresses, and (below) those of unknown VPN servers.
    let mut own: Vec<IpAddr> = report.interfaces.iter().flat_map(|i| i.ips()).collect();
    let mut servers: Vec<(String, String)> = Vec::new();
    for server in unknown_servers(report) {
        match server.parse::<IpAddr>() {
            Ok(ip) => own.push(ip),
            Err(_) if !servers.iter().any(|(name, _)| name == server) => {
                let placeholder = format!("vpn-server-{}", servers.len() + 1);
                servers.push((server.to_owned(), placeholder));
            }
            Err(_) => {}
        }
    }
    let mut names: HashMap<IpAddr, String> = HashMap::new();
    let Ok(mut value) = serde_json::to_value(report) else {
        return report.clone();
    };
    walk(&mut value, &mut |s| {
        redact_text(&replace_names(s, &servers), &own, &mut names)
    });
    let mut out: Report = serde_json::from_value(value).unwrap_or_else(|_| report.clone());
    let mut note = format!(
        "redacted: {} local or private address(es) replaced by ip-N",
        names.len()
    );
    if !servers.is_empty() {
        note.push_str(&format!(
            ", {} VPN server name(s) the profile does not know replaced by vpn-server-N",
            servers.len()
        ));
    }
    out.notes.push(note);
    out.report_id = Some(super::report_id(&out));
    out
}

/// The servers of tunnels that are neither the HMS VPN nor a network the profile names.
fn unknown_servers(report: &Report) -> impl Iterator<Item = &str> {
    report
        .vpns
        .iter()
        .filter(|v| v.role != VpnRole::Hms && v.network.is_none())
        .filter_map(|v| v.gateway.as_deref())
}

/// Every string inside `v`, rewritten by `rewrite`.
fn walk(v: &mut Value, rewrite: &mut dyn FnMut(&str) -> String) {
    match v {
        Value::String(s) => *s = rewrite(s),
        Value::Array(items) => items.iter_mut().for_each(|i| walk(i, rewrite)),
        Value::Object(map) => map.values_mut().for_each(|i| walk(i, rewrite)),
        _ => {}
    }
}

/// `text` with each whole host name of `names` (`vpn.acme.example`, not `myvpn.acme.example`
/// nor `vpn.acme.example.org`; a sentence's final dot is not part of a name) replaced by its
/// placeholder, case aside.
fn replace_names(text: &str, names: &[(String, String)]) -> String {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let mut out = text.to_owned();
    for (name, placeholder) in names {
        let lower = out.to_ascii_lowercase();
        let wanted = name.to_ascii_lowercase();
        let mut rebuilt = String::with_capacity(out.len());
        let mut kept = 0;
        for (at, _) in lower.match_indices(&wanted) {
            let end = at + wanted.len();
            let before = out[..at].chars().next_back();
            let mut after = out[end..].chars();
            let whole_after = match after.next() {
                None => true,
                Some('.') => !after.next().is_some_and(|c| c.is_ascii_alphanumeric()),
                Some(c) => !is_name_char(c),
            };
            if at >= kept && !before.is_some_and(is_name_char) && whole_after {
                rebuilt.push_str(&out[kept..at]);
                rebuilt.push_str(placeholder);
                kept = end;
            }
        }
        rebuilt.push_str(&out[kept..]);
        out = rebuilt;
    }
    out
}

/// True for addresses that say something about the person's own network.
#[must_use]
pub fn is_sensitive(ip: IpAddr, own: &[IpAddr]) -> bool {
    if own.contains(&ip) {
        return true;
    }
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments()[0];
            v6.is_loopback() || (s & 0xfe00) == 0xfc00 || (s & 0xffc0) == 0xfe80
        }
    }
}

/// Replaces every sensitive address inside `text`; other characters are kept as they are.
fn redact_text(text: &str, own: &[IpAddr], names: &mut HashMap<IpAddr, String>) -> String {
    replace_addresses(text, &mut |ip| {
        is_sensitive(ip, own).then(|| {
            let n = names.len() + 1;
            names.entry(ip).or_insert_with(|| format!("ip-{n}")).clone()
        })
    })
}

/// Finds every IP address inside `text` (alone, with a `/prefix`, as `[v6]:port` or
/// `v4:port`, followed by punctuation) and replaces it with what `replace` returns for it;
/// `None` keeps it. Other characters are kept as they are.
pub(super) fn replace_addresses(
    text: &str,
    replace: &mut dyn FnMut(IpAddr) -> Option<String>,
) -> String {
    let is_addr_char = |c: char| c.is_ascii_hexdigit() || c == '.' || c == ':';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_addr_char) {
        out.push_str(&rest[..start]);
        let run_len = rest[start..]
            .find(|c: char| !is_addr_char(c))
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_len];
        out.push_str(&replace_run(run, replace));
        rest = &rest[start + run_len..];
    }
    out.push_str(rest);
    out
}

/// A run of address-like characters: an address, or an address with `:port`, perhaps followed
/// by punctuation (`127.0.0.1:53:` in "127.0.0.1:53: no answer", a sentence's final dot).
fn replace_run(run: &str, replace: &mut dyn FnMut(IpAddr) -> Option<String>) -> String {
    if run.parse::<IpAddr>().is_ok() {
        return replace_core(run, replace); // `fd00::` ends in colons and is whole
    }
    let core = run.trim_end_matches([':', '.']);
    let tail = &run[core.len()..];
    replace_core(core, replace) + tail
}

fn replace_core(run: &str, replace: &mut dyn FnMut(IpAddr) -> Option<String>) -> String {
    if let Ok(ip) = run.parse::<IpAddr>() {
        return replace(ip).unwrap_or_else(|| run.to_owned());
    }
    // IPv4 with a port (`10.0.0.1:53`); IPv6 with a port is bracketed, so the run is the address.
    if let Some((host, port)) = run.rsplit_once(':')
        && let Ok(ip) = host.parse::<IpAddr>()
        && ip.is_ipv4()
        && !port.is_empty()
        && port.chars().all(|c| c.is_ascii_digit())
    {
        return match replace(ip) {
            Some(new) => format!("{new}:{port}"),
            None => run.to_owned(),
        };
    }
    run.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_own_addresses_get_stable_placeholders() {
        let own = ["198.18.0.2".parse().unwrap()];
        let mut names = HashMap::new();
        let a = redact_text(
            "from 10.1.2.3:5353 via 198.18.0.2/24 to 8.8.4.4",
            &own,
            &mut names,
        );
        assert_eq!(a, "from ip-1:5353 via ip-2/24 to 8.8.4.4");
        let b = redact_text("[fe80::1]:53 and 10.1.2.3 and fd00::2/64", &own, &mut names);
        assert_eq!(b, "[ip-3]:53 and ip-1 and ip-4/64");
        let c = redact_text(
            "127.0.0.1:53071: no answer from 10.1.2.3.",
            &own,
            &mut names,
        );
        assert_eq!(c, "ip-5:53071: no answer from ip-1.");
        let d = redact_text("route fd00::/64 via fd00::", &own, &mut names);
        assert_eq!(d, "route ip-6/64 via ip-6");
    }

    #[test]
    fn words_and_public_addresses_are_untouched() {
        let mut names = HashMap::new();
        let s = "tcp:mars:443: timeout (dead beef, 128.103.1.1, 12 ms)";
        assert_eq!(redact_text(s, &[], &mut names), s);
        assert!(names.is_empty());
    }

    #[test]
    fn whole_server_names_are_replaced_and_nothing_else() {
        let names = [("vpn.acme.example".to_owned(), "vpn-server-1".to_owned())];
        assert_eq!(
            replace_names(
                "connected to VPN.acme.example. Also vpn.acme.example:443, myvpn.acme.example, vpn.acme.example.org",
                &names
            ),
            "connected to vpn-server-1. Also vpn-server-1:443, myvpn.acme.example, vpn.acme.example.org"
        );
    }

    #[test]
    fn unknown_vpn_servers_are_redacted_and_known_ones_kept() {
        use crate::report::model::Vpn;
        let vpn = |role, gateway: &str, network: Option<&str>| Vpn {
            interface: "utun4".into(),
            client: Some("GlobalProtect".into()),
            role,
            gateway: Some(gateway.into()),
            network: network.map(str::to_owned),
            evidence: vec![format!("connected to {gateway} (the client's settings)")],
        };
        let mut report: Report =
            serde_json::from_str(include_str!("../../docs/examples/needs-hms-vpn.json")).unwrap();
        report.vpns = vec![
            vpn(VpnRole::Unknown, "vpn.acme.example", None),
            vpn(VpnRole::Unknown, "203.0.113.7", None),
            vpn(
                VpnRole::Unknown,
                "vpn.harvard.edu",
                Some("Harvard University VPN"),
            ),
            vpn(VpnRole::Hms, "vpn.hms.harvard.edu", None),
        ];
        let out = redact(&report);
        let json = serde_json::to_string(&out).unwrap();
        assert!(
            !json.contains("acme") && !json.contains("203.0.113.7"),
            "{json}"
        );
        assert_eq!(out.vpns[0].gateway.as_deref(), Some("vpn-server-1"));
        assert_eq!(
            out.vpns[0].evidence[0],
            "connected to vpn-server-1 (the client's settings)"
        );
        assert!(out.vpns[1].gateway.as_deref().unwrap().starts_with("ip-"));
        assert_eq!(out.vpns[2].gateway.as_deref(), Some("vpn.harvard.edu"));
        assert_eq!(out.vpns[3].gateway.as_deref(), Some("vpn.hms.harvard.edu"));
        assert!(out.notes.last().unwrap().contains("1 VPN server name(s)"));
    }

    #[test]
    fn cgnat_and_loopback_are_sensitive() {
        assert!(is_sensitive("100.64.1.1".parse().unwrap(), &[]));
        assert!(is_sensitive("127.0.0.1".parse().unwrap(), &[]));
        assert!(!is_sensitive("100.128.0.1".parse().unwrap(), &[]));
    }
}
