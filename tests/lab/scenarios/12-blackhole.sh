# Names resolve, but the home router silently drops every connection; the run is bounded by
# --timeout 3 and must end within 3.3 s.
DESC="DNS works, every connection silently dropped (--timeout 3)"
EXPECT=offline
UPLINK=home
SETUP='
blackhole
'
TIMEOUT=3
EXPECT_VPNS=''
WORLD="dns=ok mars=timeout affiliate=timeout gateway=timeout control=timeout http=timeout"
