# The same TLS-inspecting hospital network, but this laptop does not trust the hospital's root
# (a personal laptop): every certificate is refused. No verdict in the contract fits that; the
# report must say inconclusive and explain the interception in its evidence.
DESC="on the LMA network with TLS inspection (hospital root NOT trusted)"
EXPECT=inconclusive
UPLINK=lma
TRUST=lab
SETUP='
tls-inspection
'
EXPECT_VPNS=''
WORLD="dns=ok mars=timeout affiliate=tls gateway=tls control=tls http=ok"
