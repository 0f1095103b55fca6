//! Reports never contain command lines: a VPN client started with a secret on its command line
//! is found (by name, and its gateway host matched), yet the secret appears nowhere in what
//! the OS reading returns or in the `interfaces --json` output.

#[cfg(target_os = "linux")]
#[test]
fn command_line_secret_never_leaves_the_os_reading() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use hmsaccess::commands::interfaces::write_interfaces;
    use hmsaccess::{netif, os};

    const SECRET: &str = "s3cr3t-hunter2-HMSACCESS";
    let dir = tempfile::tempdir().expect("tempdir");
    // A script named like a VPN client: its process name (comm) is `openvpn`.
    let fake = dir.path().join("openvpn");
    std::fs::write(&fake, "#!/bin/sh\nwhile :; do sleep 0.2; done\n").expect("script");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut child = Command::new(&fake)
        .args([
            "--auth-pass",
            SECRET,
            "--remote",
            "vpn.hms.harvard.edu",
            "443",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fake client");

    let known = hmsaccess::run::known_vpns(&hmsaccess::profile::Profile::embedded());
    let deadline = Instant::now() + Duration::from_secs(5);
    let collected = loop {
        let c = os::read(&known.hosts(), |_| {});
        let found = c.network.processes.iter().any(|p| {
            p.client == "OpenVPN" && p.matched_gateway.as_deref() == Some("vpn.hms.harvard.edu")
        });
        if found || Instant::now() > deadline {
            break c;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();

    assert!(
        collected
            .network
            .processes
            .iter()
            .any(|p| p.client == "OpenVPN"
                && p.matched_gateway.as_deref() == Some("vpn.hms.harvard.edu")),
        "the fake client was found and its gateway matched: {:?}",
        collected.network.processes
    );
    let debug = format!("{collected:?}");
    assert!(!debug.contains(SECRET), "secret in Debug output");
    assert!(
        !debug.contains("--auth-pass"),
        "command line in Debug output"
    );
    let vpns = netif::classify(&collected, &known, &[]);
    let mut json = Vec::new();
    write_interfaces(&mut json, true, &collected, &vpns).expect("json");
    let mut human = Vec::new();
    write_interfaces(&mut human, false, &collected, &vpns).expect("human");
    for out in [json, human] {
        let text = String::from_utf8(out).expect("utf-8");
        assert!(!text.contains(SECRET), "secret in output");
        assert!(!text.contains("--auth-pass"), "command line in output");
    }
}

#[test]
fn no_mac_addresses_in_interfaces_json() {
    let mut out = Vec::new();
    hmsaccess::commands::interfaces::interfaces_command(true, &mut out).expect("interfaces --json");
    let text = String::from_utf8(out).expect("utf-8");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert!(v["interfaces"].is_array() && v["vpns"].is_array());
    assert_eq!(v["vpn_detection"]["status"], "ran");
    // A MAC address looks like six hex pairs separated by ':' or '-'.
    let mac = text
        .split(|c: char| !(c.is_ascii_hexdigit() || c == ':' || c == '-'))
        .any(|w| {
            let parts: Vec<&str> = w.split([':', '-']).collect();
            parts.len() == 6 && parts.iter().all(|p| p.len() == 2)
        });
    assert!(!mac, "MAC address in {text}");
}
