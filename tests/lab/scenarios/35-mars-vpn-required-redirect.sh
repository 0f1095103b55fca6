# At home, no VPN, and MARS redirects outsiders to HMS IT's "VPN required" page
# (https://it.hms.harvard.edu/vpn-now-required, which the control host serves). A redirect to a page
# the profile lists as a refusal is not an answer: needs-hms-vpn.
DESC="at home, no VPN, MARS redirects to vpn-now-required"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=no-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
mars others=vpn-required
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('openconnect')
WORLD="dns=ok mars=http302 mars.location=https://it.hms.harvard.edu/vpn-now-required affiliate=timeout gateway=ok control=ok http=ok"
