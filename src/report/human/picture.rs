//! The way to MARS as one line, above "What was checked":
//! `This computer ─ Wi-Fi ─ internet ─ HMS VPN ✗ MARS`, the mark before the hop where it breaks
//! (none when access works). Drawn in box-drawing characters where the terminal shows UTF-8, in
//! ASCII (`-`, `x`) elsewhere ([`charset_for`] decides, from facts the caller gathers); never
//! wider than the line: shorter names first, then the hops away from the break left out (`…`),
//! never wrapped.

use super::layout::fit;
use crate::report::path::{Hop, Way};

/// The characters the picture is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `─`, `✗`, `…`: the terminal shows UTF-8.
    Unicode,
    /// `-`, `x`, `...`: anything else.
    Ascii,
}

/// The Windows console code page that is UTF-8.
const CP_UTF8: u32 = 65001;

/// Whether output is shown as UTF-8, from what the caller read. Pure.
///
/// - Unix: the locale's character set, as the C library takes it: the first of `LC_ALL`,
///   `LC_CTYPE`, `LANG` that is set and not empty; UTF-8 when it names UTF-8 (`en_US.UTF-8`,
///   `C.utf8`). None set means the C locale, ASCII, except on macOS, whose Terminal and iTerm2
///   show UTF-8 whatever the locale variables say (they are often unset over SSH or from
///   launchd), so there only a locale that names another character set means ASCII.
/// - Windows: the console's output code page (`chcp`): UTF-8 is 65001; anything else, or no
///   console, is ASCII. Rust writes to a console as UTF-16, so Windows Terminal (`WT_SESSION`),
///   whose fonts fall back for any character, shows UTF-8 whatever the code page when the
///   output is that console (`to_console`); redirected output is read in the code page.
#[must_use]
pub fn charset_for(
    os: &str,
    var: &dyn Fn(&str) -> Option<String>,
    code_page: Option<u32>,
    to_console: bool,
) -> Charset {
    let utf8 = |yes: bool| {
        if yes {
            Charset::Unicode
        } else {
            Charset::Ascii
        }
    };
    if os == "windows" {
        let terminal = to_console && var("WT_SESSION").is_some();
        return utf8(terminal || code_page == Some(CP_UTF8));
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|name| var(name))
        .find(|value| !value.is_empty());
    match locale {
        Some(l) => {
            let l = l.to_ascii_lowercase();
            let names_utf8 = l.contains("utf-8") || l.contains("utf8");
            let names_other = l.contains('.') && !names_utf8;
            utf8(names_utf8 || (os == "macos" && !names_other))
        }
        None => utf8(os == "macos"),
    }
}

/// The code page in `chcp`'s answer: the last number in it, since the words are the
/// language's ("Active code page: 437", "Aktive Codepage: 850.", "現在のコード ページ: 932").
/// Pure.
#[must_use]
pub fn parse_chcp(text: &str) -> Option<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .rfind(|s| !s.is_empty())?
        .parse()
        .ok()
}

/// The charset of this process's standard output ([`charset_for`] of the environment; on
/// Windows, of `chcp.com`'s answer, at most one second).
#[must_use]
pub fn charset() -> Charset {
    let os = std::env::consts::OS;
    let code_page = (os == "windows")
        .then(
            || match crate::os_tool::run_tool("chcp.com", &[], crate::os_tool::TOOL_TIMEOUT) {
                crate::os_tool::ToolOutput::Ok(text) => parse_chcp(&text),
                _ => None,
            },
        )
        .flatten();
    let to_console = console::Term::stdout().is_term();
    charset_for(os, &|name| std::env::var(name).ok(), code_page, to_console)
}

/// The joints a picture is drawn with.
struct Glyphs {
    joint: &'static str,
    broken: &'static str,
    start: &'static str,
    gap: &'static str,
}

fn glyphs(charset: Charset) -> Glyphs {
    match charset {
        Charset::Unicode => Glyphs {
            joint: " ─ ",
            broken: " ✗ ",
            start: "✗ ",
            gap: "…",
        },
        Charset::Ascii => Glyphs {
            joint: " - ",
            broken: " x ",
            start: "x ",
            gap: "...",
        },
    }
}

/// One way of showing the hops: (name, the mark before it).
type Layout = Vec<(String, bool)>;

/// `way` as one line of at most `width` columns: every hop's name; else the short names; else
/// the short names of the first hop, the target and the two hops around the break, the others
/// as `…`; else only the first, the broken one and the target; else that, cut (`~`).
#[must_use]
pub fn draw(way: &Way, width: usize, charset: Charset) -> String {
    draw_marked(way, width, charset).0
}

/// [`draw`], and where in it the mark is (a byte range), for colouring it.
#[must_use]
pub fn draw_marked(
    way: &Way,
    width: usize,
    charset: Charset,
) -> (String, Option<std::ops::Range<usize>>) {
    let g = glyphs(charset);
    let marked = |i: usize| way.broken_at == Some(i);
    let names = |name: fn(&Hop) -> &String| -> Layout {
        way.hops
            .iter()
            .enumerate()
            .map(|(i, h)| (name(h).clone(), marked(i)))
            .collect()
    };
    let full = names(|h| &h.name);
    let short = names(|h| &h.short);
    let last = way.hops.len().saturating_sub(1);
    let elide = |keep: &dyn Fn(usize) -> bool| {
        let mut out: Layout = Vec::new();
        for (i, (name, mark)) in short.iter().enumerate() {
            if keep(i) {
                out.push((name.clone(), *mark));
            } else if out.last().is_none_or(|(n, _)| n != g.gap) {
                out.push((g.gap.to_owned(), false));
            }
        }
        out
    };
    let around = elide(&|i| i == 0 || i == last || marked(i) || marked(i + 1));
    let bare = elide(&|i| i == 0 || i == last || marked(i));
    let line = |layout: &Layout| {
        let mut out = String::new();
        let mut at = None;
        for (i, (name, mark)) in layout.iter().enumerate() {
            let joint = match (i, mark) {
                (0, true) => g.start,
                (0, false) => "",
                (_, true) => g.broken,
                (_, false) => g.joint,
            };
            if *mark {
                let glyph = joint.trim();
                let start = out.len() + joint.find(glyph).unwrap_or(0);
                at = Some(start..start + glyph.len());
            }
            out.push_str(joint);
            out.push_str(name);
        }
        (out, at)
    };
    let fits = |(text, _): &(String, _)| text.chars().count() <= width;
    [full, short, around, bare.clone()]
        .iter()
        .map(line)
        .find(fits)
        .unwrap_or_else(|| {
            let (text, at) = line(&bare);
            let cut = fit(&text, width);
            let at = at.filter(|r| r.end < cut.len());
            (cut, at)
        })
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
