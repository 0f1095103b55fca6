# On the LMA hospital network, which inspects TLS: a transparent proxy answers every HTTPS
# connection with certificates from the hospital's own root, which this hospital-managed laptop
# trusts (SSL_CERT_FILE holds it). TCP to MARS is accepted by the proxy, but MARS never answers
# behind it; the affiliate portal does. The inspection is worth knowing, not a verdict: a warning
# names the issuer.
DESC="on the LMA network with TLS inspection (hospital root trusted)"
EXPECT=inside-lma
EXPECT_CAUSE=on-lma-network
EXPECT_ACTS=you
UPLINK=lma
TRUST=hospital
SETUP='
tls-inspection
'
EXPECT_VPNS=''
EXPECT_WARNING=('Longwood Hospital')
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
