//! `hmsaccess setup`: an offline checklist for the HMS VPN, from HMS IT's access guide.
//!
//! It only looks for installed software at the clients' known install locations (per OS, from
//! the catalogue in `netif::clients`); it never touches the network or reads configuration. The
//! check is a pure function of the OS name and a file-exists test, so every OS's table is tested
//! on any OS.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use super::{choice, finish_output};
use crate::cli::ColorWhen;
use crate::exit::{Exit, Failure};
use crate::netif::clients::{CLIENTS, Client};

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Good, warning, or information.
    pub level: Level,
    /// What to tell the person.
    pub text: String,
}

/// How a checklist line is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// In order.
    Ok,
    /// Needs attention.
    Warn,
    /// Worth knowing.
    Info,
}

/// The checklist for `os`, with `exists` telling whether a path is present.
#[must_use]
pub fn checklist(os: &str, exists: &dyn Fn(&Path) -> bool) -> Vec<Check> {
    let found = |c: &Client| {
        c.installs
            .iter()
            .filter(|(o, _)| *o == os)
            .find(|(_, p)| exists(Path::new(p)))
            .map(|(_, p)| *p)
    };
    let mut checks = Vec::new();
    let hms: Vec<(&Client, &str)> = CLIENTS
        .iter()
        .filter(|c| c.hms)
        .filter_map(|c| found(c).map(|p| (c, p)))
        .collect();
    if hms.is_empty() {
        checks.push(Check {
            level: Level::Warn,
            text: "No HMS VPN client found. Install Pulse Secure (Ivanti Secure Access) as described on https://it.hms.harvard.edu/vpn-now-required, or ask the HMS IT Service Desk (ITServiceDesk@hms.harvard.edu, 617-432-2000).".into(),
        });
    }
    for (c, p) in &hms {
        checks.push(Check {
            level: Level::Ok,
            text: format!("HMS VPN client: {} ({p})", c.setup_label),
        });
    }
    for c in CLIENTS.iter().filter(|c| !c.hms) {
        if let Some(p) = found(c) {
            checks.push(Check {
                level: Level::Warn,
                text: format!(
                    "Another VPN client is installed: {} ({p}). If it connects by itself, disconnect it before connecting the HMS VPN: two VPNs cannot run at once.",
                    c.setup_label
                ),
            });
        }
    }
    for text in [
        "Sign in to the HMS VPN and MARS with your HMS ID (formerly eCommons ID) and its password. HarvardKey does not work there.",
        "The HMS VPN asks for Duo with an HMS Duo entry that is separate from your HarvardKey and hospital ones; one Duo Mobile app can hold them all.",
        "Forgot the password or locked out? Reset or unlock your HMS account on the HMS account self-service page (linked from it.hms.harvard.edu), or call 617-432-2000.",
        "In a Longwood Medical Area hospital, the affiliate portal (https://affiliate-apps.hms.harvard.edu/) reaches MARS through the hospital network or VPN, without the HMS VPN.",
    ] {
        checks.push(Check {
            level: Level::Info,
            text: text.into(),
        });
    }
    checks
}

pub(super) fn run(color: ColorWhen) -> Result<Exit, Failure> {
    let checks = checklist(std::env::consts::OS, &|p| p.exists());
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    let bold = Style::new().bold();
    let mut write = || -> io::Result<()> {
        writeln!(
            out,
            "{bold}HMS VPN setup check{bold:#} (looks only at installed software)\n"
        )?;
        for c in &checks {
            let (style, mark) = match c.level {
                Level::Ok => (AnsiColor::Green.on_default().bold(), "[ok]"),
                Level::Warn => (AnsiColor::Yellow.on_default().bold(), "[!!]"),
                Level::Info => (Style::new().dimmed(), "[i] "),
            };
            // Wrapped with the mark's room on the first line too, so no line passes the width.
            let text = crate::report::human::wrap(&c.text, "       ", "       ");
            writeln!(
                out,
                "  {style}{mark}{style:#} {}",
                text.get(7..).unwrap_or_default()
            )?;
        }
        out.flush()
    };
    finish_output(write())?;
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_with_pulse_and_anyconnect() {
        let present = [
            "/Applications/Pulse Secure.app",
            "/Applications/Cisco/Cisco Secure Client.app",
        ];
        let checks = checklist("macos", &|p| present.iter().any(|x| Path::new(x) == p));
        assert_eq!(checks[0].level, Level::Ok);
        assert!(checks[0].text.contains("Pulse Secure"));
        let warn: Vec<&Check> = checks.iter().filter(|c| c.level == Level::Warn).collect();
        assert_eq!(warn.len(), 1);
        assert!(warn[0].text.contains("Cisco"));
    }

    #[test]
    fn windows_without_any_client_warns_to_install() {
        let checks = checklist("windows", &|_| false);
        assert_eq!(checks[0].level, Level::Warn);
        assert!(checks[0].text.contains("No HMS VPN client"));
        assert!(
            checks
                .iter()
                .any(|c| c.text.contains("HarvardKey does not work"))
        );
    }

    #[test]
    fn paths_of_another_os_do_not_count() {
        let checks = checklist("linux", &|p| {
            p == Path::new("/Applications/Pulse Secure.app")
        });
        assert!(checks[0].text.contains("No HMS VPN client"));
        let checks = checklist("linux", &|p| p == Path::new("/usr/sbin/openconnect"));
        assert!(checks[0].text.contains("openconnect"));
    }
}
