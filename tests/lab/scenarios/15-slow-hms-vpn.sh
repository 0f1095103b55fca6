# The HMS VPN over a slow path (a UDP relay adds 300 ms each way): everything HMS, the control host
# included, is 600 ms further away; MARS must still count as answering.
DESC="HMS VPN with 600 ms round trip"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms 300
'
EXPECT_VPNS='tun0:hms'
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok"
