//! Command-line arguments (clap derive). Parsing does no I/O; `commands` turns them into actions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;

use crate::report::model::{Acts, Cause, VerdictCode};

/// Tells you why MARS (Harvard Medical School's Medical Area Reporting System) cannot be reached
/// from this computer, and exactly what to do about it.
#[derive(Debug, Parser)]
#[command(
    name = "hmsaccess",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// When to use colour [default: auto; NO_COLOR and CLICOLOR_FORCE are honoured]
    #[arg(long, value_enum, global = true, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    /// Add the technical account (probe table, every probe, resolver, interfaces); progress
    /// lines on stderr even when it is not a terminal
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// What to do; without one, a short hint is printed (`hmsaccess diagnose` is the main one).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Probe the HMS hosts and say why MARS can or cannot be reached, and what to do
    Diagnose(DiagnoseArgs),
    /// Render saved JSON reports for a person (never touches the network)
    Explain(ExplainArgs),
    /// List network interfaces and active VPN tunnels (no network probes)
    Interfaces {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Check this computer's setup for the HMS VPN (offline: looks only at installed software)
    Setup,
    /// Print shell completions (bash, zsh, fish, powershell, elvish) to stdout
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout
    Man,
}

/// Arguments of `hmsaccess explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Report files (`-` reads standard input); with --summary also folders, whose `.json`
    /// files are read (and those of the folders inside)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Instead of rendering each report, print a triage view: HMS incidents first, then a row
    /// per report (time, OS, cause, who acts, VPN), the date range, and the reports counted by
    /// cause and who acts, by operating system and by VPN
    #[arg(long)]
    pub summary: bool,

    /// With --summary: print the rows as JSON (an array, one object per report, in the order
    /// read)
    #[arg(long, requires = "summary", conflicts_with = "csv")]
    pub json: bool,

    /// With --summary: print the rows as CSV (a header line, one line per report, in the order
    /// read)
    #[arg(long, requires = "summary")]
    pub csv: bool,

    /// With --summary: also write the triage view as one web page to FILE (self-contained: no
    /// scripts, nothing fetched)
    #[arg(long, requires = "summary", value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// With --summary: only reports with this verdict, as this hmsaccess judges them (repeat
    /// or separate with commas)
    #[arg(
        long,
        requires = "summary",
        value_name = "CODE",
        value_delimiter = ',',
        value_parser = parse_verdict
    )]
    pub verdict: Vec<VerdictCode>,

    /// With --summary: only reports with this cause (repeat or separate with commas)
    #[arg(
        long,
        requires = "summary",
        value_name = "CAUSE",
        value_delimiter = ',',
        value_parser = parse_cause
    )]
    pub cause: Vec<Cause>,

    /// With --summary: only reports where this party acts: you, service-desk, hms-it, network
    /// (repeat or separate with commas)
    #[arg(
        long,
        requires = "summary",
        value_name = "WHO",
        value_delimiter = ',',
        value_parser = parse_acts
    )]
    pub acts: Vec<Acts>,

    /// With --summary: only reports written at or after this time (YYYY-MM-DD, UTC, or an RFC
    /// 3339 time such as 2026-11-22T09:00:00Z); a report's clock, when it measured it, is
    /// corrected first
    #[arg(long, requires = "summary", value_name = "WHEN", value_parser = parse_since)]
    pub since: Option<OffsetDateTime>,

    /// With --summary: only reports written before this time (YYYY-MM-DD: up to the end of
    /// that day, UTC; or an RFC 3339 time)
    #[arg(long, requires = "summary", value_name = "WHEN", value_parser = parse_until)]
    pub until: Option<OffsetDateTime>,

    /// With --summary: the order of the table's rows
    #[arg(long, requires = "summary", value_enum, value_name = "ORDER", default_value_t = SortBy::Newest)]
    pub sort: SortBy,

    /// With --summary: the most rows the table shows (the rest are counted) [default: 50; 500
    /// on the --html page]
    #[arg(long, requires = "summary", value_name = "N")]
    pub rows: Option<usize>,
}

/// `explain --summary --sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Newest first
    Newest,
    /// Oldest first
    Oldest,
    /// By cause, then newest first
    Cause,
    /// By who acts, then cause, then newest first
    Acts,
    /// By operating system and version, then newest first
    Os,
    /// By file name
    File,
}

/// Arguments of `hmsaccess diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Print only the JSON report on stdout (no colour, no progress)
    #[arg(long)]
    pub json: bool,

    /// Also write the JSON report to FILE
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Hard bound on the whole run, in seconds (decimals allowed) [default: 10]
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Use this probe profile instead of the embedded HMS one (format: docs/profile.md)
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// Replace local and private addresses (ip-1, …) and unknown VPN servers (vpn-server-1, …)
    /// in the report with placeholders
    #[arg(long)]
    pub redact: bool,

    /// Save the JSON report as a new file, hmsaccess-report-<UTC time>.json, and say where and
    /// how to send it: in the current folder, or in Downloads (else Desktop) when the current
    /// folder is the home folder or cannot be written
    #[arg(long)]
    pub save: bool,

    /// Run again and again, a line per run (what changed, or "still ..."), until MARS can be
    /// reached or Ctrl-C; --save and --output then write the last run's report
    #[arg(long, conflicts_with = "json")]
    pub watch: bool,

    /// Seconds from the start of one --watch run to the start of the next [default: 3]
    #[arg(long, value_name = "SECS", value_parser = parse_timeout, requires = "watch")]
    pub interval: Option<Duration>,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal, unless NO_COLOR is set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// The longest `--timeout` accepted: a diagnosis that needs more is not a diagnosis.
const MAX_TIMEOUT_S: f64 = 600.0;

/// `--timeout SECS`: a positive decimal number of seconds, at most 600.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds (for example 3 or 2.5)"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > MAX_TIMEOUT_S {
        return Err(format!(
            "{text} is out of range: use more than 0 and at most {MAX_TIMEOUT_S} seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `text` as one of `all` (by its wire name), or a message naming them all; `what` says what
/// kind of value it is.
fn one_of<T: Copy>(
    text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| name(*v) == text.trim())
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
            format!("{text:?} is not {what}; use one of: {}", names.join(", "))
        })
}

/// `--verdict CODE`: one of the verdict codes this build knows.
fn parse_verdict(text: &str) -> Result<VerdictCode, String> {
    one_of(text, &VerdictCode::ALL, VerdictCode::as_str, "a verdict")
}

/// `--cause CAUSE`: one of the causes this build knows.
fn parse_cause(text: &str) -> Result<Cause, String> {
    one_of(text, &Cause::ALL, Cause::as_str, "a cause")
}

/// `--acts WHO`: one of the parties of the contract.
fn parse_acts(text: &str) -> Result<Acts, String> {
    one_of(text, &Acts::ALL, Acts::as_str, "a party")
}

/// A date (`2026-11-22`) or an RFC 3339 time; the bool says it was a date.
fn parse_when(text: &str) -> Result<(OffsetDateTime, bool), String> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok((t, false));
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &date_format)
        .map(|d| (d.midnight().assume_utc(), true))
        .map_err(|_| {
            format!("{text:?} is not a date or time; use 2026-11-22 or 2026-11-22T09:00:00Z")
        })
}

/// `--since WHEN`: a date (midnight UTC) or an RFC 3339 time.
fn parse_since(text: &str) -> Result<OffsetDateTime, String> {
    parse_when(text).map(|(t, _)| t)
}

/// `--until WHEN`: a date (up to the next midnight UTC, so the day is included) or an RFC 3339
/// time.
fn parse_until(text: &str) -> Result<OffsetDateTime, String> {
    parse_when(text).map(|(t, date)| if date { t + time::Duration::DAY } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeout_accepts_decimals_and_rejects_nonsense() {
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout("3"), Ok(Duration::from_secs(3)));
        for bad in ["0", "-1", "abc", "NaN", "inf", "601", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn diagnose_flags_parse() {
        let cli = Cli::try_parse_from([
            "hmsaccess",
            "diagnose",
            "--json",
            "--timeout",
            "1.5",
            "--output",
            "r.json",
            "--color",
            "never",
        ])
        .unwrap();
        let Some(Command::Diagnose(d)) = cli.command else {
            panic!("not diagnose")
        };
        assert!(d.json);
        assert_eq!(d.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(cli.color, Some(ColorWhen::Never));
    }

    #[test]
    fn summary_filters_parse_and_need_summary() {
        let cli = Cli::try_parse_from([
            "hmsaccess",
            "explain",
            "--summary",
            "--verdict",
            "offline,dns-failure",
            "--verdict",
            "hms-vpn",
            "--since",
            "2026-11-22",
            "a.json",
        ])
        .unwrap();
        let Some(Command::Explain(e)) = cli.command else {
            panic!("not explain")
        };
        assert_eq!(
            e.verdict,
            [
                VerdictCode::Offline,
                VerdictCode::DnsFailure,
                VerdictCode::HmsVpn
            ]
        );
        assert_eq!(e.since.unwrap().unix_timestamp(), 1_795_305_600);
        assert!(parse_since("2026-11-22T09:00:00Z").is_ok());
        assert!(parse_since("yesterday").is_err());
        assert!(parse_verdict("need-hms-vpn").is_err());
        // --until a date includes that day; an exact time is the end itself.
        assert_eq!(
            parse_until("2026-11-22").unwrap().unix_timestamp(),
            1_795_392_000
        );
        assert_eq!(
            parse_until("2026-11-22T09:00:00Z")
                .unwrap()
                .unix_timestamp(),
            1_795_338_000
        );
        assert_eq!(parse_cause(" mars-down"), Ok(Cause::MarsDown));
        assert!(
            parse_cause("mars-broken")
                .unwrap_err()
                .contains("mars-certificate")
        );
        assert_eq!(parse_acts("hms-it"), Ok(Acts::HmsIt));
        assert!(parse_acts("desk").is_err());
        let cli = Cli::try_parse_from([
            "hmsaccess",
            "explain",
            "--summary",
            "--cause",
            "mars-down,other-vpn",
            "--acts",
            "you",
            "--sort",
            "oldest",
            "--rows",
            "5",
            "--html",
            "p.html",
            "t/",
        ])
        .unwrap();
        let Some(Command::Explain(e)) = cli.command else {
            panic!("not explain")
        };
        assert_eq!(e.cause, [Cause::MarsDown, Cause::OtherVpn]);
        assert_eq!(
            (e.acts, e.sort, e.rows),
            (vec![Acts::You], SortBy::Oldest, Some(5))
        );
        for alone in [
            &["--csv"][..],
            &["--verdict", "offline"],
            &["--json"],
            &["--cause", "no-vpn"],
            &["--acts", "you"],
            &["--until", "2026-11-01"],
            &["--html", "p.html"],
            &["--sort", "oldest"],
        ] {
            let args = [&["hmsaccess", "explain"], alone, &["a.json"]].concat();
            assert!(
                Cli::try_parse_from(args).is_err(),
                "{alone:?} without --summary"
            );
        }
    }

    #[test]
    fn no_command_is_allowed_and_means_a_hint() {
        assert!(
            Cli::try_parse_from(["hmsaccess"])
                .unwrap()
                .command
                .is_none()
        );
    }
}
