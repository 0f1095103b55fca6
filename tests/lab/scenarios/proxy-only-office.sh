# An office or hotel LAN outside the LMA where only the LAN's web proxy may go out, named in the
# laptop's environment: the proxy reaches the internet (the public HMS site, the VPN gateway) but
# neither MARS nor the affiliate portal, so the person is outside and needs the HMS VPN. The plain-
# HTTP check goes direct and is dropped: that must not make the internet look down.
DESC="office LAN outside the LMA, only its web proxy goes out (HTTPS_PROXY)"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=no-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
proxy-only home
'
ENV='HTTPS_PROXY=http://198.18.1.8:3128'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('openconnect')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=timeout"
