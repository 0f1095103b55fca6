# At home with a hospital's VPN (wireguard-go, wg0) connected: the affiliate portal answers.
DESC="at home, hospital VPN (wireguard-go wg0) up"
EXPECT=inside-lma
EXPECT_CAUSE=via-hospital-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hospital
'
EXPECT_VPNS='wg0:affiliate'
EXPECT_FIRST_STEP=('affiliate-apps|portal')
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
