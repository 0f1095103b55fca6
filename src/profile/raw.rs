//! The profile file format as serde reads it, kept apart from the validated types in the
//! parent module: every field keeps its [`Spanned`] position so that validation can say
//! `FILE:LINE:COL`. Defaults for omitted keys live here too.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::report::model::Role;

/// The current profile format version.
pub(super) const PROFILE_VERSION: u32 = 1;

/// A whole profile file, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    pub version: Spanned<u32>,
    pub name: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation for people; not used by the program
    pub description: Option<String>,
    #[serde(default)]
    pub nameservers: Vec<Spanned<String>>,
    #[serde(default)]
    pub refusal_pages: Vec<Spanned<String>>,
    #[serde(default)]
    pub sign_in_hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub timeouts: RawTimeouts,
    pub targets: Spanned<Vec<Spanned<RawTarget>>>,
    #[serde(default)]
    pub other_vpns: Vec<Spanned<RawOtherVpn>>,
    pub verdicts: Spanned<BTreeMap<Spanned<String>, RawVerdictText>>,
    #[serde(default)]
    pub service_desk: Option<RawServiceDesk>,
}

/// The `[service_desk]` table: who people are sent to, written once for every text and command.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServiceDesk {
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    pub phone: Spanned<String>,
}

/// The `[timeouts]` table, in milliseconds; an omitted key takes its default (span `0..0`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTimeouts {
    #[serde(default = "default_dns_ms")]
    pub dns_ms: Spanned<u64>,
    #[serde(default = "default_connect_ms")]
    pub connect_ms: Spanned<u64>,
    #[serde(default = "default_tls_ms")]
    pub tls_ms: Spanned<u64>,
    #[serde(default = "default_http_ms")]
    pub http_ms: Spanned<u64>,
}

impl Default for RawTimeouts {
    fn default() -> Self {
        RawTimeouts {
            dns_ms: default_dns_ms(),
            connect_ms: default_connect_ms(),
            tls_ms: default_tls_ms(),
            http_ms: default_http_ms(),
        }
    }
}

fn default_dns_ms() -> Spanned<u64> {
    Spanned::new(0..0, 2500)
}
fn default_connect_ms() -> Spanned<u64> {
    Spanned::new(0..0, 3000)
}
fn default_tls_ms() -> Spanned<u64> {
    Spanned::new(0..0, 3000)
}
fn default_http_ms() -> Spanned<u64> {
    Spanned::new(0..0, 4000)
}

/// One `[[targets]]` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub id: Spanned<String>,
    pub role: Role,
    pub host: Spanned<String>,
    #[serde(default = "default_https_port")]
    pub https_port: Spanned<u16>,
    #[serde(default)]
    pub http_port: Option<Spanned<u16>>,
    #[serde(default = "default_path")]
    pub path: Spanned<String>,
    #[serde(default)]
    pub redirect_hosts: Vec<String>,
}

fn default_https_port() -> Spanned<u16> {
    Spanned::new(0..0, 443)
}
fn default_path() -> Spanned<String> {
    Spanned::new(0..0, "/".to_owned())
}

/// One `[[other_vpns]]` entry: a VPN that is not the HMS one, known by its servers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOtherVpn {
    pub name: Spanned<String>,
    /// `affiliate` (a Longwood Medical Area hospital's VPN) or `other`.
    #[serde(default = "default_other_role")]
    pub role: Spanned<String>,
    pub gateways: Spanned<Vec<Spanned<String>>>,
}

fn default_other_role() -> Spanned<String> {
    Spanned::new(0..0, "other".to_owned())
}

/// One `[verdicts.CODE]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVerdictText {
    // Optional here so that a misspelt verdict with cause tables is reported as such.
    #[serde(default)]
    pub title: Option<Spanned<String>>,
    #[serde(default)]
    pub summary: Option<Spanned<String>>,
    #[serde(default)]
    pub next_steps: Option<Spanned<Vec<Spanned<RawStep>>>>,
    #[serde(default)]
    pub next_steps_other_vpn: Vec<Spanned<RawStep>>,
    #[serde(default)]
    pub causes: BTreeMap<Spanned<String>, RawCauseText>,
}

/// One `[verdicts.CODE.causes.CAUSE]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCauseText {
    #[serde(default)]
    pub title: Option<Spanned<String>>,
    #[serde(default)]
    pub summary: Option<Spanned<String>>,
    #[serde(default)]
    pub next_steps: Option<Spanned<Vec<Spanned<RawStep>>>>,
    #[serde(default)]
    pub next_steps_other_vpn: Option<Vec<Spanned<RawStep>>>,
}

/// One next step as written: a sentence for everyone, or a sentence for some operating
/// systems only (`{ os = ["linux"], text = "..." }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawStep {
    /// For every operating system.
    Everywhere(String),
    /// Only for the operating systems listed.
    Only(OsStep),
}

/// A next step for some operating systems only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OsStep {
    /// `linux`, `macos`, `windows`.
    pub os: Vec<String>,
    /// The step.
    pub text: String,
}
