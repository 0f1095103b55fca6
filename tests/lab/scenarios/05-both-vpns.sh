# The HMS VPN and a hospital VPN at once: both tunnels work, but two VPNs conflict.
DESC="HMS VPN and hospital VPN both up"
EXPECT=conflicting-vpns
UPLINK=home
SETUP='
vpn hms
vpn hospital
'
EXPECT_VPNS='tun0:hms wg0:affiliate'
WORLD="dns=ok mars=ok affiliate=ok gateway=ok control=ok http=ok"
