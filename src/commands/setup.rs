//! `hmsaccess setup`: an offline checklist for the HMS VPN, from HMS IT's access guide.
//!
//! It only looks for installed software at the clients' known install locations (per OS, from
//! the catalogue in `clients`); it never touches the network. It names the HMS VPN client
//! actually installed and says how to connect it to the profile's HMS VPN server. The check is a
//! pure function of the OS name and a file-exists test, so every OS's table is tested on any
//! OS. Every line fits 80 columns.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use super::output::{choice, finish_output};
use crate::cli::ColorWhen;
use crate::clients::{self, Client};
use crate::exit::{Exit, Failure};
use crate::profile::{Profile, ServiceDesk};
use crate::report::model::Role;

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

/// The width `setup` and `interfaces` fit their lines to, whatever the terminal says.
pub(super) const COLUMNS: usize = 80;

/// `text` wrapped to [`COLUMNS`], the first line after `first`, the others after `rest`.
pub(super) fn fit(text: &str, first: &str, rest: &str) -> String {
    let opts = textwrap::Options::new(COLUMNS)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// How to connect the HMS VPN with an installed client.
fn connect_step(c: &Client, gateway: &str) -> String {
    match c.connect {
        Some(how) => format!("To connect: {}", how.replace("{gateway}", gateway)),
        None => format!("To connect: open {} and connect to {gateway}.", c.name),
    }
}

/// The checklist for `os`, with `exists` telling whether a path is present and `gateway` the
/// HMS VPN's server (the profile's).
#[must_use]
pub fn checklist(
    os: &str,
    exists: &dyn Fn(&Path) -> bool,
    gateway: &str,
    desk: &ServiceDesk,
) -> Vec<Check> {
    let found = clients::installed(os, exists);
    let mut checks = Vec::new();
    let hms: Vec<&(&Client, &str)> = found.iter().filter(|(c, _)| c.hms).collect();
    match hms.first() {
        None => checks.push(Check {
            level: Level::Warn,
            text: format!("No HMS VPN client found. Install GlobalProtect, the HMS VPN client HMS IT hands out, as described on https://it.hms.harvard.edu/vpn-now-required (its server is {gateway}), or ask the {}.", desk.contact()),
        }),
        Some((first, _)) => {
            for (c, p) in &hms {
                checks.push(Check {
                    level: Level::Ok,
                    text: format!("HMS VPN client: {} ({p})", c.setup_label),
                });
            }
            checks.push(Check {
                level: Level::Info,
                text: connect_step(first, gateway),
            });
        }
    }
    for (c, p) in found.iter().filter(|(c, _)| !c.hms) {
        checks.push(Check {
            level: Level::Warn,
            text: format!(
                "Another VPN client is installed: {} ({p}). Two VPNs can run together, but they break MARS when one takes the other's routes: if MARS does not open while it is connected, disconnect it.",
                c.setup_label
            ),
        });
    }
    for text in [
        "Sign in to the HMS VPN and MARS with your HMS ID (formerly eCommons ID) and its password. HarvardKey does not work there.",
        "The HMS VPN asks for Duo with an HMS Duo entry that is separate from your HarvardKey and hospital ones; one Duo Mobile app can hold them all.",
        &format!(
            "Forgot the password or locked out? Reset or unlock your HMS account on the HMS account self-service page (linked from it.hms.harvard.edu), or call {}.",
            desk.phone
        ),
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
    let profile = Profile::embedded();
    let gateway = profile
        .target(Role::Gateway)
        .map_or("the HMS VPN server", |t| t.host.as_str());
    let desk = profile
        .service_desk
        .as_ref()
        .expect("the embedded profile names its service desk");
    let checks = checklist(std::env::consts::OS, &|p| p.exists(), gateway, desk);
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    finish_output(write_checklist(&mut out, &checks))?;
    Ok(Exit::Success)
}

/// Renders the checklist, every line within [`COLUMNS`].
///
/// # Errors
/// Only the writer's.
pub fn write_checklist(out: &mut dyn Write, checks: &[Check]) -> io::Result<()> {
    let bold = Style::new().bold();
    writeln!(out, "{bold}HMS VPN setup check{bold:#}")?;
    writeln!(out, "(looks only at installed software)\n")?;
    for c in checks {
        let (style, mark) = match c.level {
            Level::Ok => (AnsiColor::Green.on_default().bold(), "[ok]"),
            Level::Warn => (AnsiColor::Yellow.on_default().bold(), "[!!]"),
            Level::Info => (Style::new().dimmed(), "[i] "),
        };
        // The mark is styled apart from the text, which is wrapped after a placeholder of the
        // same width.
        let text = fit(&c.text, "       ", "       ");
        writeln!(out, "  {style}{mark}{style:#} {}", text.trim_start())?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW: &str = "vpn.hms.harvard.edu";

    fn desk() -> ServiceDesk {
        Profile::embedded().service_desk.unwrap()
    }

    /// The text without its colour escapes (`ESC [ … m`).
    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for e in chars.by_ref() {
                    if e == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// GlobalProtect is named first when installed beside Pulse Secure, and the person is told
    /// to open it; every rendered line fits 80 columns.
    #[test]
    fn globalprotect_installed_is_the_one_named() {
        let present = [
            "/Applications/Pulse Secure.app",
            "/Applications/GlobalProtect.app",
        ];
        let checks = checklist(
            "macos",
            &|p| present.iter().any(|x| Path::new(x) == p),
            GW,
            &desk(),
        );
        assert!(checks[0].text.contains("GlobalProtect"));
        assert!(checks[1].text.contains("Pulse Secure"));
        assert_eq!(
            checks[2].text,
            "To connect: open GlobalProtect and connect to vpn.hms.harvard.edu."
        );
        let mut out = Vec::new();
        write_checklist(&mut out, &checks).unwrap();
        let text = strip_ansi(&String::from_utf8(out).unwrap());
        assert!(text.lines().count() > checks.len(), "long lines wrap");
        for line in text.lines() {
            assert!(line.chars().count() <= COLUMNS, "{line:?}");
        }
    }

    #[test]
    fn mac_with_pulse_and_anyconnect() {
        let present = [
            "/Applications/Pulse Secure.app",
            "/Applications/Cisco/Cisco Secure Client.app",
        ];
        let checks = checklist(
            "macos",
            &|p| present.iter().any(|x| Path::new(x) == p),
            GW,
            &desk(),
        );
        assert_eq!(checks[0].level, Level::Ok);
        assert!(checks[0].text.contains("Pulse Secure"));
        assert_eq!(
            checks[1].text,
            "To connect: open Pulse Secure and connect to vpn.hms.harvard.edu."
        );
        let warn: Vec<&Check> = checks.iter().filter(|c| c.level == Level::Warn).collect();
        assert_eq!(warn.len(), 1);
        assert!(warn[0].text.contains("Cisco"));
    }

    #[test]
    fn windows_without_any_client_warns_to_install() {
        let checks = checklist("windows", &|_| false, GW, &desk());
        assert_eq!(checks[0].level, Level::Warn);
        assert!(checks[0].text.contains("No HMS VPN client"));
        assert!(checks[0].text.contains("Install GlobalProtect"));
        assert!(
            checks
                .iter()
                .any(|c| c.text.contains("HarvardKey does not work"))
        );
    }

    #[test]
    fn paths_of_another_os_do_not_count() {
        let checks = checklist(
            "linux",
            &|p| p == Path::new("/Applications/Pulse Secure.app"),
            GW,
            &desk(),
        );
        assert!(checks[0].text.contains("No HMS VPN client"));
        let checks = checklist(
            "linux",
            &|p| p == Path::new("/usr/sbin/openconnect"),
            GW,
            &desk(),
        );
        assert!(checks[0].text.contains("openconnect"));
        assert!(
            checks[1]
                .text
                .contains("openconnect --protocol=gp vpn.hms.harvard.edu")
        );
    }
}
