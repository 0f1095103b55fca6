# The laptop's clock is 400 days behind (libfaketime on the real binary; a dead battery): every
# certificate is "not yet valid", while the public HMS site's plain-HTTP answer carries the real
# date. The HMS VPN is up, so without the clock rule this looks like mars-unreachable. Contract 2:
# clock-wrong, and the evidence gives the offset (400 days, rounded, not 399).
DESC="HMS VPN up, laptop clock 400 days behind"
EXPECT=clock-wrong
EXPECT_CAUSE=clock-behind
EXPECT_ACTS=you
UPLINK=home
CLOCK=-400d
SETUP='
vpn hms
'
EXPECT_VPNS='tun0:hms'
EXPECT_EVIDENCE=('400 days')
EXPECT_SAY=('behind')
EXPECT_FIRST_STEP=('clock|date|time')
WORLD="dns=ok mars=tls affiliate=timeout gateway=tls control=tls http=ok clock=-400d"
