# The HMS VPN and another company's split-tunnel VPN at once: MARS answers, but two VPNs conflict.
DESC="HMS VPN and Acme Corp VPN both up"
EXPECT=conflicting-vpns
UPLINK=home
SETUP='
vpn hms
vpn acme-split
'
EXPECT_VPNS='tun0:hms tun1:unknown'
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok"
