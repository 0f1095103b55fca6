//! Running an OS tool with a time bound: a missing tool is "not checked", never an error.
//!
//! The readers of [`crate::os`] run every tool through a [`Tools`]: [`Bounded`] runs it for real
//! under [`TOOL_TIMEOUT`]; a test hands them one that answers from captures and counts the runs.
//! This sits low (beside `report/`) because the renderer asks one tool of its own: the Windows
//! console's code page (`chcp.com`, `report/human/picture.rs`), which is no setting of the run.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one OS tool may run: they answer in milliseconds; a hung one (a wedged
/// NetworkManager, a slow `scutil`) must not hold up the whole report.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(1);

/// What came of running a tool.
#[derive(Debug, Clone)]
pub enum ToolOutput {
    /// It ran and exited 0; its standard output (lossy UTF-8).
    Ok(String),
    /// Not installed (or not on PATH).
    NotFound,
    /// Killed after [`TOOL_TIMEOUT`].
    TimedOut,
    /// It ran and failed; the first line of its stderr or its exit status.
    Failed(String),
}

/// Who runs the OS tools of a reading: the real, bounded runner, or a test's stand-in.
pub trait Tools: Sync {
    /// Runs `program args` and says what came of it.
    fn run(&self, program: &str, args: &[&str]) -> ToolOutput;

    /// Runs a tool and records the result: the source name on success, a note otherwise.
    fn run_noted(
        &self,
        program: &str,
        args: &[&str],
        what: &str,
        sources: &mut Vec<String>,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        noted(self.run(program, args), program, what, sources, notes)
    }
}

/// The real runner: the program, killed after [`TOOL_TIMEOUT`].
pub struct Bounded;

impl Tools for Bounded {
    fn run(&self, program: &str, args: &[&str]) -> ToolOutput {
        run_tool(program, args, TOOL_TIMEOUT)
    }
}

/// Runs `program args`, killing it after `timeout`.
pub(crate) fn run_tool(program: &str, args: &[&str], timeout: Duration) -> ToolOutput {
    let child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return ToolOutput::NotFound,
        Err(e) => return ToolOutput::Failed(e.to_string()),
    };
    // Read both pipes on threads so a chatty tool cannot block on a full pipe.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(4096).read_to_end(&mut buf);
        }
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let Some(status) = status else {
        return ToolOutput::TimedOut;
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if status.success() {
        ToolOutput::Ok(String::from_utf8_lossy(&out).into_owned())
    } else {
        let err = String::from_utf8_lossy(&err);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        ToolOutput::Failed(if first.is_empty() {
            status.to_string()
        } else {
            first.trim().chars().take(200).collect()
        })
    }
}

/// The source name on success, a note otherwise.
fn noted(
    output: ToolOutput,
    program: &str,
    what: &str,
    sources: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Option<String> {
    match output {
        ToolOutput::Ok(s) => {
            sources.push(program.to_string());
            Some(s)
        }
        ToolOutput::NotFound => {
            notes.push(format!("{program} not found: {what} not checked"));
            None
        }
        ToolOutput::TimedOut => {
            notes.push(format!(
                "{program} did not answer within {} ms: {what} not checked",
                TOOL_TIMEOUT.as_millis()
            ));
            None
        }
        ToolOutput::Failed(e) => {
            notes.push(format!("{program} failed ({e}): {what} not checked"));
            None
        }
    }
}

/// A test's runner: answers from captures (a tool line it has no answer for is "not found"; a
/// registry key it has none for fails, as `reg` does for a missing key) and counts every run.
#[cfg(test)]
pub(crate) struct Captured {
    /// `(program and arguments joined by spaces, its output)`.
    answers: Vec<(String, String)>,
    /// Every run, as `program args…`, in order.
    runs: std::sync::Mutex<Vec<String>>,
}

#[cfg(test)]
impl Captured {
    /// A runner answering each line of `answers` with its text.
    pub(crate) fn new(answers: &[(&str, &str)]) -> Captured {
        Captured {
            answers: answers
                .iter()
                .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                .collect(),
            runs: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Every run so far.
    pub(crate) fn runs(&self) -> Vec<String> {
        self.runs.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
impl Tools for Captured {
    fn run(&self, program: &str, args: &[&str]) -> ToolOutput {
        let line = std::iter::once(program)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        if let Ok(mut runs) = self.runs.lock() {
            runs.push(line.clone());
        }
        match self.answers.iter().find(|(l, _)| *l == line) {
            Some((_, text)) => ToolOutput::Ok(text.clone()),
            None if program == "reg" => ToolOutput::Failed(
                "ERROR: The system was unable to find the specified registry key or value.".into(),
            ),
            None => ToolOutput::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tool_is_not_found() {
        assert!(matches!(
            run_tool("hmsaccess-no-such-tool", &[], TOOL_TIMEOUT),
            ToolOutput::NotFound
        ));
    }

    #[cfg(unix)]
    #[test]
    fn slow_tool_is_killed() {
        let t = Instant::now();
        let r = run_tool("sleep", &["5"], Duration::from_millis(200));
        assert!(matches!(r, ToolOutput::TimedOut), "{r:?}");
        assert!(t.elapsed() < Duration::from_secs(2));
    }

    #[cfg(unix)]
    #[test]
    fn output_and_failure() {
        assert!(
            matches!(run_tool("echo", &["hi"], TOOL_TIMEOUT), ToolOutput::Ok(s) if s == "hi\n")
        );
        assert!(matches!(
            run_tool("false", &[], TOOL_TIMEOUT),
            ToolOutput::Failed(_)
        ));
    }
}
