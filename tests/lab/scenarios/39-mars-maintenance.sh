# The HMS VPN is up and works, and MARS answers it with 503 Service Unavailable (down for
# maintenance, Retry-After). MARS itself fails: nothing on this computer will fix it, so the first
# step must not send the person reconnecting their VPN (issue 19), and the summary says the status.
DESC="HMS VPN up, MARS answers 503 (maintenance)"
EXPECT=mars-unreachable
EXPECT_CAUSE=mars-down
EXPECT_ACTS=hms-it
UPLINK=home
SETUP='
vpn hms
mars vpn=503
'
EXPECT_VPNS='tun0:hms'
EXPECT_SAY=('503')
EXPECT_FIRST_STEP=('later|desk')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again|disconnect')
WORLD="dns=ok mars=http503 affiliate=timeout gateway=ok control=ok http=ok mars.via=tun0"
