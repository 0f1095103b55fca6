//! Command-line arguments (clap derive). Parsing does no I/O; `commands` turns them into actions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Show progress on stderr even when it is not a terminal, and every probe's details
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
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
    /// Report files (`-` reads standard input)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Instead of rendering each report, print one table across them all
    #[arg(long)]
    pub summary: bool,
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

    /// Replace local and private addresses in the report with placeholders (ip-1, ip-2, …)
    #[arg(long)]
    pub redact: bool,

    /// Save the JSON report as hmsaccess-report-<UTC time>.json here and say how to send it
    #[arg(long)]
    pub save: bool,

    /// Run again every few seconds, printing only what changed, until MARS can be reached
    #[arg(long, conflicts_with = "json")]
    pub watch: bool,

    /// Seconds between runs with --watch [default: 3]
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
        let Command::Diagnose(d) = cli.command else {
            panic!("not diagnose")
        };
        assert!(d.json);
        assert_eq!(d.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(cli.color, Some(ColorWhen::Never));
    }
}
