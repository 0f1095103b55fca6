# At home, no VPN: the internet works, MARS and the affiliate portal stay silent (firewalled).
DESC="at home, no VPN"
EXPECT=needs-hms-vpn
UPLINK=home
SETUP=''
EXPECT_VPNS=''
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
