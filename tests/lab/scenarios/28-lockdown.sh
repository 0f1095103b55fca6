# This computer blocks its own traffic: the laptop's firewall (as a VPN client's lock-down or
# always-on mode does while its VPN is down) drops every packet it would send, except to the HMS VPN
# gateway. UDP sends (DNS) fail at once with EPERM; TCP connects are refused by the kernel or wait.
# Not dns-failure nor offline: blocked-locally, and the next steps say what kind of software does it.
DESC="the laptop's own firewall drops everything but the VPN gateway"
EXPECT=blocked-locally
EXPECT_CAUSE=permission-denied
EXPECT_ACTS=you
UPLINK=home
SETUP='
lockdown
'
EXPECT_VPNS=''
EXPECT_STEP=('firewall|security software|antivirus|lock-?down|always-on')
EXPECT_FIRST_STEP=('firewall|security software|antivirus|lock-?down|always-on|blocks? (all )?traffic')
WORLD="dns=fail udp=eperm mars=timeout affiliate=timeout gateway=ok control=timeout http=timeout"
