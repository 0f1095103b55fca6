# An office LAN outside the LMA that lets out only DNS and its web proxy (as proxy-only-office), named
# by HTTPS_PROXY, and the proxy's process has stopped (its port refuses). Nothing answers, but the
# cause is the proxy, not the network as a whole: offline, proxy-down (not nothing-answers), and the
# first step names the proxy setting.
DESC="office LAN where only its web proxy goes out, the proxy stopped"
EXPECT=offline
EXPECT_CAUSE=proxy-down
EXPECT_ACTS=you
UPLINK=home
SETUP='
proxy-only home
stop home-proxy
'
ENV='HTTPS_PROXY=http://198.18.1.8:3128'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('proxy')
FORBID_SAY=('--timeout')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=timeout proxy=refused"
