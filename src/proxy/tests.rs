//! Proxy decisions: the environment's `NO_PROXY`, credentials, the system settings' precedence
//! over the environment, PAC files (system settings parsed from real captures,
//! `tests/fixtures/*/real/`, provenance in `tests/fixtures/README.md`).

use super::*;
use crate::os::proxy::parse_scutil_proxy;

fn fixture(path: &str) -> String {
    let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn url(s: &str) -> url::Url {
    url::Url::parse(s).unwrap()
}

#[test]
fn no_proxy_entries_send_hosts_direct_and_are_named() {
    let env = EnvProxy::of(&[
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
    let env = EnvProxy::of(&[("HTTPS_PROXY", "http://jdoe:s3cret@proxy.lan:3128")]);
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
    let socks = EnvProxy::of(&[("ALL_PROXY", "socks5://127.0.0.1:1080")]);
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
    let env = EnvProxy::of(&[("HTTPS_PROXY", "http://env.lan:1")]);
    let mac = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_https_cherry_studio.txt"));
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

    let none = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_none_yakit.txt"));
    let s = Settings::combine(Some(("macOS network settings", none)), &env, vec![], vec![]);
    assert_eq!(s.decide(&url("https://a.test/")).reason, "HTTPS_PROXY");
}

#[test]
fn a_pac_file_is_recorded_and_the_probes_go_direct() {
    let pac = parse_scutil_proxy(&fixture("macos/real/scutil_proxy_pac_httptoolkit.txt"));
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
