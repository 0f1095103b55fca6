//! Unit tests of profile parsing and validation: the shipped profile, located errors, and
//! property tests that any text yields a profile or a one-line error, never a panic.

use super::problem::line_col;
use super::*;
use crate::report::model::Cause;

#[test]
fn shipped_profile_parses_and_validates() {
    let p = Profile::parse(HMS_PROFILE, HMS_PROFILE_NAME).unwrap();
    assert_eq!(p.name, "hms");
    let hosts: Vec<&str> = p.targets.iter().map(|t| t.host.as_str()).collect();
    // The contract: these names and no others by default.
    assert_eq!(
        hosts,
        [
            "mars.med.harvard.edu",
            "affiliate-apps.hms.harvard.edu",
            "vpn.hms.harvard.edu",
            "it.hms.harvard.edu"
        ]
    );
    assert_eq!(p.target(Role::Control).unwrap().http_port, Some(80));
    assert!(
        p.nameservers.is_empty(),
        "the embedded profile must use the OS resolver"
    );
    assert_eq!(p.verdicts.len(), VerdictCode::ALL.len());
    let vpn_required = url::Url::parse("https://it.hms.harvard.edu/vpn-now-required/").unwrap();
    assert!(p.answers.is_refusal(&vpn_required));
    assert!(
        !p.answers
            .is_refusal(&url::Url::parse("https://it.hms.harvard.edu/").unwrap())
    );
}

fn with(replace: &str, by: &str) -> Result<Profile, ProfileError> {
    assert!(
        HMS_PROFILE.contains(replace),
        "test setup: {replace:?} not in profile"
    );
    Profile::parse(&HMS_PROFILE.replacen(replace, by, 1), "p.toml")
}

#[test]
fn unknown_key_names_line_and_column() {
    let e = with("dns_ms = 2500", "dns_ms = 2500\ndns_retries = 3").unwrap_err();
    let line = HMS_PROFILE
        .lines()
        .position(|l| l.starts_with("dns_ms"))
        .unwrap()
        + 2;
    assert_eq!(e.position, Some((line, 1)), "{e}");
    assert!(
        e.to_string().starts_with(&format!("p.toml:{line}:1: ")),
        "{e}"
    );
    assert!(e.message.contains("dns_retries"), "{e}");
}

#[test]
fn wrong_type_is_located() {
    let e = with("https_port = 443", "https_port = \"443\"").unwrap_err();
    assert!(e.position.is_some());
    assert!(
        e.message.contains("invalid type") || e.message.contains("integer"),
        "{e}"
    );
}

#[test]
fn bad_values_are_rejected_with_position() {
    for (from, to, says) in [
        ("dns_ms = 2500", "dns_ms = 0", "out of range"),
        (
            "host = \"mars.med.harvard.edu\"",
            "host = \"mars med\"",
            "not a host name",
        ),
        ("https_port = 443", "https_port = 0", "port 0"),
        ("id = \"mars\"", "id = \"MARS\"", "lowercase"),
        ("version = 1", "version = 7", "not supported"),
        (
            "[verdicts.captive-portal]",
            "[verdicts.captive-portl]",
            "unknown verdict",
        ),
        (
            "refusal_pages = [\"https://it.hms.harvard.edu/vpn-now-required\"]",
            "refusal_pages = [\"it.hms.harvard.edu/vpn-now-required\"]",
            "not an http(s) URL",
        ),
        (
            "sign_in_hosts = [\"",
            "sign_in_hosts = [\"https://x.test/\", \"",
            "not a host name",
        ),
        (
            "# nameservers = [\"10.0.0.53\"]",
            "nameservers = [\"ten\"]",
            "not an IP",
        ),
    ] {
        let e = with(from, to).unwrap_err();
        assert!(e.message.contains(says), "{from} -> {to}: {e}");
        assert!(e.position.is_some(), "{from} -> {to}: no position in {e}");
    }
}

#[test]
fn missing_role_and_verdict_are_reported() {
    let e = with("role = \"control\"", "role = \"gateway\"").unwrap_err();
    assert!(e.message.contains("role"), "{e}");
    let e = with("[verdicts.captive-portal]", "[verdicts.inconclusive-x]").unwrap_err();
    assert!(e.message.contains("unknown verdict"), "{e}");
}

#[test]
fn nameservers_accept_ports_and_v6() {
    let p = with(
        "# nameservers = [\"10.0.0.53\"]",
        "nameservers = [\"127.0.0.1:5353\", \"::1\", \"[::1]:54\"]",
    )
    .unwrap();
    assert_eq!(
        p.nameservers,
        vec![
            "127.0.0.1:5353".parse::<SocketAddr>().unwrap(),
            "[::1]:53".parse().unwrap(),
            "[::1]:54".parse().unwrap()
        ]
    );
}

proptest::proptest! {
    /// Any text: a profile or a one-line error with the file name, never a panic.
    #[test]
    fn prop_any_text_never_panics(text in "\\PC{0,400}") {
        if let Err(e) = Profile::parse(&text, "f.toml") {
            let shown = e.to_string();
            proptest::prop_assert!(shown.starts_with("f.toml"));
            proptest::prop_assert!(!shown.contains('\n'), "multi-line error: {shown}");
        }
    }

    /// The shipped profile with one byte range deleted and junk inserted: never a panic,
    /// and every error stays one line.
    #[test]
    fn prop_mutated_profile_never_panics(
        at in 0usize..HMS_PROFILE.len(),
        cut in 0usize..40,
        junk in "[\\[\\]={}\",.a-z0-9 \n-]{0,12}",
    ) {
        let at = HMS_PROFILE.floor_char_boundary(at);
        let end = HMS_PROFILE.floor_char_boundary((at + cut).min(HMS_PROFILE.len()));
        let text = format!("{}{junk}{}", &HMS_PROFILE[..at], &HMS_PROFILE[end..]);
        if let Err(e) = Profile::parse(&text, "m.toml") {
            proptest::prop_assert!(!e.to_string().contains('\n'), "multi-line: {e}");
        }
    }
}

#[test]
fn binary_and_huge_and_empty_profiles_are_refused() {
    let e = Profile::parse("", "empty.toml").unwrap_err();
    assert!(e.message.contains("missing field"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin.toml");
    std::fs::write(&bin, [0u8, 159, 146, 150, 255]).unwrap();
    let e = Profile::load(&bin).unwrap_err();
    assert!(e.message.contains("not UTF-8"), "{e}");
    let huge = dir.path().join("huge.toml");
    std::fs::write(&huge, vec![b'#'; 2 * 1024 * 1024]).unwrap();
    let e = Profile::load(&huge).unwrap_err();
    assert!(e.message.contains("larger than"), "{e}");
    let e = Profile::load(&dir.path().join("missing.toml")).unwrap_err();
    assert!(e.message.contains("no such file"), "{e}");
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
    assert_eq!(line_col("ab\ncé\nx", 4), (2, 2));
}

#[test]
fn shipped_profile_names_other_harvard_vpns() {
    let p = Profile::embedded();
    let by_server = |host: &str| {
        p.other_vpns
            .iter()
            .find(|o| o.gateways.iter().any(|g| g == host))
            .map(|o| (o.name.as_str(), o.role))
    };
    assert_eq!(
        by_server("vpn.harvard.edu"),
        Some(("Harvard University VPN", VpnRole::Unknown))
    );
    assert_eq!(
        by_server("vpn.rc.fas.harvard.edu"),
        Some(("FAS Research Computing VPN", VpnRole::Unknown))
    );
    assert_eq!(
        by_server("pvc.partners.org").map(|o| o.1),
        Some(VpnRole::Affiliate)
    );
    assert_eq!(
        by_server("vpn.hms.harvard.edu"),
        None,
        "the HMS VPN is not another VPN"
    );
}

#[test]
fn other_vpns_errors_are_located() {
    let anchor = "[[other_vpns]]\nname = \"Harvard University VPN\"";
    for (by, message) in [
        (
            "[[other_vpns]]\nname = \"HMS VPN\"",
            "must not be empty or name HMS",
        ),
        (
            "[[other_vpns]]\nname = \"Harvard University VPN\"\nrole = \"hms\"",
            "is not one of",
        ),
    ] {
        let e = with(anchor, by).unwrap_err();
        assert!(e.message.contains(message), "{e}");
        assert!(e.position.is_some(), "{e}");
    }
    let e = with(
        "gateways = [\"vpn.harvard.edu\"]",
        "gateways = [\"vpn.hms.harvard.edu\"]",
    )
    .unwrap_err();
    assert!(e.message.contains("already the server"), "{e}");
    let line = HMS_PROFILE
        .lines()
        .position(|l| l.contains("gateways = [\"vpn.harvard.edu\"]"))
        .unwrap()
        + 1;
    assert_eq!(e.position.map(|p| p.0), Some(line));
    let e = with(
        "gateways = [\"vpn.harvard.edu\"]",
        "gateways = [\"not a host\"]",
    )
    .unwrap_err();
    assert!(e.message.contains("not a host name"), "{e}");
    let e = with("gateways = [\"vpn.harvard.edu\"]", "gateways = []").unwrap_err();
    assert!(e.message.contains("at least one server"), "{e}");
    let e = with(
        "gateways = [\"vpn.harvard.edu\"]",
        "gateways = [\"vpn.harvard.edu\"]\nport = 1",
    )
    .unwrap_err();
    assert!(e.message.contains("unknown field"), "{e}");
}

#[test]
fn a_step_for_some_systems_only_is_kept_there_only() {
    let p = Profile::embedded();
    let clock = &p.verdicts[&VerdictCode::ClockWrong];
    let first = |os: &str| clock.texts(Some(Cause::ClockBehind), os).next_steps[0].to_owned();
    assert!(first("linux").contains("timedatectl"), "{}", first("linux"));
    assert!(
        first("macos").contains("System Settings"),
        "{}",
        first("macos")
    );
    assert!(
        first("windows").contains("Sync now"),
        "{}",
        first("windows")
    );
    for os in STEP_OSES {
        let all = clock
            .texts(Some(Cause::ClockAhead), os)
            .next_steps
            .join(" ");
        let ways = ["timedatectl", "System Settings", "Sync now"];
        assert_eq!(
            ways.iter().filter(|w| all.contains(*w)).count(),
            1,
            "{os}: only this system's way: {all}"
        );
    }
    assert!(!first("freebsd").contains("automatically"));
    let e = with(
        "{ os = [\"linux\"], text = \"Set the clock",
        "{ os = [\"linx\"], text = \"Set the clock",
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown operating system"), "{e}");
    assert!(e.position.is_some(), "{e}");
}

#[test]
fn the_openconnect_hint_is_for_linux_without_an_hms_client_only() {
    let p = Profile::embedded();
    let needs = &p.verdicts[&VerdictCode::NeedsHmsVpn];
    for os in STEP_OSES {
        let steps = needs
            .texts(Some(Cause::NoHmsClient), os)
            .next_steps
            .join(" ");
        assert_eq!(
            steps.contains("openconnect"),
            os == "linux",
            "{os}: {steps}"
        );
        let steps = needs.texts(Some(Cause::NoVpn), os).next_steps.join(" ");
        assert!(!steps.contains("openconnect"), "{os}: {steps}");
    }
}

#[test]
fn the_shipped_profile_has_words_for_every_cause() {
    let p = Profile::embedded();
    for cause in Cause::ALL {
        let own = p.verdicts[&cause.verdict()].causes.get(&cause);
        assert!(
            own.is_some_and(|t| t.summary.is_some()),
            "{cause}: no summary of its own"
        );
    }
    // No pointer to the evidence instead of the fact.
    for pointer in [
        "evidence says",
        "evidence names",
        "evidence below",
        "evidence and notes",
    ] {
        assert!(!HMS_PROFILE.to_lowercase().contains(pointer), "{pointer}");
    }
}

#[test]
fn placeholders_are_known_and_filled_for_every_cause_that_shows_them() {
    // An unknown name, with its place.
    let e = with("\"{hms_connect}\",", "\"{hms_conect}\",").unwrap_err();
    assert!(
        e.message.contains("unknown placeholder {hms_conect}"),
        "{e}"
    );
    let line = HMS_PROFILE
        .lines()
        .position(|l| l.contains("\"{hms_connect}\","))
        .unwrap()
        + 1;
    assert_eq!(e.position.map(|p| p.0), Some(line), "{e}");
    // {vpn} in a step every needs-hms-vpn cause shows: no-vpn has no VPN to name.
    let e = with(
        "\"Run hmsaccess diagnose again; when it says MARS answers, open https://mars.med.harvard.edu.\",\n  \"No HMS",
        "\"Disconnect {vpn}.\",\n  \"No HMS",
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("{vpn} in next_steps would be empty for cause no-vpn"),
        "{e}"
    );
    // The same in next_steps_other_vpn is shown only when such a VPN is up.
    assert!(
        with(
            "[verdicts.needs-hms-vpn]\ntitle",
            "[verdicts.needs-hms-vpn]\nnext_steps_other_vpn = [\"Disconnect {vpn}.\"]\ntitle",
        )
        .is_ok()
    );
    // A cause's own value in the verdict's words, shown for another cause: refused.
    let e = with(
        "title = \"A Wi-Fi login page is intercepting web traffic\"",
        "title = \"It sent {bytes}\"",
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("{bytes} in title would be empty for cause login-page"),
        "{e}"
    );
    // The verdict's words that every cause replaces are never shown: they may use anything.
    assert!(
        with(
            "summary = \"A tunnel of the HMS VPN is up, yet MARS does not answer through it.\"",
            "summary = \"It sent {bytes}.\"",
        )
        .is_ok()
    );
    // A cause of another verdict, or none at all.
    let e = with(
        "[verdicts.mars-unreachable.causes.mars-down]",
        "[verdicts.mars-unreachable.causes.no-vpn]",
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("is not a cause of verdict mars-unreachable"),
        "{e}"
    );
    assert!(e.position.is_some());
    let e = with(
        "[verdicts.offline.causes.proxy-down]",
        "[verdicts.offline.causes.proxy]",
    )
    .unwrap_err();
    assert!(e.message.contains("not a cause"), "{e}");
}

#[test]
fn every_placeholder_is_documented() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/profile.md")).unwrap();
    for (name, _) in PLACEHOLDERS {
        assert!(
            doc.contains(&format!("`{{{name}}}`")),
            "docs/profile.md lacks {{{name}}}"
        );
    }
}

#[test]
fn placeholder_names_are_read_between_braces() {
    assert_eq!(
        placeholders_in("Disconnect {vpn}, keep {hms_client}."),
        ["vpn", "hms_client"]
    );
    assert!(placeholders_in("{ os = x } {} {A}").is_empty());
    assert_eq!(placeholders_in("{{vpn}}"), ["vpn"]);
    // Every cause's own placeholders are documented ones.
    for cause in Cause::ALL {
        for name in fills(cause).iter().chain(&EVERY_CAUSE) {
            assert!(PLACEHOLDERS.iter().any(|(n, _)| n == name), "{name}");
        }
    }
}

#[test]
fn the_service_desk_is_written_once_and_filled_everywhere() {
    let p = Profile::embedded();
    let desk = p.service_desk.as_ref().unwrap();
    assert_eq!(desk.email, "ITServiceDesk@hms.harvard.edu");
    assert_eq!(desk.phone, "617-432-2000");
    let raw = include_str!("../../probes/hms.toml");
    assert_eq!(
        raw.matches("617-432-2000").count(),
        1,
        "the phone is written once"
    );
    let mut texts = 0;
    for v in p.verdicts.values() {
        let mut all = vec![v.title.clone(), v.summary.clone()];
        all.extend(v.next_steps.iter().map(|s| s.text.clone()));
        for c in v.causes.values() {
            all.extend(c.summary.clone());
            all.extend(c.next_steps.iter().flatten().map(|s| s.text.clone()));
        }
        for t in all {
            assert!(!t.contains("{service_desk"), "unfilled: {t}");
            texts += usize::from(t.contains("ITServiceDesk@hms.harvard.edu, 617-432-2000"));
        }
    }
    assert!(texts >= 10, "the desk is named in {texts} texts");
}

#[test]
fn the_service_desk_placeholder_needs_the_table() {
    let raw = include_str!("../../probes/hms.toml");
    let start = raw.find("[service_desk]").unwrap();
    let end = start + raw[start..].find("\n\n").unwrap();
    let without = format!("{}{}", &raw[..start], &raw[end..]);
    let e = Profile::parse(&without, "p.toml").unwrap_err();
    assert!(e.message.contains("no [service_desk] table"), "{e}");
    let empty = raw.replace("phone = \"617-432-2000\"", "phone = \" \"");
    let e = Profile::parse(&empty, "p.toml").unwrap_err();
    assert!(e.message.contains("phone must not be empty"), "{e}");
    assert!(e.position.is_some(), "{e}");
}
