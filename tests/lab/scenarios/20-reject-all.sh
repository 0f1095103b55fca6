# Names resolve, but the home router refuses every connection at once (TCP reset): not even the
# public HMS site answers, so the laptop is effectively offline; no waiting for timeouts.
DESC="DNS works, every connection refused (TCP reset)"
EXPECT=offline
EXPECT_CAUSE=nothing-answers
EXPECT_ACTS=network
UPLINK=home
SETUP='
blackhole reject
'
EXPECT_VPNS=''
EXPECT_FIRST_STEP=('(another|other|different) network')
WORLD="dns=ok mars=refused affiliate=refused gateway=refused control=refused http=refused"
