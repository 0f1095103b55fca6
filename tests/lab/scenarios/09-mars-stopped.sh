# The HMS VPN is up but the MARS server is stopped (its port refuses connections). MARS itself is
# down (mars-down, HMS IT acts): the first step must not send the person reconnecting their VPN.
DESC="HMS VPN up, MARS server stopped"
EXPECT=mars-unreachable
EXPECT_CAUSE=mars-down
EXPECT_ACTS=hms-it
UPLINK=home
SETUP='
vpn hms
stop mars
'
EXPECT_VPNS='tun0:hms'
EXPECT_FIRST_STEP=('later|desk')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again|disconnect')
WORLD="dns=ok mars=refused affiliate=timeout gateway=ok control=ok http=ok"
