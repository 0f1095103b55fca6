# At home with the HMS VPN (openvpn, tun0) connected: MARS answers through the tunnel.
DESC="at home, HMS VPN (openvpn tun0) up"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
'
EXPECT_VPNS='tun0:hms'
EXPECT_FIRST_STEP=('MARS')
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok"
