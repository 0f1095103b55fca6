//! Reading user-supplied files (profiles, saved reports) safely: bounded in size, `-` for stdin.

use std::io::Read;
use std::path::Path;

/// Reads at most `limit` bytes from `path` (`-` is standard input); more is an error, not a truncation.
///
/// # Errors
/// A one-line message saying what went wrong and what to do (the caller prefixes the file name).
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut buf)
    } else {
        match std::fs::File::open(path) {
            Ok(f) => {
                if f.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err("is a folder, not a file".into());
                }
                f.take(limit + 1).read_to_end(&mut buf)
            }
            Err(e) => return Err(io_message(&e)),
        }
    };
    read.map_err(|e| io_message(&e))?;
    if buf.len() as u64 > limit {
        return Err(format!(
            "larger than {} bytes; this is not the expected kind of file",
            limit
        ));
    }
    Ok(buf)
}

/// An I/O error in plain words, without the OS's "(os error N)" suffix.
#[must_use]
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file; check the path".into(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".into()
        }
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}
