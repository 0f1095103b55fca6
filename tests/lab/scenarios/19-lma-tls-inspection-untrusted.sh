# The same TLS-inspecting hospital network, but this laptop does not trust the hospital's root
# (a personal laptop): every certificate is refused, all from the same unknown issuer, with names
# that match. Contract 2: tls-intercepted, and the evidence names the issuer.
DESC="on the LMA network with TLS inspection (hospital root NOT trusted)"
EXPECT=tls-intercepted
EXPECT_CAUSE=untrusted-issuer
EXPECT_ACTS=you
UPLINK=lma
TRUST=lab
SETUP='
tls-inspection
'
EXPECT_VPNS=''
EXPECT_EVIDENCE=('Longwood Hospital')
EXPECT_FIRST_STEP=('Longwood Hospital')
WORLD="dns=ok mars=timeout affiliate=tls gateway=tls control=tls http=ok"
