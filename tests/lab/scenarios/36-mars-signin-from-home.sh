# At home, no VPN, and MARS answers everyone by redirecting to a sign-in page on another host
# (key.harvard.edu, HarvardKey, one of the profile's sign-in hosts; the lab serves it on the
# internet, its URL path a SAML SSO endpoint). Asking to sign in is answering (contract 2): hms-vpn, though no VPN is up, so the
# verdict must not claim one. The contract's cause for "MARS answers with no HMS VPN tunnel up" is
# on-hms-network, whatever the lab's reason for MARS answering here.
DESC="at home, no VPN, MARS redirects to a sign-in page"
EXPECT=hms-vpn
EXPECT_CAUSE=on-hms-network
EXPECT_ACTS=you
UPLINK=home
SETUP='
mars others=signin
'
EXPECT_VPNS=''
FORBID_SAY=('connected (through|to|via) the HMS VPN')
CHECK_HOSTS='signin=key.harvard.edu'
WORLD="dns=ok mars=http302 mars.location=https://key.harvard.edu/idp/profile/SAML2/Redirect/SSO?SAMLRequest=lab affiliate=timeout gateway=ok control=ok signin=ok http=ok"
