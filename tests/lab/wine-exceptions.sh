# shellcheck shell=bash
# Scenarios whose expectations differ for the Windows program under Wine: where Wine cannot show
# what Windows would, and where Windows rightly says something else than Linux. Each is documented
# in docs/windows.md ("In the lab") with the same reason. Under `scripts/lab run --windows` the
# ASSIGNMENTs are applied after the scenario's file, and a scenario that passes without its
# exception fails (the exception is stale: remove it).
#
#   wine_except SCENARIO 'SHORT REASON' 'ASSIGNMENT' …

# Under Wine a Linux tun device is an adapter of interface type 1 ("other"), not a tunnel, and its
# description is its Linux name; and Wine lists no Linux process. On Windows a VPN adapter carries
# its driver's description ("WireGuard Tunnel", "TAP-Windows Adapter V9", "OpenVPN Data Channel
# Offload") and the client's process runs: both name the app (src/netif/captures_vpn_tests.rs).

# wg-acme is neither a tunnel by type nor by name (wg0 is, by its name): no VPN is seen at all.
wine_except 10-other-vpn-full 'wg-acme not seen as a VPN (tun device, type "other")' \
  "EXPECT_CAUSE=no-vpn" "EXPECT_VPNS=''" "MENTION=''" "EXPECT_FIRST_STEP=('GlobalProtect')"
wine_except 44-acme-full-takes-mars 'wg-acme not seen as a VPN (tun device, type "other")' \
  "EXPECT=mars-unreachable" "EXPECT_CAUSE=mars-silent" "EXPECT_ACTS=service-desk" \
  "EXPECT_VPNS='tun0:hms'" "EXPECT_FIRST_STEP=('desk')"
# vpn0, the stale tunnel that takes MARS's route, is neither a tunnel by type nor by name: MARS's
# route goes into an interface of type "other", which is no evidence of a tunnel, and nothing else
# explains MARS's silence. (On Windows a tunnel adapter is a tunnel by its type or description, and
# Windows routes nothing into an adapter whose client is gone: its media is disconnected.)
wine_except 52-stale-tunnel-takes-mars 'vpn0 not seen as a tunnel (tun device, type "other")' \
  "EXPECT_CAUSE=mars-silent" "EXPECT_ACTS=service-desk" "EXPECT_FIRST_STEP=('desk')" \
  "EXPECT_EVIDENCE=('MARS did not answer')"
# tun1 is a VPN by its name, but whose app it is cannot be known: the words name the interface.
wine_except 11-other-vpn-split 'the app of tun1 (OpenVPN) cannot be named' \
  "MENTION=''" "EXPECT_FIRST_STEP=('tun1')"
wine_except 13-hms-and-other-vpn 'the app of tun1 (OpenVPN) cannot be named' \
  "EXPECT_WARNING=('tun1')"
wine_except 27-hospital-and-other-vpn 'the app of tun1 (OpenVPN) cannot be named' \
  "EXPECT_WARNING=('tun1')"

# The server of Harvard University's tunnel is named only by the openvpn command line (a Linux
# process); with no server known, the route to MARS through tun2 makes it the HMS VPN's tunnel.
# (On Windows too, when the client's command line names a configuration file, not the server.)
wine_except 24-harvard-vpn 'the tunnel'"'"'s server is named only by a Linux process' \
  "EXPECT=mars-unreachable" "EXPECT_CAUSE=mars-silent" "EXPECT_ACTS=service-desk" \
  "EXPECT_VPNS='tun2:hms'" "EXPECT_SAY=()" "FORBID_SAY=()" "EXPECT_FIRST_STEP=('desk')"
wine_except 25-harvard-vpn-mars-403 'the tunnel'"'"'s server is named only by a Linux process' \
  "EXPECT=mars-unreachable" "EXPECT_CAUSE=access-refused" "EXPECT_ACTS=service-desk" \
  "EXPECT_VPNS='tun2:hms'" "EXPECT_SAY=()" "FORBID_SAY=()" "EXPECT_FIRST_STEP=('MARS access')"
# Beside the HMS VPN, tun2 is "another VPN" but not Harvard University's by name.
wine_except 43-harvard-vpn-takes-mars 'the tunnel'"'"'s server is named only by a Linux process' \
  "EXPECT_FIRST_STEP=('tun2')"
wine_except 45-two-other-vpns 'the tunnel'"'"'s server is named only by a Linux process' \
  "EXPECT_SAY=()"

# Byte counters are read for interfaces that the OS declares tunnels (type tunnel, PPP or
# point-to-point); tun0 is "other" under Wine, so nothing shows that the tunnel passes nothing.
wine_except 26-hms-vpn-dead-gateway 'no byte counters for a tun device' \
  "EXPECT_CAUSE=mars-silent" "EXPECT_ACTS=service-desk" "EXPECT_FIRST_STEP=('desk')" \
  "EXPECT_EVIDENCE=(\"(gateway|VPN's (own )?server).*(not|never|no) (answer|respond|reply)\")"

# A chain whose root this computer does not trust: Wine's SSL policy does not report the chain it
# cannot finish (CERT_TRUST_IS_PARTIAL_CHAIN) and fails the revocation check instead
# (CERT_E_REVOCATION_FAILURE, 0x800B010E), which Windows ignores as the verifier asks; Windows says
# CERT_E_CHAINING or CERT_E_UNTRUSTEDROOT, an unknown issuer (src/probe/tls.rs).
wine_except 19-lma-tls-inspection-untrusted 'untrusted root reported as a revocation failure' \
  "EXPECT=inconclusive" "EXPECT_CAUSE=unexplained" "EXPECT_ACTS=service-desk" \
  "EXPECT_EVIDENCE=('certificates .* (were )?not accepted')" "EXPECT_FIRST_STEP=('desk')"
wine_except 32-web-shield-untrusted 'untrusted root reported as a revocation failure' \
  "EXPECT=mars-unreachable" "EXPECT_CAUSE=mars-silent" "EXPECT_ACTS=service-desk" \
  "EXPECT_EVIDENCE=('secure handshake with MARS failed')" "EXPECT_FIRST_STEP=('desk')"

# Not Wine: the laptop's HMS VPN app (INSTALLED=openconnect, the Linux way in) is GlobalProtect on
# Windows (tests/lab/wine.sh, WINE_APP_PATH), and the first step names the app that is installed.
for scn in 01-home-no-vpn 34-mars-403-from-home 35-mars-vpn-required-redirect proxy-only-office; do
  wine_except "$scn" 'the HMS VPN app on Windows is GlobalProtect' "EXPECT_FIRST_STEP=('GlobalProtect')"
done
unset scn
