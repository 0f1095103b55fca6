# The HMS VPN is up and works, and MARS refuses this person through it: 403 Forbidden. Their account
# has no MARS access: the Service Desk grants it; reconnecting changes nothing.
DESC="HMS VPN up, MARS answers 403 through it"
EXPECT=mars-unreachable
EXPECT_CAUSE=access-refused
EXPECT_ACTS=service-desk
UPLINK=home
SETUP='
vpn hms
mars vpn=403
'
EXPECT_VPNS='tun0:hms'
EXPECT_SAY=('403')
EXPECT_FIRST_STEP=('desk')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again')
WORLD="dns=ok mars=http403 affiliate=timeout gateway=ok control=ok http=ok mars.via=tun0"
