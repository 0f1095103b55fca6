# The same web shield, but its root is not in the laptop's trust store (SSL_CERT_FILE is the lab CA
# only, as after a broken install): MARS, the gateway and the control host all present certificates
# with matching names from the same unknown issuer, though the HMS VPN is up and MARS is reachable.
# Contract 2: tls-intercepted, naming the issuer; not mars-unreachable.
DESC="HMS VPN up, antivirus web shield (its root NOT trusted)"
EXPECT=tls-intercepted
EXPECT_CAUSE=untrusted-issuer
EXPECT_ACTS=you
UPLINK=home
TRUST=lab
SETUP='
vpn hms
web-shield
'
EXPECT_VPNS='tun0:hms'
EXPECT_EVIDENCE=('SafeSurf')
EXPECT_FIRST_STEP=('SafeSurf')
WORLD="dns=ok mars=tls affiliate=timeout gateway=tls control=tls http=ok"
