# Antivirus software on the laptop inspects HTTPS (a "web shield": a local proxy that re-signs every
# site with its own root), installed properly, so the laptop trusts its root. With the HMS VPN up,
# MARS answers through it: hms-vpn, and a warning names the inspecting issuer.
DESC="HMS VPN up, antivirus web shield (its root trusted)"
EXPECT=hms-vpn
EXPECT_CAUSE=via-hms-vpn
EXPECT_ACTS=you
UPLINK=home
TRUST=shield
SETUP='
vpn hms
web-shield
'
EXPECT_VPNS='tun0:hms'
EXPECT_WARNING=('SafeSurf')
WORLD="dns=ok mars=ok affiliate=timeout gateway=ok control=ok http=ok"
