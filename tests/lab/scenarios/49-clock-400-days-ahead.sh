# The laptop's clock is 400 days ahead (libfaketime on the real binary), at home with no VPN: every
# certificate looks expired, while the public HMS site's plain-HTTP answer carries the real date.
# clock-wrong, clock-ahead; the summary says by how much.
DESC="at home, no VPN, laptop clock 400 days ahead"
EXPECT=clock-wrong
EXPECT_CAUSE=clock-ahead
EXPECT_ACTS=you
UPLINK=home
CLOCK=+400d
SETUP=''
EXPECT_VPNS=''
EXPECT_SAY=('400 days' 'ahead')
EXPECT_FIRST_STEP=('clock|date|time')
WORLD="dns=ok mars=timeout affiliate=timeout gateway=tls gateway.cert=expired control=tls control.cert=expired http=ok clock=+400d"
