# Guest Wi-Fi with a captive portal: its resolver answers every name with the portal, plain HTTP
# is redirected to its login page, HTTPS shows the portal's own (untrusted) certificate.
DESC="captive portal on guest Wi-Fi"
EXPECT=captive-portal
UPLINK=home
SETUP='
captive-portal
'
EXPECT_VPNS=''
WORLD="dns=portal mars=tls affiliate=tls gateway=tls control=tls http=portal"
