# The hospital VPN over a very slow path (800 ms each way: a 1.6 s round trip in the tunnel),
# while the public internet stays fast. The control host's fast round trip must not be used to
# call the portal "blocked": it is measured over another path (found by the lab, fixed in
# src/probe/run.rs connect_bounded).
DESC="hospital VPN with 1.6 s round trip"
EXPECT=inside-lma
EXPECT_CAUSE=via-hospital-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hospital 800
'
EXPECT_VPNS='wg0:affiliate'
CHECK_TIME=6   # curl needs 3 round trips (TCP, TLS, HTTP): 4.8 s
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
