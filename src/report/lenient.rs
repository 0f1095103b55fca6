//! Reading a report written by a newer build of the same schema version: values of the closed
//! lists (verdict code, probe kind and outcome, roles, detection status, the OS resolver's
//! outcome, a redirect's kind, why the run ended, an interface's kind) that this build does not
//! know are accepted and shown as written (contract 2: readers of schema version 1 accept values
//! they do not know in open lists).
//!
//! The typed model stays closed: `Outcome`, `VerdictCode` and the rest are `Copy` enums that the
//! rules and renderers match on, and an unknown value has no meaning to them. So the report's
//! JSON is read in two passes: [`normalise`] walks the raw JSON first, puts a stand-in known value
//! where a value is unknown (an outcome becomes `error`, "any other failure"; a verdict code
//! `inconclusive`; a role `null` or `unknown`; a redirect's kind `null`, as in reports from before
//! contract 2; why the run ended `complete`, its cut-short probes still listed; an interface's
//! kind `other`; a probe of an unknown kind is taken out of `probes`, since no stand-in kind is
//! neutral to the rules), and records each original in [`AsWritten`]; then serde reads the
//! normalised JSON as usual. The renderer shows the recorded originals in place of the
//! stand-ins.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::model::{
    Acts, Cause, DetectionStatus, InterfaceKind, Outcome, ProbeKind, RedirectKind, Role,
    RunEndReason, VerdictCode, VpnRole,
};

/// The values of one report that this build does not know, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AsWritten {
    /// The verdict code as written, when unknown (`inconclusive` stands in).
    pub verdict_code: Option<String>,
    /// Probe outcomes as written, by probe id, when unknown (`error` stands in).
    pub outcomes: BTreeMap<String, String>,
    /// Probes of a kind this build does not know, one line each; left out of `probes`.
    pub foreign_probes: Vec<String>,
    /// Every other unknown value, as `where: "value"`.
    pub others: Vec<String>,
}

impl AsWritten {
    /// True when the report held nothing unknown.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.verdict_code.is_none()
            && self.outcomes.is_empty()
            && self.foreign_probes.is_empty()
            && self.others.is_empty()
    }

    /// One line per unknown value, for a person.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(code) = &self.verdict_code {
            lines.push(format!("verdict code: \"{code}\""));
        }
        for (id, outcome) in &self.outcomes {
            lines.push(format!("probe {id}: outcome \"{outcome}\""));
        }
        lines.extend(self.foreign_probes.iter().cloned());
        lines.extend(self.others.iter().cloned());
        lines
    }
}

/// True when `value` is a string that `T` does not know (other JSON types are left for serde to
/// refuse as invalid).
fn unknown<T: DeserializeOwned>(value: &Value) -> bool {
    value.is_string() && serde_json::from_value::<T>(value.clone()).is_err()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// Replaces every unknown closed-list value of the report JSON `report` by a stand-in and
/// returns the originals.
pub fn normalise(report: &mut Value) -> AsWritten {
    let mut written = AsWritten::default();
    if let Some(code) = report.pointer_mut("/verdict/code")
        && unknown::<VerdictCode>(code)
    {
        written.verdict_code = Some(text(code));
        *code = Value::from(VerdictCode::Inconclusive.as_str());
    }
    // A cause or party this build does not know decides nothing here: null, as in reports
    // written before contract 3, and the original is shown.
    if let Some(cause) = report.pointer_mut("/verdict/cause")
        && unknown::<Cause>(cause)
    {
        written
            .others
            .push(format!("verdict cause: \"{}\"", text(cause)));
        *cause = Value::Null;
    }
    if let Some(acts) = report.pointer_mut("/verdict/acts")
        && unknown::<Acts>(acts)
    {
        written.others.push(format!("who acts: \"{}\"", text(acts)));
        *acts = Value::Null;
    }
    if let Some(status) = report.pointer_mut("/vpn_detection/status")
        && unknown::<DetectionStatus>(status)
    {
        written
            .others
            .push(format!("VPN detection status: \"{}\"", text(status)));
        *status = Value::from("not-run");
    }
    if let Some(reason) = report.pointer_mut("/run_end/reason")
        && unknown::<RunEndReason>(reason)
    {
        written
            .others
            .push(format!("why the run ended: \"{}\"", text(reason)));
        *reason = Value::from("complete");
    }
    if let Some(Value::Array(vpns)) = report.get_mut("vpns") {
        for vpn in vpns.iter_mut() {
            let name = vpn.get("interface").map(text).unwrap_or_default();
            if let Some(role) = vpn.get_mut("role")
                && unknown::<VpnRole>(role)
            {
                written
                    .others
                    .push(format!("VPN on {name}: role \"{}\"", text(role)));
                *role = Value::from(VpnRole::Unknown.as_str());
            }
        }
    }
    if let Some(Value::Array(interfaces)) = report.get_mut("interfaces") {
        for interface in interfaces.iter_mut() {
            let name = interface.get("name").map(text).unwrap_or_default();
            if let Some(kind) = interface.get_mut("kind")
                && unknown::<InterfaceKind>(kind)
            {
                written
                    .others
                    .push(format!("interface {name}: kind \"{}\"", text(kind)));
                *kind = Value::from(InterfaceKind::Other.as_str());
            }
        }
    }
    if let Some(Value::Array(probes)) = report.get_mut("probes") {
        probes.retain(|p| match p.get("kind") {
            Some(kind) if unknown::<ProbeKind>(kind) => {
                written.foreign_probes.push(foreign_probe(p));
                false
            }
            _ => true,
        });
        for probe in probes.iter_mut() {
            probe_values(probe, &mut written);
        }
    }
    written
}

/// A probe of an unknown kind, in one line: id, kind, outcome and detail as written.
fn foreign_probe(p: &Value) -> String {
    let field = |k: &str| p.get(k).map(text).unwrap_or_default();
    let mut line = format!(
        "probe {} of kind \"{}\": {}",
        field("id"),
        field("kind"),
        field("outcome")
    );
    let detail = field("detail");
    if !detail.is_empty() {
        line.push_str(&format!(" ({detail})"));
    }
    line
}

/// One probe's outcome and role, and the outcomes nested in its DNS and TCP data.
fn probe_values(probe: &mut Value, written: &mut AsWritten) {
    let id = probe.get("id").map(text).unwrap_or_default();
    if let Some(outcome) = probe.get_mut("outcome")
        && unknown::<Outcome>(outcome)
    {
        written.outcomes.insert(id.clone(), text(outcome));
        *outcome = Value::from(Outcome::Error.as_str());
    }
    if let Some(role) = probe.get_mut("role")
        && unknown::<Role>(role)
    {
        written
            .others
            .push(format!("probe {id}: role \"{}\"", text(role)));
        *role = Value::Null;
    }
    if let Some(outcome) = probe.pointer_mut("/dns/os/outcome")
        && unknown::<Outcome>(outcome)
    {
        written.others.push(format!(
            "probe {id}, the OS resolver: outcome \"{}\"",
            text(outcome)
        ));
        *outcome = Value::from(Outcome::Error.as_str());
    }
    if let Some(kind) = probe.pointer_mut("/http/redirect_kind")
        && unknown::<RedirectKind>(kind)
    {
        written
            .others
            .push(format!("probe {id}: redirect kind \"{}\"", text(kind)));
        *kind = Value::Null;
    }
    for (list, label) in [("/dns/servers", "server"), ("/tcp/attempts", "attempt")] {
        let Some(Value::Array(items)) = probe.pointer_mut(list) else {
            continue;
        };
        for item in items.iter_mut() {
            let Some(outcome) = item.get_mut("outcome") else {
                continue;
            };
            if unknown::<Outcome>(outcome) {
                written.others.push(format!(
                    "probe {id}, a {label}: outcome \"{}\"",
                    text(outcome)
                ));
                *outcome = Value::from(Outcome::Error.as_str());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_values_get_stand_ins_and_are_kept_as_written() {
        let mut report = json!({
            "verdict": { "code": "proxy-blocked" },
            "vpn_detection": { "status": "partly" },
            "vpns": [ { "interface": "utun4", "role": "harvard" } ],
            "probes": [
                { "id": "tcp:mars:443", "kind": "tcp", "role": "mars", "outcome": "filtered",
                  "tcp": { "attempts": [ { "outcome": "filtered" }, { "outcome": "ok" } ] } },
                { "id": "quic:mars:443", "kind": "quic", "outcome": "ok", "detail": "h3" },
                { "id": "dns:proxy", "kind": "dns", "role": "proxy", "outcome": "ok",
                  "dns": { "servers": [ { "outcome": "ok" } ] } }
            ]
        });
        let w = normalise(&mut report);
        assert_eq!(w.verdict_code.as_deref(), Some("proxy-blocked"));
        assert_eq!(report["verdict"]["code"], "inconclusive");
        assert_eq!(w.outcomes["tcp:mars:443"], "filtered");
        assert_eq!(report["probes"][0]["outcome"], "error");
        assert_eq!(
            report["probes"][0]["tcp"]["attempts"][0]["outcome"],
            "error"
        );
        assert_eq!(report["probes"][0]["tcp"]["attempts"][1]["outcome"], "ok");
        assert_eq!(
            w.foreign_probes,
            ["probe quic:mars:443 of kind \"quic\": ok (h3)"]
        );
        assert_eq!(report["probes"].as_array().unwrap().len(), 2);
        assert_eq!(report["probes"][1]["role"], Value::Null);
        assert_eq!(report["vpns"][0]["role"], "unknown");
        assert_eq!(report["vpn_detection"]["status"], "not-run");
        let lines = w.lines().join("\n");
        for shown in [
            "proxy-blocked",
            "filtered",
            "quic",
            "harvard",
            "partly",
            "proxy",
        ] {
            assert!(lines.contains(shown), "{shown} missing from:\n{lines}");
        }
    }

    #[test]
    fn unknown_values_of_contract_2_fields_get_stand_ins_too() {
        let mut report = json!({
            "verdict": { "code": "needs-hms-vpn" },
            "run_end": { "reason": "suspended", "budget_ms": 10000, "cut_short": ["tcp:mars:443"] },
            "probes": [
                { "id": "dns:mars", "kind": "dns", "outcome": "ok",
                  "dns": { "servers": [], "os": { "outcome": "quarantined" } } },
                { "id": "https:mars:443", "kind": "https", "outcome": "ok",
                  "http": { "status": 302, "redirect_kind": "geo-block" } },
                { "id": "https:portal:443", "kind": "https", "outcome": "ok",
                  "http": { "status": 302, "redirect_kind": "sign-in" } }
            ]
        });
        let w = normalise(&mut report);
        assert_eq!(report["run_end"]["reason"], "complete");
        assert_eq!(report["run_end"]["cut_short"][0], "tcp:mars:443");
        assert_eq!(report["probes"][0]["dns"]["os"]["outcome"], "error");
        assert_eq!(report["probes"][1]["http"]["redirect_kind"], Value::Null);
        assert_eq!(report["probes"][2]["http"]["redirect_kind"], "sign-in");
        let lines = w.lines().join("\n");
        for shown in ["suspended", "quarantined", "geo-block"] {
            assert!(lines.contains(shown), "{shown} missing from:\n{lines}");
        }
        assert!(!lines.contains("sign-in"), "{lines}");
    }

    #[test]
    fn unknown_causes_and_parties_become_null_and_are_kept_as_written() {
        let mut report = json!({
            "verdict": { "code": "mars-unreachable", "cause": "solar-flare", "acts": "nasa" }
        });
        let w = normalise(&mut report);
        assert_eq!(report["verdict"]["cause"], Value::Null);
        assert_eq!(report["verdict"]["acts"], Value::Null);
        let lines = w.lines().join("\n");
        assert!(
            lines.contains("solar-flare") && lines.contains("nasa"),
            "{lines}"
        );
        let mut known = json!({ "verdict": { "cause": "mars-down", "acts": "hms-it" } });
        assert!(normalise(&mut known).is_empty());
        assert_eq!(known["verdict"]["cause"], "mars-down");
    }

    #[test]
    fn an_unknown_interface_kind_reads_as_other_and_is_kept_as_written() {
        let mut report = json!({
            "interfaces": [
                { "name": "br0", "kind": "bridge" },
                { "name": "wlan0", "kind": "wifi" }
            ]
        });
        let w = normalise(&mut report);
        assert_eq!(report["interfaces"][0]["kind"], "other");
        assert_eq!(report["interfaces"][1]["kind"], "wifi");
        assert_eq!(w.others, ["interface br0: kind \"bridge\""]);
    }

    #[test]
    fn known_values_and_wrong_types_are_left_alone() {
        let mut report = json!({
            "verdict": { "code": "needs-hms-vpn" },
            "probes": [ { "id": "x", "kind": "tls", "outcome": 7 } ]
        });
        let before = report.clone();
        let w = normalise(&mut report);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(report, before, "a wrong type is serde's to refuse");
    }
}
