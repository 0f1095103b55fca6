//! The Service Desk a profile sends people to (`[service_desk]`), written once: its table
//! checked, and its address and phone filled into every text that names it.

use std::collections::BTreeMap;

use toml::Spanned;

use super::problem::{Checked, problem};
use super::raw::RawServiceDesk;
use super::texts::{FROM_PROFILE, VerdictText};
use crate::report::model::VerdictCode;

/// The help desk a profile sends people to, written once (`[service_desk]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDesk {
    /// Its name (`HMS IT Service Desk`).
    pub name: String,
    /// Where reports go by email.
    pub email: String,
    /// Its phone number.
    pub phone: String,
}

impl ServiceDesk {
    /// The desk as a step names it: `HMS IT Service Desk (ITServiceDesk@…, 617-…)`.
    #[must_use]
    pub fn contact(&self) -> String {
        format!("{} ({}, {})", self.name, self.email, self.phone)
    }
}

/// The `[service_desk]` table, every field non-empty.
pub(super) fn service_desk(raw: Option<RawServiceDesk>) -> Checked<Option<ServiceDesk>> {
    let Some(raw) = raw else { return Ok(None) };
    let field = |v: Spanned<String>, key: &str| {
        if v.get_ref().trim().is_empty() {
            Err(problem(
                v.span(),
                format!("[service_desk] {key} must not be empty"),
            ))
        } else {
            Ok(v.into_inner())
        }
    };
    Ok(Some(ServiceDesk {
        name: field(raw.name, "name")?,
        email: field(raw.email, "email")?,
        phone: field(raw.phone, "phone")?,
    }))
}

/// Fills `{service_desk}` and `{service_desk_phone}` in every text; a text that uses them in a
/// profile without `[service_desk]` is refused.
pub(super) fn fill_service_desk(
    verdicts: &mut BTreeMap<VerdictCode, VerdictText>,
    desk: Option<&ServiceDesk>,
) -> Checked<()> {
    let values = desk.map(|d| {
        [
            ("service_desk", d.contact()),
            ("service_desk_phone", d.phone.clone()),
        ]
    });
    let mut missing = None;
    let mut fill = |text: &mut String| {
        for name in FROM_PROFILE {
            let mark = format!("{{{name}}}");
            if !text.contains(&mark) {
                continue;
            }
            match &values {
                Some(values) => {
                    let value = values.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
                    *text = text.replace(&mark, value.map_or("", String::as_str));
                }
                None => missing = Some(mark),
            }
        }
    };
    for v in verdicts.values_mut() {
        v.each_text(&mut fill);
    }
    match missing {
        Some(mark) => Err(problem(
            0..0,
            format!(
                "a text uses {mark}, but the profile has no [service_desk] table (name, email, phone); add one"
            ),
        )),
        None => Ok(()),
    }
}
