//! How a report is rendered ([`Options`]): the width, `-v`, the recap and footer, the source
//! line of `explain`, the values as the report wrote them, the picture's characters.

use std::borrow::Cow;

use super::picture::Charset;
use crate::report::lenient::AsWritten;
use crate::report::model::{Probe, Report};

/// How a report is rendered.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Columns available; no line is wider.
    pub width: usize,
    /// `-v`: the technical account (probe table, every probe, resolver, interfaces).
    pub verbose: bool,
    /// Repeat the verdict and the first step at the end (a fresh diagnosis).
    pub recap: bool,
    /// End with how to send a report to the Service Desk (a failed diagnosis that saved none).
    pub footer: bool,
    /// `explain`: the file shown, and where the report comes from (OS, tool version).
    pub source: Option<&'a str>,
    /// Values the report holds that this build does not know, as written (`explain`).
    pub as_written: Option<&'a AsWritten>,
    /// The characters the picture of the way to MARS is drawn in ([`super::picture::charset`]
    /// decides for this process's output).
    pub charset: Charset,
}

impl Options<'_> {
    /// Plain options for `width`: no recap, no footer, not verbose, the picture in UTF-8.
    #[must_use]
    pub fn new(width: usize) -> Options<'static> {
        Options {
            width,
            verbose: false,
            recap: false,
            footer: false,
            source: None,
            as_written: None,
            charset: Charset::Unicode,
        }
    }

    /// The verdict code as the report wrote it.
    pub(super) fn code<'r>(&'r self, report: &'r Report) -> &'r str {
        self.as_written
            .and_then(|w| w.verdict_code.as_deref())
            .unwrap_or(report.verdict.code.as_str())
    }

    /// A probe's outcome as the report wrote it.
    pub(super) fn outcome<'r>(&'r self, p: &'r Probe) -> Cow<'r, str> {
        match self.as_written.and_then(|w| w.outcomes.get(&p.id)) {
            Some(text) => Cow::Borrowed(text.as_str()),
            None => Cow::Borrowed(p.outcome.as_str()),
        }
    }
}
