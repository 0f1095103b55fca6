//! A test certificate authority (rcgen) and the leaf certificates the HTTPS fixtures present.
//!
//! A world's CA is written to `ca.pem`, which the binary trusts through `SSL_CERT_FILE` (see
//! `world.rs`); the re-signing CA stays in memory (`TestCa::in_memory`).
//! Leaves come valid, expired, not yet valid, for another name, or self-signed (not from the CA).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

/// A certificate authority for one test.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    cert: CertificateDer<'static>,
    pem: String,
    /// Where the certificate was written; `None` for a CA that is never trusted by a file.
    pem_path: Option<PathBuf>,
}

/// A certificate chain and key for a server.
#[derive(Debug)]
pub struct Leaf {
    /// Leaf first, then the CA (when the leaf comes from one).
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key (PKCS#8).
    pub key: PrivateKeyDer<'static>,
    /// The names (SANs) the leaf is valid for.
    pub names: Vec<String>,
}

impl Clone for Leaf {
    fn clone(&self) -> Self {
        Leaf {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
            names: self.names.clone(),
        }
    }
}

impl Leaf {
    /// A rustls server configuration presenting this leaf (ring provider, TLS 1.2 and 1.3, ALPN http/1.1).
    ///
    /// # Panics
    /// When rustls rejects the key (a bug in this module).
    #[must_use]
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_no_client_auth()
        .with_single_cert(self.chain.clone(), self.key.clone_key())
        .expect("rustls accepts the fixture certificate");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }
}

/// Validity of a leaf relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// From yesterday for 30 days.
    Current,
    /// Ended yesterday.
    Expired,
    /// Starts in 30 days.
    NotYetValid,
}

impl Validity {
    fn window(self) -> (OffsetDateTime, OffsetDateTime) {
        let now = OffsetDateTime::now_utc();
        match self {
            Validity::Current => (now - Duration::days(1), now + Duration::days(30)),
            Validity::Expired => (now - Duration::days(60), now - Duration::days(1)),
            Validity::NotYetValid => (now + Duration::days(30), now + Duration::days(60)),
        }
    }
}

impl TestCa {
    /// Creates a CA and writes its certificate to `dir/ca.pem`.
    ///
    /// # Panics
    /// When the key cannot be generated or the file cannot be written.
    #[must_use]
    pub fn new(dir: &Path) -> TestCa {
        let mut ca = TestCa::in_memory("hmsaccess test CA", "hmsaccess fixtures");
        let pem_path = dir.join("ca.pem");
        std::fs::write(&pem_path, &ca.pem).expect("write ca.pem");
        ca.pem_path = Some(pem_path);
        ca
    }

    /// A CA with this common name and organisation, kept in memory only (no file trusts it).
    ///
    /// # Panics
    /// When the key cannot be generated.
    #[must_use]
    pub fn in_memory(common_name: &str, organisation: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("empty SAN list");
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, organisation);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(2);
        params.not_after = now + Duration::days(365);
        let key = KeyPair::generate().expect("generate CA key");
        let cert = params.self_signed(&key).expect("self-sign CA");
        TestCa {
            issuer: Issuer::new(params, key),
            cert: cert.der().clone(),
            pem: cert.pem(),
            pem_path: None,
        }
    }

    /// Where `ca.pem` is.
    ///
    /// # Panics
    /// For a CA made [`TestCa::in_memory`], which has no file.
    #[must_use]
    pub fn pem_path(&self) -> &Path {
        self.pem_path
            .as_deref()
            .expect("a CA made in memory has no ca.pem")
    }

    /// The CA certificate, PEM.
    #[must_use]
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The CA certificate, DER.
    #[must_use]
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// A root store holding only this CA (for the self-tests' own TLS clients).
    #[must_use]
    pub fn root_store(&self) -> rustls::RootCertStore {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.cert.clone()).expect("the CA parses");
        roots
    }

    /// A valid leaf for `names` (DNS names or IP literals), signed by this CA.
    #[must_use]
    pub fn leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_with(names, Validity::Current)
    }

    /// A leaf for `names` that expired yesterday.
    #[must_use]
    pub fn expired_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_with(names, Validity::Expired)
    }

    /// A leaf for `names` that becomes valid in 30 days.
    #[must_use]
    pub fn not_yet_valid_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_with(names, Validity::NotYetValid)
    }

    /// A leaf signed by this CA with the given validity.
    ///
    /// # Panics
    /// When a name is not a valid SAN.
    #[must_use]
    pub fn leaf_with(&self, names: &[&str], validity: Validity) -> Leaf {
        let (params, key) = leaf_params(names, validity);
        let cert = params.signed_by(&key, &self.issuer).expect("sign leaf");
        Leaf {
            chain: vec![cert.der().clone(), self.cert.clone()],
            key: pkcs8(&key),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }
}

/// A currently valid leaf for `names` that signs itself: no CA vouches for it (unknown issuer).
///
/// # Panics
/// When a name is not a valid SAN.
#[must_use]
pub fn self_signed_leaf(names: &[&str]) -> Leaf {
    let (params, key) = leaf_params(names, Validity::Current);
    let cert = params.self_signed(&key).expect("self-sign leaf");
    Leaf {
        chain: vec![cert.der().clone()],
        key: pkcs8(&key),
        names: names.iter().map(|n| (*n).to_owned()).collect(),
    }
}

fn leaf_params(names: &[&str], validity: Validity) -> (CertificateParams, KeyPair) {
    let sans: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(sans).expect("valid SANs");
    params.distinguished_name.push(
        DnType::CommonName,
        names.first().copied().unwrap_or("fixture"),
    );
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let (not_before, not_after) = validity.window();
    params.not_before = not_before;
    params.not_after = not_after;
    (params, KeyPair::generate().expect("generate leaf key"))
}

fn pkcs8(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}
