# Two VPNs, neither of them the HMS VPN, and neither carrying MARS's or the portal's route: Acme's
# split tunnel (openvpn tun1, Acme's network only) and Harvard University's VPN set to Harvard's own
# network (openvpn tun2 to vpn.harvard.edu, 198.18.80.0/20 only). MARS and the portal are reached
# directly and stay silent. Two tunnels and no access: conflicting-vpns, and since no route blames
# either tunnel, vpns-up: disconnect every VPN but the HMS VPN (here, both).
DESC="Acme split VPN and Harvard University VPN (own network only), no access"
EXPECT=conflicting-vpns
EXPECT_CAUSE=vpns-up
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn acme-split
vpn harvard own
'
EXPECT_VPNS='tun1:unknown tun2:unknown'
EXPECT_FIRST_STEP=('disconnect')
EXPECT_SAY=('Harvard University')
FORBID_SAY=('disconnect\s*[,.(]|disconnect\s*$|\(\s*\)')
CHECK_HOSTS='harvard-vpn=vpn.harvard.edu'
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok mars.via=eth0 affiliate.via=eth0 harvard-vpn.via=eth0"
