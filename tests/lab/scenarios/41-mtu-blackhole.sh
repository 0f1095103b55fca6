# The HMS VPN is up and works for small packets, but the path back from MARS drops every packet over
# 700 bytes without a word (no ICMP, so path-MTU discovery never learns): TCP to MARS connects, the
# secure handshake never completes (MARS's certificate does not fit). The classic VPN MTU fault: the
# network's to fix, not MARS's, and reconnecting the VPN does not help.
DESC="HMS VPN up, MARS's packets over 700 bytes dropped (MTU black hole)"
EXPECT=mars-unreachable
EXPECT_CAUSE=handshake-stalls
EXPECT_ACTS=network
UPLINK=home
SETUP='
vpn hms
mtu-blackhole 700
'
EXPECT_VPNS='tun0:hms'
EXPECT_FIRST_STEP=('(another|other|different) network')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok mars.via=tun0 mars.tcp=ok control.via=tun0"
