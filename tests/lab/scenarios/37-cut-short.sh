# At home, no VPN (MARS and the portal silent, as in 01), but the run is cut short: --timeout 0.3
# ends it before the blocked-versus-slow rule can tell "MARS drops this network" from "MARS is slow".
# Contract 2: inconclusive (not needs-hms-vpn from 230 ms of waiting); Why says the run was cut short
# by --timeout, the first step how long a full check takes; it still ends within 0.3 s + 0.3 s.
DESC="at home, no VPN, --timeout 0.3"
EXPECT=inconclusive
EXPECT_CAUSE=cut-short
EXPECT_ACTS=you
UPLINK=home
TIMEOUT=0.3
SETUP=''
EXPECT_VPNS=''
EXPECT_EVIDENCE=('cut short.*--timeout')
EXPECT_FIRST_STEP=('timeout' '[0-9] seconds')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=ok control=ok http=ok"
