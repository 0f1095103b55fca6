//! The hostile fixtures checked with plain sockets and hickory's own parser, without the binary:
//! when a hostile case fails, this says whether the fixture or the binary is at fault.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use hickory_server::proto::op::Message;
use hickory_server::proto::rr::RecordType;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::support::dns::{DnsServer, Rule};
use crate::support::hostile::{
    self, CNAME_LOOP_PARTNER, DnsFront, DnsFrontServer, DnsHostile, GARBAGE_LEN, Hostile,
    OVERSIZED_A, RawHttp,
};
use crate::support::servers::Endpoint;

/// Bound for every client step here.
const STEP: Duration = Duration::from_secs(3);
/// The name the fronts own.
const NAME: &str = "mars.hms.test";
/// Transaction id of the test queries (not the first two garbage bytes, `ga`).
const ID: u16 = 0x1234;

/// An A query for `name`, recursion desired, no EDNS.
fn query(name: &str, id: u16) -> Vec<u8> {
    let mut out = Vec::new();
    for field in [id, 0x0100, 1, 0, 0, 0] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    for label in name.split('.') {
        out.push(u8::try_from(label.len()).unwrap());
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out.extend_from_slice(&1u16.to_be_bytes()); // A
    out.extend_from_slice(&1u16.to_be_bytes()); // IN
    out
}

fn front(kind: DnsHostile) -> (DnsServer, DnsFrontServer) {
    let fixture = DnsServer::builder()
        .name("affiliate.hms.test", Rule::loopback())
        .start();
    let front = hostile::dns_front(DnsFront::new(NAME, kind), fixture.addr());
    (fixture, front)
}

/// How long to wait for more datagrams once one has arrived.
const MORE: Duration = Duration::from_millis(200);

/// Sends one UDP query and collects the datagrams that arrive: the first within `wait`, each
/// further one within [`MORE`] of the one before.
async fn ask_udp(server: SocketAddr, packet: &[u8], wait: Duration) -> Vec<Vec<u8>> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    socket.send_to(packet, server).await.unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 65_535];
    let mut deadline = tokio::time::Instant::now() + wait;
    for _ in 0..16 {
        match tokio::time::timeout_at(deadline, socket.recv_from(&mut buf)).await {
            Ok(Ok((len, _))) => got.push(buf[..len].to_vec()),
            _ => break,
        }
        deadline = tokio::time::Instant::now() + MORE;
    }
    got
}

fn id_of(packet: &[u8]) -> u16 {
    u16::from_be_bytes([packet[0], packet[1]])
}

#[test]
fn parse_query_reads_what_query_writes() {
    let q = hostile::parse_query(&query("Mars.HMS.test", ID)).expect("a query");
    assert_eq!((q.id, q.qtype, q.name.as_str()), (ID, 1, NAME));
    assert!(hostile::parse_query(b"short").is_none());
}

#[tokio::test]
async fn dns_front_relays_other_names_to_the_fixture() {
    let (_fixture, front) = front(DnsHostile::Garbage);
    let answers = ask_udp(front.addr(), &query("affiliate.hms.test", ID), STEP).await;
    let answer = Message::from_vec(&answers[0]).expect("the fixture's answer parses");
    assert_eq!(answer.metadata.id, ID);
    assert_eq!(answer.answers.len(), 1);
    assert_eq!(front.relayed(), 1);
}

#[tokio::test]
async fn dns_front_truncates_and_its_tcp_never_answers() {
    let (_fixture, front) = front(DnsHostile::Truncated);
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    let answer = Message::from_vec(&answers[0]).expect("a well-formed truncated answer");
    assert!(answer.metadata.truncation);
    assert_eq!((answer.metadata.id, answer.answers.len()), (ID, 0));

    let mut tcp = TcpStream::connect(front.addr()).await.unwrap();
    let q = query(NAME, ID);
    let mut framed = u16::try_from(q.len()).unwrap().to_be_bytes().to_vec();
    framed.extend_from_slice(&q);
    tcp.write_all(&framed).await.unwrap();
    let mut buf = [0u8; 2];
    let read = tokio::time::timeout(Duration::from_millis(500), tcp.read(&mut buf)).await;
    assert!(read.is_err(), "the TCP fallback answered: {read:?}");
}

#[tokio::test]
async fn dns_front_without_tcp_refuses_the_fallback() {
    let (_fixture, front) = front(DnsHostile::TruncatedNoTcp);
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    assert!(Message::from_vec(&answers[0]).unwrap().metadata.truncation);
    let connect = TcpStream::connect(front.addr()).await;
    assert!(
        connect.is_err(),
        "something listens on TCP {}",
        front.addr()
    );
}

#[tokio::test]
async fn dns_front_garbage_keeps_the_id_and_does_not_parse() {
    let (_fixture, front) = front(DnsHostile::Garbage);
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    assert_eq!(answers.len(), 1);
    assert_eq!(id_of(&answers[0]), ID);
    assert_eq!(answers[0].len(), 2 + GARBAGE_LEN / 8);
    assert!(
        Message::from_vec(&answers[0]).is_err(),
        "the garbage parses"
    );

    let (_fixture, front) = front_random();
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    assert_ne!(id_of(&answers[0]), ID);
}

fn front_random() -> (DnsServer, DnsFrontServer) {
    front(DnsHostile::RandomGarbage)
}

#[tokio::test]
async fn dns_front_mismatched_ids_are_well_formed_but_never_the_right_id() {
    let (_fixture, front) = front(DnsHostile::MismatchedId);
    let answers = ask_udp(front.addr(), &query(NAME, ID), Duration::from_millis(500)).await;
    assert_eq!(answers.len(), 3);
    for packet in &answers {
        let answer = Message::from_vec(packet).expect("well-formed");
        assert_ne!(answer.metadata.id, ID);
        assert_eq!(answer.answers.len(), 1);
    }
}

#[tokio::test]
async fn dns_front_oversized_answers_are_about_64_kb() {
    let (_fixture, front) = front(DnsHostile::Oversized);
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    assert!(answers[0].len() > 60_000, "{} bytes", answers[0].len());
    let answer = Message::from_vec(&answers[0]).expect("well-formed, only too big");
    assert!(!answer.metadata.truncation);
    assert_eq!(answer.answers.len(), OVERSIZED_A);

    let (_fixture, front) = front_tcp();
    let answers = ask_udp(front.addr(), &query(NAME, ID), STEP).await;
    assert!(Message::from_vec(&answers[0]).unwrap().metadata.truncation);
    let mut tcp = TcpStream::connect(front.addr()).await.unwrap();
    let q = query(NAME, ID);
    let mut framed = u16::try_from(q.len()).unwrap().to_be_bytes().to_vec();
    framed.extend_from_slice(&q);
    tcp.write_all(&framed).await.unwrap();
    let mut len = [0u8; 2];
    tokio::time::timeout(STEP, tcp.read_exact(&mut len))
        .await
        .unwrap()
        .unwrap();
    let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
    tokio::time::timeout(STEP, tcp.read_exact(&mut body))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(Message::from_vec(&body).unwrap().answers.len(), OVERSIZED_A);
}

fn front_tcp() -> (DnsServer, DnsFrontServer) {
    front(DnsHostile::OversizedOverTcp)
}

#[tokio::test]
async fn dns_front_cname_loop_names_each_other() {
    let (_fixture, front) = front(DnsHostile::CnameLoop);
    for (asked, other) in [(NAME, CNAME_LOOP_PARTNER), (CNAME_LOOP_PARTNER, NAME)] {
        let answers = ask_udp(front.addr(), &query(asked, ID), STEP).await;
        let answer = Message::from_vec(&answers[0]).expect("well-formed");
        let chain: Vec<(String, String)> = answer
            .answers
            .iter()
            .map(|r| {
                assert_eq!(r.record_type(), RecordType::CNAME);
                (r.name.to_string(), r.data.to_string())
            })
            .collect();
        assert_eq!(
            chain,
            [
                (format!("{asked}."), format!("{other}.")),
                (format!("{other}."), format!("{asked}."))
            ]
        );
    }
}

/// Sends a GET for `path` over plain TCP and reads what comes back within `wait` (at most
/// `limit` bytes).
async fn get(endpoint: &Endpoint, path: &str, wait: Duration, limit: usize) -> Vec<u8> {
    let mut stream = TcpStream::connect(endpoint.addr()).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: fixture\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + wait;
    while got.len() < limit {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    got
}

#[tokio::test]
async fn raw_http_fixtures_send_what_they_say() {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();

    let slow = hostile::serve(&Hostile::Http(RawHttp::Slowloris), None);
    let got = text(&get(&slow, "/", Duration::from_millis(550), 1 << 20).await);
    assert!(got.starts_with("HTTP/1.1 200 OK\r\n"), "{got:?}");
    assert!(got.matches("X-Drip-").count() >= 3, "{got:?}");
    assert!(!got.contains("\r\n\r\n"), "the head ended: {got:?}");

    let body = hostile::serve(&Hostile::Http(RawHttp::EndlessBody), None);
    let got = get(&body, "/", STEP, 4 << 20).await;
    assert!(got.len() >= 4 << 20, "only {} bytes", got.len());

    let many = hostile::serve(&Hostile::Http(RawHttp::ManyHeaders(10_000)), None);
    let got = text(&get(&many, "/", STEP, 1 << 20).await);
    assert_eq!(got.matches("\r\nX-Header-").count(), 10_000);

    let broken = hostile::serve(&Hostile::Http(RawHttp::BrokenStatusLine), None);
    let got = text(&get(&broken, "/", STEP, 1 << 20).await);
    assert!(got.starts_with("HTTP/1.1 abc\r\n"), "{got:?}");

    let redirect = hostile::serve(&Hostile::Http(RawHttp::RedirectLoop), None);
    for (from, to) in [("/", "/a"), ("/a", "/")] {
        let got = text(&get(&redirect, from, STEP, 1 << 20).await);
        assert!(got.contains(&format!("\r\nLocation: {to}\r\n")), "{got:?}");
    }

    let garbage = hostile::serve(&Hostile::TlsGarbage, None);
    let got = get(&garbage, "/", Duration::from_millis(500), GARBAGE_LEN).await;
    assert_eq!(got.len(), GARBAGE_LEN);
    assert!(got.starts_with(b"garbage"));
}
