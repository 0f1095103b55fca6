# Another company's VPN (Acme Corp, wireguard-go, wg-acme), full tunnel: everything leaves through
# Acme's network, which is neither HMS nor the LMA. The next steps must name it by its app
# (WireGuard; contract 2: apps, not interface names) and say to disconnect it.
DESC="Acme Corp VPN (wireguard-go wg-acme), full tunnel"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=other-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn acme-full
'
EXPECT_VPNS='wg-acme:unknown'
MENTION='WireGuard'
EXPECT_FIRST_STEP=('WireGuard')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
