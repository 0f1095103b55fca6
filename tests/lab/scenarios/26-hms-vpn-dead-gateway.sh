# The HMS VPN is "connected" but passes nothing: the tunnel came up, then the gateway went away
# (every packet to or from its address is dropped; the laptop slept, the session expired). tun0
# and its routes stay up and openvpn goes on sending; nothing comes back, and the gateway's own web
# server is silent too. A split tunnel (MARS's block only), so the control host still answers
# directly and the internet works. The verdict is mars-unreachable, but the evidence must say the
# tunnel passes nothing and the gateway does not answer, and reconnecting the VPN comes first.
DESC="HMS VPN up (split), then its gateway goes silent"
EXPECT=mars-unreachable
EXPECT_CAUSE=tunnel-dead
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms split
gateway dead
'
EXPECT_VPNS='tun0:hms'
EXPECT_EVIDENCE=("(gateway|VPN's (own )?server).*(not|never|no) (answer|respond|reply)|(gateway|VPN's (own )?server).*(silent|timed out)" 'pass(es)? (no|nothing)|no traffic|nothing (comes |came )?back|(receiv|got) nothing|not (receiv|pass)')
EXPECT_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again|disconnect.*connect')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=ok http=ok mars.via=tun0 gateway.via=eth0 control.via=eth0"
