# No uplink: the laptop's only interface is down (no address, no route); resolv.conf still names
# the resolver.
DESC="no uplink (interface down, no route)"
EXPECT=offline
UPLINK=none
SETUP=''
EXPECT_VPNS=''
WORLD="dns=fail mars=unreachable affiliate=unreachable gateway=unreachable control=unreachable http=unreachable"
