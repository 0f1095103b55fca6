# Issue 19's report: the HMS VPN beside a corporate full-tunnel VPN (Acme, WireGuard wg-acme) that
# also routes HMS's block by name. Acme connected last, so its 198.18.64.0/20 route goes in front of
# the HMS VPN's equal one: MARS goes into Acme's tunnel and is dropped by HMS's firewall.
# WireGuard names no server a process shows, so wg-acme is judged by its routes, and is never `hms`
# beside tun0, whose server is the HMS gateway (contract 3's tunnel roles). Two tunnels, no access,
# the routes blame wg-acme: conflicting-vpns, other-vpn-takes-mars; the first step names WireGuard
# and never leaves a blank where a name goes ("disconnect , keep …" was the bug).
DESC="HMS VPN, then Acme full-tunnel VPN routing HMS's block"
EXPECT=conflicting-vpns
EXPECT_CAUSE=other-vpn-takes-mars
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
vpn acme-full hms
'
EXPECT_VPNS='tun0:hms wg-acme:unknown'
EXPECT_FIRST_STEP=('WireGuard')
FORBID_SAY=('disconnect\s*[,.(]|disconnect\s*$|\(\s*\)')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok clients=openvpn@198.18.64.1,wireguard-go mars.via=wg-acme mars.tcp=timeout gateway.via=eth0"
