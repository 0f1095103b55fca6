# The HMS VPN is up but the MARS server is stopped (its port refuses connections).
DESC="HMS VPN up, MARS server stopped"
EXPECT=mars-unreachable
UPLINK=home
SETUP='
vpn hms
stop mars
'
EXPECT_VPNS='tun0:hms'
WORLD="dns=ok mars=refused affiliate=timeout gateway=ok control=ok http=ok"
