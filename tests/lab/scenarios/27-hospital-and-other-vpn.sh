# A hospital VPN (WireGuard, wg0) and another company's split VPN (OpenVPN, tun1) at once, and the
# affiliate portal answers through the hospital VPN: inside-lma (contract 2: working access
# outranks a second VPN), with a warning naming the other VPN by its app.
DESC="hospital VPN and Acme Corp VPN both up, portal answers"
EXPECT=inside-lma
EXPECT_CAUSE=via-hospital-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hospital
vpn acme-split
'
EXPECT_VPNS='wg0:affiliate tun1:unknown'
EXPECT_WARNING=('OpenVPN')
WORLD="dns=ok mars=timeout affiliate=ok gateway=ok control=ok http=ok"
