# On a hospital network in the Longwood Medical Area (laptop plugged into the LMA LAN), no VPN.
DESC="on the LMA hospital network, no VPN"
EXPECT=inside-lma
EXPECT_CAUSE=on-lma-network
EXPECT_ACTS=you
UPLINK=lma
SETUP=''
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('affiliate-apps|portal')
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
