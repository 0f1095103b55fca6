//! Names the commit the program is built from, for `hmsaccess --version`: sets
//! `HMSACCESS_BUILD` to one line ("commit <hash> (clean tree)", "... with uncommitted changes",
//! or "commit unknown ..." when there is no git work tree, as in a source archive).
//! `HMSACCESS_BUILD_COMMIT`, when set, is taken as it is (a packager who builds from an archive
//! and knows the commit).

#[path = "build/git_state.rs"]
mod git_state;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=HMSACCESS_BUILD_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let line = match std::env::var("HMSACCESS_BUILD_COMMIT") {
        Ok(given) if !given.trim().is_empty() => format!("commit {} (as given)", given.trim()),
        _ => {
            watch_git(&dir);
            git_state::describe(&git_state::git_state(&dir))
        }
    };
    println!("cargo:rustc-env=HMSACCESS_BUILD={line}");
}

/// Run again when the commit or the tracked files change: HEAD, the branch it names, the index,
/// and what goes into the program (a change there rebuilds the crate anyway).
fn watch_git(dir: &std::path::Path) {
    for p in [
        "build.rs",
        "build",
        "src",
        "probes",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={p}");
    }
    let rev = |arg: &str| {
        std::process::Command::new("git")
            .args(["--no-optional-locks", "-C"])
            .arg(dir)
            .args(["rev-parse", arg])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(git_dir) = rev("--absolute-git-dir") else {
        return;
    };
    let common = rev("--git-common-dir")
        .map(|c| dir.join(c))
        .unwrap_or_else(|| PathBuf::from(&git_dir));
    let git_dir = PathBuf::from(git_dir);
    let mut watch = vec![
        git_dir.join("HEAD"),
        git_dir.join("index"),
        common.join("packed-refs"),
    ];
    if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD"))
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watch.push(common.join(branch));
    }
    // A path that does not exist would make cargo run the script at every build.
    for p in watch.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", p.display());
    }
}
