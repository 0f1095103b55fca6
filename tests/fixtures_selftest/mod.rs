//! The fixtures tested on their own (hickory-resolver, tokio-rustls and hyper clients), without the binary.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::{Resolver, TokioResolver};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use crate::support::dns::{DnsServer, Rule};
use crate::support::servers::{self, Behaviour, Endpoint};
use crate::support::tls::{self, Leaf, TestCa};
use crate::support::world::{Cert, Port, Role, Spec, World};

/// Per-query timeout of the self-tests' resolver: loopback answers take well under a millisecond.
const DNS_TIMEOUT: Duration = Duration::from_millis(500);
/// Bound for every client step in these tests.
const STEP: Duration = Duration::from_secs(5);

fn resolver(server: SocketAddr, tcp: bool) -> TokioResolver {
    let mut connection = if tcp {
        ConnectionConfig::tcp()
    } else {
        ConnectionConfig::udp()
    };
    connection.port = server.port();
    let config = ResolverConfig::from_parts(
        None,
        vec![],
        vec![NameServerConfig::new(server.ip(), true, vec![connection])],
    );
    let mut options = ResolverOpts::default();
    options.timeout = DNS_TIMEOUT;
    options.attempts = 0;
    options.cache_size = 0;
    Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(options)
        .build()
        .expect("build the resolver")
}

fn response_code(error: &NetError) -> Option<ResponseCode> {
    match error {
        NetError::Dns(DnsError::ResponseCode(code)) => Some(*code),
        NetError::Dns(DnsError::NoRecordsFound(records)) => Some(records.response_code),
        _ => None,
    }
}

#[tokio::test]
async fn dns_fixture_scripts_each_name() {
    let dns = DnsServer::builder()
        .name(
            "both.hms.test",
            Rule::Answer(vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ]),
        )
        .name("nx.hms.test", Rule::NxDomain)
        .name("fail.hms.test", Rule::ServFail)
        .name("refuse.hms.test", Rule::Refused)
        .start();
    let resolver = resolver(dns.addr(), false);

    let both = resolver.lookup_ip("both.hms.test.").await.expect("answers");
    let mut ips: Vec<IpAddr> = both.iter().collect();
    ips.sort();
    assert_eq!(
        ips,
        [
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        ]
    );

    let nx = resolver.lookup_ip("nx.hms.test.").await.unwrap_err();
    assert!(nx.is_nx_domain(), "{nx:?}");
    let unknown = resolver.lookup_ip("unknown.hms.test.").await.unwrap_err();
    assert!(
        unknown.is_nx_domain(),
        "unscripted names are NXDOMAIN: {unknown:?}"
    );
    let fail = resolver.lookup_ip("fail.hms.test.").await.unwrap_err();
    assert_eq!(
        response_code(&fail),
        Some(ResponseCode::ServFail),
        "{fail:?}"
    );
    let refuse = resolver.lookup_ip("refuse.hms.test.").await.unwrap_err();
    assert_eq!(
        response_code(&refuse),
        Some(ResponseCode::Refused),
        "{refuse:?}"
    );

    assert!(
        dns.queries_for("both.hms.test") >= 2,
        "A and AAAA: {:?}",
        dns.seen()
    );
    assert!(dns.queries() >= 10, "{:?}", dns.seen());
}

#[tokio::test]
async fn dns_fixture_silent_name_times_out() {
    let dns = DnsServer::builder()
        .name("quiet.hms.test", Rule::Silent)
        .start();
    let resolver = resolver(dns.addr(), false);
    let started = Instant::now();
    let error = tokio::time::timeout(STEP, resolver.lookup_ip("quiet.hms.test."))
        .await
        .expect("the resolver's own timeout fires first")
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(error, NetError::Timeout), "{error:?}");
    assert!(elapsed >= DNS_TIMEOUT, "gave up after {elapsed:?}");
    assert!(dns.queries_for("quiet.hms.test") >= 1, "{:?}", dns.seen());
}

#[tokio::test]
async fn dns_fixture_wildcard_and_tcp() {
    let dns = DnsServer::builder()
        .name("nx.hms.test", Rule::NxDomain)
        .wildcard(Rule::loopback())
        .start();
    let resolver = resolver(dns.addr(), true);
    let any = resolver
        .lookup_ip("anything.example.test.")
        .await
        .expect("the wildcard answers, over TCP too");
    assert_eq!(
        any.iter().collect::<Vec<_>>(),
        [IpAddr::V4(Ipv4Addr::LOCALHOST)]
    );
    let nx = resolver.lookup_ip("NX.hms.test.").await.unwrap_err();
    assert!(
        nx.is_nx_domain(),
        "a name's own rule beats the wildcard: {nx:?}"
    );
}

#[tokio::test]
async fn dns_fixture_stops_on_drop() {
    let dns = DnsServer::builder().wildcard(Rule::loopback()).start();
    let addr = dns.addr();
    drop(dns);
    // The abort is asynchronous: give the runtime a moment, bounded.
    let mut stopped = false;
    for _ in 0..50 {
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        stopped,
        "the DNS fixture's TCP port still accepts after drop"
    );
}

/// A TLS client that trusts only the test CA and offers ALPN http/1.1.
fn connector(ca: &TestCa) -> tokio_rustls::TlsConnector {
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("default versions")
    .with_root_certificates(ca.root_store())
    .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

async fn tls_connect(
    ca: &TestCa,
    endpoint: &Endpoint,
    name: &str,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(endpoint.addr()).await?;
    let name = rustls::pki_types::ServerName::try_from(name.to_owned()).expect("a DNS name");
    tokio::time::timeout(STEP, connector(ca).connect(name, tcp))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "handshake"))?
}

/// Status, `Server`, `Location` and body of `GET path` over an established stream.
async fn get<S>(stream: S, host: &str, path: &str) -> (u16, Option<String>, Option<String>, String)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("HTTP/1 handshake");
    let driver = tokio::spawn(connection);
    let request = hyper::Request::get(path)
        .header("host", host)
        .body(Empty::<Bytes>::new())
        .expect("request");
    let response = tokio::time::timeout(STEP, sender.send_request(request))
        .await
        .expect("an answer in time")
        .expect("a response");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, server, location) = (
        response.status().as_u16(),
        header("server"),
        header("location"),
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    driver.abort();
    (
        status,
        server,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[tokio::test]
async fn https_fixture_answers_through_the_test_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path());
    assert!(
        std::fs::read_to_string(dir.path().join("ca.pem"))
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    let server = servers::https(&ca.leaf(&["mars.hms.test"]), Behaviour::Status(200));

    let tls = tls_connect(&ca, &server, "mars.hms.test")
        .await
        .expect("the CA vouches for the leaf");
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    let (status, server_header, _, body) = get(tls, "mars.hms.test", "/").await;
    assert_eq!(status, 200);
    assert_eq!(server_header.as_deref(), Some("fixture"));
    assert!(!body.is_empty());
    assert_eq!(server.handshakes(), 1);
    assert_eq!(server.requests(), 1);
}

async fn handshake_error(ca: &TestCa, leaf: &Leaf, name: &str) -> String {
    let server = servers::https(leaf, Behaviour::Status(200));
    let error = tls_connect(ca, &server, name)
        .await
        .expect_err("verification fails");
    format!("{error:?}")
}

#[tokio::test]
async fn https_fixture_certificate_variants_fail_verification() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path());
    let host = "mars.hms.test";

    let expired = handshake_error(&ca, &ca.expired_leaf(&[host]), host).await;
    assert!(expired.contains("Expired"), "{expired}");
    let later = handshake_error(&ca, &ca.not_yet_valid_leaf(&[host]), host).await;
    assert!(later.contains("NotValidYet"), "{later}");
    let other = handshake_error(&ca, &ca.leaf(&["portal.example.test"]), host).await;
    assert!(other.contains("NotValidForName"), "{other}");
    let selfsigned = handshake_error(&ca, &tls::self_signed_leaf(&[host]), host).await;
    assert!(selfsigned.contains("UnknownIssuer"), "{selfsigned}");
}

#[tokio::test]
async fn http_fixture_redirects_and_captive_portal() {
    let chain = servers::http(Behaviour::RedirectChain);
    let hop = |path: &'static str| {
        let addr = chain.addr();
        async move { get(TcpStream::connect(addr).await.unwrap(), "it.hms.test", path).await }
    };
    let (status, _, location, _) = hop("/").await;
    assert_eq!((status, location.as_deref()), (302, Some("/a")));
    let (status, _, location, _) = hop("/a").await;
    assert_eq!((status, location.as_deref()), (301, Some("/b")));
    let (status, _, location, _) = hop("/b").await;
    assert_eq!((status, location), (200, None));
    assert_eq!(chain.requests(), 3);

    let portal = servers::http(Behaviour::captive_portal());
    for path in ["/", "/anything?x=1"] {
        let stream = TcpStream::connect(portal.addr()).await.unwrap();
        let (status, server, location, _) = get(stream, "it.hms.test", path).await;
        assert_eq!(status, 302);
        assert_eq!(server.as_deref(), Some("fixture"));
        assert_eq!(location.as_deref(), Some(Behaviour::PORTAL_URL));
    }
}

#[tokio::test]
async fn https_fixture_hang_completes_tls_but_never_answers() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path());
    let server = servers::https(&ca.leaf(&["vpn.hms.test"]), Behaviour::Hang);
    let tls = tls_connect(&ca, &server, "vpn.hms.test")
        .await
        .expect("TLS completes");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .unwrap();
    let driver = tokio::spawn(connection);
    let request = hyper::Request::get("/")
        .header("host", "vpn.hms.test")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let waited =
        tokio::time::timeout(Duration::from_millis(500), sender.send_request(request)).await;
    assert!(waited.is_err(), "a hanging fixture answered");
    assert_eq!(server.requests(), 1, "the request did arrive");
    driver.abort();
}

#[tokio::test]
async fn refusing_and_silent_ports() {
    let refusing = servers::refusing_port();
    let error = TcpStream::connect(refusing.addr()).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(
        std::net::TcpListener::bind(refusing.addr()).is_err(),
        "the refusing port is held, so nothing else can listen there"
    );

    let silent = servers::silent_port();
    let mut stream = TcpStream::connect(silent.addr()).await.expect("accepts");
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await;
    assert!(read.is_err(), "a silent port sent something: {read:?}");
    // Bounded wait for the accept counter (the accept task runs on the fixture runtime).
    for _ in 0..100 {
        if silent.connections() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(silent.connections(), 1);
}

#[test]
fn blackhole_connects_never_complete() {
    // Linux drops SYNs to a listener whose accept queue is full; elsewhere this is not promised.
    if !cfg!(target_os = "linux") {
        eprintln!("note: loopback blackhole is only checked on Linux");
        return;
    }
    // Several fresh blackholes, several connects each: the trick must hold every time.
    for _ in 0..3 {
        let hole = servers::blackhole_addr().expect("a loopback blackhole on Linux");
        for _ in 0..3 {
            let started = Instant::now();
            let result =
                std::net::TcpStream::connect_timeout(&hole.addr(), Duration::from_millis(400));
            let error = result.expect_err("connect completed on a blackhole");
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut, "{error:?}");
            assert!(started.elapsed() >= Duration::from_millis(390));
        }
    }
}

#[test]
fn world_profile_parses_and_points_at_the_fixtures() {
    let world = World::builder()
        .all(Spec::Up)
        .affiliate(Spec::Refused)
        .gateway(Spec::Https(Cert::Expired, Behaviour::Status(200)))
        .start();
    let profile = hmsaccess::profile::Profile::load(world.profile_path())
        .unwrap_or_else(|e| panic!("generated profile is invalid: {e}"));
    assert_eq!(profile.nameservers, vec![world.dns().addr()]);
    assert_eq!(profile.targets.len(), 4);
    for (target, role) in profile.targets.iter().zip(Role::ALL) {
        assert_eq!(target.id, role.id());
        assert_eq!(target.host, role.host());
        let https = world
            .endpoint(role, Port::Https)
            .expect("an HTTPS endpoint");
        assert_eq!(target.https_port, https.port());
    }
    let control = profile
        .target(hmsaccess::report::model::Role::Control)
        .unwrap();
    assert_eq!(
        control.http_port,
        world
            .endpoint(Role::Control, Port::Http)
            .map(Endpoint::port)
    );
    assert_eq!(control.redirect_hosts, ["it.hms.test"]);
    assert_eq!(
        profile.verdicts.len(),
        hmsaccess::report::model::VerdictCode::ALL.len(),
        "every verdict text copied"
    );
    assert_eq!(profile.answers.sign_in_hosts, ["login.hms.test"]);
    assert!(world.ca().pem_path().starts_with(world.dir()));

    // The world's DNS resolves its names; its ports behave as specified.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let resolver = resolver(world.dns().addr(), false);
        for role in Role::ALL {
            let ips = resolver
                .lookup_ip(format!("{}.", role.host()))
                .await
                .expect("resolves");
            assert_eq!(
                ips.iter().collect::<Vec<_>>(),
                [IpAddr::V4(Ipv4Addr::LOCALHOST)]
            );
        }
        let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
        let tls = tls_connect(world.ca(), mars, "mars.hms.test")
            .await
            .expect("valid leaf");
        assert_eq!(get(tls, "mars.hms.test", "/").await.0, 200);
        let affiliate = world.endpoint(Role::Affiliate, Port::Https).unwrap();
        assert!(TcpStream::connect(affiliate.addr()).await.is_err());
        let gateway = world.endpoint(Role::Gateway, Port::Https).unwrap();
        let expired = tls_connect(world.ca(), gateway, "vpn.hms.test")
            .await
            .unwrap_err();
        assert!(format!("{expired:?}").contains("Expired"), "{expired:?}");
        let http = world.endpoint(Role::Control, Port::Http).unwrap();
        let stream = TcpStream::connect(http.addr()).await.unwrap();
        assert_eq!(get(stream, "it.hms.test", "/").await.0, 200);
    });
}

#[test]
fn captive_world_resolves_everything_and_redirects() {
    let world = World::builder().captive_portal().start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let resolver = resolver(world.dns().addr(), false);
        for name in ["mars.hms.test.", "portal.example.test.", "www.example.com."] {
            let ips = resolver
                .lookup_ip(name)
                .await
                .expect("the portal answers every name");
            assert_eq!(
                ips.iter().collect::<Vec<_>>(),
                [IpAddr::V4(Ipv4Addr::LOCALHOST)]
            );
        }
        let http = world.endpoint(Role::Control, Port::Http).unwrap();
        let stream = TcpStream::connect(http.addr()).await.unwrap();
        let (status, _, location, _) = get(stream, "it.hms.test", "/").await;
        assert_eq!(
            (status, location.as_deref()),
            (302, Some(Behaviour::PORTAL_URL))
        );
        let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
        let error = tls_connect(world.ca(), mars, "mars.hms.test")
            .await
            .unwrap_err();
        assert!(
            format!("{error:?}").contains("NotValidForName"),
            "{error:?}"
        );
    });
}

/// Set by [`ssl_cert_file_replaces_the_system_store`] for the copy of this test binary it starts.
const CHILD_MARKER: &str = "HMSACCESS_SELFTEST_NATIVE_CERTS";

/// What the binary's trust loading sees under the harness's `SSL_CERT_FILE`/`SSL_CERT_DIR`:
/// rustls-native-certs (the loader under rustls-platform-verifier on Linux) must load exactly the
/// test CA. Runs in a child process because the environment cannot be changed safely in-process.
#[test]
fn ssl_cert_file_replaces_the_system_store() {
    if let Ok(expected) = std::env::var(CHILD_MARKER) {
        let loaded = rustls_native_certs::load_native_certs();
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        assert_eq!(loaded.certs.len(), 1, "only the test CA");
        assert_eq!(format!("{:?}", loaded.certs[0]), expected);
        return;
    }
    if !cfg!(target_os = "linux") {
        eprintln!("note: SSL_CERT_FILE is honoured on Linux only; not checked here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path());
    let empty = dir.path().join("no-certs");
    std::fs::create_dir(&empty).unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "fixtures_selftest::ssl_cert_file_replaces_the_system_store",
            "--nocapture",
        ])
        .env(CHILD_MARKER, format!("{:?}", ca.der()))
        .env("SSL_CERT_FILE", ca.pem_path())
        .env("SSL_CERT_DIR", &empty);
    let run = crate::support::world::run_bounded(child);
    assert_eq!(
        run.code,
        Some(0),
        "child test failed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stdout.contains("1 passed"), "{}", run.stdout);
}
