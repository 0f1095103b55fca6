# The wrong Harvard VPN again, but MARS refuses instead of dropping: it answers 403 to anything
# that is not the HMS VPN or the HMS network (HMS's firewall lets everyone reach it). A 403 is a
# refusal, not an answer, and the tunnel is Harvard University's, not HMS's.
DESC="Harvard University VPN routes MARS, MARS answers 403"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=other-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn harvard
mars others=403
'
EXPECT_VPNS='tun2:unknown'
EXPECT_SAY=('Harvard University')
FORBID_SAY=('HMS VPN is (connected|up)')
CHECK_HOSTS='harvard-vpn=vpn.harvard.edu'
EXPECT_FIRST_STEP=('Harvard University')
WORLD="dns=ok mars=http403 affiliate=timeout gateway=ok control=ok harvard-vpn=refused http=ok clients=openvpn@vpn.harvard.edu mars.via=tun2 harvard-vpn.via=eth0"
