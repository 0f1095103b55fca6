//! Classification on real Windows captures (issue 13, class 3): vendor-named VPN adapters are
//! tunnels, named by the catalogue when it knows the vendor and by what Windows says about the
//! adapter (its interface type, no hardware address) when it does not. Captures in
//! `tests/fixtures/windows/real/`, provenance in `tests/fixtures/README.md`.

use super::tests::{reading, vpns};
use crate::clients;
use crate::os::windows::parse_ipconfig_all;
use crate::os::{Reading, RouteEntry};
use crate::report::model::{InterfaceKind, VpnRole};

macro_rules! capture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/windows/real/",
            $name
        ))
    };
}

fn collected(text: &str) -> Reading {
    reading(
        parse_ipconfig_all(text)
            .into_iter()
            .map(|(i, _)| i)
            .collect(),
        vec![],
    )
}

/// A route Tailscale adds for its address range; `ipconfig /all` shows no routes, so this one
/// is written here, not captured.
fn with_cgnat_route(mut c: Reading, iface: &str) -> Reading {
    c.network.routes.push(RouteEntry {
        destination: "100.64.0.0/10".parse().unwrap(),
        gateway: None,
        interface: iface.into(),
    });
    c
}

#[test]
fn tailscale_wintun_adapter_is_a_named_tunnel() {
    let c = with_cgnat_route(
        collected(capture!("ipconfig_all_win10_tailscale_jc.txt")),
        "Tailscale",
    );
    let ts = c
        .network
        .interfaces
        .iter()
        .find(|i| i.name == "Tailscale")
        .unwrap();
    assert_eq!(ts.kind, InterfaceKind::Tunnel);
    let v = vpns(&c, &[]);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].interface, "Tailscale");
    assert_eq!(v[0].client.as_deref(), Some("Tailscale"));
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert!(
        v[0].evidence[0].contains("\"Tailscale Tunnel\" is a VPN adapter"),
        "{v:#?}"
    );
}

/// The same adapter under a vendor name the catalogue does not know: ipconfig's "Unknown
/// adapter" heading (the interface type VPN drivers declare) and the empty physical address
/// (it carries IP packets only) still make it a tunnel; the client stays unnamed.
#[test]
fn an_unknown_vendors_layer3_adapter_is_a_tunnel_by_what_windows_says() {
    let text = capture!("ipconfig_all_win10_tailscale_jc.txt")
        .replace("Tailscale Tunnel", "Acme Secure Tunnel");
    assert_eq!(clients::from_adapter("Acme Secure Tunnel"), None);
    let c = with_cgnat_route(collected(&text), "Tailscale");
    let i = c
        .network
        .interfaces
        .iter()
        .find(|i| i.name == "Tailscale")
        .unwrap();
    assert_eq!(i.kind, InterfaceKind::Tunnel, "{i:?}");
    let v = vpns(&c, &[]);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].client, None);
    assert!(
        v[0].evidence[0].starts_with("Tailscale is a tunnel interface"),
        "{v:#?}"
    );
    // The USB Ethernet adapter beside it, with its subnet route, is not a tunnel.
    let eth = c
        .network
        .interfaces
        .iter()
        .find(|i| i.name == "Ethernet 2")
        .unwrap();
    assert_eq!(eth.kind, InterfaceKind::Ethernet);
}

#[test]
fn nordvpn_adapters_are_named_and_not_vpns_while_disconnected() {
    let c = collected(capture!("ipconfig_all_win11_nordvpn_jc.txt"));
    let by_desc = |d: &str| {
        c.network
            .interfaces
            .iter()
            .find(|i| i.description.as_deref() == Some(d))
            .unwrap()
    };
    let tap = by_desc("TAP-NordVPN Windows Adapter V9");
    let dco = by_desc("OpenVPN Data Channel Offload");
    for i in [tap, dco] {
        assert_eq!(i.kind, InterfaceKind::Tunnel, "{i:?}");
        assert!(!i.up && i.addresses.is_empty());
    }
    assert_eq!(
        clients::from_adapter("TAP-NordVPN Windows Adapter V9"),
        Some("NordVPN")
    );
    assert_eq!(
        clients::from_adapter("OpenVPN Data Channel Offload"),
        Some("OpenVPN")
    );
    assert!(vpns(&c, &[]).is_empty(), "media disconnected: no VPN");
    // VMware's and Wi-Fi Direct's virtual adapters are not tunnels.
    assert!(
        c.network
            .interfaces
            .iter()
            .filter(|i| i.kind == InterfaceKind::Tunnel)
            .all(|i| clients::from_adapter(i.description.as_deref().unwrap_or("")).is_some()),
        "{:#?}",
        c.network.interfaces
    );
}
