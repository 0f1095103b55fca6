# On the LMA hospital network with the HMS VPN connected: one tunnel, MARS answers through it, and
# the affiliate portal answers too; MARS answering wins.
DESC="on the LMA network, HMS VPN up"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=lma
SETUP='
vpn hms
'
EXPECT_VPNS='tun0:hms'
WORLD="dns=ok mars=ok affiliate=ok gateway=ok control=ok http=ok"
