//! VPN client processes, found by name (the names are in [`crate::clients`]). A command line is read
//! only to look for a profile gateway host and the IP addresses written on it (a server named by
//! address), and is dropped at once: nothing here stores or returns it.

use std::ffi::OsStr;
use std::net::IpAddr;

use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, RefreshKind, System, UpdateKind};

use super::types::VpnProcess;
use crate::clients;

/// True when one of the arguments names `host` (exactly, or as a URL/`host:port`). Pure.
fn cmdline_names_host(args: &[&str], host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    args.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .any(|tok| tok == host)
    })
}

/// The IP addresses among the arguments: a whole argument (`2001:db8::1`, `[2001:db8::1]`) or
/// an IPv4 address inside one (`https://198.18.64.1/`, `198.18.64.1:443`). Pure.
fn cmdline_addresses(args: &[&str]) -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = Vec::new();
    for a in args {
        let whole = a.trim_matches(['[', ']']).parse::<IpAddr>().ok();
        let inside = a
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter_map(|tok| tok.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4));
        for ip in whole.into_iter().chain(inside) {
            if !found.contains(&ip) {
                found.push(ip);
            }
        }
    }
    found
}

fn os_str(s: &OsStr) -> String {
    s.to_string_lossy().into_owned()
}

/// Scans running processes for VPN clients (sysinfo; about 20–30 ms for 400 processes). `os` says
/// whether the Linux-only facts (network namespace, tun device) are read.
pub(crate) fn scan(os: &str, gateway_hosts: &[String]) -> Result<Vec<VpnProcess>, String> {
    let mut sys = System::new_with_specifics(RefreshKind::nothing()).map_err(|e| e.to_string())?;
    sys.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_cmd(UpdateKind::Always)
            .with_exe(UpdateKind::OnlyIfNotSet),
    );
    let mut found = Vec::new();
    for (pid, p) in sys.processes() {
        // Threads show up as processes on Linux; their parent is listed already.
        if p.thread_kind()
            .is_some_and(|k| k == sysinfo::ThreadKind::Userland)
        {
            continue;
        }
        let name = os_str(p.name());
        let exe = p.exe().map(|e| e.to_string_lossy().into_owned());
        let argv0 = p.cmd().first().map(|a| os_str(a));
        let Some(client) = clients::from_process(&name, exe.as_deref(), argv0.as_deref()) else {
            continue;
        };
        // The command line lives only in this block.
        let (matched_gateway, addresses) = {
            let args: Vec<String> = p.cmd().iter().skip(1).map(|a| os_str(a)).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let host = gateway_hosts
                .iter()
                .find(|h| cmdline_names_host(&refs, h))
                .cloned();
            (host, cmdline_addresses(&refs))
        };
        let interface = if os == "linux" {
            // A client in another network namespace (a container, another test) neither
            // routes this namespace's traffic nor owns its devices, even when names coincide.
            if super::linux::in_other_netns(pid.as_u32()) {
                continue;
            }
            super::linux::tun_device_of(pid.as_u32())
        } else {
            None
        };
        found.push(VpnProcess {
            client,
            matched_gateway,
            addresses,
            interface,
        });
    }
    // Stable order, and one entry per (client, gateway, interface): a client's helper processes
    // add nothing.
    found.sort_by(|a, b| {
        (a.client, &a.interface, &a.matched_gateway, &a.addresses).cmp(&(
            b.client,
            &b.interface,
            &b.matched_gateway,
            &b.addresses,
        ))
    });
    found.dedup();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_host_in_cmdline() {
        let h = "vpn.hms.harvard.edu";
        assert!(cmdline_names_host(
            &["--protocol=pulse", "vpn.hms.harvard.edu"],
            h
        ));
        assert!(cmdline_names_host(&["https://VPN.hms.harvard.edu/saml"], h));
        assert!(cmdline_names_host(&["--server=vpn.hms.harvard.edu:443"], h));
        assert!(!cmdline_names_host(&["vpn.hms.harvard.edu.evil.test"], h));
        assert!(!cmdline_names_host(&["othervpn.hms.harvard.edu"], h));
    }

    #[test]
    fn addresses_in_cmdline() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            cmdline_addresses(&["--remote", "198.18.64.1", "1194", "--route", "198.18.64.1"]),
            [ip("198.18.64.1")]
        );
        assert_eq!(
            cmdline_addresses(&["https://203.0.113.7:443/saml", "[2001:db8::1]"]),
            [ip("203.0.113.7"), ip("2001:db8::1")]
        );
        assert!(cmdline_addresses(&["vpn.hms.harvard.edu", "--verb", "3", "1.2.3"]).is_empty());
    }
}
