# The resolver is down: its port is closed, so every query is refused at once (ICMP port
# unreachable) instead of timing out.
DESC="resolver down (queries refused)"
EXPECT=dns-failure
EXPECT_CAUSE=resolvers-fail
EXPECT_ACTS=network
UPLINK=home
SETUP='
stop resolver
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('(another|other|different) network|router')
WORLD="dns=fail mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
