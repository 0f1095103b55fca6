# The laptop is plugged into HMS's own network (an office LAN in an HMS building, 198.18.68.0/24),
# no VPN: MARS lets the HMS network in, so it answers. hms-vpn, on-hms-network; the verdict must not
# claim a VPN.
DESC="on an HMS office LAN, no VPN"
EXPECT=hms-vpn
EXPECT_CAUSE=on-hms-network
EXPECT_ACTS=you
UPLINK=hms
SETUP=''
EXPECT_VPNS=''
FORBID_SAY=('connected (through|to|via) the HMS VPN' 'HMS VPN is (connected|up)')
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok mars.via=eth0"
