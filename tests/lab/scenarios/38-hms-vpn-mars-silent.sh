# The HMS VPN is up and works (the control host and the gateway answer through it), but MARS itself
# is silent to it (dropped, as a MARS that hangs would be). mars-unreachable, and the evidence must
# point at MARS, not at the tunnel: the tunnel demonstrably carries traffic, so it must not be said
# to pass nothing (the counterpart of 26, where it does pass nothing). Nothing explains the silence
# (mars-silent): the report goes to the Service Desk, and reconnecting is not the first step.
DESC="HMS VPN up and working, MARS silent to it"
EXPECT=mars-unreachable
EXPECT_CAUSE=mars-silent
EXPECT_ACTS=service-desk
UPLINK=home
SETUP='
vpn hms
mars vpn=drop
'
EXPECT_VPNS='tun0:hms'
EXPECT_EVIDENCE=('MARS did not answer|MARS does not answer|MARS (stays|stayed|was|is) silent')
FORBID_SAY=('pass(es)? (no|nothing)|no traffic|received nothing')
EXPECT_FIRST_STEP=('desk')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok mars.via=tun0 control.via=tun0"
