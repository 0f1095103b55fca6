//! Proxy discovery tests: the parsers on real captures (`tests/fixtures/*/real/`, provenance in
//! `tests/fixtures/README.md`), the environment's precedence, `NO_PROXY` and the decisions.

use super::env::EnvProxy;
use super::windows::{
    RegKey, internet_settings, parse_reg_query, per_machine, proxy_server_entries,
};
use super::*;

fn fixture(path: &str) -> String {
    let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn url(s: &str) -> url::Url {
    url::Url::parse(s).unwrap()
}

fn env_of(pairs: &[(&str, &str)]) -> EnvProxy {
    let map: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    EnvProxy::read(|name| map.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

#[test]
fn scutil_proxy_https_with_exceptions_real_capture() {
    let s = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_https_cherry_studio.txt"));
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
    let s = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_http_only_drduh.txt"));
    assert_eq!(s.https, None);
    assert_eq!(s.bypass, ["*.local", "169.254/16"]);
    assert!(!s.configures_anything());
}

#[test]
fn scutil_proxy_pac_and_none_real_captures() {
    let pac = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_pac_httptoolkit.txt"));
    assert_eq!(
        pac.pac_url.as_deref(),
        Some("http://wpad.company.com/wpad.dat")
    );
    assert_eq!(pac.https, None);
    assert!(pac.configures_anything());
    let none = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_none_yakit.txt"));
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
    assert_eq!(macos::parse_scutil_proxy(text).https, None);
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
    let e = env_of(&[
        ("https_proxy", "http://lower:1"),
        ("HTTPS_PROXY", "http://upper:2"),
    ]);
    assert_eq!(
        e.https,
        Some(("HTTPS_PROXY".into(), "http://upper:2".into()))
    );
    let e = env_of(&[("HTTPS_PROXY", " "), ("ALL_PROXY", "http://all:3")]);
    assert_eq!(e.https, Some(("ALL_PROXY".into(), "http://all:3".into())));
    let e = env_of(&[("HTTP_PROXY", "http://h:4"), ("REQUEST_METHOD", "GET")]);
    assert_eq!(e.http, None, "a CGI request's HTTP_PROXY is ignored");
}

#[test]
fn no_proxy_entries_send_hosts_direct_and_are_named() {
    let env = env_of(&[
        ("HTTPS_PROXY", "http://proxy.lan:3128"),
        ("NO_PROXY", "localhost, .hms.harvard.edu,10.0.0.0/8"),
    ]);
    let s = Settings::combine(None, &env, vec![], vec![]);
    let d = s.decide(&url("https://affiliate-apps.hms.harvard.edu/"));
    assert_eq!(d.proxy, None);
    assert_eq!(d.reason, "NO_PROXY entry .hms.harvard.edu");
    let d = s.decide(&url("https://10.1.2.3/"));
    assert_eq!(d.reason, "NO_PROXY entry 10.0.0.0/8");
    let d = s.decide(&url("https://mars.med.harvard.edu/"));
    let p = d.proxy.expect("through the proxy");
    assert_eq!(p.display, "http://proxy.lan:3128");
    assert_eq!(d.reason, "HTTPS_PROXY");
}

#[test]
fn credentials_are_used_but_never_shown() {
    let env = env_of(&[("HTTPS_PROXY", "http://jdoe:s3cret@proxy.lan:3128")]);
    let s = Settings::combine(None, &env, vec![], vec![]);
    let p = s
        .decide(&url("https://mars.med.harvard.edu/"))
        .proxy
        .unwrap();
    assert_eq!(p.display, "http://proxy.lan:3128");
    assert_eq!(p.authorization.as_deref(), Some("Basic amRvZTpzM2NyZXQ="));
    let info = s.info(vec![]);
    let json = serde_json::to_string(&info).unwrap();
    assert!(!json.contains("s3cret") && !json.contains("jdoe"), "{json}");
    assert_eq!(info.https_proxy.as_deref(), Some("http://proxy.lan:3128"));
    assert_eq!(
        strip_credentials("http://u:p@wpad.lan/proxy.pac"),
        "http://wpad.lan/proxy.pac"
    );
    assert_eq!(
        strip_credentials("https://pac.example/smart.pac?fid=jdoe@example.edu#x"),
        "https://pac.example/smart.pac"
    );
    assert_eq!(
        strip_credentials("user:pw@socks.lan:1080"),
        "socks.lan:1080"
    );
}

#[test]
fn unusable_proxies_go_direct_with_a_reason() {
    let socks = env_of(&[("ALL_PROXY", "socks5://127.0.0.1:1080")]);
    let d = Settings::combine(None, &socks, vec![], vec![]).decide(&url("https://a.test/"));
    assert_eq!(d.proxy, None);
    assert!(d.reason.contains("socks5 proxy"), "{}", d.reason);
    let port_default = target("proxy.lan", "HTTPS_PROXY").unwrap();
    assert_eq!(
        (port_default.port, port_default.display.as_str()),
        (1080, "http://proxy.lan:1080")
    );
}

#[test]
fn system_settings_win_over_the_environment_where_they_say_something() {
    let env = env_of(&[("HTTPS_PROXY", "http://env.lan:1")]);
    let mac =
        macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_https_cherry_studio.txt"));
    let s = Settings::combine(Some(("macOS network settings", mac)), &env, vec![], vec![]);
    let d = s.decide(&url("https://mars.med.harvard.edu/"));
    assert_eq!(d.proxy.unwrap().display, "http://127.0.0.1:6152");
    assert_eq!(d.reason, "macOS network settings");
    assert!(
        s.info(vec![])
            .notes
            .iter()
            .any(|n| n.contains("HTTPS_PROXY is set"))
    );
    // Its bypass list applies: simple names and `localhost` go direct.
    assert_eq!(s.decide(&url("https://intranet/")).proxy, None);
    assert_eq!(s.decide(&url("https://localhost/")).proxy, None);

    let none = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_none_yakit.txt"));
    let s = Settings::combine(Some(("macOS network settings", none)), &env, vec![], vec![]);
    assert_eq!(s.decide(&url("https://a.test/")).reason, "HTTPS_PROXY");
}

#[test]
fn a_pac_file_is_recorded_and_the_probes_go_direct() {
    let pac = macos::parse_scutil_proxy(&fixture("macos/real/scutil_proxy_pac_httptoolkit.txt"));
    let s = Settings::combine(
        Some(("macOS network settings", pac)),
        &EnvProxy::default(),
        vec![],
        vec![],
    );
    let d = s.decide(&url("https://mars.med.harvard.edu/"));
    assert_eq!(d.proxy, None);
    assert!(d.reason.contains("PAC file"), "{}", d.reason);
    assert_eq!(
        s.info(vec![]).pac_url.as_deref(),
        Some("http://wpad.company.com/wpad.dat")
    );
}
