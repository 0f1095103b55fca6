# At home, no VPN, and MARS answers everyone by redirecting to a sign-in page on another host
# (login.hms.harvard.edu, the lab's stand-in for a sign-in service; its URL path is a SAML SSO
# endpoint). Asking to sign in is answering (contract 2): hms-vpn, though no VPN is up, so the
# verdict must not claim one.
DESC="at home, no VPN, MARS redirects to a sign-in page"
EXPECT=hms-vpn
UPLINK=home
SETUP='
mars others=signin
'
EXPECT_VPNS=''
FORBID_SAY=('connected (through|to|via) the HMS VPN')
CHECK_HOSTS='signin=login.hms.harvard.edu'
WORLD="dns=ok mars=http302 mars.location=https://login.hms.harvard.edu/idp/profile/SAML2/Redirect/SSO?SAMLRequest=lab affiliate=timeout gateway=ok control=ok signin=ok http=ok"
