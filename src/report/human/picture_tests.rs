use super::*;
use crate::report::path::{Hop, HopKind, Way};

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn unix_follows_the_locale_as_the_c_library_does() {
    let linux = |pairs: &[(&str, &str)]| charset_for("linux", &env(pairs), None, true);
    assert_eq!(linux(&[("LANG", "en_US.UTF-8")]), Charset::Unicode);
    assert_eq!(linux(&[("LANG", "C.utf8")]), Charset::Unicode);
    assert_eq!(linux(&[("LC_CTYPE", "de_DE.UTF-8")]), Charset::Unicode);
    // LC_ALL outranks LC_CTYPE, which outranks LANG.
    assert_eq!(
        linux(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]),
        Charset::Ascii
    );
    assert_eq!(
        linux(&[("LC_CTYPE", "en_US.ISO-8859-1"), ("LANG", "en_US.UTF-8")]),
        Charset::Ascii
    );
    // An empty variable counts as unset.
    assert_eq!(
        linux(&[("LC_ALL", ""), ("LANG", "en_US.UTF-8")]),
        Charset::Unicode
    );
    // No locale at all is the C locale: ASCII.
    assert_eq!(linux(&[]), Charset::Ascii);
    assert_eq!(linux(&[("LANG", "POSIX")]), Charset::Ascii);
}

#[test]
fn macos_terminals_show_utf8_unless_the_locale_names_another_charset() {
    let mac = |pairs: &[(&str, &str)]| charset_for("macos", &env(pairs), None, true);
    assert_eq!(mac(&[]), Charset::Unicode);
    assert_eq!(mac(&[("LANG", "C")]), Charset::Unicode);
    assert_eq!(mac(&[("LANG", "en_US.UTF-8")]), Charset::Unicode);
    assert_eq!(mac(&[("LC_ALL", "en_US.ISO8859-1")]), Charset::Ascii);
}

#[test]
fn windows_follows_the_console_code_page() {
    let win = |cp: Option<u32>, pairs: &[(&str, &str)], console: bool| {
        charset_for("windows", &env(pairs), cp, console)
    };
    assert_eq!(win(Some(65001), &[], true), Charset::Unicode);
    assert_eq!(win(Some(65001), &[], false), Charset::Unicode);
    assert_eq!(win(Some(437), &[], true), Charset::Ascii);
    assert_eq!(win(Some(850), &[], true), Charset::Ascii);
    assert_eq!(win(None, &[], true), Charset::Ascii, "no console, no chcp");
    // The locale variables of Unix mean nothing to a Windows console.
    assert_eq!(
        win(Some(437), &[("LANG", "en_US.UTF-8")], true),
        Charset::Ascii
    );
    // Windows Terminal shows any character written to it; a redirection reads the code page.
    assert_eq!(
        win(Some(437), &[("WT_SESSION", "1")], true),
        Charset::Unicode
    );
    assert_eq!(
        win(Some(437), &[("WT_SESSION", "1")], false),
        Charset::Ascii
    );
}

/// `chcp`'s answer in the language of the Windows that runs it.
#[test]
fn the_code_page_is_read_from_chcp_in_any_language() {
    // Real: Microsoft's own documentation of chcp (MicrosoftDocs/windowsserverdocs,
    // WindowsServerDocs/administration/windows-commands/chcp.md, commit 4190388a4381ac5e).
    assert_eq!(parse_chcp("Active code page: 437"), Some(437));
    // Real: a German Windows XP and an English one, pasted in kou1okada/apt-cyg issue #15
    // (https://github.com/kou1okada/apt-cyg/issues/15): the German one ends in a full stop.
    assert_eq!(parse_chcp("Aktive Codepage: 1252.\r\n"), Some(1252));
    assert_eq!(parse_chcp("Active code page: 850\r\n"), Some(850));
    // Hand-written, in the shape of the Japanese Windows's message.
    assert_eq!(parse_chcp("現在のコード ページ: 932\r\n"), Some(932));
    assert_eq!(parse_chcp("Active code page: 65001"), Some(65001));
    assert_eq!(parse_chcp(""), None);
    assert_eq!(parse_chcp("Invalid code page"), None);
}

fn hop(kind: HopKind, name: &str, short: &str) -> Hop {
    Hop {
        kind,
        name: name.into(),
        short: short.into(),
    }
}

/// This computer, Wi-Fi, the internet, `tunnel`, MARS; broken at `at`.
fn way(tunnel: (&str, &str), at: Option<usize>) -> Way {
    Way {
        hops: vec![
            hop(HopKind::Computer, "This computer", "computer"),
            hop(HopKind::Link, "Wi-Fi", "Wi-Fi"),
            hop(HopKind::Network, "internet", "internet"),
            hop(HopKind::Tunnel, tunnel.0, tunnel.1),
            hop(HopKind::Target, "MARS", "MARS"),
        ],
        broken_at: at,
    }
}

#[test]
fn the_issues_example_in_utf8_and_in_ascii() {
    let w = way(("HMS VPN", "HMS VPN"), Some(4));
    assert_eq!(
        draw(&w, 78, Charset::Unicode),
        "This computer ─ Wi-Fi ─ internet ─ HMS VPN ✗ MARS"
    );
    assert_eq!(
        draw(&w, 78, Charset::Ascii),
        "This computer - Wi-Fi - internet - HMS VPN x MARS"
    );
    let (line, at) = draw_marked(&w, 78, Charset::Unicode);
    assert_eq!(&line[at.unwrap()], "✗");
    let working = way(("HMS VPN", "HMS VPN"), None);
    let (line, at) = draw_marked(&working, 78, Charset::Unicode);
    assert_eq!(line, "This computer ─ Wi-Fi ─ internet ─ HMS VPN ─ MARS");
    assert_eq!(at, None);
}

#[test]
fn a_break_at_this_computer_is_marked_before_it() {
    let w = way(("HMS VPN", "HMS VPN"), Some(0));
    let (line, at) = draw_marked(&w, 78, Charset::Unicode);
    assert!(line.starts_with("✗ This computer ─ Wi-Fi"), "{line}");
    assert_eq!(at, Some(0.."✗".len()));
    assert!(draw(&w, 78, Charset::Ascii).starts_with("x This computer - "));
}

#[test]
fn narrower_lines_take_short_names_then_leave_hops_out_never_wrapping() {
    let w = way(
        (
            "Longwood Medical Area Partners Hospital Network VPN",
            "other VPN",
        ),
        Some(4),
    );
    let full = draw(&w, 200, Charset::Unicode);
    assert!(
        full.contains("Partners Hospital Network VPN ✗ MARS"),
        "{full}"
    );
    assert_eq!(
        draw(&w, 60, Charset::Unicode),
        "computer ─ Wi-Fi ─ internet ─ other VPN ✗ MARS"
    );
    assert_eq!(
        draw(&w, 31, Charset::Unicode),
        "computer ─ … ─ other VPN ✗ MARS"
    );
    assert_eq!(
        draw(&w, 36, Charset::Ascii),
        "computer - ... - other VPN x MARS"
    );
    for charset in [Charset::Unicode, Charset::Ascii] {
        for width in 10..=120 {
            for at in [None, Some(0), Some(1), Some(2), Some(3), Some(4)] {
                let w = way(("Harvard University VPN", "other VPN"), at);
                let (line, mark) = draw_marked(&w, width, charset);
                assert!(
                    line.chars().count() <= width && !line.contains('\n'),
                    "{width} {charset:?}: {line:?}"
                );
                if let Some(r) = mark.clone() {
                    assert!(matches!(&line[r], "✗" | "x"), "{line:?}");
                }
                // In the narrowest terminal laid out (40 columns, 38 less the indent) the break
                // and the target are always shown.
                if width >= 38 && at.is_some() {
                    assert!(
                        mark.is_some() && line.ends_with("MARS"),
                        "{width}: {line:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_hops_around_a_break_in_the_middle_stay() {
    let w = way(("Harvard University VPN", "other VPN"), Some(2));
    assert_eq!(
        draw(&w, 40, Charset::Unicode),
        "computer ─ Wi-Fi ✗ internet ─ … ─ MARS"
    );
}
