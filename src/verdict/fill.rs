//! The profile's `{placeholders}` filled (docs/profile.md lists them): the HMS VPN app and how
//! to connect it, named the way its user knows it (a window app is opened, a command-line
//! client is run from a terminal), the HMS VPN's server, and each cause's own values
//! ([`super::causes`]). Every value is non-empty; the profile's validation makes sure a text
//! uses only the placeholders its cause fills.

use std::collections::BTreeMap;

use super::causes::{Decided, kept_hms_tunnel};
use super::facts::Facts;
use super::words::{
    and_list, capital, default_hms_client, is_hms_client, is_hms_tunnel, vpn_names,
};
use crate::clients::CLIENTS;
use crate::report::model::{ProbeKind, Role, Vpn};

/// Placeholder values for a decided cause: [`crate::profile::EVERY_CAUSE`], the cause's own,
/// and `{vpn}` whenever a VPN that is not the HMS VPN is up (for `next_steps_other_vpn`).
pub(super) fn values(f: &Facts<'_>, decided: &Decided) -> BTreeMap<&'static str, String> {
    let mut v = decided.values.clone();
    let client = hms_client(f);
    let gateway = f
        .find(Role::Gateway, ProbeKind::Dns)
        .map_or_else(|| "the HMS VPN's server".to_owned(), |p| p.target.clone());
    let command = CLIENTS
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(&client))
        .and_then(|c| c.connect)
        .map(|how| how.replace("{gateway}", &gateway));
    let (connect, reconnect) = match &command {
        Some(cmd) => (
            format!("In a terminal, run: {cmd}"),
            format!(
                "Stop {client} (Ctrl-C in the terminal where it runs) and connect it again: {cmd}"
            ),
        ),
        None => (
            format!("Open {client} and connect to {gateway}."),
            format!("In {client}, disconnect, then connect to {gateway} again."),
        ),
    };
    // After the other VPNs are off: the HMS VPN kept when it is up, else connected.
    let keep = match kept_hms_tunnel(f.vpns) {
        Some(k) if k.client.is_some() => format!(
            "keep the HMS VPN ({}) connected.",
            vpn_names(&[k], f.vpns).join("")
        ),
        Some(_) => "keep the HMS VPN connected.".to_owned(),
        None => format!("then connect the HMS VPN. {connect}"),
    };
    v.insert("hms_keep", keep);
    v.insert("hms_client", client);
    v.insert("gateway", gateway);
    v.insert("hms_connect", connect);
    v.insert("hms_reconnect", reconnect);
    let others: Vec<&Vpn> = f.vpns.iter().filter(|v| !is_hms_tunnel(v)).collect();
    if !others.is_empty() {
        v.entry("vpn")
            .or_insert_with(|| and_list(&vpn_names(&others, f.vpns)));
    }
    v
}

/// `text` with each `{name}` replaced by its value, the first letter upper case. A name without
/// a value stays as written (the profile's validation rules that out).
pub(super) fn fill(text: &str, values: &BTreeMap<&'static str, String>) -> String {
    let mut out = text.to_owned();
    for name in crate::profile::placeholders_in(text) {
        if let Some(value) = values.get(name) {
            out = out.replace(&format!("{{{name}}}"), value);
        }
    }
    capital(&out)
}

/// The HMS VPN app to name: the one connected to the HMS VPN, else an installed HMS client,
/// else HMS IT's current client.
pub(super) fn hms_client(f: &Facts<'_>) -> String {
    // The tunnel the steps keep when two claim to be the HMS VPN's (`vpns-up`), else any.
    let connected = kept_hms_tunnel(f.vpns)
        .and_then(|v| v.client.clone())
        .or_else(|| {
            f.vpns
                .iter()
                .filter(|v| is_hms_tunnel(v))
                .find_map(|v| v.client.clone())
        });
    let installed = || {
        f.installed_clients?
            .iter()
            .find(|c| is_hms_client(c))
            .cloned()
    };
    connected
        .or_else(installed)
        .unwrap_or_else(|| default_hms_client().to_owned())
}
