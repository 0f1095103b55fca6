//! The report files `explain --summary` reads: the files named, in order, and for a folder its
//! `.json` files in name order, then those of its folders (at most [`MAX_DEPTH`] deep; links to
//! folders are not followed, so no loop). One at a time: only the names of the folder being read
//! are held, never the reports.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// How deep folders inside folders are read.
pub const MAX_DEPTH: usize = 16;

/// The files to read, one after the other; a folder that cannot be listed is one error.
pub struct Files {
    named: VecDeque<PathBuf>,
    /// Files of the folder being read (and its folders, read after them), with their depth.
    pending: VecDeque<(PathBuf, usize)>,
}

impl Files {
    /// The files and folders named on the command line.
    #[must_use]
    pub fn new(named: &[PathBuf]) -> Files {
        Files {
            named: named.iter().cloned().collect(),
            pending: VecDeque::new(),
        }
    }

    /// Lists `dir`: its `.json` files first, in name order, then its folders.
    fn list(&mut self, dir: &Path, depth: usize) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            format!(
                "{}: cannot read the folder: {}",
                dir.display(),
                crate::input::io_message(&e)
            )
        })?;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            // A link counts as what it points to, except a link to a folder (never followed).
            let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
            if kind.is_dir() {
                dirs.push(path);
            } else if is_file
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            {
                files.push(path);
            }
        }
        files.sort();
        dirs.sort();
        // Read before what was pending: a folder's reports together, in order.
        let next = files
            .into_iter()
            .map(|f| (f, depth))
            .chain(dirs.into_iter().map(|d| (d, depth + 1)));
        for (i, item) in next.enumerate() {
            self.pending.insert(i, item);
        }
        Ok(())
    }
}

impl Iterator for Files {
    type Item = Result<PathBuf, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (path, depth, named) = match self.pending.pop_front() {
                Some((p, d)) => (p, d, false),
                None => (self.named.pop_front()?, 0, true),
            };
            // A named file (or `-`) goes to the reader as it is, errors included.
            if path.as_os_str() == "-" || !path.is_dir() {
                if named || path.is_file() {
                    return Some(Ok(path));
                }
                continue;
            }
            if depth > MAX_DEPTH {
                continue;
            }
            if let Err(e) = self.list(&path, depth) {
                return Some(Err(e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_their_json_files_in_name_order_then_their_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/inner")).unwrap();
        for f in [
            "z.json",
            "a.JSON",
            "notes.txt",
            "b/inner/c.json",
            "b/d.json",
        ] {
            std::fs::write(root.join(f), "{}").unwrap();
        }
        let named = [root.join("x.json"), root.to_path_buf()];
        let got: Vec<String> = Files::new(&named)
            .map(|r| {
                let p = r.unwrap();
                p.strip_prefix(root).unwrap().display().to_string()
            })
            .collect();
        // x.json does not exist: named, so the reader says so.
        assert_eq!(
            got,
            ["x.json", "a.JSON", "z.json", "b/d.json", "b/inner/c.json"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_folder_is_not_followed_and_an_unreadable_folder_is_one_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        let got: Vec<_> = Files::new(&[root.to_path_buf()]).collect();
        assert_eq!(got.len(), 1, "{got:?}");
        let missing = Files::new(&[root.join("a.json"), root.join("none/")]).count();
        assert_eq!(missing, 2);
    }
}
