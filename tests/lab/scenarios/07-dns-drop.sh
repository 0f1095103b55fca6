# The resolver silently drops every query; routes and servers are fine.
DESC="resolver drops every query"
EXPECT=dns-failure
EXPECT_CAUSE=resolvers-fail
EXPECT_ACTS=network
UPLINK=home
SETUP='
resolver drop
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('(another|other|different) network|router')
WORLD="dns=fail mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
