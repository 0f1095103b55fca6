//! Live progress on stderr while the probes run: one line per group (DNS, MARS, affiliate
//! portal, VPN gateway, public site), each resolving in place into its result.
//!
//! Drawn only when stderr is a terminal; with `-v` on a non-terminal, plain lines are printed as
//! steps finish instead. Never used with `--json`.
//!
//! The lines are drawn here rather than with a progress-bar library, for one reason: such
//! libraries fill each line to the terminal's width and leave the cursor at its end, so the
//! `^C` the terminal echoes on Ctrl-C wraps onto a new line, the next redraw starts one line too
//! low, and the first line stays on screen. Here every line ends with a newline, shorter than
//! the width, so the cursor waits at the start of the line below the block: an echo lands there,
//! and clearing (each line of the block, and that one) takes it too.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use console::Term;

use crate::report::human::fit;
use crate::report::model::{Outcome, Probe, ProbeKind, Role};

/// The groups shown, in order.
const GROUPS: [Option<Role>; 5] = [
    None,
    Some(Role::Mars),
    Some(Role::Affiliate),
    Some(Role::Gateway),
    Some(Role::Control),
];

/// How often the spinners turn.
const TICK: Duration = Duration::from_millis(90);
/// Columns before a message: the indent, the spinner, the group name and the spaces.
const BEFORE_MESSAGE: usize = 2 + 1 + 1 + 18 + 1;

/// How progress is shown.
pub enum Progress {
    /// Nothing (not a terminal, or `--json`).
    Off,
    /// Spinners on a terminal.
    Live(Live),
    /// Plain lines (`-v` without a terminal): one per finished step.
    Plain { printed: usize },
}

/// The block of spinner lines on stderr, redrawn by a ticker thread and on every update.
pub struct Live {
    screen: Arc<Mutex<Screen>>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

/// What is on screen, and how to draw it.
struct Screen {
    term: Term,
    /// (group name, message, done)
    lines: Vec<(&'static str, String, bool)>,
    /// How many lines the last draw left above the cursor.
    drawn: usize,
    tick: usize,
    ticks: &'static [&'static str],
    mark: &'static str,
    /// Columns a line may take: one less than the terminal's, so no line ever wraps.
    width: usize,
}

impl Screen {
    fn draw(&mut self) {
        let _ = self.try_draw();
    }

    fn try_draw(&mut self) -> std::io::Result<()> {
        if self.drawn > 0 {
            self.term.move_cursor_up(self.drawn)?;
        }
        let spinner = self.ticks[self.tick % self.ticks.len()];
        for (name, message, done) in &self.lines {
            let glyph = if *done { self.mark } else { spinner };
            let line = format!("  {glyph} {name:<18} {message}");
            self.term.clear_line()?;
            self.term.write_line(&fit(&line, self.width))?;
        }
        self.drawn = self.lines.len();
        self.term.flush()
    }

    /// Clears the block's lines and the line below it (where a `^C` echo lands), one line at
    /// a time: clearing "to the end of the screen" from the top-left corner would make some
    /// terminals (tmux) keep a copy of the screen in their scrollback.
    fn clear(&mut self) {
        if self.drawn > 0 {
            let _ = self.try_clear();
            self.drawn = 0;
        }
    }

    fn try_clear(&mut self) -> std::io::Result<()> {
        let n = self.drawn;
        self.term.move_cursor_up(n)?;
        for i in 0..=n {
            self.term.clear_line()?;
            if i < n {
                self.term.move_cursor_down(1)?;
            }
        }
        self.term.move_cursor_up(n)?;
        self.term.flush()
    }
}

impl Progress {
    /// Spinners when stderr is a terminal; plain lines when `verbose`; else nothing.
    #[must_use]
    pub fn new(terminal: bool, verbose: bool, ascii: bool) -> Progress {
        if terminal {
            Progress::Live(Live::start(ascii))
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
            Progress::Live(live) => live.update(probes),
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
        if let Progress::Live(live) = self {
            live.stop();
        }
    }
}

impl Live {
    fn start(ascii: bool) -> Live {
        let term = Term::buffered_stderr();
        let columns = term.size_checked().map_or(80, |(_, w)| usize::from(w));
        let screen = Screen {
            term,
            lines: GROUPS
                .iter()
                .map(|role| (role.map_or("DNS", Role::label), "waiting".to_owned(), false))
                .collect(),
            drawn: 0,
            tick: 0,
            ticks: if ascii {
                &["-", "\\", "|", "/"]
            } else {
                &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
            },
            mark: if ascii { "*" } else { "•" },
            width: columns.saturating_sub(1).max(BEFORE_MESSAGE + 10),
        };
        let screen = Arc::new(Mutex::new(screen));
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (screen, stop) = (screen.clone(), stop.clone());
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        {
                            let mut s = screen.lock().unwrap_or_else(PoisonError::into_inner);
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            s.tick += 1;
                            s.draw();
                        }
                        std::thread::sleep(TICK);
                    }
                })
                .ok()
        };
        Live {
            screen,
            stop,
            ticker,
        }
    }

    fn update(&mut self, probes: &[Probe]) {
        let mut s = self.screen.lock().unwrap_or_else(PoisonError::into_inner);
        for ((_, message, done), role) in s.lines.iter_mut().zip(GROUPS) {
            if !*done {
                (*done, *message) = status(role, probes);
            }
        }
        s.draw();
    }

    /// Stops the ticker and clears the block (the Ctrl-C echo below it too).
    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        self.screen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop();
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
