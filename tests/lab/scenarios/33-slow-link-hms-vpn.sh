# In-flight Wi-Fi: every packet to or from the laptop waits 600 ms each way (a 1.2 s round trip for
# DNS, TCP, TLS and the VPN's own UDP alike; link_delay.py). The HMS VPN is up and MARS's front
# page redirects to its own sign-in page, as the real MARS does. Step timeouts must scale with the
# measured round trip: hms-vpn, within 10 s.
DESC="in-flight Wi-Fi (1.2 s round trip), HMS VPN, MARS redirects to its login page"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=plane:600
MAX_WALL=10
SETUP='
vpn hms
mars vpn=login
'
EXPECT_VPNS='tun0:hms'
CHECK_TIME=9
WORLD="dns=ok mars=http302 mars.location=https://mars.med.harvard.edu/login?next=/ affiliate=timeout gateway=ok control=ok http=ok"
