//! What a profile tells people: per verdict a title, a summary and next steps, and per cause
//! (contract 3) its own words where the verdict's do not fit. Steps may be written for some
//! operating systems only; `{placeholders}` are filled when the verdict is made.
//!
//! Validation makes an empty name in a step impossible: every placeholder a text uses must be
//! one that each cause the text can be shown for always fills ([`fills`]), so a profile that
//! could say "disconnect , keep …" is refused at load time with `FILE:LINE:COL`.

use std::collections::BTreeMap;

use toml::Spanned;

use super::problem::{Checked, problem};
use super::raw::{OsStep, RawCauseText, RawStep, RawVerdictText};
use crate::report::model::{Cause, VerdictCode};

/// The operating systems a next step may name (as `std::env::consts::OS` spells them).
pub const STEP_OSES: [&str; 3] = ["linux", "macos", "windows"];

/// Every placeholder a text may use, with what it is filled with (docs/profile.md lists the same).
pub const PLACEHOLDERS: [(&str, &str); 19] = [
    (
        "service_desk",
        "the help desk from `[service_desk]`: `HMS IT Service Desk (ITServiceDesk@hms.harvard.edu, 617-432-2000)`",
    ),
    (
        "service_desk_phone",
        "the help desk's phone, from `[service_desk]`",
    ),
    (
        "hms_client",
        "the HMS VPN app: the connected one, else an installed one, else GlobalProtect",
    ),
    (
        "hms_connect",
        "a sentence: how to connect the HMS VPN with that app",
    ),
    (
        "hms_reconnect",
        "a sentence: how to disconnect that app and connect it again",
    ),
    (
        "hms_keep",
        "the end of a sentence: `keep the HMS VPN (openconnect) connected.` when an HMS VPN tunnel is up, else `then connect the HMS VPN.` and {hms_connect}",
    ),
    (
        "gateway",
        "the HMS VPN's server (the gateway target's host)",
    ),
    ("vpn", "the VPN(s) to disconnect, by the app a person sees"),
    (
        "device",
        "the tunnel interface MARS's traffic goes into, no VPN's (`vpn0`)",
    ),
    (
        "taken",
        "whose traffic another VPN takes: `MARS` or `the affiliate portal`",
    ),
    (
        "offset",
        "how far the clock is off (`400 days`), or `far` when no server gave its time",
    ),
    (
        "issuer",
        "who re-signs secure connections (`\"Acme Web Shield\" (Acme Inc)`)",
    ),
    ("status", "what MARS answered (`HTTP 503, a server error`)"),
    (
        "bytes",
        "the bytes sent into a tunnel that gave nothing back (`720 bytes`)",
    ),
    (
        "certificate",
        "what is wrong with MARS's certificate (`expired 12 days ago`)",
    ),
    (
        "proxy",
        "the proxy the system names for HTTPS (`http://proxy.lan:3128`)",
    ),
    (
        "proxy_source",
        "where that proxy is set (`the HTTPS_PROXY environment variable`)",
    ),
    (
        "waited",
        "how long MARS's handshake or answer was waited for (`3 seconds`)",
    ),
    (
        "rerun",
        "a sentence: how to run the check again so that it can finish",
    ),
];

/// Placeholders filled from the profile itself when it is read (`fill_service_desk`, in
/// `desk.rs`).
pub(super) const FROM_PROFILE: [&str; 2] = ["service_desk", "service_desk_phone"];

/// Placeholders filled for every cause.
pub const EVERY_CAUSE: [&str; 5] = [
    "hms_client",
    "hms_connect",
    "hms_reconnect",
    "hms_keep",
    "gateway",
];

/// Placeholders a cause fills besides [`EVERY_CAUSE`], always with a non-empty value.
#[must_use]
pub fn fills(cause: Cause) -> &'static [&'static str] {
    match cause {
        Cause::OtherVpnTakesMars => &["vpn", "taken"],
        Cause::RouteTaken => &["vpn", "device"],
        Cause::OtherVpn | Cause::VpnsUp => &["vpn"],
        Cause::ClockBehind | Cause::ClockAhead => &["offset"],
        Cause::UntrustedIssuer => &["issuer"],
        Cause::MarsDown | Cause::AccessRefused => &["status"],
        Cause::TunnelDead => &["bytes"],
        Cause::MarsCertificate => &["certificate"],
        Cause::ProxyDown => &["proxy", "proxy_source"],
        Cause::HandshakeStalls => &["waited"],
        Cause::CutShort => &["rerun"],
        Cause::ViaHmsVpn
        | Cause::OnHmsNetwork
        | Cause::ViaHospitalVpn
        | Cause::OnLmaNetwork
        | Cause::NoVpn
        | Cause::NoHmsClient
        | Cause::NoConnection
        | Cause::NothingAnswers
        | Cause::ResolversFail
        | Cause::LoginPage
        | Cause::MarsSilent
        | Cause::PermissionDenied
        | Cause::Unexplained => &[],
    }
}

/// One next step: for every operating system (`os` empty) or for those listed only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `linux`, `macos`, `windows`; empty: every system.
    pub os: Vec<String>,
    /// The step, with its placeholders.
    pub text: String,
}

impl Step {
    fn applies(&self, os: &str) -> bool {
        self.os.is_empty() || self.os.iter().any(|o| o == os)
    }
}

/// What to tell people for one verdict, and for its causes where they need their own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictText {
    /// One line.
    pub title: String,
    /// A short paragraph.
    pub summary: String,
    /// What to do, in order.
    pub next_steps: Vec<Step>,
    /// Steps put first when a VPN that is not the HMS one is up; `{vpn}` names it.
    pub next_steps_other_vpn: Vec<Step>,
    /// Per cause, the words that replace the verdict's (each field that is set).
    pub causes: BTreeMap<Cause, CauseText>,
}

/// A cause's own words; an unset field takes the verdict's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CauseText {
    /// One line.
    pub title: Option<String>,
    /// A short paragraph.
    pub summary: Option<String>,
    /// What to do, in order.
    pub next_steps: Option<Vec<Step>>,
    /// Steps put first when a VPN that is not the HMS one is up.
    pub next_steps_other_vpn: Option<Vec<Step>>,
}

/// The words for one cause on one operating system, placeholders not yet filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts<'a> {
    /// One line.
    pub title: &'a str,
    /// A short paragraph.
    pub summary: &'a str,
    /// What to do, in order.
    pub next_steps: Vec<&'a str>,
    /// Steps put first when a VPN that is not the HMS one is up.
    pub next_steps_other_vpn: Vec<&'a str>,
}

impl VerdictText {
    /// Calls `f` on every text: title, summary, steps, and each cause's own.
    pub(super) fn each_text(&mut self, f: &mut impl FnMut(&mut String)) {
        let steps = |list: &mut Vec<Step>, f: &mut dyn FnMut(&mut String)| {
            list.iter_mut().for_each(|s| f(&mut s.text));
        };
        f(&mut self.title);
        f(&mut self.summary);
        steps(&mut self.next_steps, f);
        steps(&mut self.next_steps_other_vpn, f);
        for c in self.causes.values_mut() {
            for text in [&mut c.title, &mut c.summary].into_iter().flatten() {
                f(text);
            }
            for list in [&mut c.next_steps, &mut c.next_steps_other_vpn]
                .into_iter()
                .flatten()
            {
                steps(list, f);
            }
        }
    }

    /// The words for `cause` (the verdict's where the cause has none) on `os`.
    #[must_use]
    pub fn texts(&self, cause: Option<Cause>, os: &str) -> Texts<'_> {
        let own = cause.and_then(|c| self.causes.get(&c));
        Texts {
            title: own.and_then(|c| c.title.as_deref()).unwrap_or(&self.title),
            summary: own
                .and_then(|c| c.summary.as_deref())
                .unwrap_or(&self.summary),
            next_steps: for_os(
                own.and_then(|c| c.next_steps.as_deref())
                    .unwrap_or(&self.next_steps),
                os,
            ),
            next_steps_other_vpn: for_os(
                own.and_then(|c| c.next_steps_other_vpn.as_deref())
                    .unwrap_or(&self.next_steps_other_vpn),
                os,
            ),
        }
    }
}

/// The texts of the steps that apply on `os`, in order.
fn for_os<'s>(list: &'s [Step], os: &str) -> Vec<&'s str> {
    list.iter()
        .filter(|s| s.applies(os))
        .map(|s| s.text.as_str())
        .collect()
}

// ---- validation ----

/// A text as written, with where it is and which field it is (for errors).
struct Written<'a> {
    text: &'a str,
    span: std::ops::Range<usize>,
    field: &'static str,
    /// `next_steps_other_vpn` are shown only when another VPN is up, so `{vpn}` is filled.
    other_vpn: bool,
}

/// Texts for every verdict code, each with a title and a next step, causes of its own only,
/// and placeholders that every cause the text can be shown for fills.
pub(super) fn verdicts(
    raw: Spanned<BTreeMap<Spanned<String>, RawVerdictText>>,
) -> Checked<BTreeMap<VerdictCode, VerdictText>> {
    let span = raw.span();
    let mut known = Vec::new();
    // Every name first: a misspelt one is the error, not the table its cause tables leave behind.
    for (key, raw_text) in raw.into_inner() {
        let Some(&code) = VerdictCode::ALL
            .iter()
            .find(|c| c.as_str() == key.get_ref())
        else {
            return Err(problem(
                key.span(),
                format!(
                    "unknown verdict {:?}; expected one of: {}",
                    key.get_ref(),
                    VerdictCode::ALL.map(VerdictCode::as_str).join(", ")
                ),
            ));
        };
        known.push((code, key.span(), raw_text));
    }
    let mut verdicts = BTreeMap::new();
    for (code, at, raw_text) in known {
        verdicts.insert(code, verdict_text(code, at, raw_text)?);
    }
    if let Some(missing) = VerdictCode::ALL.iter().find(|c| !verdicts.contains_key(c)) {
        return Err(problem(
            span,
            format!("[verdicts.{missing}] is missing; every verdict needs its texts"),
        ));
    }
    Ok(verdicts)
}

/// One verdict's texts: its causes checked, then every cause's placeholders.
fn verdict_text(
    code: VerdictCode,
    at: std::ops::Range<usize>,
    raw: RawVerdictText,
) -> Checked<VerdictText> {
    let RawVerdictText {
        title,
        summary,
        next_steps,
        next_steps_other_vpn,
        causes,
    } = raw;
    let (Some(title), Some(summary), Some(next_steps)) = (title, summary, next_steps) else {
        return Err(problem(
            at,
            format!("[verdicts.{code}] needs a title, a summary and next_steps"),
        ));
    };
    if title.get_ref().trim().is_empty() || next_steps.get_ref().is_empty() {
        return Err(problem(
            at,
            format!(
                "verdict {:?} needs a title and at least one next step",
                code.as_str()
            ),
        ));
    }
    let cause_texts = cause_keys(causes, code)?;
    let mut base: Vec<Written<'_>> = vec![written(&title, "title"), written(&summary, "summary")];
    let verdict_steps = steps(next_steps.get_ref(), "next_steps", false, &mut base)?;
    let other = steps_other(&next_steps_other_vpn, &mut base)?;
    let mut out_causes = BTreeMap::new();
    for cause in Cause::ALL.into_iter().filter(|c| c.verdict() == code) {
        let own = cause_texts.get(&cause);
        let text = cause_text(cause, own, &base)?;
        if own.is_some() {
            out_causes.insert(cause, text);
        }
    }
    Ok(VerdictText {
        title: title.into_inner(),
        summary: summary.into_inner(),
        next_steps: verdict_steps,
        next_steps_other_vpn: other,
        causes: out_causes,
    })
}

/// The `causes` tables of verdict `code`, each named by one of its own causes.
fn cause_keys(
    causes: BTreeMap<Spanned<String>, RawCauseText>,
    code: VerdictCode,
) -> Checked<BTreeMap<Cause, RawCauseText>> {
    let mut out = BTreeMap::new();
    for (key, text) in causes {
        let Some(cause) = Cause::ALL
            .into_iter()
            .find(|c| c.as_str() == key.get_ref() && c.verdict() == code)
        else {
            let own: Vec<&str> = Cause::ALL
                .iter()
                .filter(|c| c.verdict() == code)
                .map(|c| c.as_str())
                .collect();
            return Err(problem(
                key.span(),
                format!(
                    "{:?} is not a cause of verdict {code}; its causes are: {}",
                    key.get_ref(),
                    own.join(", ")
                ),
            ));
        };
        out.insert(cause, text);
    }
    Ok(out)
}

/// A cause's own words (`own`, when it has a table), checked together with the verdict's words
/// (`base`) that stand in for the fields it leaves unset: every placeholder shown for the
/// cause must be one it fills.
fn cause_text(
    cause: Cause,
    own: Option<&RawCauseText>,
    base: &[Written<'_>],
) -> Checked<CauseText> {
    let mut own_written: Vec<Written<'_>> = Vec::new();
    let mut text = CauseText::default();
    if let Some(t) = own {
        if let Some(s) = &t.title {
            own_written.push(written(s, "title"));
            text.title = Some(s.get_ref().clone());
        }
        if let Some(s) = &t.summary {
            own_written.push(written(s, "summary"));
            text.summary = Some(s.get_ref().clone());
        }
        if let Some(list) = &t.next_steps {
            if list.get_ref().is_empty() {
                return Err(problem(
                    list.span(),
                    format!("cause {cause} needs at least one next step"),
                ));
            }
            text.next_steps = Some(steps(
                list.get_ref(),
                "next_steps",
                false,
                &mut own_written,
            )?);
        }
        if let Some(list) = &t.next_steps_other_vpn {
            text.next_steps_other_vpn = Some(steps_other(list, &mut own_written)?);
        }
    }
    let overrides = |field: &str| own_written.iter().any(|w| w.field == field);
    let shown = own_written
        .iter()
        .chain(base.iter().filter(|w| !overrides(w.field)));
    for w in shown {
        check_placeholders(w, cause, cause.verdict())?;
    }
    Ok(text)
}

fn written<'a>(s: &'a Spanned<String>, field: &'static str) -> Written<'a> {
    Written {
        text: s.get_ref(),
        span: s.span(),
        field,
        other_vpn: false,
    }
}

/// `next_steps_other_vpn`: steps, where `{vpn}` is always filled.
fn steps_other<'a>(
    list: &'a [Spanned<RawStep>],
    seen: &mut Vec<Written<'a>>,
) -> Checked<Vec<Step>> {
    steps(list, "next_steps_other_vpn", true, seen)
}

/// Steps as validated types; each one's text is recorded for the placeholder check.
fn steps<'a>(
    list: &'a [Spanned<RawStep>],
    field: &'static str,
    other_vpn: bool,
    seen: &mut Vec<Written<'a>>,
) -> Checked<Vec<Step>> {
    let mut out = Vec::new();
    for step in list {
        let (os, text) = match step.get_ref() {
            RawStep::Everywhere(text) => (Vec::new(), text),
            RawStep::Only(OsStep { os, text }) => {
                if let Some(bad) = os.iter().find(|o| !STEP_OSES.contains(&o.as_str())) {
                    return Err(problem(
                        step.span(),
                        format!(
                            "unknown operating system {bad:?} in a next step; use {}",
                            STEP_OSES.join(", ")
                        ),
                    ));
                }
                (os.clone(), text)
            }
        };
        if text.trim().is_empty() {
            return Err(problem(step.span(), "a next step must not be empty"));
        }
        seen.push(Written {
            text,
            span: step.span(),
            field,
            other_vpn,
        });
        out.push(Step {
            os,
            text: text.clone(),
        });
    }
    Ok(out)
}

/// The names between braces in `text` (`{vpn}` gives `vpn`): lower-case letters and `_` only.
#[must_use]
pub fn placeholders_in(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let name = &rest[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            names.push(name);
            rest = &rest[close + 1..];
        }
    }
    names
}

/// Every placeholder of `w` is known and filled for `cause`.
fn check_placeholders(w: &Written<'_>, cause: Cause, code: VerdictCode) -> Checked<()> {
    for name in placeholders_in(w.text) {
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            let known: Vec<String> = PLACEHOLDERS
                .iter()
                .map(|(n, _)| format!("{{{n}}}"))
                .collect();
            return Err(problem(
                w.span.clone(),
                format!(
                    "unknown placeholder {{{name}}} in {}; known: {}",
                    w.field,
                    known.join(" ")
                ),
            ));
        }
        let filled = EVERY_CAUSE.contains(&name)
            || FROM_PROFILE.contains(&name)
            || fills(cause).contains(&name)
            || (w.other_vpn && name == "vpn");
        if !filled {
            let usable: Vec<String> = EVERY_CAUSE
                .iter()
                .chain(fills(cause))
                .map(|n| format!("{{{n}}}"))
                .collect();
            return Err(problem(
                w.span.clone(),
                format!(
                    "{{{name}}} in {} would be empty for cause {cause}: give [verdicts.{code}.causes.{cause}] its own {}, or use only {}",
                    w.field,
                    w.field,
                    usable.join(" ")
                ),
            ));
        }
    }
    Ok(())
}
