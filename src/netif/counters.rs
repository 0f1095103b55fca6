//! Byte counters of tunnel interfaces, read twice: when the interface scan runs and when the
//! run ends. A VPN tunnel whose session is gone (its server went away, the session expired, the
//! laptop slept) still takes packets but gives nothing back: its sent counter rises while its
//! received counter does not. The operating system keeps these counters per interface; `netdev`
//! reads them (Linux netlink, macOS `getifaddrs`, Windows `GetIfEntry2`). What passed becomes
//! an evidence line on each tunnel's `vpns[]` entry ([`add_evidence`]).

use std::time::Instant;

use crate::report::model::{Interface, InterfaceKind, TunnelTraffic, Vpn};

/// The counters of some interfaces at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// When they were read.
    pub at: Instant,
    /// Per interface (by the report's name): bytes sent and received so far.
    pub counts: Vec<Count>,
}

/// One interface's cumulative counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The interface, as the report names it.
    pub interface: String,
    /// Bytes sent since the counter started.
    pub sent: u64,
    /// Bytes received since the counter started.
    pub received: u64,
}

/// The interfaces worth watching: up, and of tunnel kind (tun, ppp, point-to-point).
#[must_use]
pub fn tunnel_names(interfaces: &[Interface]) -> Vec<String> {
    interfaces
        .iter()
        .filter(|i| {
            i.up && (matches!(i.kind, InterfaceKind::Tunnel | InterfaceKind::Ppp)
                || i.point_to_point)
        })
        .map(|i| i.name.clone())
        .collect()
}

/// Reads the counters of the interfaces called `names` (a report name is the OS name, or on
/// Windows the friendly name). Blocking, a few milliseconds. Interfaces without counters are
/// left out.
#[must_use]
pub fn read(names: &[String]) -> Snapshot {
    if names.is_empty() {
        return Snapshot {
            at: Instant::now(),
            counts: vec![],
        };
    }
    Raw::read().pick(names)
}

/// Every interface's counters as the OS gave them, before it is known which are tunnels: read
/// first thing in a run, so that the traffic of the first probes is counted too.
pub struct Raw {
    at: Instant,
    interfaces: Vec<netdev::Interface>,
}

impl Raw {
    /// Reads every interface's counters now. Blocking, a few milliseconds.
    #[must_use]
    pub fn read() -> Raw {
        Raw {
            at: Instant::now(),
            interfaces: netdev::get_interfaces(),
        }
    }

    /// The counters of the interfaces called `names`, as they were when read.
    #[must_use]
    pub fn pick(self, names: &[String]) -> Snapshot {
        let at = self.at;
        let counts = self
            .interfaces
            .into_iter()
            .filter_map(|i| {
                let name = names
                    .iter()
                    .find(|n| **n == i.name || i.friendly_name.as_deref() == Some(n.as_str()))?;
                let stats = i.stats?;
                Some(Count {
                    interface: name.clone(),
                    sent: stats.tx_bytes,
                    received: stats.rx_bytes,
                })
            })
            .collect();
        Snapshot { at, counts }
    }
}

/// What went through each interface between two snapshots (pure). An interface missing from
/// either is left out; a counter that went backwards (wrapped, or the interface was recreated)
/// counts from zero.
#[must_use]
pub fn traffic(before: &Snapshot, after: &Snapshot) -> Vec<TunnelTraffic> {
    let interval_ms =
        u64::try_from(after.at.saturating_duration_since(before.at).as_millis()).unwrap_or(0);
    after
        .counts
        .iter()
        .filter_map(|a| {
            let b = before.counts.iter().find(|b| b.interface == a.interface)?;
            let delta = |now: u64, then: u64| now.checked_sub(then).unwrap_or(now);
            Some(TunnelTraffic {
                interface: a.interface.clone(),
                sent_bytes: delta(a.sent, b.sent),
                received_bytes: delta(a.received, b.received),
                interval_ms,
            })
        })
        .collect()
}

/// Adds to each VPN the line saying what passed through its tunnel during the run, where the
/// OS counted it (a tunnel without counters gets no line).
pub fn add_evidence(vpns: &mut [Vpn], traffic: &[TunnelTraffic]) {
    for v in vpns {
        if let Some(t) = traffic.iter().find(|t| t.interface == v.interface) {
            v.evidence.push(passed(t));
        }
    }
}

/// What passed through one tunnel during the run, in plain words.
#[must_use]
pub fn passed(t: &TunnelTraffic) -> String {
    match (t.sent_bytes, t.received_bytes) {
        (0, 0) => "passed no traffic during the run".into(),
        (sent, 0) => format!(
            "sent {} during the run, received nothing back",
            amount(sent)
        ),
        (0, received) => format!("received {} during the run, sent nothing", amount(received)),
        (sent, received) => format!(
            "passed traffic during the run: {} sent, {} received",
            amount(sent),
            amount(received)
        ),
    }
}

/// A byte count as a person reads it: `720 bytes`, `12 KB`, `3.4 MB` (powers of 1000).
fn amount(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..999_500 => format!("{} KB", (bytes + 500) / 1_000),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn snap(at: Instant, counts: &[(&str, u64, u64)]) -> Snapshot {
        Snapshot {
            at,
            counts: counts
                .iter()
                .map(|(i, s, r)| Count {
                    interface: (*i).into(),
                    sent: *s,
                    received: *r,
                })
                .collect(),
        }
    }

    #[test]
    fn traffic_is_the_difference_per_interface() {
        let t0 = Instant::now();
        let before = snap(t0, &[("tun0", 1000, 5000), ("utun4", 10, 10)]);
        let after = snap(
            t0 + Duration::from_millis(1500),
            &[("tun0", 1360, 5000), ("wg0", 1, 1), ("utun4", 5, 20)],
        );
        let t = traffic(&before, &after);
        assert_eq!(t.len(), 2, "wg0 was not there before: {t:?}");
        assert_eq!(
            t[0],
            TunnelTraffic {
                interface: "tun0".into(),
                sent_bytes: 360,
                received_bytes: 0,
                interval_ms: 1500,
            }
        );
        // utun4's sent counter went back (recreated): counted from zero.
        assert_eq!((t[1].sent_bytes, t[1].received_bytes), (5, 10));
    }

    #[test]
    fn what_passed_is_said_in_plain_words() {
        let t = |sent, received| TunnelTraffic {
            interface: "tun0".into(),
            sent_bytes: sent,
            received_bytes: received,
            interval_ms: 2000,
        };
        assert_eq!(
            passed(&t(12_300, 30_020)),
            "passed traffic during the run: 12 KB sent, 30 KB received"
        );
        assert_eq!(
            passed(&t(4_000, 0)),
            "sent 4 KB during the run, received nothing back"
        );
        assert_eq!(
            passed(&t(720, 0)),
            "sent 720 bytes during the run, received nothing back"
        );
        assert_eq!(passed(&t(0, 0)), "passed no traffic during the run");
        assert_eq!(
            passed(&t(0, 999)),
            "received 999 bytes during the run, sent nothing"
        );
        assert_eq!(amount(3_449_999), "3.4 MB");
        assert_eq!(amount(999_499), "999 KB");
    }

    #[test]
    fn only_counted_tunnels_get_the_line() {
        let vpn = |name: &str| Vpn {
            interface: name.into(),
            client: None,
            role: crate::report::model::VpnRole::Hms,
            gateway: None,
            network: None,
            evidence: vec!["tun0 is a tunnel interface".into()],
        };
        let mut vpns = vec![vpn("tun0"), vpn("wg0")];
        let traffic = [TunnelTraffic {
            interface: "tun0".into(),
            sent_bytes: 360,
            received_bytes: 0,
            interval_ms: 1500,
        }];
        add_evidence(&mut vpns, &traffic);
        assert_eq!(
            vpns[0].evidence.last().map(String::as_str),
            Some("sent 360 bytes during the run, received nothing back")
        );
        assert_eq!(vpns[1].evidence.len(), 1, "wg0 was not counted: no line");
    }

    #[test]
    fn only_tunnels_that_are_up_are_watched() {
        let iface = |name: &str, kind: InterfaceKind, up: bool, p2p: bool| Interface {
            name: name.into(),
            kind,
            up,
            point_to_point: p2p,
            ..Interface::default()
        };
        let names = tunnel_names(&[
            iface("eth0", InterfaceKind::Ethernet, true, false),
            iface("tun0", InterfaceKind::Tunnel, true, true),
            iface("ppp0", InterfaceKind::Ppp, true, true),
            iface("utun9", InterfaceKind::Other, true, true),
            iface("tun1", InterfaceKind::Tunnel, false, true),
        ]);
        assert_eq!(names, ["tun0", "ppp0", "utun9"]);
    }

    #[test]
    fn reading_loopback_counters_does_not_fail() {
        // Loopback is no tunnel, but it has counters on every OS: the reader finds it by name.
        let lo = netdev::get_interfaces()
            .into_iter()
            .find(netdev::Interface::is_loopback)
            .map(|i| i.name);
        if let Some(lo) = lo {
            let s = read(std::slice::from_ref(&lo));
            if std::env::consts::OS == "linux" {
                assert_eq!(s.counts.len(), 1, "no counters for {lo}");
                assert_eq!(s.counts[0].interface, lo);
            }
        }
    }
}
