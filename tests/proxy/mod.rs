//! Issue 12's proxies: the real binary with `HTTPS_PROXY` naming a loopback `CONNECT` proxy
//! (`support/proxy.rs`) in front of a loopback world. The HTTPS chains go through the proxy and
//! verify TLS to the real host end to end; a proxy that asks for a sign-in (407), refuses (403) or
//! stays silent is its own outcome; `NO_PROXY` sends matching hosts direct.

use std::ffi::OsStr;

use serde_json::Value;

use crate::diagnose_loopback::check_report;
use crate::support::proxy::{ProxyFixture, ProxyMode};
use crate::support::world::{Port, Role, Run, Spec, World, run_bounded};

/// `hmsaccess diagnose --profile <world> <extra…>` with these environment variables.
fn diagnose_with_env(world: &World, extra: &[&str], env: &[(&str, String)]) -> Run {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("diagnose"),
        OsStr::new("--profile"),
        world.profile_path().as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let mut command = world.hmsaccess(&args);
    for (k, v) in env {
        command.env(k, v);
    }
    run_bounded(command)
}

fn hop<'a>(run: &'a Run, id: &str) -> &'a Value {
    &run.probe("tcp", id)
        .unwrap_or_else(|| panic!("no tcp:{id}\n{}", run.describe()))["tcp"]["proxy"]
}

#[test]
fn https_probes_go_through_the_proxy_and_the_report_says_so() {
    let world = World::builder().all(Spec::Up).start();
    let proxy = ProxyFixture::start(ProxyMode::Tunnel);
    let env = [("HTTPS_PROXY", proxy.url())];
    let run = diagnose_with_env(&world, &["--json"], &env);
    check_report(&run);
    assert_eq!(run.verdict_code(), "hms-vpn", "{}", run.describe());
    for role in Role::ALL {
        let id = role.id();
        let h = hop(&run, id);
        assert_eq!(h["url"], proxy.url(), "{id}\n{}", run.describe());
        assert_eq!(h["source"], "HTTPS_PROXY", "{id}");
        // The proxy's answer, or `not-needed` once the verdict was certain.
        let outcome = run.outcome("tcp", id).unwrap_or_default();
        assert!(
            outcome == "ok" || outcome == "not-needed",
            "{id}: {outcome}"
        );
        if outcome == "ok" {
            assert_eq!(h["status"], 200, "{id}");
            assert!(h["connect_ms"].is_u64() && h["answer_ms"].is_u64(), "{h}");
        }
    }
    // TLS ran end to end through the tunnel, verified for the real host name.
    let tls = run.probe("tls", "mars").expect("tls:mars");
    assert_eq!(tls["outcome"], "ok", "{}", run.describe());
    assert_eq!(tls["tls"]["server_name"], Role::Mars.host());
    let https = run.probe("https", "mars").expect("https:mars");
    assert_eq!(https["http"]["status"], 200);
    assert!(https["http"]["first_byte_ms"].is_u64());
    let mars_port = world.endpoint(Role::Mars, Port::Https).unwrap().port();
    let heads = proxy.heads();
    assert!(
        heads.iter().any(|h| h.starts_with(&format!(
            "CONNECT {}:{mars_port} HTTP/1.1\r\n",
            Role::Mars.host()
        ))),
        "{heads:?}"
    );
    // The plain-HTTP check (captive portals) goes direct.
    let http_port = world.endpoint(Role::Control, Port::Http).unwrap().port();
    let plain = run
        .probes()
        .iter()
        .find(|p| p["id"] == format!("tcp:control:{http_port}"))
        .expect("the plain-HTTP tcp probe");
    assert!(plain["tcp"]["proxy"].is_null(), "{plain}");
    let report = run.report();
    assert_eq!(report["proxy"]["https_proxy"], proxy.url());
    assert_eq!(report["proxy"]["source"], "HTTPS_PROXY");
    let warnings = report["verdict"]["warnings"].to_string();
    assert!(
        warnings.contains(&format!("goes through the proxy {}", proxy.url())),
        "{warnings}"
    );
    // The person reads it too.
    let human = diagnose_with_env(&world, &[], &env);
    assert!(
        human.stdout.contains("Path") && human.stdout.contains(&proxy.url()),
        "{}",
        human.stdout
    );
}

#[test]
fn a_proxy_asking_for_a_sign_in_is_proxy_auth_required() {
    let world = World::builder().all(Spec::Up).start();
    let proxy = ProxyFixture::start(ProxyMode::AuthRequired);
    let run = diagnose_with_env(&world, &["--json"], &[("HTTPS_PROXY", proxy.url())]);
    check_report(&run);
    assert_eq!(
        run.outcome("tcp", "mars"),
        Some("proxy-auth-required"),
        "{}",
        run.describe()
    );
    let h = hop(&run, "mars");
    assert_eq!(h["status"], 407);
    assert_eq!(h["authenticate"], "Negotiate, Basic");
    assert_eq!(run.outcome("tls", "mars"), Some("skipped"));
    assert_ne!(run.verdict_code(), "offline", "{}", run.describe());
    assert_ne!(run.verdict_code(), "dns-failure", "{}", run.describe());
    let evidence = run.evidence();
    assert!(
        evidence.contains(&format!(
            "The proxy {} (set by HTTPS_PROXY) asks for a sign-in (HTTP 407)",
            proxy.url()
        )),
        "{evidence}"
    );
}

#[test]
fn a_refusing_proxy_is_proxy_refused_with_its_status() {
    let world = World::builder().all(Spec::Up).start();
    let proxy = ProxyFixture::start(ProxyMode::Forbidden);
    let run = diagnose_with_env(&world, &["--json"], &[("HTTPS_PROXY", proxy.url())]);
    check_report(&run);
    assert_eq!(run.outcome("tcp", "affiliate"), Some("proxy-refused"));
    assert_eq!(hop(&run, "affiliate")["status"], 403);
    assert!(run.evidence().contains("refused to connect to MARS"));
    assert!(run.evidence().contains("(HTTP 403)"));
}

#[test]
fn a_silent_proxy_is_proxy_timeout_within_the_bound() {
    let world = World::builder().all(Spec::Up).start();
    let proxy = ProxyFixture::start(ProxyMode::Silent);
    let run = diagnose_with_env(&world, &["--json"], &[("HTTPS_PROXY", proxy.url())]);
    check_report(&run);
    assert_eq!(
        run.outcome("tcp", "mars"),
        Some("proxy-timeout"),
        "{}",
        run.describe()
    );
    let h = hop(&run, "mars");
    assert!(h["connect_ms"].is_u64() && h["status"].is_null(), "{h}");
    // The world's connect timeout is 800 ms: the proxy step gives up at its bound.
    let took = run.probe("tcp", "mars").unwrap()["duration_ms"]
        .as_u64()
        .unwrap();
    assert!((700..3000).contains(&took), "{took} ms");
    assert!(run.wall.as_secs() < 10, "{:?}", run.wall);
}

#[test]
fn no_proxy_sends_matching_hosts_direct() {
    let world = World::builder().all(Spec::Up).start();
    let proxy = ProxyFixture::start(ProxyMode::Tunnel);
    let env = [
        ("https_proxy", proxy.url()),
        (
            "NO_PROXY",
            format!("{}, .elsewhere.test", Role::Mars.host()),
        ),
    ];
    let run = diagnose_with_env(&world, &["--json"], &env);
    check_report(&run);
    assert_eq!(run.verdict_code(), "hms-vpn", "{}", run.describe());
    assert!(hop(&run, "mars").is_null(), "MARS went through the proxy");
    assert_eq!(run.outcome("tcp", "mars"), Some("ok"));
    let decisions = run.report()["proxy"]["decisions"]
        .as_array()
        .cloned()
        .unwrap();
    let mars = decisions
        .iter()
        .find(|d| {
            d["url"]
                .as_str()
                .is_some_and(|u| u.contains(Role::Mars.host()))
        })
        .expect("a decision for MARS");
    assert_eq!(mars["proxy"], Value::Null);
    assert_eq!(
        mars["reason"],
        format!("NO_PROXY entry {}", Role::Mars.host())
    );
    let affiliate = decisions
        .iter()
        .find(|d| {
            d["url"]
                .as_str()
                .is_some_and(|u| u.contains(Role::Affiliate.host()))
        })
        .expect("a decision for the affiliate portal");
    assert_eq!(affiliate["proxy"], proxy.url());
    assert_eq!(affiliate["reason"], "https_proxy");
    let mars_port = world.endpoint(Role::Mars, Port::Https).unwrap().port();
    assert!(
        !proxy
            .heads()
            .iter()
            .any(|h| h.contains(&format!("{}:{mars_port}", Role::Mars.host()))),
        "MARS was asked of the proxy"
    );
}
