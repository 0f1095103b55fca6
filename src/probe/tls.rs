//! TLS probe: handshake with the operating system's trust store and record what the server
//! presented, even when verification fails (TLS inspection and captive portals show up here).
//!
//! A [`Recorder`] wraps `rustls-platform-verifier` (Windows CryptoAPI, macOS Security.framework,
//! Linux native roots including `SSL_CERT_FILE`/`SSL_CERT_DIR`), keeps the chain and the verdict,
//! then delegates. Verification is never turned off: a failure is recorded, not bypassed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::report::model::{CertInfo, Outcome, TlsData};

/// The trust side of every TLS probe, built once per run (loading the roots takes tens of ms).
#[derive(Clone)]
pub struct Trust {
    verifier: Result<Arc<rustls_platform_verifier::Verifier>, String>,
    /// The public (Mozilla) roots alone: tells a locally installed root apart.
    public: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl Trust {
    /// Loads the OS trust store. A store that cannot be loaded is kept as a finding for the probes.
    #[must_use]
    pub fn load() -> Trust {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map(Arc::new)
            .map_err(|e| format!("the trust store could not be loaded: {e}"));
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let public = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .ok();
        Trust {
            verifier,
            public,
            provider,
        }
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug, Default)]
struct Seen {
    chain: Vec<CertificateDer<'static>>,
    error: Option<rustls::Error>,
    public_root: Option<bool>,
}

/// Records the presented chain and the verification result, then answers as the OS verifier does.
#[derive(Debug)]
struct Recorder {
    inner: Arc<rustls_platform_verifier::Verifier>,
    public: Option<Arc<WebPkiServerVerifier>>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if let Ok(mut seen) = self.seen.lock() {
            seen.chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
            seen.error = result.as_ref().err().cloned();
            if result.is_ok() {
                seen.public_root = self.public.as_ref().map(|p| {
                    p.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                        .is_ok()
                });
            }
        }
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Result of the TLS step.
pub struct TlsResult {
    /// How the handshake ended.
    pub outcome: Outcome,
    /// Details for the report.
    pub data: TlsData,
    /// Handshake time.
    pub duration: Duration,
    /// The verified connection, when the handshake succeeded.
    pub stream: Option<TlsStream<TcpStream>>,
    /// A line explaining a failure.
    pub detail: Option<String>,
}

/// Runs a TLS handshake for `host` over an open TCP connection.
pub async fn handshake(trust: &Trust, tcp: TcpStream, host: &str, timeout: Duration) -> TlsResult {
    let start = Instant::now();
    let mut data = TlsData {
        server_name: host.to_owned(),
        ..TlsData::default()
    };
    let (connector, name, seen) = match prepare(trust, host) {
        Ok(prepared) => prepared,
        Err(detail) => {
            return TlsResult {
                outcome: Outcome::Error,
                data,
                duration: start.elapsed(),
                stream: None,
                detail: Some(detail),
            };
        }
    };
    let result = tokio::time::timeout(timeout, connector.connect(name, tcp)).await;
    let duration = start.elapsed();
    let seen = seen
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    describe_chain(&seen.chain, &mut data);
    if let Some(e) = &seen.error {
        data.verify_error = Some(verify_words(e));
    }
    data.public_root = seen.public_root;
    let (outcome, stream, detail) = match result {
        Err(_) => (
            Outcome::Timeout,
            None,
            Some(format!(
                "no TLS handshake within {} ms",
                timeout.as_millis()
            )),
        ),
        Ok(Ok(stream)) => {
            describe_session(&stream, &mut data);
            (Outcome::Ok, Some(stream), None)
        }
        Ok(Err(e)) => {
            let (outcome, detail) = classify_failure(seen.error.as_ref(), &e);
            (
                not_yet_valid(outcome, data.leaf.as_ref()),
                None,
                Some(detail),
            )
        }
    };
    TlsResult {
        outcome,
        data,
        duration,
        stream,
        detail,
    }
}

/// A connector whose verifier records into the returned [`Seen`], and the server name to send;
/// or why no handshake can be attempted (no trust store, no protocol version, not a TLS name).
fn prepare(
    trust: &Trust,
    host: &str,
) -> Result<(TlsConnector, ServerName<'static>, Arc<Mutex<Seen>>), String> {
    let inner = trust.verifier.clone()?;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let recorder = Arc::new(Recorder {
        inner,
        public: trust.public.clone(),
        seen: seen.clone(),
    });
    let config = ClientConfig::builder_with_provider(trust.provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recorder)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| format!("{host:?} is not a valid TLS server name: {e}"))?;
    Ok((TlsConnector::from(Arc::new(config)), name, seen))
}

/// Fills the negotiated version, cipher suite and ALPN protocol of a finished handshake.
fn describe_session(stream: &TlsStream<TcpStream>, data: &mut TlsData) {
    let (_, conn) = stream.get_ref();
    data.version = conn
        .protocol_version()
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    data.cipher = conn
        .negotiated_cipher_suite()
        .and_then(|c| c.suite().as_str())
        .map(str::to_owned);
    data.alpn = conn
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
}

/// Outcome and detail of a failed handshake: the verifier's finding when it had one, else what
/// the connection error says (a close during the handshake is `reset`).
fn classify_failure(verify: Option<&rustls::Error>, e: &std::io::Error) -> (Outcome, String) {
    let outcome = match verify {
        Some(verify) => classify_verify(verify),
        None => match e.kind() {
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::UnexpectedEof => {
                Outcome::Reset
            }
            _ => Outcome::TlsHandshakeFailed,
        },
    };
    let detail = match (verify, outcome) {
        (Some(v), _) => verify_words(v),
        (None, Outcome::Reset) => {
            "the server closed the connection during the TLS handshake".into()
        }
        (None, _) => e.to_string(),
    };
    (outcome, detail)
}

/// Maps a verification error to the closed outcome list.
#[must_use]
pub fn classify_verify(e: &rustls::Error) -> Outcome {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                Outcome::TlsUnknownIssuer
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Outcome::TlsNameMismatch
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                Outcome::TlsExpired
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Outcome::TlsNotYetValid
            }
            // The platform verifiers on macOS/Windows report some failures as Other: the
            // Windows error code first (its text is localised, and Wine cannot format it), then
            // the common ones by what they say.
            CertificateError::Other(o) => {
                let s = o.to_string().to_ascii_lowercase();
                if let Some((outcome, _)) = os_error_code(&s).and_then(windows_cert_error) {
                    outcome
                } else if s.contains("expired") {
                    Outcome::TlsExpired
                } else if s.contains("name") || s.contains("host") {
                    Outcome::TlsNameMismatch
                } else if s.contains("trust") || s.contains("issuer") || s.contains("root") {
                    Outcome::TlsUnknownIssuer
                } else {
                    Outcome::TlsHandshakeFailed
                }
            }
            _ => Outcome::TlsHandshakeFailed,
        },
        _ => Outcome::TlsHandshakeFailed,
    }
}

/// Windows says "expired" (`CERT_E_EXPIRED`) for a certificate that is not valid *yet* too:
/// the leaf's own dates tell which, as the clock rule needs the direction.
fn not_yet_valid(outcome: Outcome, leaf: Option<&CertInfo>) -> Outcome {
    let starts_later = leaf
        .and_then(|l| {
            time::OffsetDateTime::parse(
                &l.not_before,
                &time::format_description::well_known::Rfc3339,
            )
            .ok()
        })
        .is_some_and(|start| start > time::OffsetDateTime::now_utc());
    if outcome == Outcome::TlsExpired && starts_later {
        Outcome::TlsNotYetValid
    } else {
        outcome
    }
}

/// The verifier's finding in words: rustls's own, or for an operating-system code our words and
/// the code (never the OS's message text, which is localised and which Wine cannot format).
fn verify_words(e: &rustls::Error) -> String {
    let text = e.to_string();
    match os_error_code(&text.to_ascii_lowercase()) {
        Some(code) => {
            let words =
                windows_cert_error(code).map_or("the certificate was refused", |(_, words)| words);
            format!(
                "the operating system's certificate check: {words} (error 0x{:08X})",
                code.cast_unsigned()
            )
        }
        None => text,
    }
}

/// The number in an `(os error N)` suffix.
fn os_error_code(text: &str) -> Option<i32> {
    let rest = &text[text.rfind("os error ")? + "os error ".len()..];
    let digits: String = rest
        .chars()
        .enumerate()
        .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
        .map(|(_, c)| c)
        .collect();
    digits.parse().ok()
}

/// What a Windows certificate-chain error (`CERT_E_*`, `CRYPT_E_*`, `TRUST_E_*`) means.
fn windows_cert_error(code: i32) -> Option<(Outcome, &'static str)> {
    let outcome_words = match code.cast_unsigned() {
        0x800B_0101 => (
            Outcome::TlsExpired,
            "the certificate has expired or is not valid yet",
        ),
        0x800B_0109 => (
            Outcome::TlsUnknownIssuer,
            "the certificate chains to a root this computer does not trust",
        ),
        0x800B_010A => (
            Outcome::TlsUnknownIssuer,
            "the certificate's chain could not be built to a trusted root",
        ),
        0x8009_6004 => (
            Outcome::TlsUnknownIssuer,
            "the certificate's signature could not be verified",
        ),
        0x800B_010F => (
            Outcome::TlsNameMismatch,
            "the certificate is for another name",
        ),
        0x800B_010E | 0x8009_2012 | 0x8009_2013 => (
            Outcome::TlsHandshakeFailed,
            "whether the certificate was revoked could not be checked",
        ),
        0x800B_010C => (Outcome::TlsHandshakeFailed, "the certificate was revoked"),
        0x800B_0110 => (
            Outcome::TlsHandshakeFailed,
            "the certificate is not meant for a web server",
        ),
        _ => return None,
    };
    Some(outcome_words)
}

/// Fills the chain fields of `data` from the presented certificates.
fn describe_chain(chain: &[CertificateDer<'_>], data: &mut TlsData) {
    data.chain_length = chain.len();
    data.leaf = chain.first().and_then(|c| cert_info(c));
    data.chain_top_issuer = chain
        .last()
        .and_then(|c| x509_parser::parse_x509_certificate(c).ok())
        .map(|(_, cert)| cert.issuer().to_string());
}

/// Subject, issuer, SANs and validity of one DER certificate.
#[must_use]
pub fn cert_info(der: &[u8]) -> Option<CertInfo> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut san = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for name in &ext.value.general_names {
            match name {
                GeneralName::DNSName(d) => san.push((*d).to_owned()),
                GeneralName::IPAddress(bytes) => match bytes.len() {
                    4 => san.push(
                        std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
                    ),
                    16 => {
                        let mut octets = [0u8; 16];
                        octets.copy_from_slice(bytes);
                        san.push(std::net::Ipv6Addr::from(octets).to_string());
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    let rfc3339 = |t: x509_parser::time::ASN1Time| {
        t.to_datetime()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    Some(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        san,
        not_before: rfc3339(cert.validity().not_before),
        not_after: rfc3339(cert.validity().not_after),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_errors_map_to_tls_outcomes() {
        let inv = |c| rustls::Error::InvalidCertificate(c);
        assert_eq!(
            classify_verify(&inv(CertificateError::UnknownIssuer)),
            Outcome::TlsUnknownIssuer
        );
        assert_eq!(
            classify_verify(&inv(CertificateError::NotValidForName)),
            Outcome::TlsNameMismatch
        );
        assert_eq!(
            classify_verify(&inv(CertificateError::Expired)),
            Outcome::TlsExpired
        );
        assert_eq!(
            classify_verify(&inv(CertificateError::NotValidYet)),
            Outcome::TlsNotYetValid
        );
        assert_eq!(
            classify_verify(&rustls::Error::General("x".into())),
            Outcome::TlsHandshakeFailed
        );
    }

    /// The Windows verifier's errors as Wine and localised Windows give them: by their code,
    /// said in our words, never the OS's message text.
    #[test]
    fn windows_verifier_codes_are_read_by_number() {
        let other = |text: &str| {
            rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(
                std::sync::Arc::new(std::io::Error::other(text.to_owned())),
            )))
        };
        let wine = other(
            "OS Error -2146869244 (FormatMessageW() returned error 317) (os error -2146869244)",
        );
        assert_eq!(classify_verify(&wine), Outcome::TlsUnknownIssuer);
        let words = verify_words(&wine);
        assert!(!words.contains("FormatMessageW"), "{words}");
        assert!(words.contains("0x80096004"), "{words}");
        // A German Windows: the words are German, the code is the same.
        let expired = other("Ein erforderliches Zertifikat ist abgelaufen. (os error -2146762495)");
        assert_eq!(classify_verify(&expired), Outcome::TlsExpired);
        let root = other("... (os error -2146762487)");
        assert_eq!(classify_verify(&root), Outcome::TlsUnknownIssuer);
        let name = other("... (os error -2146762481)");
        assert_eq!(classify_verify(&name), Outcome::TlsNameMismatch);
        let revocation = other("... (os error -2146762482)");
        assert_eq!(classify_verify(&revocation), Outcome::TlsHandshakeFailed);
        assert!(verify_words(&revocation).contains("revoked could not be checked"));
        // No code: the words decide, as before.
        assert_eq!(
            classify_verify(&other("certificate has expired")),
            Outcome::TlsExpired
        );
        assert_eq!(os_error_code("no code here"), None);
    }

    #[test]
    fn an_expired_answer_for_a_certificate_that_starts_later_is_not_yet_valid() {
        let leaf = |not_before: &str| CertInfo {
            not_before: not_before.into(),
            ..CertInfo::default()
        };
        let later = leaf("2999-01-01T00:00:00Z");
        let earlier = leaf("2001-01-01T00:00:00Z");
        assert_eq!(
            not_yet_valid(Outcome::TlsExpired, Some(&later)),
            Outcome::TlsNotYetValid
        );
        assert_eq!(
            not_yet_valid(Outcome::TlsExpired, Some(&earlier)),
            Outcome::TlsExpired
        );
        assert_eq!(
            not_yet_valid(Outcome::TlsUnknownIssuer, Some(&later)),
            Outcome::TlsUnknownIssuer
        );
        assert_eq!(
            not_yet_valid(Outcome::TlsExpired, None),
            Outcome::TlsExpired
        );
    }
}
