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
                let meta = f.metadata().ok();
                if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
                    return Err("is a folder, not a file".into());
                }
                // The size known up front: one allocation, and reads of whole blocks.
                let size = meta.map_or(0, |m| m.len().min(limit + 1));
                buf.reserve_exact(usize::try_from(size).unwrap_or(0).saturating_add(1));
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

/// An I/O error in plain words, for messages about a file the user named.
#[must_use]
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file; check the path".into(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".into()
        }
        _ => os_error_words(e),
    }
}

/// An I/O error in words of our own, never the operating system's message text.
///
/// The OS's text is localised on Windows, and under Wine it can be
/// "OS Error 10051 (FormatMessageW() returned error 317)". So an error that carries an OS code
/// is said from its kind ("network unreachable"), or as "OS error N" when the kind says nothing.
/// An error made by a library with its own words (no OS code) keeps them.
#[must_use]
pub fn os_error_words(e: &std::io::Error) -> String {
    let Some(code) = e.raw_os_error() else {
        return e.to_string();
    };
    match kind_words(e.kind()) {
        Some(words) => words.to_owned(),
        None => format!("OS error {code}"),
    }
}

/// Our words for the error kinds a file read or a network probe meets.
fn kind_words(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    Some(match kind {
        K::NotFound => "not found",
        K::PermissionDenied => "permission denied",
        K::ConnectionRefused => "connection refused",
        K::ConnectionReset => "connection reset by the other side",
        K::ConnectionAborted => "connection aborted",
        K::NotConnected => "not connected",
        K::AddrInUse => "address already in use",
        K::AddrNotAvailable => "local address not available",
        K::NetworkUnreachable => "no route to that network",
        K::HostUnreachable => "no route to that host",
        K::NetworkDown => "network down",
        K::BrokenPipe => "connection closed while sending",
        K::TimedOut => "timed out",
        K::Interrupted => "interrupted",
        K::UnexpectedEof => "ended early",
        K::IsADirectory => "is a folder, not a file",
        K::OutOfMemory => "out of memory",
        _ => return None,
    })
}

/// Text bytes as UTF-8, whatever Windows tools saved them as: UTF-8 with or without a byte
/// order mark, or UTF-16 little- or big-endian with one (Windows PowerShell 5.1's `>` writes
/// UTF-16LE with a BOM). Bytes without a BOM are returned as they are (UTF-8 is checked by
/// whoever parses them).
///
/// # Errors
/// A one-line message when a UTF-16 file holds an unpaired surrogate or an odd byte count.
pub fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    use std::borrow::Cow;
    let utf16 = |body: &[u8], word: fn([u8; 2]) -> u16, order: &str| {
        if !body.len().is_multiple_of(2) {
            return Err(format!(
                "a UTF-16 {order} file with an odd number of bytes; it was cut short"
            ));
        }
        let units = body.chunks_exact(2).map(|c| word([c[0], c[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(|s| Cow::Owned(s.into_bytes()))
            .map_err(|_| format!("not valid UTF-16 {order} text (an unpaired surrogate)"))
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => Ok(Cow::Borrowed(rest)),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes, "little-endian"),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes, "big-endian"),
        _ => Ok(Cow::Borrowed(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn os_errors_are_said_in_our_words_from_their_kind() {
        // 111 is ECONNREFUSED on Linux; the kind decides, whatever the OS's own text says.
        if std::env::consts::OS == "linux" {
            let refused = Error::from_raw_os_error(111);
            assert_eq!(os_error_words(&refused), "connection refused");
        }
        // An OS code whose kind has no words: the code, never the OS's text.
        let odd = Error::from_raw_os_error(99_999);
        assert_eq!(os_error_words(&odd), "OS error 99999");
    }

    #[test]
    fn library_errors_keep_their_own_words() {
        let e = Error::new(ErrorKind::InvalidData, "peer sent a bad record");
        assert_eq!(os_error_words(&e), "peer sent a bad record");
        assert_eq!(io_message(&e), "peer sent a bad record");
    }

    #[test]
    fn file_errors_say_what_to_do() {
        let missing = Error::from(ErrorKind::NotFound);
        assert_eq!(io_message(&missing), "no such file; check the path");
        let denied = Error::from(ErrorKind::PermissionDenied);
        assert_eq!(
            io_message(&denied),
            "permission denied; check the file's permissions"
        );
    }
}

#[cfg(test)]
mod decode_tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn boms_and_utf16_decode_to_the_same_text() {
        let text = "{\"schema_version\": 1, \"tool\": \"hmsaccess – ü 🙂\"}";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        for bytes in [
            text.as_bytes().to_vec(),
            bom,
            utf16(text, false),
            utf16(text, true),
        ] {
            assert_eq!(decode_text(&bytes).unwrap().as_ref(), text.as_bytes());
        }
    }

    #[test]
    fn broken_utf16_is_one_clear_line() {
        let mut odd = utf16("{}", false);
        odd.push(0x00);
        assert!(
            decode_text(&odd)
                .unwrap_err()
                .contains("odd number of bytes")
        );
        let lone = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];
        assert!(
            decode_text(&lone)
                .unwrap_err()
                .contains("unpaired surrogate")
        );
    }
}
