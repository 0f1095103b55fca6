//! The client-settings parsers on the real capture and the labelled hand-written fixtures in
//! `tests/fixtures/clients/` (provenance in `tests/fixtures/README.md`).

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!(
        "{}/tests/fixtures/clients/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn hosts_from_server_values() {
    for (value, host) in [
        ("vpn.hms.harvard.edu", Some("vpn.hms.harvard.edu")),
        (
            "https://VPN.hms.harvard.edu:443/",
            Some("vpn.hms.harvard.edu"),
        ),
        ("pvc.partners.org/saml", Some("pvc.partners.org")),
        (
            "\"https://nycvpn.example.com:443/Office\"",
            Some("nycvpn.example.com"),
        ),
        ("https://user@vpn.example.org/", Some("vpn.example.org")),
        ("198.51.100.7", Some("198.51.100.7")),
        ("[2001:db8::1]:443", Some("2001:db8::1")),
        ("Harvard VPN", None),
        ("localhost", None),
        ("", None),
    ] {
        assert_eq!(host_of(value).as_deref(), host, "{value}");
    }
}

/// A real capture whose author elided keys with two `... many keys ...` lines, which also
/// leave the outer dictionaries unclosed: as published it is not a property list, and the
/// parser says so rather than guess.
#[test]
fn globalprotect_real_snipped_plist() {
    let raw = fixture("real/globalprotect_settings_plist_snipped_odedlaz.xml");
    let err = parse_globalprotect_plist(&raw).unwrap_err();
    assert!(err.starts_with("not a property list"), "{err}");
    // Without the author's two elision lines and with the three dictionaries closed, it is
    // the file GlobalProtect wrote: its tunnel addresses come out, IPv4 and IPv6.
    let text = String::from_utf8(raw).unwrap();
    let mended = text
        .lines()
        .filter(|l| l.trim() != "... many keys ...")
        .collect::<Vec<_>>()
        .join("\n")
        .replace("</plist>", "</dict></dict></dict></plist>");
    let s = parse_globalprotect_plist(mended.as_bytes()).unwrap();
    assert_eq!(s.portal, None, "the excerpt has no PanSetup");
    assert_eq!(s.tunnel_addrs.len(), 8);
    assert!(s.tunnel_addrs.contains(&ip("10.10.5.125")));
    assert!(s.tunnel_addrs.contains(&ip("3b23:110:68:41:6000::9")));
}

/// GlobalProtect writes its settings as a binary property list (admin scripts convert them
/// with `plutil -convert xml1`): the same keys, built here in both forms.
#[test]
fn globalprotect_binary_and_xml_plists() {
    use plist::{Dictionary, Value};
    let mut setup = Dictionary::new();
    setup.insert("Portal".into(), Value::String("vpn.hms.harvard.edu".into()));
    setup.insert("Prelogon".into(), Value::String("0".into()));
    let mut gps = Dictionary::new();
    gps.insert(
        "PreferredIP_11de985a54adccec223de2b24075693f".into(),
        Value::String("10.116.16.225".into()),
    );
    gps.insert("SomethingElse".into(), Value::String("10.0.0.1".into()));
    let mut gp = Dictionary::new();
    gp.insert("PanSetup".into(), Value::Dictionary(setup));
    gp.insert("PanGPS".into(), Value::Dictionary(gps));
    let mut pan = Dictionary::new();
    pan.insert("GlobalProtect".into(), Value::Dictionary(gp));
    let mut root = Dictionary::new();
    root.insert("Palo Alto Networks".into(), Value::Dictionary(pan));
    let root = Value::Dictionary(root);
    for binary in [true, false] {
        let mut bytes = Vec::new();
        if binary {
            root.to_writer_binary(&mut bytes).unwrap();
            assert!(bytes.starts_with(b"bplist00"));
        } else {
            root.to_writer_xml(&mut bytes).unwrap();
        }
        let s = parse_globalprotect_plist(&bytes).unwrap();
        assert_eq!(s.portal.as_deref(), Some("vpn.hms.harvard.edu"));
        assert_eq!(s.tunnel_addrs, [ip("10.116.16.225")], "only PreferredIP_*");
    }
    assert!(parse_globalprotect_plist(b"").is_err());
    assert_eq!(
        parse_globalprotect_plist(b"<plist version=\"1.0\"><dict/></plist>").unwrap(),
        GlobalProtectSettings::default()
    );
}

#[test]
fn pulse_connection_store() {
    let text = String::from_utf8(fixture("pulse_connstore_handwritten.dat")).unwrap();
    assert_eq!(
        parse_pulse_connstore(&text),
        ["vpn.hms.harvard.edu", "vpn.childrens.harvard.edu"]
    );
    // The `machine` block's fields and comment lines are not servers.
    assert!(parse_pulse_connstore("; uri: \"https://a.example.com\"\n").is_empty());
    assert!(
        parse_pulse_connstore("machine \"local\" {\n  uri: \"https://b.example.com\"\n}\n")
            .is_empty()
    );
}

#[test]
fn anyconnect_last_server() {
    let text = String::from_utf8(fixture("anyconnect_preferences_handwritten.xml")).unwrap();
    assert_eq!(
        parse_anyconnect_preferences(&text).as_deref(),
        Some("vpn.harvard.edu"),
        "the address, not the profile's display name"
    );
    // The shape public deployment scripts write: the name only, holding the server.
    let name_only = "<AnyConnectPreferences>\n<DefaultHostName>pvc.partners.org/saml</DefaultHostName>\n</AnyConnectPreferences>";
    assert_eq!(
        parse_anyconnect_preferences(name_only).as_deref(),
        Some("pvc.partners.org")
    );
    let empty = "<AnyConnectPreferences><DefaultHostName></DefaultHostName><DefaultHostAddress></DefaultHostAddress></AnyConnectPreferences>";
    assert_eq!(parse_anyconnect_preferences(empty), None);
}

#[test]
fn home_and_localappdata_expand() {
    let p = expand("/Library/Preferences/x.plist").unwrap();
    assert_eq!(p, PathBuf::from("/Library/Preferences/x.plist"));
    if let Some(home) = std::env::var_os("HOME") {
        assert_eq!(
            expand("~/.anyconnect").unwrap(),
            PathBuf::from(home).join(".anyconnect")
        );
    }
}

fn windows_fixture(name: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/windows/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// GlobalProtect's two keys in `reg query`'s layout (hand-written: no capture of them was
/// found; the layout is that of the real `reg_query_internet_settings_pac_marslo.txt`).
#[test]
fn globalprotect_portals_from_its_two_keys() {
    let pan = registry::parse_reg_query(&windows_fixture(
        "reg_query_globalprotect_pansetup_handwritten.txt",
    ));
    assert_eq!(globalprotect_portals(&pan), ["vpn.hms.harvard.edu"]);
    let settings = registry::parse_reg_query(&windows_fixture(
        "reg_query_globalprotect_settings_handwritten.txt",
    ));
    assert_eq!(settings.len(), 3, "{settings:?}");
    assert_eq!(
        globalprotect_portals(&settings),
        ["vpn.hms.harvard.edu", "vpn.childrens.harvard.edu"]
    );
    // Without the key's own line (should `reg` leave it out when the key holds no value),
    // the subkeys are still the portals; a missing key is no portal.
    assert_eq!(
        globalprotect_portals(&settings[1..]),
        ["vpn.hms.harvard.edu", "vpn.childrens.harvard.edu"]
    );
    assert!(globalprotect_portals(&[]).is_empty());
}
