//! What `hmsaccess --version` says about the build: the version, and on a second line the commit
//! it was built from and whether the tree had uncommitted changes (set by `build.rs`, which reads
//! git; "commit unknown" when built outside a git work tree, as from a source archive).

/// `hmsaccess --version`'s text after the program's name (`-V` prints the version alone).
pub const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\n", env!("HMSACCESS_BUILD"));

#[cfg(test)]
#[path = "../build/git_state.rs"]
mod git_state;

#[cfg(test)]
mod tests {
    use super::git_state::{GitState, describe, git_state};

    #[test]
    fn no_git_work_tree_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(git_state(dir.path()), GitState::Unknown);
        assert_eq!(
            describe(&GitState::Unknown),
            "commit unknown (built outside a git work tree)"
        );
    }

    /// A source archive unpacked inside some other repository: that repository's commit is not
    /// this tree's.
    #[test]
    fn a_folder_inside_another_work_tree_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("git")
            .args(["init", "-q"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git init");
        let inner = dir.path().join("hmsaccess-0.1.0");
        std::fs::create_dir(&inner).unwrap();
        assert_eq!(git_state(&inner), GitState::Unknown);
    }

    #[test]
    fn the_words_for_a_commit() {
        let c = |clean| GitState::Commit {
            hash: "9ee3ecf".into(),
            clean,
        };
        assert_eq!(describe(&c(true)), "commit 9ee3ecf (clean tree)");
        assert_eq!(
            describe(&c(false)),
            "commit 9ee3ecf with uncommitted changes"
        );
    }

    /// This crate's own tree, in a clone (as in CI) or a work tree: the line names HEAD.
    #[test]
    fn the_build_names_this_tree() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        match git_state(dir) {
            GitState::Commit { hash, .. } => {
                assert_eq!(hash.len(), 40, "{hash}");
                assert!(super::LONG_VERSION.contains("commit "));
            }
            GitState::Unknown => assert!(super::LONG_VERSION.contains("commit unknown")),
        }
        assert!(super::LONG_VERSION.starts_with(concat!(env!("CARGO_PKG_VERSION"), "\n")));
    }
}
