# At home, no VPN: the internet works, MARS and the affiliate portal stay silent (firewalled).
# An HMS VPN app is installed (INSTALLED=openconnect, the default: laptop_apps.sh puts a stand-in
# where hmsaccess looks, whatever this machine has), so the cause is no-vpn and the first step names
# that app; without one it would be no-hms-client (scenario 50).
DESC="at home, no VPN"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=no-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP=''
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('openconnect')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok apps=openconnect"
