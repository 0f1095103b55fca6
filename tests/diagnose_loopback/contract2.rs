//! Contract 2 (issue 11) through the real binary on loopback worlds: when MARS "answers" (403,
//! the "VPN required" redirect, a sign-in redirect), a clock far off, a re-signing proxy this
//! computer does not trust, a run cut short, and a redirect followed on the same connection.

use super::{assert_outcome, assert_verdict, diagnose_json};
use crate::support::servers::Behaviour;
use crate::support::world::{
    Cert, Port, REFUSAL_PAGE, RESIGNING_CA, Role, SIGN_IN_HOST, Spec, World,
};

/// MARS answers as `behaviour`; the portal is silent, the public hosts are up.
fn mars_answering(behaviour: Behaviour) -> World {
    World::builder()
        .mars(Spec::Https(Cert::Valid, behaviour))
        .affiliate(Spec::Silent)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start()
}

fn https_mars(run: &crate::support::world::Run) -> &serde_json::Value {
    &run.probe("https", "mars")
        .unwrap_or_else(|| panic!("no https:mars probe\n{}", run.describe()))["http"]
}

#[test]
fn mars_answering_403_refuses_this_network() {
    let world = mars_answering(Behaviour::Status(403));
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "needs-hms-vpn");
    assert_outcome(&run, "https", "mars", &["ok"]);
    assert_eq!(https_mars(&run)["status"], 403, "{}", run.describe());
    assert!(
        run.evidence().contains("MARS refused access (HTTP 403"),
        "{}",
        run.describe()
    );
}

#[test]
fn mars_redirecting_to_the_vpn_required_page_refuses_this_network() {
    let world = mars_answering(Behaviour::Redirect(302, REFUSAL_PAGE.to_owned()));
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "needs-hms-vpn");
    assert_eq!(
        https_mars(&run)["redirect_kind"],
        "refusal",
        "{}",
        run.describe()
    );
    assert!(
        run.evidence().contains("VPN required"),
        "{}",
        run.describe()
    );
    let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
    assert_eq!(mars.requests(), 1, "the refusal redirect was followed");
}

#[test]
fn mars_redirecting_to_a_sign_in_page_answers() {
    let to = format!("https://{SIGN_IN_HOST}/sso?service=mars");
    let world = mars_answering(Behaviour::Redirect(302, to));
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "hms-vpn");
    assert_eq!(
        https_mars(&run)["redirect_kind"],
        "sign-in",
        "{}",
        run.describe()
    );
    assert!(
        run.evidence().contains("asks for a sign-in"),
        "{}",
        run.describe()
    );
    let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
    assert_eq!(mars.requests(), 1, "the first verified answer decides");
}

#[test]
fn a_clock_far_behind_is_clock_wrong_with_the_offset() {
    // This computer's clock is 400 days behind: every certificate looks "not valid yet" (the
    // fixtures' start 30 days from now) and the public site's plain-HTTP Date is 400 days ahead.
    let ahead = 400 * 86_400;
    let not_yet = |b: Behaviour| Spec::Https(Cert::NotYetValid, b);
    let world = World::builder()
        .mars(not_yet(Behaviour::Status(200)))
        .affiliate(Spec::Silent)
        .gateway(not_yet(Behaviour::Status(200)))
        .control(not_yet(Behaviour::Dated(200, ahead)))
        .control_http(Behaviour::Dated(301, ahead))
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "clock-wrong");
    assert_eq!(run.code, Some(17));
    assert_outcome(&run, "tls", "gateway", &["tls-not-yet-valid"]);
    let skew = run.probe("http", "control").unwrap()["http"]["clock_skew_s"]
        .as_i64()
        .unwrap_or_default();
    assert!(
        (ahead - 60..=ahead + 60).contains(&skew),
        "skew {skew}\n{}",
        run.describe()
    );
    assert!(
        run.evidence().contains("400 days behind"),
        "{}",
        run.describe()
    );
}

#[test]
fn an_untrusted_re_signing_proxy_is_tls_intercepted_naming_it() {
    let world = World::builder()
        .all(Spec::Https(Cert::Resigned, Behaviour::Status(200)))
        .control_http(Behaviour::Status(301))
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "tls-intercepted");
    assert_eq!(run.code, Some(16));
    for role in Role::ALL {
        assert_outcome(&run, "tls", role.id(), &["tls-unknown-issuer"]);
    }
    assert!(run.evidence().contains(RESIGNING_CA), "{}", run.describe());
}

#[test]
fn a_run_cut_short_before_the_silence_decides_is_inconclusive() {
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Silent)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &["--timeout", "0.3"]);
    assert_verdict(&run, "inconclusive");
    let end = &run.report()["run_end"];
    assert_eq!(end["reason"], "deadline", "{}", run.describe());
    let cut: Vec<&str> = end["cut_short"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert!(
        cut.iter().any(|id| id.starts_with("tls:mars")),
        "{cut:?}\n{}",
        run.describe()
    );
    // "Why" says what cut the run, the first step how long a full one takes; no note repeats it.
    let verdict = &run.report()["verdict"];
    assert!(
        verdict["evidence"]
            .to_string()
            .contains("cut short by --timeout"),
        "{verdict}"
    );
    assert!(
        verdict["next_steps"][0]
            .as_str()
            .is_some_and(|s| s.contains("a full check needs about")),
        "{verdict}"
    );
    assert!(
        !verdict["warnings"].to_string().contains("cut short"),
        "{verdict}"
    );
    // The same world, given the time, decides.
    let full = diagnose_json(&world, &[]);
    assert_verdict(&full, "needs-hms-vpn");
}

#[test]
fn a_same_site_redirect_is_followed_on_the_same_connection() {
    // The public site's HTTPS goes / -> /a -> /b: three answers, one connection.
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Silent)
        .affiliate(Spec::Silent)
        .control(Spec::Https(Cert::Valid, Behaviour::RedirectChain))
        .start();
    let run = diagnose_json(&world, &[]);
    let control = world.endpoint(Role::Control, Port::Https).unwrap();
    assert_eq!(control.requests(), 3, "{}", run.describe());
    assert_eq!(control.connections(), 1, "a new connection per redirect");
    assert_eq!(
        run.probe("https", "control").unwrap()["http"]["status"],
        200,
        "{}",
        run.describe()
    );
}
