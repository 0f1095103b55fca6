# At home with a proxy setting left behind: HTTPS_PROXY names 198.18.1.8:3128, an address on the home
# LAN where nothing listens any more (the connection is refused at once). Everything else works
# directly, but the browser, and so the HTTPS probes, go through the proxy: offline, proxy-down, and
# the first step says to check the setting (turn it off if unneeded), naming where it is set
# (HTTPS_PROXY). No --timeout is given, so nothing may suggest running again without one.
DESC="at home, HTTPS_PROXY names a proxy where nothing listens"
EXPECT=offline
EXPECT_CAUSE=proxy-down
EXPECT_ACTS=you
UPLINK=home
SETUP='
proxy-dead refuse
'
ENV='HTTPS_PROXY=http://198.18.1.8:3128'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('proxy' 'HTTPS_PROXY')
FORBID_SAY=('--timeout')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok proxy=refused"
