# The laptop's clock is 10 minutes behind: certificates (issued long before, here yesterday) are
# still valid and MARS answers, so the verdict stands (hms-vpn); the offset is worth a warning.
DESC="HMS VPN up, laptop clock 10 minutes behind"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
CLOCK=-10m
SETUP='
vpn hms
'
EXPECT_VPNS='tun0:hms'
EXPECT_WARNING=('10 minutes')
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok clock=-10m"
