# A hotel network whose portal leaves DNS alone: names resolve to their real addresses, every plain
# HTTP connection lands on the portal (302 to its login page), HTTPS is silently dropped.
DESC="captive portal that hijacks HTTP only (real DNS, HTTPS dropped)"
EXPECT=captive-portal
EXPECT_CAUSE=login-page
EXPECT_ACTS=you
UPLINK=home
SETUP='
captive-portal http-only
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('sign in|log in|login|web page|browser')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=portal"
