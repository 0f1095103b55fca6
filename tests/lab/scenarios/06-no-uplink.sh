# No uplink: the laptop's only interface is down (no address, no route); resolv.conf still names
# the resolver.
DESC="no uplink (interface down, no route)"
EXPECT=offline
EXPECT_CAUSE=no-connection
EXPECT_ACTS=you
UPLINK=none
SETUP=''
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('Wi-Fi|cable')
WORLD="dns=fail mars=unreachable affiliate=unreachable gateway=unreachable control=unreachable http=unreachable"
