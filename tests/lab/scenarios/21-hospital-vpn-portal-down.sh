# A hospital VPN is up, but the affiliate portal is down (its server stopped): the hospital VPN
# gets this laptop nowhere, so the advice is the HMS VPN, after disconnecting the hospital VPN
# (named by its app, WireGuard): cause other-vpn, the hospital VPN named first.
DESC="hospital VPN up, affiliate portal stopped"
EXPECT=needs-hms-vpn
EXPECT_CAUSE=other-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hospital
stop affiliate
'
EXPECT_VPNS='wg0:affiliate'
MENTION='WireGuard'
EXPECT_FIRST_STEP=('WireGuard')
WORLD="dns=ok mars=timeout affiliate=refused gateway=ok control=ok http=ok"
