//! What one `hmsaccess diagnose` invocation will do, decided once from its arguments: the
//! profile, the time budget, the output form, the files to write and whether to watch.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::Failure;
use crate::profile::Profile;

/// A run without `--timeout` ends within this (contract: 10 s), bookkeeping included.
const DEFAULT_BUDGET: Duration = Duration::from_millis(crate::report::labels::DEFAULT_BUDGET_MS);
/// Time kept back from `--timeout` for writing the report after the probes stop.
const BOOKKEEPING: Duration = Duration::from_millis(60);
/// Pause between `--watch` runs unless `--interval` says otherwise.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(3);

/// The validated settings of one `diagnose` invocation.
pub struct DiagnoseConfig {
    /// The probe profile (the embedded HMS one unless `--profile`).
    pub profile: Profile,
    /// How long the probes of one run may take, counted from the run's start.
    pub budget: Duration,
    /// `--json`: stdout carries only the JSON report.
    pub json: bool,
    /// `-v`: every probe's details, and progress lines even without a terminal.
    pub verbose: bool,
    /// `--color`.
    pub color: ColorWhen,
    /// `--redact`: local and private addresses replaced by placeholders.
    pub redact: bool,
    /// `--output FILE`: the JSON report is also written there.
    pub output: Option<PathBuf>,
    /// `--save`: the JSON report is saved under a generated name, with how to send it.
    pub save: bool,
    /// `--watch`: the pause between runs. Watching writes `--output` and `--save` once, with
    /// the last run's report, when it ends.
    pub watch: Option<Duration>,
}

impl DiagnoseConfig {
    /// Decides the settings from the parsed arguments; loads the profile.
    ///
    /// # Errors
    /// An unreadable or invalid profile (exit 3, one line naming the file).
    pub fn build(
        args: &DiagnoseArgs,
        color: ColorWhen,
        verbose: bool,
    ) -> Result<DiagnoseConfig, Failure> {
        let profile = match &args.profile {
            Some(path) => Profile::load(path).map_err(|e| Failure::input(e.to_string()))?,
            None => Profile::embedded(),
        };
        Ok(DiagnoseConfig {
            profile,
            budget: args
                .timeout
                .map_or(DEFAULT_BUDGET, |t| t.saturating_sub(BOOKKEEPING)),
            json: args.json,
            verbose,
            color,
            redact: args.redact,
            output: args.output.clone(),
            save: args.save,
            watch: args
                .watch
                .then(|| args.interval.unwrap_or(DEFAULT_INTERVAL)),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn config(args: &[&str]) -> DiagnoseConfig {
        let cli = Cli::try_parse_from([&["hmsaccess", "diagnose"], args].concat()).unwrap();
        let Some(Command::Diagnose(d)) = cli.command else {
            panic!("not diagnose")
        };
        DiagnoseConfig::build(&d, ColorWhen::Auto, cli.verbose).unwrap()
    }

    #[test]
    fn budget_keeps_bookkeeping_back_from_the_timeout() {
        assert_eq!(config(&[]).budget, DEFAULT_BUDGET);
        assert_eq!(
            config(&["--timeout", "2"]).budget,
            Duration::from_millis(1940)
        );
    }

    #[test]
    fn watch_has_an_interval_and_keeps_save() {
        assert_eq!(config(&[]).watch, None);
        assert_eq!(config(&["--watch"]).watch, Some(DEFAULT_INTERVAL));
        let c = config(&["--watch", "--interval", "1.5", "--save"]);
        assert_eq!(c.watch, Some(Duration::from_millis(1500)));
        assert!(c.save);
    }
}
