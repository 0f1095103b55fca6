# The same left-behind proxy setting, but the proxy's address is silent (its host is gone and a
# firewall drops what is sent to it): the CONNECTs wait for nothing. Without --timeout the run
# still ends within 10 s, and the verdict is offline, proxy-down, not "inconclusive: run again
# without --timeout" (issue 19: what it said, though no --timeout was given).
DESC="at home, HTTPS_PROXY names a proxy whose address is silent"
EXPECT=offline
EXPECT_CAUSE=proxy-down
EXPECT_ACTS=you
UPLINK=home
SETUP='
proxy-dead drop
'
ENV='HTTPS_PROXY=http://198.18.1.8:3128'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('proxy' 'HTTPS_PROXY')
FORBID_SAY=('--timeout')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok proxy=timeout"
