//! Live progress on stderr while the probes run: one line per group (DNS, MARS, affiliate
//! portal, VPN gateway, public site), each resolving in place into its result.
//!
//! Drawn with indicatif only when stderr is a terminal; with `-v` on a non-terminal, plain lines
//! are printed as steps finish instead. Never used with `--json`.

use std::io::Write;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::model::{Outcome, Probe, ProbeKind, Role};

/// The groups shown, in order.
const GROUPS: [Option<Role>; 5] = [
    None,
    Some(Role::Mars),
    Some(Role::Affiliate),
    Some(Role::Gateway),
    Some(Role::Control),
];

/// How progress is shown.
pub enum Progress {
    /// Nothing (not a terminal, or `--json`).
    Off,
    /// Spinners on a terminal.
    Live {
        lines: Vec<(Option<Role>, ProgressBar)>,
    },
    /// Plain lines (`-v` without a terminal): one per finished step.
    Plain { printed: usize },
}

impl Progress {
    /// Spinners when stderr is a terminal; plain lines when `verbose`; else nothing.
    #[must_use]
    pub fn new(terminal: bool, verbose: bool, ascii: bool) -> Progress {
        if terminal {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let ticks: &[&str] = if ascii {
                &["-", "\\", "|", "/", "*"]
            } else {
                &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", "•"]
            };
            // `wide_msg` cuts the message at the terminal's width: a wrapped line would be
            // miscounted when the lines are redrawn or cleared, and stay on screen.
            let style = ProgressStyle::with_template("  {spinner} {prefix:<18} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .tick_strings(ticks);
            let lines = GROUPS
                .iter()
                .map(|role| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(role.map_or("DNS", Role::label));
                    bar.set_message("waiting");
                    bar.enable_steady_tick(Duration::from_millis(90));
                    (*role, bar)
                })
                .collect();
            Progress::Live { lines }
        } else if verbose {
            Progress::Plain { printed: 0 }
        } else {
            Progress::Off
        }
    }

    /// Shows the current state of the probes.
    pub fn update(&mut self, probes: &[Probe]) {
        match self {
            Progress::Off => {}
            Progress::Live { lines } => {
                for (role, bar) in lines.iter() {
                    let (done, text) = status(*role, probes);
                    if done {
                        if !bar.is_finished() {
                            bar.finish_with_message(text);
                        }
                    } else {
                        bar.set_message(text);
                    }
                }
            }
            Progress::Plain { printed } => {
                let finished: Vec<&Probe> = probes
                    .iter()
                    .filter(|p| p.duration_ms.is_some() && p.role.is_some())
                    .collect();
                let mut err = std::io::stderr().lock();
                for p in finished.iter().skip(*printed) {
                    let _ = writeln!(err, "hmsaccess: {}", p.describe());
                }
                *printed = finished.len().max(*printed);
            }
        }
    }

    /// Removes the live lines (the report follows on stdout).
    pub fn finish(&mut self) {
        if let Progress::Live { lines } = self {
            for (_, bar) in lines.iter() {
                bar.finish_and_clear();
            }
        }
    }
}

/// (finished, text) for one group.
fn status(role: Option<Role>, probes: &[Probe]) -> (bool, String) {
    let mine: Vec<&Probe> = probes
        .iter()
        .filter(|p| match role {
            None => p.kind == ProbeKind::Dns,
            Some(r) => p.role == Some(r) && p.kind != ProbeKind::Dns && p.kind != ProbeKind::Route,
        })
        .collect();
    if role.is_none() {
        let done = mine.iter().filter(|p| p.duration_ms.is_some()).count();
        let ok = mine.iter().filter(|p| p.outcome == Outcome::Ok).count();
        let mut failed: Vec<&str> = mine
            .iter()
            .filter(|p| p.duration_ms.is_some() && p.outcome != Outcome::Ok)
            .map(|p| p.outcome.as_str())
            .collect();
        let text = if failed.is_empty() {
            format!("{ok} of {} names resolved", mine.len())
        } else {
            let n = failed.len();
            failed.sort_unstable();
            failed.dedup();
            format!(
                "{ok} of {} names resolved; {n} failed ({})",
                mine.len(),
                failed.join(", ")
            )
        };
        return (done == mine.len(), text);
    }
    if let Some(failed) = mine
        .iter()
        .find(|p| p.duration_ms.is_some() && p.outcome != Outcome::Ok)
    {
        return (
            true,
            format!("{} at {}", failed.outcome, failed.kind.as_str()),
        );
    }
    let last_done = mine.iter().rev().find(|p| p.duration_ms.is_some());
    match last_done {
        Some(p) if matches!(p.kind, ProbeKind::Https) => {
            let status = p
                .http
                .as_ref()
                .and_then(|h| h.status)
                .map(|s| format!("HTTP {s}"));
            (true, format!("answers ({})", status.unwrap_or_default()))
        }
        Some(p) => (false, format!("{} ok, going on...", p.kind.as_str())),
        None => (false, "connecting...".into()),
    }
}
