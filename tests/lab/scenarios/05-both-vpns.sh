# The HMS VPN and a hospital VPN at once, and both work: MARS answers (through the HMS VPN), so
# that is the verdict (contract 2: working access outranks a second VPN), with a warning that
# names the other VPN by its app (WireGuard; the HMS VPN here is OpenVPN).
DESC="HMS VPN and hospital VPN both up"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
SETUP='
vpn hms
vpn hospital
'
EXPECT_VPNS='tun0:hms wg0:affiliate'
EXPECT_WARNING=('WireGuard')
WORLD="dns=ok mars=ok affiliate=ok gateway=ok control=ok http=ok"
