# Guest Wi-Fi with a captive portal: its resolver answers every name with the portal, plain HTTP
# is redirected to its login page, HTTPS shows the portal's own (untrusted) certificate.
DESC="captive portal on guest Wi-Fi"
EXPECT=captive-portal
EXPECT_CAUSE=login-page
EXPECT_ACTS=you
UPLINK=home
SETUP='
captive-portal
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('sign in|log in|login|web page|browser')
WORLD="dns=portal mars=tls affiliate=tls gateway=tls control=tls http=portal"
