//! The proxy readers' parsers on real captures (`tests/fixtures/*/real/`, provenance in
//! `tests/fixtures/README.md`) and the environment's precedence.

use super::super::windows::registry::{RegKey, parse_reg_query};
use super::*;

fn fixture(path: &str) -> String {
    let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn scutil_proxy_https_with_exceptions_real_capture() {
    let s = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_https_cherry_studio.txt"));
    assert_eq!(s.https.as_deref(), Some("127.0.0.1:6152"));
    assert_eq!(s.socks.as_deref(), Some("127.0.0.1:6153"));
    assert_eq!(
        s.bypass,
        [
            "192.168.0.0/24",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "127.0.0.1",
            "localhost",
            "*.local"
        ]
    );
    assert!(s.exclude_simple);
    assert_eq!(s.pac_url, None);
    assert!(!s.auto_detect);
}

#[test]
fn scutil_proxy_http_only_is_no_https_proxy_real_capture() {
    // Privoxy set as the web (HTTP) proxy only: Safari sends https:// URLs direct.
    let s = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_http_only_drduh.txt"));
    assert_eq!(s.https, None);
    assert_eq!(s.bypass, ["*.local", "169.254/16"]);
    assert!(!s.configures_anything());
}

#[test]
fn scutil_proxy_pac_and_none_real_captures() {
    let pac = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_pac_httptoolkit.txt"));
    assert_eq!(
        pac.pac_url.as_deref(),
        Some("http://wpad.company.com/wpad.dat")
    );
    assert_eq!(pac.https, None);
    assert!(pac.configures_anything());
    let none = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_none_yakit.txt"));
    assert_eq!(
        none,
        SystemProxy {
            bypass: vec!["*.local".into(), "169.254/16".into()],
            ..SystemProxy::default()
        }
    );
}

#[test]
fn scutil_proxy_skips_scoped_dictionaries() {
    // The layout of `scutil --proxy` with a per-interface dictionary (hand-written: the keys
    // inside `__SCOPED__` are not the global settings).
    let text = "<dictionary> {\n  HTTPSEnable : 0\n  __SCOPED__ : <dictionary> {\n    en0 : <dictionary> {\n      HTTPSEnable : 1\n      HTTPSProxy : 10.9.9.9\n    }\n  }\n}\n";
    assert_eq!(parse_scutil_proxy(text).https, None);
}

#[test]
fn reg_query_internet_settings_pac_real_capture() {
    let keys = parse_reg_query(&fixture(
        "windows/real/reg_query_internet_settings_pac_marslo.txt",
    ));
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert!(key.path.ends_with(r"\Internet Settings"));
    assert_eq!(key.values.len(), 11);
    assert_eq!(
        key.get("User Agent"),
        Some("Mozilla/5.0 (compatible; MSIE 9.0; Win32)")
    );
    assert_eq!(key.dword("SecureProtocols"), Some(0x800));
    let s = internet_settings(key);
    assert_eq!(
        s.pac_url.as_deref(),
        Some("http://proxy.domain.com/file.pac")
    );
    assert_eq!(s.https, None, "ProxyEnable is 0");
    assert!(!s.auto_detect);
}

/// The values of a published registry tweak (CHEF-KOCH/regtweaks issue 4, see
/// `tests/fixtures/README.md`; written by a person, not captured from a machine): a manual proxy
/// written with a scheme, bypassing local names.
#[test]
fn internet_settings_manual_proxy_real_values() {
    let key = RegKey {
        path: r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings"
            .into(),
        values: [
            ("AutoDetect ", "REG_DWORD", "0x0"),
            ("MigrateProxy", "REG_DWORD", "0x1"),
            ("ProxyEnable", "REG_DWORD", "0x1"),
            ("ProxyHttp1.1", "REG_DWORD", "0x0"),
            ("ProxyServer", "REG_SZ", "http://ProxyServername:80"),
            ("ProxyOverride", "REG_SZ", "<local>"),
        ]
        .iter()
        .map(|(n, t, d)| ((*n).to_owned(), (*t).to_owned(), (*d).to_owned()))
        .collect(),
    };
    let s = internet_settings(&key);
    assert_eq!(s.https.as_deref(), Some("ProxyServername:80"));
    assert!(s.exclude_simple);
    assert!(s.bypass.is_empty());
}

#[test]
fn proxy_server_per_protocol_lists() {
    // The documented ProxyServer forms (WinINet): one server for all, or per protocol.
    assert_eq!(
        proxy_server_entries("proxy:8080"),
        (Some("proxy:8080".into()), None)
    );
    assert_eq!(
        proxy_server_entries("http=a:80;https=b:8443;socks=c:1080"),
        (Some("b:8443".into()), Some("c:1080".into()))
    );
    assert_eq!(proxy_server_entries("http=a:80;ftp=f:21"), (None, None));
    assert_eq!(proxy_server_entries(""), (None, None));
}

#[test]
fn a_policy_makes_proxy_settings_per_machine() {
    // `reg query` of the policy key in its documented layout (hand-written, not captured).
    let policy = |value: &str| {
        parse_reg_query(&format!(
            "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n    ProxySettingsPerUser    REG_DWORD    {value}\r\n\r\n"
        ))
    };
    assert!(per_machine(&policy("0x0")));
    assert!(!per_machine(&policy("0x1")));
    assert!(!per_machine(&parse_reg_query(
        "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n    EnableAutoProxyResultCache    REG_DWORD    0x0\r\n"
    )));
    assert!(!per_machine(&[]), "no policy key: per user");
}

#[test]
fn reg_query_values_with_spaces_empty_data_and_subkeys() {
    // The `reg query` layout with an empty value and subkey lines (hand-written).
    let text = "\r\nHKEY_CURRENT_USER\\X\r\n    User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)\r\n    Empty    REG_SZ    \r\n    Names    REG_MULTI_SZ    .a.test\\0.b.test\r\n\r\nHKEY_CURRENT_USER\\X\\Sub\r\n";
    let keys = parse_reg_query(text);
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[0].get("user agent"),
        Some("Mozilla/4.0 (compatible; MSIE 8.0; Win32)")
    );
    assert_eq!(keys[0].get("Empty"), Some(""));
    assert_eq!(keys[0].multi("Names"), [".a.test", ".b.test"]);
    assert!(keys[1].values.is_empty());
}

#[test]
fn environment_upper_case_first_all_proxy_fallback_and_empty_is_unset() {
    let e = EnvProxy::of(&[
        ("https_proxy", "http://lower:1"),
        ("HTTPS_PROXY", "http://upper:2"),
    ]);
    assert_eq!(
        e.https,
        Some(("HTTPS_PROXY".into(), "http://upper:2".into()))
    );
    let e = EnvProxy::of(&[("HTTPS_PROXY", " "), ("ALL_PROXY", "http://all:3")]);
    assert_eq!(e.https, Some(("ALL_PROXY".into(), "http://all:3".into())));
    let e = EnvProxy::of(&[("HTTP_PROXY", "http://h:4"), ("REQUEST_METHOD", "GET")]);
    assert_eq!(e.http, None, "a CGI request's HTTP_PROXY is ignored");
}
