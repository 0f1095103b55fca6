# The hospital VPN over a slow path (a UDP relay adds 400 ms each way: 800 ms more round trip for
# everything in the tunnel, TCP handshakes included), while the public internet stays fast.
DESC="hospital VPN with 800 ms round trip"
EXPECT=inside-lma
EXPECT_CAUSE=via-hospital-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hospital 400
'
EXPECT_VPNS='wg0:affiliate'
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
