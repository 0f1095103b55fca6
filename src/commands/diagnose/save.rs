//! Writing the JSON report: `--output FILE` and `--save`, and how to send a saved report.

use std::path::{Path, PathBuf};

use crate::exit::{Exit, Failure};
use crate::report::model::Report;

/// Where reports go by email.
const SERVICE_DESK: &str = "ITServiceDesk@hms.harvard.edu";

/// Writes the JSON report to `path`.
///
/// # Errors
/// A path that cannot be written is a bad argument (exit 2), with one line naming it.
pub fn write_report_file(report: &Report, path: &Path) -> Result<(), Failure> {
    let json = serde_json::to_vec_pretty(report)
        .map_err(|e| Failure::internal(format!("cannot encode the report: {e}")))?;
    std::fs::write(path, [json.as_slice(), b"\n"].concat()).map_err(|e| Failure {
        exit: Exit::Usage,
        message: format!(
            "{}: cannot write the report: {}; choose another path",
            path.display(),
            crate::input::io_message(&e)
        ),
    })
}

/// `--save`: `hmsaccess-report-<UTC time>.json` in the current folder.
///
/// # Errors
/// As [`write_report_file`].
pub fn save(report: &Report) -> Result<PathBuf, Failure> {
    let stamp: String = report
        .started_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let path = PathBuf::from(format!("hmsaccess-report-{stamp}.json"));
    write_report_file(report, &path)?;
    Ok(path)
}

/// Exactly how to send a saved report to the service desk.
#[must_use]
pub fn send_hint(report: &Report, path: &Path) -> String {
    let id = report.report_id.as_deref().unwrap_or("-");
    format!(
        "Saved the report as {} (report ID {id}).\n\
         To get help, email it to {SERVICE_DESK} (or call 617-432-2000 and quote the ID):\n  \
         subject: MARS access: {id} ({})\n  \
         attach:  {}\n  \
         and say where you are (home, hospital, travelling) and which VPN you use.",
        path.display(),
        report.verdict.code,
        path.display()
    )
}
