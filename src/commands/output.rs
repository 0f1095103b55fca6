//! What every command's output shares: the colour choice of `--color`, a closed pipe taken as a
//! normal end, whether the terminal shows Unicode, and clock times in the local time zone.

use std::io;
use std::sync::OnceLock;

use crate::cli::ColorWhen;
use crate::exit::Failure;

/// The colour decision for a stream, from `--color` (anstream applies NO_COLOR/CLICOLOR_FORCE).
pub(super) fn choice(color: ColorWhen) -> anstream::ColorChoice {
    match color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    }
}

/// A closed pipe (`| head -1`) is a normal end; other write errors are failures.
pub(super) fn finish_output(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::internal(format!(
            "cannot write the output: {}",
            crate::input::io_message(&e)
        ))),
    }
}

/// True when the terminal likely shows Unicode symbols (UTF-8 locale; Windows Terminal).
#[must_use]
pub fn unicode_ok() -> bool {
    if std::env::var_os("WT_SESSION").is_some() {
        return true;
    }
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| v.to_ascii_uppercase().replace('-', "").contains("UTF8"))
}

/// The local time zone's offset from UTC, read once at start ([`capture_local_offset`]).
static LOCAL_OFFSET: OnceLock<Option<time::UtcOffset>> = OnceLock::new();

/// Reads the local time zone's offset. Call first thing in `main`: on Unix the offset can be
/// read soundly only while the process has one thread, and later calls then reuse it.
pub fn capture_local_offset() {
    LOCAL_OFFSET.get_or_init(|| time::UtcOffset::current_local_offset().ok());
}

/// The clock time (`13:06:04`) of an RFC 3339 timestamp in the local time zone, or in UTC
/// (`18:06:04 UTC`) when the local offset is unknown.
#[must_use]
pub fn local_clock(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.get(11..19).unwrap_or(rfc3339).to_owned();
    };
    let hms =
        |t: time::OffsetDateTime| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    match LOCAL_OFFSET.get().copied().flatten() {
        Some(offset) => hms(t.to_offset(offset)),
        None => format!("{} UTC", hms(t.to_offset(time::UtcOffset::UTC))),
    }
}
