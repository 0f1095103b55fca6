# Another company's VPN (Acme Corp, openvpn, tun1), split tunnel: only Acme's network goes through it.
DESC="Acme Corp VPN (openvpn tun1), split tunnel"
EXPECT=needs-hms-vpn
UPLINK=home
SETUP='
vpn acme-split
'
EXPECT_VPNS='tun1:unknown'
MENTION='OpenVPN'
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
