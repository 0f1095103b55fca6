# The resolver silently drops every query; routes and servers are fine.
DESC="resolver drops every query"
EXPECT=dns-failure
UPLINK=home
SETUP='
resolver drop
'
EXPECT_VPNS=''
WORLD="dns=fail mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
