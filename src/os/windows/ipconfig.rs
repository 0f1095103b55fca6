//! `ipconfig /all`, read by the shape of its lines and values rather than by its labels,
//! which Windows prints in the system's language ("IPv4 Address" is "IPv4-Adresse" in German,
//! "Ethernet adapter" is "Ethernet-Adapter", "Media disconnected" is "Medium getrennt").
//!
//! What the shape gives, in every language:
//! - an adapter heading is an unindented line ending in a colon; a field is an indented
//!   `label . . . : value` line (the dots may be missing when the label is long), split at
//!   the colon that ends the dot leader, since a label may hold a colon ("Vínculo: dirección
//!   IPv6 local"); a value that did not fit on its field's line continues on a deeply
//!   indented line of its own;
//! - an address of the adapter carries a status in brackets (`10.0.0.2(Preferred)`,
//!   `(Bevorzugt)`), which the gateways, DHCP and DNS servers never do; an IPv4 address is
//!   followed by its subnet mask (Windows XP prints no status: an address is then the IPv4
//!   value right before a mask);
//! - the "Media State" field is printed only for a disconnected adapter, first in its block,
//!   and its value is words, where the first field of a connected adapter (its DNS suffix)
//!   is one domain or nothing;
//! - DNS servers are the addresses of the one field whose label contains the acronym "DNS"
//!   (the suffix fields hold names, never addresses).
//!
//! Where a label cannot be avoided (the adapter's description and the kind words of the
//! heading), English and German are known, and the Spanish and French heading phrases (the
//! languages of the real captures in `tests/fixtures/windows/real/`); another language falls
//! back to the whole heading as the name, kind "other", and the description found by position
//! (right before a MAC address). Output redirected or piped from a console in a legacy code
//! page (850 for Spanish and French) is not UTF-8: read lossily, its accented letters become
//! U+FFFD, which the heading phrases allow for and the shapes never depend on.

use std::net::{IpAddr, Ipv4Addr};

use crate::clients;
use crate::report::model::{Interface, InterfaceKind};

/// One adapter of `ipconfig /all`.
#[derive(Debug, Default)]
struct Adapter {
    iface: Interface,
    /// Index from the `%N` zone of an address.
    index: Option<u32>,
    dns: Vec<IpAddr>,
    /// Its heading says "Unknown adapter": an interface type ipconfig has no word for.
    unknown_type: bool,
    /// It shows a hardware (MAC) address.
    has_mac: bool,
}

/// What one line of `ipconfig /all` is, by its shape.
enum Line<'a> {
    /// `Ethernet adapter Ethernet 2:` (returned without the colon).
    Heading(&'a str),
    /// `   IPv4 Address. . . . : 10.0.0.2(Preferred)`.
    Field {
        label: &'a str,
        value: &'a str,
    },
    /// `                                       10.250.0.54` (a value continued).
    More(&'a str),
    Other,
}

fn line_shape(line: &str) -> Line<'_> {
    let body = line.trim();
    if body.is_empty() {
        return Line::Other;
    }
    let indent = line.len() - line.trim_start().len();
    if indent == 0 {
        let Some(h) = body.strip_suffix(':') else {
            return Line::Other;
        };
        if h.contains(" . ") || h.contains(": ") {
            return Line::Other;
        }
        return Line::Heading(h.trim_end());
    }
    if indent >= 10 {
        return Line::More(body);
    }
    match split_field(body) {
        Some((label, value)) => Line::Field {
            label: label.trim_end_matches(['.', ' ']),
            value: value.trim(),
        },
        None => Line::Other,
    }
}

/// Splits `label . . . : value` at its separator: the first colon that ends the dot leader
/// (after a dot or a space, before a space or the end of the line), because a label may hold
/// a colon of its own (Spanish "Vínculo: dirección IPv6 local. . . : fe80::…"); a long label
/// printed without a leader ("Lista de búsqueda de sufijos DNS: home") ends at its first colon.
fn split_field(body: &str) -> Option<(&str, &str)> {
    let ends_leader = |i: usize| {
        body[..i].ends_with(['.', ' ']) && matches!(body.as_bytes().get(i + 1), None | Some(b' '))
    };
    let i = body
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| ends_leader(i))
        .or_else(|| body.find(':'))?;
    Some((&body[..i], &body[i + 1..]))
}

/// Splits a heading into its kind and the adapter's name: `Wireless LAN adapter Wi-Fi`,
/// `Drahtlos-LAN-Adapter WLAN`, `Tunneladapter isatap.{…}`. The kind is None for the adapters
/// whose interface type ipconfig cannot name ("Unknown adapter").
fn heading_parts(h: &str) -> (Option<InterfaceKind>, String) {
    if let Some((kind, name)) = KIND_FIRST
        .iter()
        .find_map(|(phrase, kind)| strip_kind_phrase(h, phrase).map(|name| (*kind, name)))
    {
        return (kind, name.to_string());
    }
    let lower = h.to_lowercase();
    let (kind_words, name) = match lower.find("adapter ") {
        // ASCII only before the match, so the byte offset is the same in `h`.
        Some(i) if h.is_char_boundary(i + 8) => (&lower[..i], h[i + 8..].trim().to_string()),
        _ => (lower.as_str(), h.to_string()),
    };
    let kind = if UNKNOWN_TYPE_WORDS.iter().any(|w| kind_words.contains(w)) {
        None
    } else if ["wireless", "drahtlos", "wlan"]
        .iter()
        .any(|w| kind_words.contains(w))
    {
        Some(InterfaceKind::Wifi)
    } else if kind_words.contains("tunnel") {
        Some(InterfaceKind::Tunnel)
    } else if kind_words.contains("ppp") {
        Some(InterfaceKind::Ppp)
    } else if kind_words.contains("ethernet") {
        Some(InterfaceKind::Ethernet)
    } else {
        Some(InterfaceKind::Other)
    };
    (kind, name)
}

/// Headings that put the kind first and end it with no word of their own, so that no shape
/// tells it from a name of several words: Spanish ("Adaptador de LAN inalámbrica Wi-Fi") and
/// French ("Carte réseau sans fil Wi-Fi"). Each phrase is one Windows prints, as seen in real
/// captures (lowercase); the French "unknown adapter" phrase has not been seen, so such a
/// heading keeps the fallback (whole heading as name, kind "other").
const KIND_FIRST: &[(&str, Option<InterfaceKind>)] = &[
    ("adaptador de lan inalámbrica", Some(InterfaceKind::Wifi)),
    ("adaptador de ethernet", Some(InterfaceKind::Ethernet)),
    ("adaptador de túnel", Some(InterfaceKind::Tunnel)),
    ("adaptador desconocido", None),
    ("adaptador ppp", Some(InterfaceKind::Ppp)),
    ("carte réseau sans fil", Some(InterfaceKind::Wifi)),
    ("carte ethernet", Some(InterfaceKind::Ethernet)),
    ("carte tunnel", Some(InterfaceKind::Tunnel)),
];

/// The name after a kind phrase that starts heading `h`, if it does. A letter outside ASCII in
/// the phrase also matches U+FFFD: a console's legacy code page (850) read as UTF-8 turns
/// "inalámbrica" into "inal\u{fffd}mbrica".
fn strip_kind_phrase<'a>(h: &'a str, phrase: &str) -> Option<&'a str> {
    let mut chars = h.char_indices();
    for p in phrase.chars() {
        let (_, c) = chars.next()?;
        let same = c.to_lowercase().eq(std::iter::once(p)) || (!p.is_ascii() && c == '\u{fffd}');
        if !same {
            return None;
        }
    }
    let (i, c) = chars.next()?;
    (c == ' ').then(|| h[i..].trim())
}

/// The heading words of an adapter whose interface type ipconfig cannot name ("Unknown
/// adapter Tailscale:", German "Unbekannter Adapter"): VPN drivers declare the proprietary
/// virtual type (53), which it prints so.
const UNKNOWN_TYPE_WORDS: &[&str] = &["unknown", "unbekannt"];

/// A value with its bracketed status removed, and whether it had one.
fn without_status(value: &str) -> (&str, bool) {
    match value.strip_suffix(')').and_then(|v| v.rsplit_once('(')) {
        Some((v, _)) => (v.trim(), true),
        None => (value, false),
    }
}

/// An address value (`fe80::1%7` keeps its zone apart) and its zone.
fn ip_value(value: &str) -> Option<(IpAddr, Option<u32>)> {
    let (addr, zone) = value
        .split_once('%')
        .map_or((value, None), |(a, z)| (a, Some(z)));
    let ip = addr.parse::<IpAddr>().ok()?;
    Some((ip, zone.and_then(|z| z.parse().ok())))
}

/// The prefix length of a contiguous netmask value.
fn netmask_len(value: &str) -> Option<u32> {
    let m = u32::from(value.parse::<Ipv4Addr>().ok()?);
    (m.leading_ones() == m.count_ones() && m != 0).then_some(m.count_ones())
}

/// `XX-XX-XX-XX-XX-XX` (or 8 groups): the value of the physical-address field.
fn is_mac(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    (groups.len() == 6 || groups.len() == 8)
        && groups
            .iter()
            .all(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

const DESCRIPTION_LABELS: &[&str] = &["Description", "Beschreibung"];

/// The reading state within one adapter block.
#[derive(Default)]
struct Block {
    fields: usize,
    /// The IPv4 value of the previous field, and whether it carried a status.
    last_v4: Option<(Ipv4Addr, bool)>,
    /// An address with a status was seen (so status-less values are not addresses).
    has_status: bool,
    prev_value: String,
    in_dns: bool,
}

fn field(a: &mut Adapter, b: &mut Block, label: &str, value: &str) {
    b.fields += 1;
    if b.fields == 1 && value.contains(char::is_whitespace) {
        a.iface.up = false;
    }
    let (bare, status) = without_status(value);
    let ip = ip_value(bare);
    b.has_status |= status && ip.is_some();
    ipv4_field(a, b, value, bare, status);
    if let Some((IpAddr::V6(v6), zone)) = ip.filter(|_| status) {
        let link_local = v6.segments()[0] & 0xffc0 == 0xfe80;
        let len = if link_local { 64 } else { 128 };
        a.iface.addresses.push(format!("{v6}/{len}"));
        a.index = a.index.or(zone);
    }
    b.in_dns = false;
    if !status
        && label.to_ascii_uppercase().contains("DNS")
        && let Some((ip, _)) = ip
    {
        a.dns.push(ip);
        b.in_dns = true;
    }
    a.has_mac |= is_mac(value);
    description_field(a, b, label, value);
    b.prev_value = value.to_string();
}

/// IPv4 addresses: a value with a status, its mask from the next field; or (no statuses
/// anywhere, as on Windows XP) an IPv4 value directly followed by a mask.
fn ipv4_field(a: &mut Adapter, b: &mut Block, value: &str, bare: &str, status: bool) {
    let pending = b.last_v4.take();
    let mask = netmask_len(value);
    match (pending, mask) {
        (Some((v4, had_status)), Some(len)) if had_status || !b.has_status => {
            a.iface.addresses.push(format!("{v4}/{len}"));
            return;
        }
        (Some((v4, true)), _) => a.iface.addresses.push(format!("{v4}/32")),
        _ => {}
    }
    if let Some((IpAddr::V4(v4), _)) = ip_value(bare) {
        b.last_v4 = Some((v4, status));
    }
}

/// The adapter's description: by its label (English, German), else the value right
/// before the physical (MAC) address.
fn description_field(a: &mut Adapter, b: &Block, label: &str, value: &str) {
    let d = if DESCRIPTION_LABELS.contains(&label) {
        value
    } else if is_mac(value) && a.iface.description.is_none() && !b.prev_value.is_empty() {
        b.prev_value.as_str()
    } else {
        return;
    };
    if clients::from_adapter(d).is_some() {
        a.iface.kind = InterfaceKind::Tunnel;
    }
    a.iface.description = Some(d.to_string());
}

fn finish(a: &mut Adapter, b: &mut Block) {
    if let Some((v4, true)) = b.last_v4.take() {
        a.iface.addresses.push(format!("{v4}/32"));
    }
    // An adapter of the type VPN drivers declare that carries IP packets only (no hardware
    // address: Wintun, WireGuard, OpenVPN's data-channel offload) is a tunnel, named or not.
    if a.unknown_type && a.iface.kind == InterfaceKind::Other && !a.has_mac {
        a.iface.kind = InterfaceKind::Tunnel;
    }
}

fn parse(text: &str) -> Vec<Adapter> {
    let mut out: Vec<Adapter> = Vec::new();
    let mut block = Block::default();
    for line in text.lines() {
        match line_shape(line) {
            Line::Heading(h) => {
                if let Some(a) = out.last_mut() {
                    finish(a, &mut block);
                }
                block = Block::default();
                let (kind, name) = heading_parts(h);
                out.push(Adapter {
                    iface: Interface {
                        name,
                        kind: kind.unwrap_or(InterfaceKind::Other),
                        up: true,
                        ..Interface::default()
                    },
                    unknown_type: kind.is_none(),
                    ..Adapter::default()
                });
            }
            Line::Field { label, value } => {
                if let Some(a) = out.last_mut() {
                    field(a, &mut block, label, value);
                }
            }
            Line::More(value) => {
                if let (Some(a), true) = (out.last_mut(), block.in_dns) {
                    a.dns.extend(ip_value(value).map(|(ip, _)| ip));
                }
            }
            Line::Other => {}
        }
    }
    if let Some(a) = out.last_mut() {
        finish(a, &mut block);
    }
    out
}

/// Parses `ipconfig /all` (any language) into interfaces: the name from the adapter's
/// heading, the description, addresses (IPv4 with its subnet mask; IPv6 without a prefix
/// length, which ipconfig does not print: link-local taken as /64, others as /128), and a
/// disconnected medium as down. Physical addresses are skipped. Also returns each adapter's
/// index from the `%N` zone of its link-local address, when present. Pure.
#[must_use]
pub fn parse_ipconfig_all(text: &str) -> Vec<(Interface, Option<u32>)> {
    parse(text)
        .into_iter()
        .map(|a| (a.iface, a.index))
        .collect()
}

/// The DNS servers `ipconfig /all` lists for each adapter (any language), by adapter name;
/// adapters without DNS servers are left out. Pure.
#[must_use]
pub fn parse_ipconfig_dns(text: &str) -> Vec<(String, Vec<IpAddr>)> {
    parse(text)
        .into_iter()
        .filter(|a| !a.dns.is_empty())
        .map(|a| (a.iface.name, a.dns))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-written headings (not captures): the kind phrases of `KIND_FIRST`, with their
    /// accented letters as written and as a console in code page 850 read as UTF-8 shows them.
    #[test]
    fn kind_first_headings() {
        use InterfaceKind as K;
        for (heading, kind, name) in [
            ("Adaptador de LAN inalámbrica Wi-Fi", Some(K::Wifi), "Wi-Fi"),
            (
                "Adaptador de LAN inal\u{fffd}mbrica Wi-Fi 2",
                Some(K::Wifi),
                "Wi-Fi 2",
            ),
            (
                "Adaptador de Ethernet vEthernet (WSL)",
                Some(K::Ethernet),
                "vEthernet (WSL)",
            ),
            (
                "Adaptador de t\u{fffd}nel isatap.{2F83}",
                Some(K::Tunnel),
                "isatap.{2F83}",
            ),
            (
                "Adaptador desconocido CloudflareWARP",
                None,
                "CloudflareWARP",
            ),
            (
                "Carte réseau sans fil Connexion au réseau local* 2",
                Some(K::Wifi),
                "Connexion au réseau local* 2",
            ),
            (
                "Carte Tunnel Connexion au réseau local* 13",
                Some(K::Tunnel),
                "Connexion au réseau local* 13",
            ),
            ("Carte Ethernet Ethernet 2", Some(K::Ethernet), "Ethernet 2"),
            ("Wireless LAN adapter Wi-Fi", Some(K::Wifi), "Wi-Fi"),
        ] {
            assert_eq!(
                heading_parts(heading),
                (kind, name.to_string()),
                "{heading}"
            );
        }
        // A phrase must end at a space: "Adaptador de Ethernet2" is not the Ethernet phrase.
        assert_eq!(
            heading_parts("Adaptador de Ethernet2").1,
            "Adaptador de Ethernet2"
        );
        // A heading of an unknown language keeps the whole heading.
        assert_eq!(
            heading_parts("Scheda Ethernet Ethernet").1,
            "Scheda Ethernet Ethernet"
        );
    }

    /// Hand-written field lines: the separator ends the dot leader; a long label without one
    /// ends at its first colon, even when the value starts with one.
    #[test]
    fn field_separator() {
        for (line, label, value) in [
            (
                "V\u{fffd}nculo: direcci\u{fffd}n IPv6 local. . . : fe80::1%4(Preferido)",
                "V\u{fffd}nculo: direcci\u{fffd}n IPv6 local",
                "fe80::1%4(Preferido)",
            ),
            (
                "Adresse IPv4. . . . . . . . . . . . . .: 10.33.1.84(préféré)",
                "Adresse IPv4",
                "10.33.1.84(préféré)",
            ),
            (
                "Lista de búsqueda de sufijos DNS: home",
                "Lista de búsqueda de sufijos DNS",
                "home",
            ),
            (
                "Verbindungsspezifisches DNS-Suffix:",
                "Verbindungsspezifisches DNS-Suffix",
                "",
            ),
            (
                "Default Gateway . . . . . . . . . : ::",
                "Default Gateway",
                "::",
            ),
            (
                "Long label without leader: ::1",
                "Long label without leader",
                "::1",
            ),
            (
                "Lease Obtained. . . . . . . . . . : Monday, 2 June 2026 10:19:25",
                "Lease Obtained",
                "Monday, 2 June 2026 10:19:25",
            ),
        ] {
            let indented = format!("   {line}");
            let Line::Field { label: l, value: v } = line_shape(&indented) else {
                panic!("{line}: not a field");
            };
            assert_eq!((l, v), (label, value), "{line}");
        }
    }
}
