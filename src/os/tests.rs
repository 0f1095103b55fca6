//! The reading as a whole, on captures: every OS tool and registry key is read once per
//! reading, the path settings are handed over once, and what each reader found lands in the one
//! value. Then the parsers' property tests.

use std::collections::BTreeMap;

use super::*;
use crate::os_tool::Captured;

fn fixture(path: &str) -> String {
    let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Reads as on `os` through `tools`; returns the reading, how often each tool line ran, and the
/// path settings `on_path` was given (once, or the test fails).
fn read_counted(os: &str, tools: &Captured) -> (Reading, BTreeMap<String, usize>, PathSettings) {
    let handed = std::sync::Mutex::new(Vec::new());
    let hosts = vec!["vpn.hms.harvard.edu".to_owned()];
    let reading = read_as(os, tools, &hosts, |p| {
        handed.lock().unwrap().push(p.clone());
    });
    let mut runs = BTreeMap::new();
    for line in tools.runs() {
        *runs.entry(line).or_insert(0) += 1;
    }
    let mut handed = handed.into_inner().unwrap();
    assert_eq!(handed.len(), 1, "the path settings are handed over once");
    (reading, runs, handed.remove(0))
}

/// Asserts every tool line ran exactly once, and that `expected` are among them.
fn once_each(runs: &BTreeMap<String, usize>, expected: &[&str]) {
    for (line, n) in runs {
        assert_eq!(*n, 1, "{line} ran {n} times: {runs:?}");
    }
    for line in expected {
        assert!(runs.contains_key(*line), "{line} did not run: {runs:?}");
    }
}

const NMCLI: &str = "nmcli -t -f NAME,TYPE,STATE,DEVICE connection show --active";

#[test]
fn linux_reads_resolvectl_once_and_the_dns_settings_hold_per_link_dns() {
    let dns = fixture("linux/resolvectl_dns.txt");
    let domain = fixture("linux/resolvectl_domain.txt");
    let nm = fixture("linux/nmcli_active.txt");
    let tools = Captured::new(&[
        ("resolvectl dns", &dns),
        ("resolvectl domain", &domain),
        (NMCLI, &nm),
    ]);
    let (r, runs, handed) = read_counted("linux", &tools);
    once_each(&runs, &["resolvectl dns", "resolvectl domain", NMCLI]);
    assert_eq!(runs.len(), 3, "{runs:?}");
    let tun0 = r.path.dns.split.iter().find(|s| s.interface == "tun0");
    assert_eq!(
        tun0.map(|s| s.domains.clone()),
        Some(vec![
            "med.harvard.edu".to_owned(),
            "hms.harvard.edu".to_owned()
        ])
    );
    assert_eq!(r.path.dns.split_kind, dns::SplitKind::LinuxPerLink);
    assert_eq!(
        handed.dns, r.path.dns,
        "the DNS step gets what detection gets"
    );
    assert_eq!(r.network.services.len(), 2, "nmcli's VPN connections");
    let d = r.detection();
    assert!(d.sources.iter().any(|s| s == "resolvectl"), "{d:?}");
    assert!(d.sources.iter().any(|s| s == "nmcli"), "{d:?}");
}

#[test]
fn linux_without_resolvectl_says_so_once() {
    let tools = Captured::new(&[]);
    let (r, runs, _) = read_counted("linux", &tools);
    once_each(&runs, &["resolvectl dns", "resolvectl domain", NMCLI]);
    assert!(r.path.dns.split.is_empty());
    assert_eq!(
        r.path.dns.notes,
        ["resolvectl not found: per-interface (split) DNS not checked"]
    );
    let detail = r.detection().detail.unwrap_or_default();
    assert!(detail.contains("resolvectl not found"), "{detail}");
    assert!(detail.contains("nmcli not found"), "{detail}");
}

#[test]
fn macos_runs_scutil_dns_once_for_detection_and_the_dns_step() {
    let tools = Captured::new(&[
        ("scutil --dns", &fixture("macos/scutil_dns_pulse.txt")),
        (
            "scutil --proxy",
            &fixture("macos/real/scutil_proxy_https_cherry_studio.txt"),
        ),
        ("scutil --nc list", &fixture("macos/scutil_nc_list.txt")),
        ("netstat -rn", &fixture("macos/netstat_rn_pulse.txt")),
    ]);
    let (r, runs, handed) = read_counted("macos", &tools);
    once_each(
        &runs,
        &[
            "scutil --dns",
            "scutil --proxy",
            "scutil --nc list",
            "netstat -rn",
        ],
    );
    assert_eq!(r.path.dns.split.len(), 1);
    assert_eq!(r.path.dns.split[0].interface, "utun4");
    assert_eq!(handed.dns.split, r.path.dns.split);
    let (source, proxy) = r.path.proxy.system.clone().expect("system proxy settings");
    assert_eq!(source, "macOS network settings");
    assert_eq!(proxy.https.as_deref(), Some("127.0.0.1:6152"));
    assert_eq!(r.network.services.len(), 4);
    assert!(r.network.routes.iter().any(|x| x.interface == "utun4"));
}

#[test]
fn windows_reads_each_registry_key_once() {
    let pansetup = fixture("windows/reg_query_globalprotect_pansetup_handwritten.txt");
    let gp_settings = fixture("windows/reg_query_globalprotect_settings_handwritten.txt");
    let tools = Captured::new(&[
        (
            r"reg query HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
            &fixture("windows/real/reg_query_internet_settings_pac_marslo.txt"),
        ),
        (
            r"reg query HKLM\SOFTWARE\Palo Alto Networks\GlobalProtect\PanSetup",
            &pansetup,
        ),
        (
            r"reg query HKCU\Software\Palo Alto Networks\GlobalProtect\Settings",
            &gp_settings,
        ),
        ("rasdial", &fixture("windows/rasdial_connected.txt")),
        ("route print", &fixture("windows/route_print_pulse.txt")),
    ]);
    let (r, runs, _) = read_counted("windows", &tools);
    let keys = [
        r"reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings",
        r"reg query HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
        r"reg query HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient\DnsPolicyConfig /s",
        r"reg query HKLM\SYSTEM\CurrentControlSet\Services\Dnscache\Parameters\DnsPolicyConfig /s",
        r"reg query HKLM\SOFTWARE\Palo Alto Networks\GlobalProtect\PanSetup",
        r"reg query HKCU\Software\Palo Alto Networks\GlobalProtect\Settings",
    ];
    once_each(&runs, &keys);
    let reg_runs = runs.keys().filter(|l| l.starts_with("reg ")).count();
    assert_eq!(reg_runs, keys.len(), "{runs:?}");
    let (source, proxy) = r.path.proxy.system.clone().expect("Internet Options");
    assert_eq!(source, "Windows Internet Options");
    assert_eq!(
        proxy.pac_url.as_deref(),
        Some("http://proxy.domain.com/file.pac")
    );
    let gp = r
        .network
        .client_gateways
        .iter()
        .find(|g| g.client == "GlobalProtect")
        .expect("GlobalProtect's portals from the registry");
    assert_eq!(
        gp.gateways,
        ["vpn.hms.harvard.edu", "vpn.childrens.harvard.edu"]
    );
    assert_eq!(r.network.services.len(), 2, "rasdial's connections");
}

/// Property tests: every parser of OS command output takes any text without panicking, and
/// mutated real captures too (a tool's output may be cut off, localized or garbled).
mod never_panic {
    use super::super::{client_settings, linux, macos, proxy, windows};
    use proptest::prelude::*;

    /// Hand-written and real captures of every OS output the parsers read (mutated below).
    const CAPTURES: [&str; 17] = [
        include_str!("../../tests/fixtures/macos/ifconfig_pulse.txt"),
        include_str!("../../tests/fixtures/macos/netstat_rn_pulse.txt"),
        include_str!("../../tests/fixtures/macos/scutil_dns_pulse.txt"),
        include_str!("../../tests/fixtures/macos/scutil_nc_list.txt"),
        include_str!("../../tests/fixtures/windows/route_print_pulse.txt"),
        include_str!("../../tests/fixtures/windows/ipconfig_all_pulse.txt"),
        include_str!("../../tests/fixtures/linux/proc_net_route"),
        include_str!("../../tests/fixtures/macos/real/netstat_rn_refs_plc4x.txt"),
        include_str!("../../tests/fixtures/macos/real/ifconfig_10.15_vpn_utun4_glpi.txt"),
        include_str!("../../tests/fixtures/macos/real/scutil_dns_tailscale_supplemental_doggo.txt"),
        include_str!("../../tests/fixtures/macos/real/scutil_proxy_https_cherry_studio.txt"),
        include_str!("../../tests/fixtures/windows/real/route_print_de_win7_plc4x.txt"),
        include_str!("../../tests/fixtures/windows/real/ipconfig_all_de_r406.txt"),
        include_str!("../../tests/fixtures/windows/real/ipconfig_all_win10_tailscale_jc.txt"),
        include_str!(
            "../../tests/fixtures/windows/real/reg_query_internet_settings_pac_marslo.txt"
        ),
        include_str!(
            "../../tests/fixtures/windows/reg_query_globalprotect_settings_handwritten.txt"
        ),
        include_str!(
            "../../tests/fixtures/clients/real/globalprotect_settings_plist_snipped_odedlaz.xml"
        ),
    ];

    fn parse_all(text: &str) {
        let _ = linux::parse_proc_net_route(text);
        let _ = linux::parse_proc_net_ipv6_route(text);
        let _ = linux::parse_nmcli_active(text);
        let _ = linux::parse_resolvectl(text, text);
        let _ = linux::parse_tun_fdinfo(text);
        let _ = macos::parse_ifconfig(text);
        let _ = macos::parse_netstat_rn(text);
        let _ = macos::parse_scutil_dns(text);
        let _ = macos::parse_scutil_nc_list(text);
        let _ = windows::parse_route_print(text);
        let _ = windows::parse_ipconfig_all(text);
        let _ = windows::parse_rasdial(text);
        let _ = windows::parse_ipconfig_dns(text);
        let keys = windows::registry::parse_reg_query(text);
        let _ = client_settings::globalprotect_portals(&keys);
        let _ = crate::clients::from_adapter(text);
        let _ = client_settings::parse_globalprotect_plist(text.as_bytes());
        let _ = client_settings::parse_pulse_connstore(text);
        let _ = client_settings::parse_anyconnect_preferences(text);
        let _ = proxy::parse_scutil_proxy(text);
        let _ = crate::input::decode_text(text.as_bytes());
    }

    proptest! {
        #[test]
        fn prop_any_text(text in "\\PC{0,600}") {
            parse_all(&text);
        }

        #[test]
        fn prop_mutated_captures(
            which in 0usize..CAPTURES.len(),
            at in 0usize..4000,
            cut in 0usize..200,
            junk in "[ :./0-9a-fA-F%\\n\\t-]{0,24}",
        ) {
            let capture = CAPTURES[which];
            let at = capture.floor_char_boundary(at.min(capture.len()));
            let end = capture.floor_char_boundary((at + cut).min(capture.len()));
            parse_all(&format!("{}{junk}{}", &capture[..at], &capture[end..]));
        }
    }
}
