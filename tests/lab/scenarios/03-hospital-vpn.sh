# At home with a hospital's VPN (wireguard-go, wg0) connected: the affiliate portal answers.
DESC="at home, hospital VPN (wireguard-go wg0) up"
EXPECT=inside-lma
UPLINK=home
SETUP='
vpn hospital
'
EXPECT_VPNS='wg0:affiliate'
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
