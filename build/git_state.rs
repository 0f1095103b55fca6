// The commit a build comes from, read from git: shared by `build.rs` (which runs it) and a
// unit test of the library (`src/build_info.rs`), so that its fallbacks are tested.

use std::path::Path;
use std::process::Command;

/// What git says about the source tree at `dir`.
#[derive(Debug, PartialEq, Eq)]
pub enum GitState {
    /// `dir` is the top of a git work tree: its commit, and whether tracked files differ from it.
    Commit { hash: String, clean: bool },
    /// No git, or `dir` is not the top of a work tree (a source archive, perhaps unpacked
    /// inside some other repository, whose commit would not be this tree's).
    Unknown,
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    // --no-optional-locks: `status` must not rewrite the index (its change would make cargo
    // run the build script again, and again).
    let out = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Reads the commit and cleanliness of the work tree whose top is `dir`.
pub fn git_state(dir: &Path) -> GitState {
    let same_top = git(dir, &["rev-parse", "--show-toplevel"])
        .and_then(|t| Path::new(&t).canonicalize().ok())
        .is_some_and(|t| dir.canonicalize().is_ok_and(|d| d == t));
    if !same_top {
        return GitState::Unknown;
    }
    let Some(hash) = git(dir, &["rev-parse", "HEAD"]).filter(|h| !h.is_empty()) else {
        return GitState::Unknown;
    };
    match git(dir, &["status", "--porcelain", "--untracked-files=no"]) {
        Some(changes) => GitState::Commit {
            hash,
            clean: changes.is_empty(),
        },
        None => GitState::Unknown,
    }
}

/// The line `hmsaccess --version` prints under the version.
pub fn describe(state: &GitState) -> String {
    match state {
        GitState::Commit { hash, clean: true } => format!("commit {hash} (clean tree)"),
        GitState::Commit { hash, clean: false } => {
            format!("commit {hash} with uncommitted changes")
        }
        GitState::Unknown => "commit unknown (built outside a git work tree)".to_string(),
    }
}
