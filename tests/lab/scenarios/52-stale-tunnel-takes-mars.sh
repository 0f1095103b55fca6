# The HMS VPN is up and works (the public HMS site answers through tun0), but a tunnel device left
# behind by an earlier VPN client (vpn0: down, no program holds it, its address and a route to
# MARS's 198.18.64.0/28 still there) takes MARS's traffic, which is lost in it. vpn0 is no VPN to
# hmsaccess (it is down), so only the HMS VPN is listed and the verdict is mars-unreachable, not
# conflicting-vpns; MARS's route goes into a tunnel that is not the HMS VPN's: route-taken, and
# the person acts. The first step names the interface, the only name there is for it.
DESC="HMS VPN up, a stale tunnel device (vpn0, down) keeps a route to MARS's block"
EXPECT=mars-unreachable
EXPECT_CAUSE=route-taken
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
stale-tunnel
'
EXPECT_VPNS='tun0:hms'
EXPECT_FIRST_STEP=('vpn0')
EXPECT_EVIDENCE=('vpn0')
FORBID_SAY=('disconnect\s*[,.(]|disconnect\s*$|\(\s*\)')
FORBID_FIRST_STEP=('reconnect (it|the HMS VPN)|disconnect|connect (it|the HMS VPN) again')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok mars.via=vpn0 mars.tcp=timeout control.via=tun0 gateway.via=eth0"
