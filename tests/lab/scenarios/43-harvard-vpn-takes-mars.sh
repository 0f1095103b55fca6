# Two VPNs, connected in this order: the HMS VPN (openvpn tun0 to the HMS gateway), which routes HMS's
# 198.18.64.0/20, then Harvard University's VPN (openvpn tun2 to vpn.harvard.edu), which routes the
# same block: its route goes in front of the HMS VPN's equal one, so MARS's traffic goes into
# Harvard's tunnel, where MARS drops it. Both servers are named (command lines), so the
# roles are certain: tun0 is the HMS VPN, tun2 is not. Two tunnels up and MARS silent: the
# contract's order puts conflicting-vpns before mars-unreachable, and the routes say which tunnel is
# at fault, so the cause is other-vpn-takes-mars (not route-taken, though the facts fit its words
# too; see docs/lab.md). The first step names the Harvard University VPN and keeps the HMS VPN.
DESC="HMS VPN, then Harvard University VPN: Harvard's tunnel takes MARS's route"
EXPECT=conflicting-vpns
EXPECT_CAUSE=other-vpn-takes-mars
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
vpn harvard
'
EXPECT_VPNS='tun0:hms tun2:unknown'
EXPECT_FIRST_STEP=('Harvard University')
FORBID_SAY=('disconnect\s*[,.(]|disconnect\s*$|\(\s*\)')
CHECK_HOSTS='harvard-vpn=vpn.harvard.edu'
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok clients=openvpn@198.18.64.1,openvpn@vpn.harvard.edu mars.via=tun2 mars.tcp=timeout gateway.via=eth0 harvard-vpn.via=eth0"
