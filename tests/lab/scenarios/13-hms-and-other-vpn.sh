# The HMS VPN and another company's split-tunnel VPN at once: MARS answers, so the verdict is
# hms-vpn (contract 2), with a warning naming the other VPN (OpenVPN, tun1).
DESC="HMS VPN and Acme Corp VPN both up"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
vpn acme-split
'
EXPECT_VPNS='tun0:hms tun1:unknown'
EXPECT_WARNING=('OpenVPN')
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok"
