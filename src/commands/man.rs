//! `hmsaccess man`: one manual page with everything: the synopsis and options of every
//! subcommand (rendered by clap_mangen from the same definitions as `--help`), the verdicts
//! (codes from the report model, words from the embedded profile), the exit statuses, the
//! environment variables and examples.

use std::io::{self, Write};

use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};

use crate::cli::Cli;
use crate::exit::Exit;
use crate::profile::Profile;
use crate::report::model::{Cause, VerdictCode};

/// Environment variables hmsaccess reads, and what for.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "When set (to anything), no colour, unless --color always.",
    ),
    (
        "CLICOLOR_FORCE",
        "When set to anything but 0, colour even when the output is not a terminal; --color never still wins.",
    ),
    (
        "COLUMNS",
        "The width the output is laid out in (40 to 120); without it, the terminal's width, else 80.",
    ),
    (
        "LC_ALL, LC_CTYPE, LANG (WT_SESSION on Windows)",
        "Whether the picture of the way to MARS is drawn in UTF-8 (box-drawing lines and a cross) or ASCII (- and x): on Linux UTF-8 when the first of these set names UTF-8; on macOS unless one names another character set; on Windows when the console's code page is 65001 (chcp), or in Windows Terminal (WT_SESSION) when the output is the console.",
    ),
    (
        "HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy, NO_PROXY, no_proxy",
        "The proxy for https:// addresses (HTTPS_PROXY, else ALL_PROXY; NO_PROXY lists the hosts that go direct). On macOS and Windows the system's proxy settings win when they set anything, as browsers follow them. When a proxy applies, the HTTPS probes go through it with CONNECT, as the browser's requests do, and the report says which proxy and why. HTTP_PROXY (http_proxy) is for http:// addresses and only noted.",
    ),
    (
        "SSL_CERT_FILE, SSL_CERT_DIR",
        "Linux: the certificate roots to trust, read as OpenSSL-based tools read them (a TLS-inspecting proxy's root installed this way is trusted, as by other tools).",
    ),
    (
        "HOME (USERPROFILE on Windows)",
        "Where --save looks for the Downloads and Desktop folders when the current folder is the home folder or cannot be written.",
    ),
    (
        "RUST_BACKTRACE",
        "When set, an internal error prints Rust's own panic message and backtrace.",
    ),
];

/// Worked examples: (command, what it does).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "hmsaccess diagnose",
        "Check this computer now: the verdict, what to do, why.",
    ),
    (
        "hmsaccess diagnose --save",
        "The same, and save the JSON report for the HMS IT Service Desk; prints the file's full path and how to send it.",
    ),
    (
        "hmsaccess diagnose --watch",
        "Check again every 3 seconds until MARS answers, while you connect the VPN.",
    ),
    (
        "hmsaccess diagnose --json --timeout 5 > report.json",
        "For scripts: only the JSON report on stdout, within 5 seconds; the exit status is the verdict's.",
    ),
    (
        "hmsaccess explain report.json",
        "Service desk: a saved report judged again by this hmsaccess, in its own words, with the cause and who acts (-v adds the report's own words, marked).",
    ),
    (
        "hmsaccess explain --summary --since 2026-11-01 --until 2026-11-30 tickets/",
        "Service desk: the triage view of a folder of reports written in November: HMS incidents first, a row per report with its cause and who acts, causes counted by who acts.",
    ),
    (
        "hmsaccess explain --summary --acts hms-it --sort oldest tickets/",
        "Only the reports where HMS IT must act (MARS failing), oldest first.",
    ),
    (
        "hmsaccess explain --summary --csv tickets/ > triage.csv",
        "The same rows as CSV, for a spreadsheet or an SQL engine (--json for JSON).",
    ),
    (
        "hmsaccess explain --summary --html triage.html tickets/",
        "Also write the triage view as one self-contained web page (no scripts, nothing fetched).",
    ),
];

/// Renders the whole page.
///
/// # Errors
/// Only the writer's errors.
pub fn render(w: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    commands(&cmd, w)?;
    let mut roff = Roff::new();
    verdicts(&mut roff);
    exit_status(&mut roff);
    environment(&mut roff);
    examples(&mut roff);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "The user guide, the service-desk guide and the report schema ship with the source: \
         docs/user-guide.md, docs/service-desk.md, docs/report.schema.json.",
    )]);
    roff.to_writer(w)?;
    man.render_version_section(w)
}

/// Every subcommand: its synopsis, what it does, and its own options.
fn commands(cmd: &clap::Command, w: &mut dyn Write) -> io::Result<()> {
    let mut head = Roff::new();
    head.control("SH", ["COMMANDS"]);
    head.text([roman(
        "The options above (--color, -v, --help, --version) apply to every command too; each \
         command's own options follow it.",
    )]);
    head.to_writer(w)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("hmsaccess {}", sub.get_name());
        let mut roff = Roff::new();
        roff.control("SS", [name.as_str()]);
        roff.to_writer(w)?;
        // The global options are documented once, above.
        let own = sub.clone().mut_args(|a| {
            let global = a.is_global_set() || matches!(a.get_id().as_str(), "help" | "version");
            a.hide(global)
        });
        let man = clap_mangen::Man::new(own.clone());
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if own.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        // The sections become paragraphs of this command's subsection.
        let text = String::from_utf8_lossy(&section)
            .replace(".SH SYNOPSIS\n", ".PP\n")
            .replace(".SH DESCRIPTION\n", ".PP\n")
            .replace(".SH OPTIONS\n", ".PP\nOptions:\n");
        w.write_all(text.as_bytes())?;
    }
    Ok(())
}

fn verdicts(roff: &mut Roff) {
    let texts = Profile::embedded().verdicts;
    roff.control("SH", ["VERDICTS"]);
    roff.text([roman(
        "Every diagnosis ends in exactly one verdict; the report's verdict.code and the exit \
         status say which. When more than one could apply, the first in this list wins. \
         The report's verdict.cause says why the verdict holds, and decides the first step; \
         verdict.acts says who must act for MARS to open: you (the person at the computer), \
         service-desk (the HMS IT Service Desk: accounts, access, VPN set-up), hms-it (a \
         failure on HMS's side) or network (whoever runs the network the computer is on).",
    )]);
    for code in VerdictCode::ALL {
        let title = texts.get(&code).map_or("", |t| t.title.as_str());
        roff.control("TP", []);
        roff.text([
            bold(code.as_str()),
            roman(format!(" (exit {})", code.exit_code())),
        ]);
        roff.text([roman(title)]);
        let causes: Vec<String> = Cause::ALL
            .iter()
            .filter(|c| c.verdict() == code)
            .map(|c| format!("{c} ({})", c.acts()))
            .collect();
        roff.control("br", []);
        roff.text([roman("Causes: "), italic(causes.join(", "))]);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    let mut by_status: Vec<(u8, Vec<&str>)> = Vec::new();
    for code in VerdictCode::ALL {
        match by_status.iter_mut().find(|(s, _)| *s == code.exit_code()) {
            Some((_, names)) => names.push(code.as_str()),
            None => by_status.push((code.exit_code(), vec![code.as_str()])),
        }
    }
    by_status.sort_by_key(|(s, _)| *s);
    let mut rows: Vec<(String, String)> = by_status
        .into_iter()
        .map(|(s, names)| {
            (
                s.to_string(),
                format!("diagnose: the verdict is {}.", names.join(" or ")),
            )
        })
        .collect();
    rows.push((
        Exit::Internal.code().to_string(),
        "Internal error (a bug).".into(),
    ));
    rows.push((
        Exit::Usage.code().to_string(),
        "Usage error: unknown option, bad value, or no command given.".into(),
    ));
    rows.push((
        Exit::BadInput.code().to_string(),
        "Unreadable or invalid input: a profile (--profile), or a report given to explain (the other reports are still shown); or the page of explain --summary --html could not be written.".into(),
    ));
    for (status, meaning) in rows {
        roff.control("TP", []);
        roff.text([bold(status)]);
        roff.text([roman(meaning)]);
    }
    roff.control("PP", []);
    roff.text([roman(
        "explain, setup, interfaces, completions and man exit 0 when they succeed. A report \
         file that cannot be written (--save, --output) is reported in one line on standard \
         error and does not change the status: it stays the verdict's, since the diagnosis \
         itself was made and shown. Ctrl-C during a run ends it at once with the report so far \
         (the probes still running count as timed out), and the status is that report's \
         verdict; Ctrl-C while --watch waits ends with the last run's verdict.",
    )]);
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (command, meaning) in EXAMPLES {
        roff.control("TP", []);
        roff.text([bold(*command)]);
        roff.text([roman(*meaning)]);
    }
    roff.control("PP", []);
    roff.text([
        roman("Reports are saved as "),
        italic("hmsaccess-report-<UTC time>.json"),
        roman("; they hold no passwords, cookies, command lines, environment or MAC addresses."),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn page() -> String {
        let mut buf = Vec::new();
        render(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn the_page_documents_every_subcommand_option_verdict_and_exit_status() {
        let page = page();
        let mut cmd = Cli::command();
        cmd.build();
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            assert!(
                page.contains(&format!(".SS \"hmsaccess {}\"", sub.get_name()))
                    || page.contains(&format!(".SS hmsaccess {}", sub.get_name())),
                "no section for {}",
                sub.get_name()
            );
            for arg in sub.get_arguments().filter_map(clap::Arg::get_long) {
                // roff writes a dash as \-.
                assert!(
                    page.contains(&format!("\\-\\-{}", arg.replace('-', "\\-"))),
                    "{}: --{arg} undocumented",
                    sub.get_name()
                );
            }
        }
        for code in VerdictCode::ALL {
            assert!(page.contains(&code.as_str().replace('-', "\\-")), "{code}");
            assert!(
                page.contains(&format!("(exit {})", code.exit_code())),
                "{code}"
            );
        }
        for cause in Cause::ALL {
            let row = format!("{cause} ({})", cause.acts()).replace('-', "\\-");
            assert!(page.contains(&row), "{row}");
        }
        for status in ["1", "2", "3"] {
            assert!(page.contains(&format!(".TP\n\\fB{status}\\fR")), "{status}");
        }
        for var in [
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
            "LC_CTYPE",
            "HTTPS_PROXY",
            "SSL_CERT_FILE",
        ] {
            assert!(page.contains(var), "{var}");
        }
        assert!(page.contains(".SH EXAMPLES"));
    }

    #[test]
    fn every_example_parses() {
        for (example, _) in EXAMPLES {
            let words: Vec<&str> = example
                .split_whitespace()
                .take_while(|w| *w != ">")
                .collect();
            assert!(Cli::try_parse_from(&words).is_ok(), "{example}");
        }
    }
}
