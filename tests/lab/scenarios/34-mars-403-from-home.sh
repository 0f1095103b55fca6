# At home, no VPN, and MARS refuses this network instead of dropping it: 403 Forbidden. A 403 is
# not "MARS answers" (contract 2): needs-hms-vpn, exit 10.
DESC="at home, no VPN, MARS answers 403"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=no-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
mars others=403
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('openconnect')
WORLD="dns=ok mars=http403 affiliate=timeout gateway=ok control=ok http=ok"
