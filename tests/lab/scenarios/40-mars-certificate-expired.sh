# The HMS VPN is up and works; MARS presents a certificate from the right authority (the lab CA) that
# expired 3 days ago, while the HMS VPN's server and the public HMS site verify and the clock is right
# (their Date headers agree with it). MARS's own certificate is at fault: HMS IT must renew it.
# Neither clock-wrong (one expired certificate among valid ones, the clock matches the servers') nor
# tls-intercepted (the issuer is trusted).
DESC="HMS VPN up, MARS's own certificate expired, other HMS sites verify"
EXPECT=mars-unreachable
EXPECT_CAUSE=mars-certificate
EXPECT_ACTS=hms-it
UPLINK=home
SETUP='
vpn hms
mars cert=expired
'
EXPECT_VPNS='tun0:hms'
EXPECT_SAY=('expired')
EXPECT_FIRST_STEP=('certificate')
FORBID_FIRST_STEP=('reconnect|connect (it|the HMS VPN) again|clock|date and time')
WORLD="dns=ok mars=tls mars.cert=expired affiliate=timeout gateway=ok control=ok http=ok clock=ok mars.via=tun0 mars.tcp=ok"
