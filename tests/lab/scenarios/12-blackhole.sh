# Names resolve, but the home router silently drops every connection; the run is bounded by
# --timeout 3 and must end within 3.3 s. The network drops everything (nothing-answers): the
# network's to fix, so the first step is another network.
DESC="DNS works, every connection silently dropped (--timeout 3)"
EXPECT=offline
EXPECT_CAUSE=nothing-answers
EXPECT_ACTS=network
UPLINK=home
SETUP='
blackhole
'
TIMEOUT=3
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('(another|other|different) network')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=timeout"
