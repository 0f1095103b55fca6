# At home, no VPN, and no HMS VPN app installed (INSTALLED=none: laptop_apps.sh hides any this machine
# has; OpenVPN and WireGuard, which are not HMS's, stay). The person cannot connect the HMS VPN
# themselves yet: needs-hms-vpn, no-hms-client, and the Service Desk acts (an account and the app).
DESC="at home, no VPN, no HMS VPN app installed"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=no-hms-client
EXPECT_ACTS=service-desk
UPLINK=home
INSTALLED=none
SETUP=''
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('desk')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok apps=none"
