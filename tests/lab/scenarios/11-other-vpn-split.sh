# Another company's VPN (Acme Corp, openvpn, tun1), split tunnel: only Acme's network goes through it.
DESC="Acme Corp VPN (openvpn tun1), split tunnel"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=other-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn acme-split
'
EXPECT_VPNS='tun1:unknown'
MENTION='OpenVPN'
EXPECT_FIRST_STEP=('OpenVPN')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
