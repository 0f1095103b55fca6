# shellcheck shell=bash
# The lab's SETUP directives for what goes wrong (or differs) around a working world: servers that
# stop, refuse or misbehave, firewalls, DNS, portals, proxies, inspection. Sourced by lib.sh, whose
# helpers (ns, nx, ipt, spawn, wait_for, fail, start_site) and addresses they use. The base world,
# the uplinks and the VPNs are in lib.sh. Each `d_WORD` is the directive WORD (docs/lab.md).

# stop mars|affiliate|gateway|control: that server is stopped (its port refuses connections).
d_stop() {
  local pid; pid=$(pid_of "$1")
  [[ -n $pid ]] || fail "stop: no server '$1'"
  kill -TERM "$pid" 2>/dev/null
  wait_for 5 "the $1 server to stop" gone "$pid"
}

# mars [vpn=ACTION] [others=ACTION] [cert=expired]: what MARS answers, by who asks. vpn = the HMS
# VPN pool (and the HMS network), others = everyone else. ACTION: ok (200, the default for vpn) |
# login (302 to its own /login, which answers 200: MARS's real front page) | 403 | 503 (down for
# maintenance, Retry-After) | vpn-required (302 to HMS IT's "VPN required" page) | signin (302 to a
# sign-in service on another host, key.harvard.edu, one of the profile's sign_in_hosts, which the lab
# then serves on the internet) | drop (the default for others: HMS's firewall drops them silently;
# vpn=drop: MARS is silent to the HMS VPN too, as a MARS that hangs would be). Any answer but drop
# for others opens HMS's firewall for MARS: it then answers everyone itself. cert=expired: MARS
# presents a certificate from the lab CA that was valid for 90 days and expired 3 days ago (its
# renewal forgotten); the other hosts keep theirs.
d_mars() {
  local vpn=ok others=drop kv signin=0 cert=()
  for kv; do
    case $kv in
      vpn=*) vpn=${kv#vpn=} ;;
      others=*) others=${kv#others=} ;;
      cert=expired) expired_leaf mars.med.harvard.edu
                    cert=(--cert "$SCN_DIR/expired.pem" --key "$SCN_DIR/expired.key") ;;
      *) fail "mars: expected vpn=ACTION, others=ACTION or cert=expired, not '$kv'" ;;
    esac
  done
  server_action() {
    case $1 in
      ok | login | 403 | 503) echo "$1" ;;
      vpn-required) echo "redirect:$HMS_VPN_REQUIRED_URL" ;;
      signin) echo "redirect:$SIGNIN_URL" ;;
      *) return 1 ;;
    esac
  }
  local va=ok oa=ok
  [[ $vpn == drop ]] || va=$(server_action "$vpn") || fail "mars: unknown action vpn=$vpn"
  [[ $others == drop ]] || oa=$(server_action "$others") || fail "mars: unknown action others=$others"
  [[ $vpn == signin || $others == signin ]] && signin=1
  d_stop mars
  start_site mars mars.med.harvard.edu "$MARS_IP:443:https" -- --respond "$HMS_VPN_POOL=$va" \
    --respond "$HMS_NET=$va" --default "$oa" "${cert[@]}"
  [[ $others == drop ]] || ipt hms -D INPUT -d "$MARS_IP" -j DROP
  [[ $vpn == drop ]] && ipt hms -I INPUT -d "$MARS_IP" -j DROP
  wait_for 10 "the mars server (restarted)" test -e "$SCN_DIR/mars.ready"
  if ((signin)); then
    start_site signin key.harvard.edu "$SIGNIN_IP:443:https" -- --role inet --default ok
    wait_for 10 "the sign-in server" test -e "$SCN_DIR/signin.ready"
  fi
}

# expired_leaf HOST: $SCN_DIR/expired.pem and .key, a certificate for HOST from the lab CA, issued
# 93 days ago for 90 days (libfaketime), so expired 3 days ago; the CA itself stays valid.
expired_leaf() {
  local h=$1 p=$WORK/pki
  command openssl ecparam -name prime256v1 -genkey -noout -out "$SCN_DIR/expired.key" 2>/dev/null
  command openssl req -new -key "$SCN_DIR/expired.key" -subj "/CN=$h" 2>/dev/null |
    faketime -f -93d openssl x509 -req -CA "$p/ca.pem" -CAkey "$p/ca.key" -days 90 -sha256 \
      -set_serial "0x$(command openssl rand -hex 8)" \
      -extfile <(printf 'subjectAltName=DNS:%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$h") \
      -out "$SCN_DIR/expired.pem" 2>/dev/null || fail "could not issue an expired certificate for $h"
}

# mtu-blackhole BYTES: the path between the HMS VPN gateway and MARS's data centre carries no packet
# bigger than BYTES and says nothing about it (no ICMP "fragmentation needed", so path-MTU discovery
# never learns): in hms, every packet MARS sends into the HMS VPN tunnel (hmsgw0) that is longer
# than BYTES is dropped. TCP to MARS connects (the handshake's packets are small), the TLS
# ClientHello gets through, and MARS's first flight (its certificate) never arrives: the secure
# handshake stalls, as it does over a VPN whose MTU is set too high.
d_mtu-blackhole() {
  local max=${1:-}
  [[ $max =~ ^[0-9]+$ ]] || fail "mtu-blackhole: expected a size in bytes, not '$max'"
  ipt hms -I OUTPUT -s "$MARS_IP" -o hmsgw0 -m length --length "$((max + 1)):65535" -j DROP
}

# gateway dead: the HMS VPN gateway goes away after the tunnel came up (the laptop slept, the
# session expired, the gateway was restarted): every packet to or from its address is dropped, the
# tunnel's and the web server's alike. The laptop's openvpn keeps tun0 and its routes up and goes on
# sending; nothing comes back.
d_gateway() {
  case ${1:-} in
    dead) ipt hms -I INPUT -d "$HMS_VPN_GW" -j DROP
          ipt hms -I OUTPUT -s "$HMS_VPN_GW" -j DROP ;;
    *) fail "gateway: unknown '${1:-}'" ;;
  esac
}

# lockdown: the laptop's own firewall drops everything it would send except to the HMS VPN gateway
# (and loopback), as a VPN client's lock-down / always-on mode does while its VPN is down. Sends
# then fail at once with EPERM (UDP: DNS); TCP connects may just wait.
d_lockdown() {
  ipt laptop -A OUTPUT -o lo -j ACCEPT
  ipt laptop -A OUTPUT -d "$HMS_VPN_GW" -j ACCEPT
  ipt laptop -A OUTPUT -j DROP
}

# web-shield: antivirus software on the laptop inspects HTTPS (tls_inspect.py on 127.0.0.1:8443,
# the laptop's TCP 443 REDIRECTed to it; the proxy's own connections carry a mark and pass). It
# re-signs with its own root, which the laptop trusts only with TRUST=shield.
d_web-shield() {
  local names
  names=$(IFS=,; echo "${!HOST_IP[*]}")
  spawn laptop web-shield "$PY" "$LAB_DIR/tls_inspect.py" --listen 127.0.0.1:8443 --cert-dir "$WORK/pki/shield" \
    --names "$names" --upstream-ca "$WORK/pki/ca.pem" --upstream-mark 0x5e1d \
    --ready-file "$SCN_DIR/web-shield.ready"
  wait_for 10 "the web shield" test -e "$SCN_DIR/web-shield.ready"
  ipt laptop -t nat -A OUTPUT -p tcp --dport 443 -m mark --mark 0x5e1d -j RETURN
  ipt laptop -t nat -A OUTPUT -p tcp --dport 443 -j REDIRECT --to-ports 8443
}

# resolver drop: the resolver's address silently drops every DNS query (UDP and TCP).
d_resolver() {
  case $1 in
    drop) ipt inet -I INPUT -d "$RESOLVER" -p udp --dport 53 -j DROP
          ipt inet -I INPUT -d "$RESOLVER" -p tcp --dport 53 -j DROP ;;
    *) fail "resolver: unknown '$1'" ;;
  esac
}

# captive-portal [dns|http-only]: the home router turns into guest Wi-Fi with a login page, and
# nothing is forwarded to the internet until one logs in.
#   dns (default): its own resolver answers every name with the portal's address; HTTP gets a 302 to
#     the login page, HTTPS the portal's own certificate (trusted by nobody).
#   http-only: DNS is forwarded to the real resolver (names resolve to their real addresses), but every
#     plain-HTTP connection is DNATed to the portal (302 to the login page) and HTTPS is silently
#     dropped, as many hotel networks do.
d_captive-portal() {
  local kind=${1:-dns}
  spawn home portal "$PY" "$LAB_DIR/server.py" --mode portal --host login.guest-wifi.example \
    --cert "$WORK/pki/portal.pem" --key "$WORK/pki/portal.key" --ready-file "$SCN_DIR/portal.ready" \
    --listen "$HOME_LAN_GW:80:http" --listen "$HOME_LAN_GW:443:https"
  case $kind in
    dns)
      spawn home portal-dns dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
        --no-poll --pid-file --user=root --group=root --bind-interfaces --listen-address="$HOME_LAN_GW" \
        --log-queries --log-facility=- "--address=/#/$HOME_LAN_GW"
      ipt home -A FORWARD -i lan0 -j DROP
      LAPTOP_DNS=$HOME_LAN_GW
      wait_for 10 "the portal's resolver" nx home bash -c "exec 3<>/dev/tcp/$HOME_LAN_GW/53" ;;
    http-only)
      ipt home -t nat -A PREROUTING -i lan0 -p tcp --dport 80 -j DNAT --to-destination "$HOME_LAN_GW:80"
      ipt home -A FORWARD -i lan0 -d "$RESOLVER" -p udp --dport 53 -j ACCEPT
      ipt home -A FORWARD -i lan0 -d "$RESOLVER" -p tcp --dport 53 -j ACCEPT
      ipt home -A FORWARD -i lan0 -j DROP ;;
    *) fail "captive-portal: unknown '$kind'" ;;
  esac
  wait_for 10 "the portal" test -e "$SCN_DIR/portal.ready"
}

# tls-inspection [eku=USAGE]: the hospital network (uplink lma) intercepts every HTTPS connection
# from its LAN with a transparent proxy that re-signs with the hospital's own root (tls_inspect.py).
# A hospital-managed laptop trusts that root: set TRUST=hospital in the scenario. eku=USAGE: the
# appliance is misconfigured and issues its certificates (right names, the same trusted root) with
# that extended key usage instead of serverAuth, e.g. eku=clientAuth: certificates for a client, not
# a web server, which a TLS client refuses whatever root it trusts (made per scenario, as the
# hospital's root signs them).
d_tls-inspection() {
  local names dir=$WORK/pki/inspect kv h
  for kv; do
    case $kv in
      eku=?*) dir=$SCN_DIR/inspect
              mkdir -p "$dir"
              for h in "${!HOST_IP[@]}"; do
                leaf "$dir" "$h" "$WORK/pki/inspect/root.pem" "$WORK/pki/inspect/root.key" "${kv#eku=}" ||
                  fail "tls-inspection: could not issue a certificate for $h with extendedKeyUsage ${kv#eku=}"
              done ;;
      *) fail "tls-inspection: expected eku=USAGE, not '$kv'" ;;
    esac
  done
  names=$(IFS=,; echo "${!HOST_IP[*]}")
  spawn lma tls-inspect "$PY" "$LAB_DIR/tls_inspect.py" --listen 0.0.0.0:8443 --cert-dir "$dir" \
    --names "$names" --upstream-ca "$WORK/pki/ca.pem" --ready-file "$SCN_DIR/tls-inspect.ready"
  wait_for 10 "the TLS-inspecting proxy" test -e "$SCN_DIR/tls-inspect.ready"
  ipt lma -t nat -A PREROUTING -i lan0 -p tcp --dport 443 -j REDIRECT --to-ports 8443
}

# blackhole [drop|reject]: the home router forwards DNS to the resolver but silently drops (or, with
# reject, refuses with a TCP reset / ICMP port unreachable) every other packet.
d_blackhole() {
  ipt home -A FORWARD -i lan0 -d "$RESOLVER" -p udp --dport 53 -j ACCEPT
  ipt home -A FORWARD -i lan0 -d "$RESOLVER" -p tcp --dport 53 -j ACCEPT
  case ${1:-drop} in
    drop) ipt home -A FORWARD -i lan0 -j DROP ;;
    reject) ipt home -A FORWARD -i lan0 -p tcp -j REJECT --reject-with tcp-reset
            ipt home -A FORWARD -i lan0 -j REJECT ;;
    *) fail "blackhole: unknown '$1'" ;;
  esac
}

# proxy-only [lma|home]: the LAN lets nothing out but DNS and its web proxy (connect_proxy.py on
# port 3128). lma (default): the hospital LAN, its proxy on $LMA_PROXY inside the LMA, so it reaches
# the affiliate portal. home: an office or hotel LAN outside the LMA (uplink home), its proxy on
# $HOME_PROXY reaches the internet but neither MARS nor the portal. The scenario names the proxy in
# the laptop's environment (ENV='HTTPS_PROXY=…'), as IT would.
LMA_PROXY=198.18.32.8
HOME_PROXY=198.18.1.8
d_proxy-only() {
  local role=${1:-lma} addr
  case $role in
    lma) addr=$LMA_PROXY ;;
    home) addr=$HOME_PROXY ;;
    *) fail "proxy-only: unknown '$role'" ;;
  esac
  ip -n "$(ns "$role")" addr add "$addr/32" dev lo
  spawn "$role" "$role-proxy" "$PY" "$LAB_DIR/connect_proxy.py" --listen "$addr:3128" \
    --upstream-timeout 2 --ready-file "$SCN_DIR/$role-proxy.ready"
  wait_for 10 "the LAN's web proxy" test -e "$SCN_DIR/$role-proxy.ready"
  ipt "$role" -A FORWARD -i lan0 -d "$RESOLVER" -p udp --dport 53 -j ACCEPT
  ipt "$role" -A FORWARD -i lan0 -d "$RESOLVER" -p tcp --dport 53 -j ACCEPT
  ipt "$role" -A FORWARD -i lan0 -j DROP
}


# proxy-dead [refuse|drop]: the laptop's environment names a web proxy on the home LAN that is not
# there any more (a setting left from an office, a proxy app since removed). Its address exists (the
# home router holds it), but nothing listens on port 3128 (refuse, the default: the connection is
# reset at once) or the address is silent (drop). Everything else works, direct: only what goes
# through the proxy fails. Pair with ENV='HTTPS_PROXY=http://198.18.1.8:3128'.
d_proxy-dead() {
  ip -n "$(ns home)" addr add "$HOME_PROXY/32" dev lo
  case ${1:-refuse} in
    refuse) ;;
    drop) ipt home -A INPUT -d "$HOME_PROXY" -j DROP ;;
    *) fail "proxy-dead: unknown '$1'" ;;
  esac
}

# stale-tunnel: a tunnel device that outlived the VPN client that made it (a persistent tun, as
# NetworkManager makes `vpn0` for its VPN plugins, left behind when the client ended without
# cleaning up). No program holds it, so it has no carrier (down), but it keeps its address
# 198.18.120.2/24 and its route to 198.18.64.0/28, MARS's block, which is more specific than the
# HMS VPN's 198.18.64.0/20: MARS's packets go into it and are lost, while the rest of HMS (the
# control host) still goes through the HMS VPN. The kernel uses a route on a device without
# carrier (net.ipv4.conf.*.ignore_routes_with_linkdown is 0, the default).
d_stale-tunnel() {
  local l; l=$(ns laptop)
  ip -n "$l" tuntap add dev vpn0 mode tun || fail "stale-tunnel: ip tuntap add vpn0"
  ip -n "$l" addr add 198.18.120.2/24 dev vpn0
  ip -n "$l" link set vpn0 up
  ip -n "$l" route add 198.18.64.0/28 dev vpn0
}
