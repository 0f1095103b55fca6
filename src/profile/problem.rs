//! What is wrong with a profile, and where: a validation step's [`Problem`] (a byte range and a
//! message) and the [`ProfileError`] the user sees, `FILE:LINE:COL: what is wrong`.

use std::fmt;
use std::ops::Range;

/// A profile could not be read or is invalid. Displays as `FILE:LINE:COL: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub position: Option<(usize, usize)>,
    /// What is wrong, and where useful what to do.
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// A problem found while validating: what is wrong, at which bytes of the profile text.
pub(super) struct Problem {
    /// Byte range in the text; `0..0` when the problem has no place (a missing key).
    pub span: Range<usize>,
    pub message: String,
}

/// A validation step's result.
pub(super) type Checked<T> = Result<T, Problem>;

pub(super) fn problem(span: Range<usize>, message: impl Into<String>) -> Problem {
    Problem {
        span,
        message: message.into(),
    }
}

impl Problem {
    /// The error the user sees: file, line and column (unless the span is `0..0`), message.
    pub(super) fn locate(self, text: &str, file: &str) -> ProfileError {
        let Problem { span, message } = self;
        ProfileError {
            file: file.to_owned(),
            position: (span.start != span.end || span.start != 0)
                .then(|| line_col(text, span.start)),
            message,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The first line of a parser's message, trimmed.
pub(super) fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}
