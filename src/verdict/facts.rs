//! What the verdict reads: the facts of one run (its probes, VPNs, tunnel traffic and how it
//! ended), taken from a finished report or from a run still in progress.

use crate::report::model::{
    Detection, DetectionStatus, Interface, Probe, ProbeKind, Report, Role, RunEnd, TunnelTraffic,
    Vpn,
};

/// Everything the rules look at.
pub struct Facts<'a> {
    /// Every probe of the run (finished, skipped, timed out or not needed).
    pub probes: &'a [Probe],
    /// Active VPN tunnels (meaningful only when detection ran).
    pub vpns: &'a [Vpn],
    /// Whether VPN detection ran.
    pub detection: &'a Detection,
    /// Why and when the run ended; None while it still runs (or for old reports).
    pub run_end: Option<&'a RunEnd>,
    /// Traffic through the tunnel interfaces during the run; None when not read.
    pub traffic: Option<&'a [TunnelTraffic]>,
    /// VPN apps installed on this computer, HMS clients first; None when not checked.
    pub installed_clients: Option<&'a [String]>,
    /// Wall time of the run so far, in milliseconds.
    pub duration_ms: u64,
    /// The network interfaces the OS reported (a route into a tunnel no VPN was found for).
    pub interfaces: &'a [Interface],
    /// The operating system the words are for (`linux`, `macos`, `windows`): the report's.
    pub os: &'a str,
}

impl<'a> From<&'a Report> for Facts<'a> {
    fn from(report: &'a Report) -> Facts<'a> {
        Facts {
            probes: &report.probes,
            vpns: &report.vpns,
            detection: &report.vpn_detection,
            run_end: report.run_end.as_ref(),
            traffic: report.tunnel_traffic.as_deref(),
            installed_clients: report.installed_clients.as_deref(),
            duration_ms: report.duration_ms,
            interfaces: &report.interfaces,
            os: report
                .system
                .as_ref()
                .map_or(std::env::consts::OS, |s| s.os.as_str()),
        }
    }
}

impl<'a> Facts<'a> {
    /// The facts of a run still in progress: probes and VPNs only.
    #[must_use]
    pub fn running(probes: &'a [Probe], vpns: &'a [Vpn], detection: &'a Detection) -> Facts<'a> {
        Facts {
            probes,
            vpns,
            detection,
            run_end: None,
            traffic: None,
            installed_clients: None,
            duration_ms: 0,
            interfaces: &[],
            os: std::env::consts::OS,
        }
    }

    pub(super) fn find(&self, role: Role, kind: ProbeKind) -> Option<&'a Probe> {
        self.probes
            .iter()
            .find(|p| p.role == Some(role) && p.kind == kind)
    }

    pub(super) fn all(&self, kind: ProbeKind) -> impl Iterator<Item = &'a Probe> + use<'a> {
        self.probes.iter().filter(move |p| p.kind == kind)
    }

    pub(super) fn vpn_checked(&self) -> bool {
        self.detection.status == DetectionStatus::Ran
    }

    /// The run ended while this probe still waited, too early for its silence to mean anything.
    pub(super) fn cut_short(&self, p: &Probe) -> bool {
        self.run_end.is_some_and(|e| e.cut_short.contains(&p.id))
    }

    pub(super) fn traffic_of(&self, interface: &str) -> Option<&'a TunnelTraffic> {
        self.traffic?.iter().find(|t| t.interface == interface)
    }
}
