# On a hospital LAN where only the hospital's web proxy (inside the LMA) may go out, with the proxy
# in the laptop's environment as the hospital's IT sets it (issue 12): the HTTPS checks go through
# the proxy, which reaches the affiliate portal; MARS stays closed to it.
DESC="hospital LAN, only its web proxy goes out (HTTPS_PROXY)"
EXPECT=inside-lma
EXPECT_CAUSE=on-lma-network
EXPECT_ACTS=you
UPLINK=lma
SETUP='
proxy-only
'
ENV='HTTPS_PROXY=http://198.18.32.8:3128'
EXPECT_VPNS=''
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=timeout"
