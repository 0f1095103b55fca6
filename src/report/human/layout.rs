//! How text is laid out for a person: the terminal's width, wrapping to it without breaking a
//! word, a path broken where it may be, a line cut to fit; and the styles every part draws in.

use anstyle::{AnsiColor, Style};

pub(super) const BOLD: Style = Style::new().bold();

pub(super) const DIM: Style = Style::new().dimmed();

pub(super) const GOOD: Style = AnsiColor::Green.on_default().bold();

pub(super) const WARN: Style = AnsiColor::Yellow.on_default().bold();

pub(super) const BAD: Style = AnsiColor::Red.on_default().bold();

/// The narrowest width laid out; narrower terminals wrap what they must.
const MIN_WIDTH: usize = 40;

/// The widest: longer lines are hard to read.
const MAX_WIDTH: usize = 120;

/// When neither `COLUMNS` nor the terminal says: the classic terminal.
pub(super) const DEFAULT_WIDTH: usize = 80;

/// The width to lay text out in: `COLUMNS`, else stdout's terminal width, else 80; kept within
/// 40..=120.
#[must_use]
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_, w)| usize::from(w))
        })
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(MIN_WIDTH, MAX_WIDTH)
}

/// Wraps `text` to `width` columns; never splits words, so URLs and host names stay whole
/// (a word longer than the line stands alone on its line).
#[must_use]
pub fn wrap_to(text: &str, width: usize, indent: &str, first: &str) -> String {
    let opts = textwrap::Options::new(width.max(MIN_WIDTH / 2))
        .initial_indent(first)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// `first` then `path`, broken after a `/` or `\\` (or anywhere, for a longer name) into lines
/// of at most `width` columns, the lines after the first indented like the path's start: a file
/// name a person must find, shown whole however long.
#[must_use]
pub fn wrap_path(first: &str, path: &str, width: usize) -> String {
    let indent = first.chars().count();
    let room = width.saturating_sub(indent).max(MIN_WIDTH / 2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut piece = String::new();
    let flush_piece = |line: &mut String, piece: &mut String, lines: &mut Vec<String>| {
        if line.chars().count() + piece.chars().count() > room && !line.is_empty() {
            lines.push(std::mem::take(line));
        }
        for c in piece.drain(..) {
            if line.chars().count() == room {
                lines.push(std::mem::take(line));
            }
            line.push(c);
        }
    };
    for c in path.chars() {
        piece.push(c);
        if c == '/' || c == '\\' {
            flush_piece(&mut line, &mut piece, &mut lines);
        }
    }
    flush_piece(&mut line, &mut piece, &mut lines);
    lines.push(line);
    let pad = " ".repeat(indent);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { &pad }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` cut to `width` characters, ending in `~` when it was longer (ASCII, so every terminal
/// shows it in one column).
#[must_use]
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('~');
    out
}

/// Wraps `text` to the terminal's width ([`terminal_width`]).
#[must_use]
pub fn wrap(text: &str, indent: &str, first: &str) -> String {
    wrap_to(text, terminal_width(), indent, first)
}
