//! A double-click in Windows Explorer: the program gets a console window of its own, which
//! closes the moment it exits. Started that way with no command, it runs `diagnose --save`,
//! and then waits for Enter so that the verdict, and where the report was saved, stay on
//! screen. From a shell (cmd, PowerShell, Windows Terminal) nothing changes: `hmsaccess` alone
//! prints the hint.
//!
//! Explorer is recognised as the parent process named `explorer.exe` (through `sysinfo`,
//! already a dependency: `unsafe_code = "forbid"` rules out calling `GetConsoleProcessList`
//! ourselves), as Go's `mousetrap` does; the decision is [`started_by_double_click`], pure.

use std::io::{self, BufRead, Write};
use std::time::Instant;

use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, RefreshKind, System};

use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::{Exit, Failure};

/// What the decision looks at, read once at start.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// `std::env::consts::OS`.
    pub os: &'a str,
    /// A subcommand was given.
    pub has_command: bool,
    /// The parent process's executable name, when it could be read.
    pub parent: Option<&'a str>,
    /// Standard input and output are both a console (a person can read and press Enter).
    pub console: bool,
}

/// True when the program was started from Windows Explorer (double-click, or the Run box) with
/// no command, in a console a person sees: then it diagnoses and waits for Enter. Pure.
#[must_use]
pub fn started_by_double_click(l: &Launch<'_>) -> bool {
    l.os == "windows"
        && !l.has_command
        && l.console
        && l.parent
            .is_some_and(|p| p.eq_ignore_ascii_case("explorer.exe"))
}

/// The parent process's name, when it is still the process that started this one (started
/// no later than this one: a parent that exited can leave its number to a newer process).
fn parent_name() -> Option<String> {
    let me = sysinfo::get_current_pid().ok()?;
    let mut sys = System::new_with_specifics(RefreshKind::nothing()).ok()?;
    let kind = ProcessRefreshKind::nothing();
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&[me]), false, kind);
    let (parent, started) = sys.process(me).map(|p| (p.parent(), p.start_time()))?;
    let parent = parent?;
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&[parent]), false, kind);
    let p = sys.process(parent)?;
    (p.start_time() <= started).then(|| p.name().to_string_lossy().into_owned())
}

/// Reads what the decision needs; the process list only on Windows and with no command.
#[must_use]
pub fn detected(has_command: bool) -> bool {
    use std::io::IsTerminal;
    let os = std::env::consts::OS;
    if os != "windows" || has_command {
        return false;
    }
    let parent = parent_name();
    started_by_double_click(&Launch {
        os,
        has_command,
        parent: parent.as_deref(),
        console: io::stdin().is_terminal() && io::stdout().is_terminal(),
    })
}

/// The words before the wait.
pub const PRESS_ENTER: &str = "Press Enter to close this window.";

/// `diagnose --save`, then the wait for Enter (or the end of standard input). The exit status
/// is the diagnosis's.
pub(super) fn run(color: ColorWhen, process_start: Instant) -> Result<Exit, Failure> {
    let args = DiagnoseArgs {
        save: true,
        ..DiagnoseArgs::default()
    };
    let result = super::diagnose::run(&args, color, false, process_start);
    if let Err(f) = &result {
        let _ = writeln!(io::stderr().lock(), "hmsaccess: error: {}", f.message);
    }
    {
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "\n{PRESS_ENTER}");
        let _ = out.flush();
    }
    wait_for_enter(&mut io::stdin().lock());
    // The error was shown above; its exit status stays.
    result.or_else(|f| Ok(f.exit))
}

/// Returns at the first line (Enter), at the end of input, or on a read error: it waits for a
/// person, who may also close the window.
fn wait_for_enter(input: &mut impl BufRead) {
    let mut line = String::new();
    let _ = input.read_line(&mut line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(os: &str, has_command: bool, parent: Option<&str>, console: bool) -> bool {
        started_by_double_click(&Launch {
            os,
            has_command,
            parent,
            console,
        })
    }

    #[test]
    fn explorer_with_no_command_in_a_console_is_a_double_click() {
        assert!(launch("windows", false, Some("explorer.exe"), true));
        assert!(launch("windows", false, Some("EXPLORER.EXE"), true));
    }

    #[test]
    fn a_shell_or_a_command_changes_nothing() {
        for shell in [
            "cmd.exe",
            "powershell.exe",
            "pwsh.exe",
            "WindowsTerminal.exe",
            "bash.exe",
        ] {
            assert!(!launch("windows", false, Some(shell), true), "{shell}");
        }
        assert!(
            !launch("windows", true, Some("explorer.exe"), true),
            "a command"
        );
        assert!(!launch("windows", false, None, true), "parent unknown");
        assert!(
            !launch("windows", false, Some("explorer.exe"), false),
            "no console"
        );
        assert!(!launch("linux", false, Some("explorer.exe"), true));
        assert!(!launch("macos", false, Some("explorer.exe"), true));
        assert!(!launch("windows", false, Some("myexplorer.exe"), true));
    }

    #[test]
    fn the_wait_ends_at_enter_or_at_the_end_of_input() {
        let mut enter = io::Cursor::new(b"\nmore".to_vec());
        wait_for_enter(&mut enter);
        assert_eq!(enter.position(), 1, "one line read, no more");
        let mut closed = io::Cursor::new(Vec::new());
        wait_for_enter(&mut closed);
        assert_eq!(closed.position(), 0);
    }

    #[test]
    fn not_windows_is_never_detected() {
        if std::env::consts::OS != "windows" {
            assert!(!detected(false));
        }
    }
}
