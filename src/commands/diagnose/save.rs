//! Writing the JSON report: `--output FILE` and `--save`, and what to tell the person.
//!
//! `--save` never overwrites: it creates `hmsaccess-report-<UTC time>.json` (then `-2`, `-3`, …
//! when that name exists) in the first folder of [`save_folders`] where creating a file works,
//! and says where, as an absolute path. `--output FILE` writes (and replaces) the file the
//! person named. A file that cannot be written never costs the verdict: the caller shows the
//! diagnosis first and keeps the verdict's exit status; the failure is one line on stderr.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::profile::ServiceDesk;
use crate::report::human;
use crate::report::model::Report;

/// How many numbered names `--save` tries before giving up on a folder.
const MAX_SUFFIX: u32 = 99;

/// The report as written to disk: pretty JSON and a final newline.
fn encode(report: &Report) -> io::Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(report).map_err(io::Error::other)?;
    json.push(b'\n');
    Ok(json)
}

/// `path` made absolute against the current folder (not resolving links).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `--output FILE`: writes the report to `path`, replacing it. Returns the absolute path.
///
/// # Errors
/// One line naming the file and what went wrong.
pub fn write_output(report: &Report, path: &Path) -> Result<PathBuf, String> {
    let shown = absolute(path);
    encode(report)
        .and_then(|json| std::fs::write(path, json))
        .map_err(|e| {
            format!(
                "{}: cannot write the report: {}; choose another path with --output",
                shown.display(),
                crate::input::io_message(&e)
            )
        })?;
    Ok(shown)
}

/// The folders `--save` tries, in order: the current folder, unless it is the home folder
/// (a file there is lost among many); then the Downloads and Desktop folders people find in
/// their file manager; then the home folder itself and the temporary folder.
#[must_use]
pub fn save_folders(cwd: Option<&Path>, home: Option<&Path>, temp: &Path) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    if let Some(cwd) = cwd
        && home != Some(cwd)
    {
        folders.push(cwd.to_path_buf());
    }
    if let Some(home) = home {
        for sub in ["Downloads", "Desktop"] {
            let folder = home.join(sub);
            if folder.is_dir() {
                folders.push(folder);
            }
        }
        folders.push(home.to_path_buf());
    }
    folders.push(temp.to_path_buf());
    folders
}

/// The person's home folder, as the OS names it for programs.
fn home_folder() -> Option<PathBuf> {
    let var = if std::env::consts::OS == "windows" {
        "USERPROFILE"
    } else {
        "HOME"
    };
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The file name of a saved report: `hmsaccess-report-<UTC time>[-N].json`.
fn file_name(report: &Report, n: u32) -> String {
    let stamp: String = report
        .started_at
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if n <= 1 {
        format!("hmsaccess-report-{stamp}.json")
    } else {
        format!("hmsaccess-report-{stamp}-{n}.json")
    }
}

/// Creates a new file for `report` in `folder` (never replacing one): the first free name.
fn save_in(report: &Report, json: &[u8], folder: &Path) -> io::Result<PathBuf> {
    for n in 1..=MAX_SUFFIX {
        let path = folder.join(file_name(report, n));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                return match file.write_all(json).and_then(|()| file.sync_all()) {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path); // no half-written report left behind
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{MAX_SUFFIX} reports of this second are there already"),
    ))
}

/// `--save`: writes the report under a new name in the first folder that takes it
/// ([`save_folders`]). Returns the absolute path.
///
/// # Errors
/// One line naming the first folder tried and why it could not be written, when none could.
pub fn save(report: &Report) -> Result<PathBuf, String> {
    let json = encode(report).map_err(|e| format!("cannot encode the report: {e}"))?;
    let cwd = std::env::current_dir().ok();
    let folders = save_folders(
        cwd.as_deref(),
        home_folder().as_deref(),
        &std::env::temp_dir(),
    );
    let mut first_error = None;
    for folder in &folders {
        match save_in(report, &json, folder) {
            Ok(path) => return Ok(absolute(&path)),
            Err(e) => {
                first_error.get_or_insert((folder.clone(), e));
            }
        }
    }
    let (folder, e) = first_error.unwrap_or_else(|| {
        (
            PathBuf::from("."),
            io::Error::other("no folder to save the report in"),
        )
    });
    Err(format!(
        "cannot save the report in {} (nor in Downloads, Desktop, the home or the temporary folder): {}; use --output FILE with a folder you can write to",
        absolute(&folder).display(),
        crate::input::io_message(&e)
    ))
}

/// What to tell the person after `--save`, within `width` columns: where the file is (a path
/// is never broken), and exactly how to send it to `desk` (the profile's `[service_desk]`).
#[must_use]
pub fn send_hint(report: &Report, path: &Path, desk: &ServiceDesk, width: usize) -> String {
    let id = report.report_id.as_deref().unwrap_or("-");
    let wrap = |text: &str, indent: &str| human::wrap_to(text, width, indent, indent);
    [
        "Saved the report as:".to_owned(),
        human::wrap_path("  ", &path.display().to_string(), width),
        wrap(
            &format!(
                "To get help, email that file to {} (or call {} with the file at hand) with",
                desk.email, desk.phone
            ),
            "",
        ),
        wrap(
            &format!("subject: MARS access: {id} ({})", report.verdict.code),
            "  ",
        ),
        wrap(
            "and a line saying where you are (home, hospital, travelling) and which VPN \
             you use.",
            "",
        ),
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> ServiceDesk {
        crate::profile::Profile::embedded().service_desk.unwrap()
    }

    fn report() -> Report {
        let mut r: Report =
            serde_json::from_str(include_str!("../../../docs/examples/needs-hms-vpn.json"))
                .unwrap();
        r.started_at = "2026-11-22T16:52:50Z".into();
        r
    }

    #[test]
    fn the_home_folder_is_not_where_reports_get_lost() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let work = tmp.path().join("work");
        std::fs::create_dir_all(home.join("Downloads")).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        let temp = Path::new("/tmp");
        let from_work = save_folders(Some(&work), Some(&home), temp);
        assert_eq!(from_work[0], work);
        let from_home = save_folders(Some(&home), Some(&home), temp);
        assert_eq!(
            from_home,
            [home.join("Downloads"), home.clone(), temp.to_path_buf()],
            "no Desktop folder exists, so it is not offered"
        );
    }

    #[test]
    fn saving_twice_in_one_second_gives_two_files() {
        let tmp = tempfile::tempdir().unwrap();
        let r = report();
        let json = encode(&r).unwrap();
        let a = save_in(&r, &json, tmp.path()).unwrap();
        let b = save_in(&r, &json, tmp.path()).unwrap();
        assert_ne!(a, b);
        assert!(
            a.ends_with("hmsaccess-report-20261122T165250Z.json"),
            "{a:?}"
        );
        assert!(
            b.ends_with("hmsaccess-report-20261122T165250Z-2.json"),
            "{b:?}"
        );
        assert_eq!(std::fs::read(&a).unwrap(), json);
        assert_eq!(std::fs::read(&b).unwrap(), json);
    }

    #[test]
    fn the_hint_names_the_file_the_id_and_the_address_within_80_columns() {
        let r = report();
        let hint = send_hint(&r, Path::new("/home/jdoe/Downloads/x.json"), &desk(), 80);
        assert!(hint.contains("\n  /home/jdoe/Downloads/x.json\n"), "{hint}");
        assert!(hint.contains("ITServiceDesk@hms.harvard.edu"), "{hint}");
        let id = r.report_id.clone().unwrap();
        assert!(
            hint.contains(&format!("subject: MARS access: {id} (needs-hms-vpn)")),
            "{hint}"
        );
        assert!(
            !hint.contains("quote"),
            "the desk cannot look an ID up: {hint}"
        );
        for line in hint.lines() {
            assert!(line.chars().count() <= 80, "{line:?}");
        }
    }

    /// The user guide shows the hint exactly as it is printed.
    #[test]
    fn the_user_guide_shows_the_real_hint() {
        let mut r = report();
        r.report_id = Some("HMS-26CB-4F76".into());
        let hint = send_hint(
            &r,
            Path::new("/Users/jdoe/Downloads/hmsaccess-report-20261122T165250Z.json"),
            &desk(),
            80,
        );
        let guide = include_str!("../../../docs/user-guide.md");
        assert!(
            guide.contains(&format!("```\n{hint}\n```")),
            "docs/user-guide.md does not show the hint as printed:\n{hint}"
        );
    }
}
