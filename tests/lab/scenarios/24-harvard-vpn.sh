# The wrong Harvard VPN: Harvard University's own VPN (openvpn to vpn.harvard.edu, tun2) carries
# Harvard's address space, HMS's included, so MARS's route goes through it; but MARS lets in only
# the HMS VPN, and HMS's firewall drops what comes from Harvard's VPN. The tunnel's gateway decides
# its role (the client's command line names vpn.harvard.edu; the host route to that gateway goes via
# eth0), not the routes it carries: the person needs the HMS VPN, and the report names the VPN that
# is up as Harvard University's. Not mars-unreachable: the HMS VPN is not connected at all.
DESC="Harvard University VPN (vpn.harvard.edu) routes MARS, MARS drops it"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=other-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn harvard
'
EXPECT_VPNS='tun2:unknown'
EXPECT_SAY=('Harvard University')
FORBID_SAY=('HMS VPN is (connected|up)')
CHECK_HOSTS='harvard-vpn=vpn.harvard.edu'
EXPECT_FIRST_STEP=('Harvard University')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok harvard-vpn=refused http=ok clients=openvpn@vpn.harvard.edu mars.via=tun2 harvard-vpn.via=eth0"
