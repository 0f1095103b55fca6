# On the LMA hospital network, whose TLS-inspecting proxy (as in 18) is misconfigured: it re-signs
# every HTTPS connection with the hospital's root, which this hospital-managed laptop trusts, and
# for the right names, but its certificates are made for client authentication (extendedKeyUsage
# clientAuth), not for a web server, so every TLS client refuses them. The affiliate portal, the
# HMS VPN's server and the public HMS site are refused for a reason that is neither an untrusted
# issuer, nor a name, nor a date; MARS is silent behind the proxy (as in 18); plain web works.
# Nothing in the contract's table explains that: inconclusive / unexplained, and the report goes
# to the Service Desk, whose eye the refused certificates need.
DESC="on the LMA network, TLS inspection issuing certificates not for web servers (clientAuth)"
EXPECT=inconclusive
EXPECT_CAUSE=unexplained
EXPECT_ACTS=service-desk
UPLINK=lma
TRUST=hospital
SETUP='
tls-inspection eku=clientAuth
'
EXPECT_VPNS=''
EXPECT_EVIDENCE=('certificates of .*affiliate portal.* (were )?not accepted' 'MARS.*(handshake|answer)')
EXPECT_FIRST_STEP=('desk')
FORBID_SAY=('does not trust|not trusted|untrusted|made out for another name|expired|not valid yet')
WORLD="dns=ok mars=timeout affiliate=tls affiliate.cert=wrong-purpose gateway=tls gateway.cert=wrong-purpose control=tls control.cert=wrong-purpose http=ok"
