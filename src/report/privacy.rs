//! No MAC address in any report (contract 2), including the one inside an IPv6 address whose
//! interface identifier was built from it (modified EUI-64, RFC 4291 appendix A: the MAC's
//! halves around `ff:fe`, as in `fe80::211:22ff:fe33:4455`, which carries `00:11:22:33:44:55`).
//!
//! Such an address keeps its prefix and the `ff:fe` marker, and the MAC's six bytes become
//! zero: `fe80::211:22ff:fe33:4455/64` is reported as `fe80::ff:fe00:0/64`, still an address
//! (tools that parse the field keep working) and recognisably masked.

use std::net::{IpAddr, Ipv6Addr};

use serde_json::Value;

use super::model::{Interface, Report};
use super::redact::replace_addresses;

/// True when the interface identifier of `ip` (its last 64 bits) was built from a MAC address.
#[must_use]
pub fn is_eui64(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    ip.to_ipv4_mapped().is_none() && (s[5] & 0x00ff) == 0x00ff && (s[6] & 0xff00) == 0xfe00
}

/// `ip` with the MAC inside its EUI-64 interface identifier zeroed; other addresses as they are.
#[must_use]
pub fn mask(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if is_eui64(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0x00ff, 0xfe00, 0))
        }
        other => other,
    }
}

/// `text` with every EUI-64 address in it masked.
#[must_use]
pub fn mask_text(text: &str) -> String {
    replace_addresses(text, &mut |ip| {
        (mask(ip) != ip).then(|| mask(ip).to_string())
    })
}

fn walk(v: &mut Value) {
    match v {
        Value::String(s) => {
            let masked = mask_text(s);
            if masked != *s {
                *s = masked;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(walk),
        Value::Object(map) => map.values_mut().for_each(walk),
        _ => {}
    }
}

/// Masks every EUI-64 address in the interface list.
pub fn mask_interfaces(interfaces: &mut [Interface]) {
    for i in interfaces {
        for a in &mut i.addresses {
            *a = mask_text(a);
        }
    }
}

/// `report` with every EUI-64 address in any of its fields masked (interfaces, route and TCP
/// local addresses, details, evidence). Works on the JSON form, so fields added later are
/// covered too.
#[must_use]
pub fn mask_report(mut report: Report) -> Report {
    mask_interfaces(&mut report.interfaces);
    let Ok(mut value) = serde_json::to_value(&report) else {
        return report;
    };
    walk(&mut value);
    serde_json::from_value(value).unwrap_or(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eui64_addresses_lose_the_mac_and_keep_the_prefix() {
        let cases = [
            ("fe80::211:22ff:fe33:4455", "fe80::ff:fe00:0"),
            (
                "2001:db8:1:2:a8bb:ccff:fedd:eeff",
                "2001:db8:1:2:0:ff:fe00:0",
            ),
            // Not EUI-64: random (privacy) and stable-privacy identifiers, IPv4, mapped IPv4.
            ("fe80::1c2b:3a4d:5e6f:7081", "fe80::1c2b:3a4d:5e6f:7081"),
            ("fe80::1", "fe80::1"),
            ("10.0.0.1", "10.0.0.1"),
            ("::ffff:254.1.2.3", "::ffff:254.1.2.3"),
        ];
        for (input, want) in cases {
            let ip: IpAddr = input.parse().unwrap();
            assert_eq!(mask(ip).to_string(), want, "{input}");
        }
    }

    #[test]
    fn masking_works_inside_text_and_is_idempotent() {
        let text = "fe80::211:22ff:fe33:4455/64 and [fe80::a8bb:ccff:fedd:eeff]:53, via 10.0.0.1.";
        let once = mask_text(text);
        assert_eq!(
            once,
            "fe80::ff:fe00:0/64 and [fe80::ff:fe00:0]:53, via 10.0.0.1."
        );
        assert_eq!(mask_text(&once), once);
    }

    #[test]
    fn a_report_keeps_no_mac_anywhere() {
        let mut report: Report =
            serde_json::from_str(include_str!("../../docs/examples/needs-hms-vpn.json")).unwrap();
        report.interfaces.push(Interface {
            name: "en0".into(),
            addresses: vec!["fe80::211:22ff:fe33:4455/64".into()],
            ..Interface::default()
        });
        report
            .notes
            .push("source fe80::211:22ff:fe33:4455 was used".into());
        let json = serde_json::to_string(&mask_report(report)).unwrap();
        assert!(!json.contains("22ff:fe33"), "{json}");
        assert!(json.contains("fe80::ff:fe00:0/64"), "{json}");
        assert!(json.contains("source fe80::ff:fe00:0 was used"), "{json}");
    }
}
