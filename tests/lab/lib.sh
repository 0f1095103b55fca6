# shellcheck shell=bash
# The hmsaccess lab: builds a small world of network namespaces, runs scenarios in it, tears it down.
# Sourced by scripts/lab. Topology and addresses: docs/lab.md. Everything lives in 198.18.0.0/15,
# inside namespaces named hmslab-<runner pid>-<scenario number>-<role>; nothing here touches the
# root namespace's links, routes, firewall or /etc/resolv.conf.

LAB_DIR=${LAB_DIR:?}
LAB_PFX="hmslab-$$"
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3)

# --- addresses (keep in step with docs/lab.md) -------------------------------------------------
RESOLVER=198.18.0.53          # the lab's public resolver (inet)
HOME_LAN_GW=198.18.1.1        # home router, LAN side; also the captive portal
HOME_LAN_LAPTOP=198.18.1.100
LMA_LAN_GW=198.18.32.1        # hospital router, LAN side
LMA_LAN_LAPTOP=198.18.32.100
LMA_NET=198.18.32.0/20        # every LMA address (hospital LANs, hospital VPN pool, the LMA interconnect)
LMA_VPN_GW=198.18.33.1        # hospital VPN gateway (wireguard-go), public
LMA_VPN_POOL=198.18.34.0/24
HMS_NET=198.18.64.0/20        # HMS network
HMS_VPN_GW=198.18.64.1        # vpn.hms.harvard.edu (HTTPS + the openvpn gateway)
MARS_IP=198.18.64.10          # mars.med.harvard.edu
CONTROL_IP=198.18.64.30       # it.hms.harvard.edu
AFFILIATE_IP=198.18.40.20     # affiliate-apps.hms.harvard.edu: HMS server on the LMA interconnect
HMS_VPN_POOL=198.18.72.0/24
HMS_LAN=198.18.68.0/24        # an HMS office LAN (uplink hms): router .1, laptop .100
HMS_LAN_GW=198.18.68.1
HMS_LAN_LAPTOP=198.18.68.100
CORP_NET=198.18.96.0/20       # "Acme Corp", some company outside the LMA
CORP_VPN_GW=198.18.96.1
CORP_WG_POOL=198.18.98.0/24
CORP_OVPN_POOL=198.18.99.0/24
SIGNIN_IP=198.18.0.80         # key.harvard.edu: HarvardKey's sign-in service, somewhere on the internet
HARVARD_NET=198.18.80.0/20    # "Harvard University" (the central university, not HMS)
HARVARD_VPN_GW=198.18.80.1    # vpn.harvard.edu: Harvard University's VPN gateway, public
HARVARD_VPN_POOL=198.18.88.0/24
PLANE_NET=198.18.5.0/24       # in-flight Wi-Fi (uplink plane): the cabin's LAN
PLANE_GW=198.18.5.1
PLANE_LAPTOP=198.18.5.100
HMS_VPN_REQUIRED_URL=https://it.hms.harvard.edu/vpn-now-required   # HMS IT's "VPN required" page
SIGNIN_URL="https://key.harvard.edu/idp/profile/SAML2/Redirect/SSO?SAMLRequest=lab"
CRL_BASE=http://127.0.0.80    # the lab CAs' revocation lists, named by every leaf (served by wine.sh)

# Names with a server and a certificate from the lab CA (the four the profile probes, and a sign-in
# service that MARS may redirect to).
declare -A HOST_IP=(
  [mars.med.harvard.edu]=$MARS_IP
  [affiliate-apps.hms.harvard.edu]=$AFFILIATE_IP
  [vpn.hms.harvard.edu]=$HMS_VPN_GW
  [it.hms.harvard.edu]=$CONTROL_IP
  [key.harvard.edu]=$SIGNIN_IP
)
# Names the lab resolver answers besides those: other VPN gateways (no web server).
declare -A DNS_ONLY=(
  [vpn.harvard.edu]=$HARVARD_VPN_GW
)

# --- small helpers ------------------------------------------------------------------------------
log() { printf "%s %s\n" "$(date +%T.%3N)" "$*" >>"$SCN_DIR/world.log"; }
fail() { echo "lab: $*" >&2; log "FAILED: $*"; exit 1; }   # inside the world-building subshell
now_ns() { date +%s%N; }

# wait_for SECONDS WHAT CMD...: polls CMD every 50 ms until it succeeds; fails after SECONDS.
wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$(( $(now_ns) + secs * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    (( $(now_ns) < deadline )) || fail "timed out after ${secs}s waiting for $what"
    gone $$ && fail "the runner ($$) is gone: stopping"   # killed -9: do not go on building
    sleep 0.05
  done
}

ns() { printf '%s-%s-%s' "$LAB_PFX" "$SCN_NO" "$1"; }           # role -> namespace name
nx() { local r=$1; shift; ip netns exec "$(ns "$r")" "$@"; }    # run in a role's namespace

# spawn ROLE LABEL CMD...: start a long-running process in ROLE's namespace; records its PID.
spawn() {
  local role=$1 label=$2; shift 2
  ip netns exec "$(ns "$role")" "$@" >"$SCN_DIR/$label.log" 2>&1 &
  local pid=$!
  echo "$pid $label" >>"$SCN_DIR/pids"
  log "spawned $label pid $pid in $role: $*"
  LAST_PID=$pid
}

# gone PID: the process has exited (a zombie waiting for its parent counts as gone).
gone() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 0; [[ $st == Z* ]]; }

pid_of() { awk -v l="$1" '$2 == l { print $1 }' "$SCN_DIR/pids" | tail -n1; }

add_ns() {
  local n; n=$(ns "$1")
  ip netns add "$n" || fail "ip netns add $n"
  echo "$n" >>"$SCN_DIR/netns"
  # every lab namespace resolves through the lab's resolver, never the machine's own
  mkdir -p "/etc/netns/$n" && echo "/etc/netns/$n" >>"$SCN_DIR/etcdirs"
  printf 'nameserver %s\n' "$RESOLVER" >"/etc/netns/$n/resolv.conf"
  ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1 >/dev/null || fail "sysctl in $n"
}

# link ROLE_A IF_A ADDR_A ROLE_B IF_B ADDR_B: a veth pair made directly inside the two namespaces.
link() {
  local a; a=$(ns "$1"); local b; b=$(ns "$4")
  ip -n "$a" link add name "$2" type veth peer name "$5" netns "$b" || fail "veth $1/$2 - $4/$5"
  [[ $3 == - ]] || ip -n "$a" addr add "$3" dev "$2"
  [[ $6 == - ]] || ip -n "$b" addr add "$6" dev "$5"
  ip -n "$a" link set "$2" up
  ip -n "$b" link set "$5" up
}

ipt() { local r=$1; shift; ip netns exec "$(ns "$r")" iptables -w 5 "$@" || fail "iptables in $r: $*"; }

# --- run-wide material: the lab CA, host certificates, VPN keys (made once per run) -------------
# Every certificate is issued as if it were yesterday (libfaketime), valid for 8 days: a laptop
# clock a few minutes behind (CLOCK=-10m) still finds them valid, as it would real certificates.
openssl() { faketime -f -1d openssl "$@"; }

# ca_key FILE: the private key of an authority that signs certificates or revocation lists (and
# itself). RSA, not ECDSA: Wine 8's crypt32 refuses an ECDSA signature whose r or s has a zero top
# byte (about one in 128) as "the certificate's signature could not be verified" (0x80096004), so
# the Windows program failed valid worlds at random (scenario 40 did in CI; docs/windows.md shows
# it on purpose). RSA signatures have one length.
# The other servers' keys stay ECDSA: a TLS handshake's signature is checked by rustls, not crypt32
# (the captive portal's key is RSA only because it also signs its own certificate).
ca_key() { openssl genrsa -out "$1" 2048 2>/dev/null; }

make_pki() {
  local d=$WORK/pki
  mkdir -p "$d/empty"
  ca_key "$d/ca.key" || return 1
  openssl req -x509 -new -key "$d/ca.key" -sha256 -days 8 -subj "/O=hmsaccess lab/CN=hmsaccess Lab Root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$d/ca.pem" 2>/dev/null || return 1
  local h
  for h in "${!HOST_IP[@]}"; do
    leaf "$d" "$h" "$d/ca.pem" "$d/ca.key" || return 1
  done
  # The captive portal's own certificate: self-signed, for its own name, trusted by nobody.
  ca_key "$d/portal.key" || return 1
  openssl req -x509 -new -key "$d/portal.key" -sha256 -days 8 -subj "/O=Guest WiFi/CN=login.guest-wifi.example" \
    -addext "subjectAltName=DNS:login.guest-wifi.example" -out "$d/portal.pem" 2>/dev/null || return 1
  # A hospital's TLS-inspection root and its certificates for the four names (the proxy's), and a
  # trust bundle for a hospital-managed laptop: the lab CA plus the hospital's root.
  mkdir -p "$d/inspect"
  ca_key "$d/inspect/root.key" || return 1
  openssl req -x509 -new -key "$d/inspect/root.key" -sha256 -days 8 \
    -subj "/O=Longwood Hospital/CN=Longwood Hospital TLS Inspection Root" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$d/inspect/root.pem" 2>/dev/null || return 1
  for h in "${!HOST_IP[@]}"; do
    leaf "$d/inspect" "$h" "$d/inspect/root.pem" "$d/inspect/root.key" || return 1
  done
  cat "$d/ca.pem" "$d/inspect/root.pem" >"$d/ca+hospital.pem"
  # An antivirus "web shield" on the laptop re-signs HTTPS with its own root (d_web-shield); a
  # laptop where it was installed properly trusts that root (TRUST=shield).
  mkdir -p "$d/shield"
  ca_key "$d/shield/root.key" || return 1
  openssl req -x509 -new -key "$d/shield/root.key" -sha256 -days 8 \
    -subj "/O=SafeSurf Antivirus/CN=SafeSurf Web Shield Root" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$d/shield/root.pem" 2>/dev/null || return 1
  for h in "${!HOST_IP[@]}"; do
    leaf "$d/shield" "$h" "$d/shield/root.pem" "$d/shield/root.key" || return 1
  done
  cat "$d/ca.pem" "$d/shield/root.pem" >"$d/ca+shield.pem"
  # VPN keys
  openvpn --genkey secret "$d/hms-vpn.key" >/dev/null 2>&1 || return 1
  openvpn --genkey secret "$d/acme-vpn.key" >/dev/null 2>&1 || return 1
  local k
  openvpn --genkey secret "$d/harvard-vpn.key" >/dev/null 2>&1 || return 1
  for k in laptop-hospital lma-gw laptop-acme corp-gw; do
    (umask 077; wg genkey >"$d/wg-$k.key") && wg pubkey <"$d/wg-$k.key" >"$d/wg-$k.pub" || return 1
  done
}

# leaf DIR HOST CA_PEM CA_KEY [EKU]: DIR/HOST.pem and .key; its CA's revocation list is DIR's name
# .crl. EKU: the extended key usage (default serverAuth, what a web server's certificate needs).
leaf() {
  local d=$1 h=$2 ca=$3 cakey=$4 eku=${5:-serverAuth}
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/$h.key" 2>/dev/null
  openssl req -new -key "$d/$h.key" -subj "/CN=$h" 2>/dev/null |
    openssl x509 -req -CA "$ca" -CAkey "$cakey" -days 8 -sha256 -set_serial "0x$(openssl rand -hex 8)" \
      -extfile <(printf 'subjectAltName=DNS:%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\ncrlDistributionPoints=URI:%s/%s.crl\n' "$h" "$eku" "$CRL_BASE" "${d##*/}") \
      -out "$d/$h.pem" 2>/dev/null
}

# --- the base world ------------------------------------------------------------------------------
start_site() { # start_site LABEL HOST LISTEN... [-- [--role ROLE] SERVER_ARGS...] (ROLE default hms)
  local label=$1 host=$2 role=hms; shift 2
  local args=()
  while (($#)); do
    if [[ $1 == -- ]]; then
      shift
      [[ ${1:-} == --role ]] && { role=$2; shift 2; }
      args+=("$@"); break
    fi
    args+=(--listen "$1"); shift
  done
  rm -f "$SCN_DIR/$label.ready"
  spawn "$role" "$label" "$PY" "$LAB_DIR/server.py" --host "$host" --cert "$WORK/pki/$host.pem" \
    --key "$WORK/pki/$host.key" --ready-file "$SCN_DIR/$label.ready" "${args[@]}"
}

base_world() {
  local r
  for r in laptop home inet lma hms corp; do add_ns "$r"; done

  # internet core <-> home ISP, hospital (LMA), HMS, Acme Corp
  link inet home0 198.18.2.1/30  home wan0 198.18.2.2/30
  link inet lma0  198.18.2.5/30  lma  wan0 198.18.2.6/30
  link inet hms0  198.18.2.9/30  hms  wan0 198.18.2.10/30
  link inet corp0 198.18.2.13/30 corp wan0 198.18.2.14/30
  # the LMA interconnect between the hospital network and HMS (carries the affiliate portal)
  link lma hms0 198.18.47.1/30 hms lma0 198.18.47.2/30

  ip -n "$(ns inet)" addr add "$RESOLVER/32" dev lo
  ip -n "$(ns inet)" addr add "$SIGNIN_IP/32" dev lo
  ip -n "$(ns inet)" route add "$LMA_NET" via 198.18.2.6
  ip -n "$(ns inet)" route add "$HMS_NET" via 198.18.2.10
  ip -n "$(ns inet)" route add "$CORP_NET" via 198.18.2.14

  ip -n "$(ns home)" route add default via 198.18.2.1
  ipt home -t nat -A POSTROUTING -o wan0 -j MASQUERADE

  ip -n "$(ns lma)" route add default via 198.18.2.5
  ip -n "$(ns lma)" addr add "$LMA_VPN_GW/32" dev lo
  ip -n "$(ns lma)" route add 198.18.40.0/24 via 198.18.47.2

  ip -n "$(ns hms)" route add default via 198.18.2.9
  ip -n "$(ns hms)" route add "$LMA_NET" via 198.18.47.1
  for r in "$HMS_VPN_GW" "$MARS_IP" "$CONTROL_IP" "$AFFILIATE_IP"; do
    ip -n "$(ns hms)" addr add "$r/32" dev lo
  done
  # HMS firewall: MARS only from the HMS VPN pool; the affiliate portal only from LMA addresses.
  ipt hms -A INPUT -d "$MARS_IP" -s "$HMS_VPN_POOL" -j ACCEPT
  ipt hms -A INPUT -d "$MARS_IP" -j DROP
  ipt hms -A INPUT -d "$AFFILIATE_IP" -s "$LMA_NET" -j ACCEPT
  ipt hms -A INPUT -d "$AFFILIATE_IP" -j DROP

  ip -n "$(ns corp)" route add default via 198.18.2.13
  ip -n "$(ns corp)" addr add "$CORP_VPN_GW/32" dev lo
  ipt corp -t nat -A POSTROUTING -s "$CORP_WG_POOL" -o wan0 -j MASQUERADE
  ipt corp -t nat -A POSTROUTING -s "$CORP_OVPN_POOL" -o wan0 -j MASQUERADE

  # the resolver: only the lab's names, nothing forwarded anywhere
  local recs=() h
  for h in "${!HOST_IP[@]}"; do recs+=("--host-record=$h,${HOST_IP[$h]}"); done
  for h in "${!DNS_ONLY[@]}"; do recs+=("--host-record=$h,${DNS_ONLY[$h]}"); done
  spawn inet resolver dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
    --no-poll --pid-file --user=root --group=root --bind-interfaces --listen-address="$RESOLVER" \
    --log-queries --log-facility=- "${recs[@]}"

  # the servers
  start_site mars mars.med.harvard.edu "$MARS_IP:443:https"
  start_site affiliate affiliate-apps.hms.harvard.edu "$AFFILIATE_IP:443:https"
  start_site gateway vpn.hms.harvard.edu "$HMS_VPN_GW:443:https"
  start_site control it.hms.harvard.edu "$CONTROL_IP:443:https" "$CONTROL_IP:80:http"

  LAPTOP_DNS=$RESOLVER
}

resolver_ready() { nx inet bash -c "exec 3<>/dev/tcp/$RESOLVER/53"; }

wait_servers() {
  local label
  for label in resolver mars affiliate gateway control; do
    case $label in
      resolver) wait_for 10 "the resolver" resolver_ready ;;
      *) wait_for 10 "the $label server" test -e "$SCN_DIR/$label.ready" ;;
    esac
  done
}

# --- deltas: one function per directive word of a scenario's SETUP ---------------------------------
# uplink home|lma|hms|none|plane[:MS]: what the laptop's one physical interface (eth0) is plugged into.
d_uplink() {
  case $1 in
    plane) # in-flight Wi-Fi: every packet to or from the laptop waits MS ms (default 600) each way
      local ms=${2:-600}
      [[ $ms =~ ^[0-9]+$ ]] || fail "uplink plane: delay must be milliseconds, not '$ms'"
      add_ns plane
      link inet plane0 198.18.2.21/30 plane wan0 198.18.2.22/30
      ip -n "$(ns inet)" route add "$PLANE_NET" via 198.18.2.22
      ip -n "$(ns plane)" route add default via 198.18.2.21
      link laptop eth0 "$PLANE_LAPTOP/24" plane lan0 "$PLANE_GW/24"
      ip -n "$(ns laptop)" route add default via "$PLANE_GW"
      # the delay line (link_delay.py): what arrives from the laptop goes into dla, comes out of
      # dlb MS ms later and is routed on to the internet; what arrives from the internet takes
      # the opposite way. No iptables here: each packet crosses this namespace twice.
      spawn plane link-delay "$PY" "$LAB_DIR/link_delay.py" --a dla --b dlb --delay-ms "$ms" \
        --ready-file "$SCN_DIR/link-delay.ready"
      wait_for 10 "the link's delay line" test -e "$SCN_DIR/link-delay.ready"
      ip -n "$(ns plane)" link set dla up
      ip -n "$(ns plane)" link set dlb up
      ip -n "$(ns plane)" route add default dev dla table 100
      ip -n "$(ns plane)" route add default dev dlb table 101
      ip -n "$(ns plane)" rule add iif lan0 lookup 100 pref 100
      ip -n "$(ns plane)" rule add iif wan0 lookup 101 pref 101
      LAPTOP_GW=$PLANE_GW ;;
    home)
      link laptop eth0 "$HOME_LAN_LAPTOP/24" home lan0 "$HOME_LAN_GW/24"
      ip -n "$(ns laptop)" route add default via "$HOME_LAN_GW"
      LAPTOP_GW=$HOME_LAN_GW ;;
    hms) # a wired port in an HMS building: the laptop is on HMS's own network, which MARS lets in
      link laptop eth0 "$HMS_LAN_LAPTOP/24" hms lan0 "$HMS_LAN_GW/24"
      ip -n "$(ns laptop)" route add default via "$HMS_LAN_GW"
      ipt hms -I INPUT -d "$MARS_IP" -s "$HMS_LAN" -j ACCEPT
      LAPTOP_GW=$HMS_LAN_GW ;;
    lma)
      link laptop eth0 "$LMA_LAN_LAPTOP/24" lma lan0 "$LMA_LAN_GW/24"
      ip -n "$(ns laptop)" route add default via "$LMA_LAN_GW"
      LAPTOP_GW=$LMA_LAN_GW ;;
    none) # the cable is there, but the laptop's interface is down: no address, no route
      link laptop eth0 - home lan0 "$HOME_LAN_GW/24"
      ip -n "$(ns laptop)" link set eth0 down
      LAPTOP_GW= ;;
    *) fail "uplink: unknown '$1'" ;;
  esac
}

openvpn_ready() { grep -q 'Initialization Sequence Completed' "$SCN_DIR/$1.log"; }
wg_handshake() { nsenter -t "$1" -m -n wg show "$2" latest-handshakes | awk '$2 > 0 { ok = 1 } END { exit !ok }'; }

# wireguard-go keeps its control socket in /var/run/wireguard, which is not per namespace: each
# instance gets a private tmpfs on /run in its own mount namespace, and wg talks to it via nsenter.
wg_go() { # wg_go ROLE LABEL IFNAME
  spawn "$1" "$2" sh -c "mount -t tmpfs lab-run /run && exec wireguard-go -f $3"
  local pid=$LAST_PID
  wait_for 5 "$2 ($3)" ip -n "$(ns "$1")" link show "$3"
  wait_for 5 "$2 control socket" nsenter -t "$pid" -m -n wg show "$3"
  WG_PID=$pid
}

# relay ROLE LABEL LISTEN_IP PORT TO_IP MS: a UDP relay adding MS ms each way (udp_delay.py), on an
# address of its own in ROLE, port PORT+1 (a gateway may hold PORT on every address), forwarding to
# TO_IP:PORT; a VPN whose client talks to it gets 2 x MS more round-trip time.
relay() {
  local role=$1 label=$2 lip=$3 port=$4 to=$5 ms=$6
  [[ $ms =~ ^[0-9]+$ ]] || fail "delay must be milliseconds, not '$ms'"
  ip -n "$(ns "$role")" addr add "$lip/32" dev lo
  spawn "$role" "$label" "$PY" "$LAB_DIR/udp_delay.py" --listen "$lip:$((port + 1))" --to "$to:$port" \
    --delay-ms "$ms" --ready-file "$SCN_DIR/$label.ready"
  wait_for 10 "the $label relay" test -e "$SCN_DIR/$label.ready"
}

# vpn hms|hospital|acme-full|acme-split|harvard [DELAY_MS]: a real VPN client in the laptop, its
# gateway on the far side; with DELAY_MS, the tunnel's packets pass a relay that delays them that much
# each way. `vpn hms split` carries only 198.18.64.0/28 (MARS and the gateway's block, not the
# control host 198.18.64.30), as a split tunnel to HMS's internal servers would. `vpn harvard own`
# carries only Harvard University's own 198.18.80.0/20; `vpn acme-full hms` also routes HMS's
# 198.18.64.0/20 into the Acme tunnel by name (not only by its 0/1 + 128/1). Two VPNs that route the
# same block: the one connected last takes it (openvpn's netlink route goes in front of an equal one,
# and the lab adds Acme's with `ip route prepend`, the same), so SETUP's order decides whose MARS is.
# Gateway-side tunnels have names no laptop tunnel has (hmsgw0, lmagw0, acmegw0, acmegw1): the lab
# shares one PID namespace, so hmsaccess's process scan also sees the gateways' daemons, and their
# tunnel devices must not be mistaken for the laptop's.
d_vpn() {
  [[ -n ${LAPTOP_GW:-} ]] || fail "vpn $1 needs an uplink"
  local p=$WORK/pki
  case $1 in
    hms) # HMS VPN: openvpn peer-to-peer, tun0, routes the HMS network; the gateway via the uplink
      local remote=$HMS_VPN_GW rport=1194 delay='' carried=(198.18.64.0 255.255.240.0) opt
      for opt in "${@:2}"; do
        case $opt in
          split) carried=(198.18.64.0 255.255.255.240) ;;
          *) delay=$opt ;;
        esac
      done
      if [[ -n $delay ]]; then remote=198.18.64.2; relay hms hms-vpn-relay "$remote" 1194 "$HMS_VPN_GW" "$delay"; rport=1195; fi
      spawn hms hms-vpn-gw openvpn --dev hmsgw0 --dev-type tun --proto udp --local "$HMS_VPN_GW" --lport 1194 \
        --ifconfig 198.18.72.1 198.18.72.2 --secret "$p/hms-vpn.key" --cipher AES-256-CBC --ping 1 --verb 3
      spawn laptop hms-vpn openvpn --dev tun0 --dev-type tun --proto udp --remote "$remote" "$rport" --nobind \
        --ifconfig 198.18.72.2 198.18.72.1 --secret "$p/hms-vpn.key" --cipher AES-256-CBC --ping 1 --verb 3 \
        --route "$remote" 255.255.255.255 net_gateway --route "${carried[@]}"
      wait_for 15 "the HMS VPN (openvpn) to connect" openvpn_ready hms-vpn ;;
    harvard) # Harvard University's VPN (vpn.harvard.edu, not the HMS VPN): openvpn, tun2. It carries
      # Harvard's address space, HMS's included, so MARS's route goes through it; Harvard NATs the
      # pool, so MARS sees a Harvard address that its firewall does not let in. The client names its
      # gateway by host name on its command line (openvpn resolves it through the lab resolver) and
      # keeps a host route to it via the uplink: the two ways a tunnel's gateway can be learnt.
      local carried=(--route 198.18.64.0 255.255.240.0 --route 198.18.80.0 255.255.240.0)
      case ${2:-} in
        '') ;;
        own) carried=(--route 198.18.80.0 255.255.240.0) ;;
        *) fail "vpn harvard: unknown option '$2'" ;;
      esac
      add_ns harvard
      link inet harv0 198.18.2.17/30 harvard wan0 198.18.2.18/30
      ip -n "$(ns inet)" route add "$HARVARD_NET" via 198.18.2.18
      ip -n "$(ns harvard)" route add default via 198.18.2.17
      ip -n "$(ns harvard)" addr add "$HARVARD_VPN_GW/32" dev lo
      ipt harvard -t nat -A POSTROUTING -s "$HARVARD_VPN_POOL" -o wan0 -j MASQUERADE
      spawn harvard harvard-vpn-gw openvpn --dev harvgw0 --dev-type tun --proto udp --local "$HARVARD_VPN_GW" \
        --lport 1194 --ifconfig 198.18.88.1 198.18.88.2 --secret "$p/harvard-vpn.key" --cipher AES-256-CBC \
        --ping 1 --verb 3
      spawn laptop harvard-vpn openvpn --dev tun2 --dev-type tun --proto udp --remote vpn.harvard.edu 1194 --nobind \
        --ifconfig 198.18.88.2 198.18.88.1 --secret "$p/harvard-vpn.key" --cipher AES-256-CBC --ping 1 --verb 3 \
        --route remote_host 255.255.255.255 net_gateway "${carried[@]}"
      wait_for 15 "the Harvard University VPN (openvpn) to connect" openvpn_ready harvard-vpn ;;
    hospital) # hospital VPN: wireguard-go, wg0, routes the LMA networks
      local endpoint=$LMA_VPN_GW eport=51820
      if [[ -n ${2:-} ]]; then endpoint=198.18.33.2; relay lma hospital-vpn-relay "$endpoint" 51820 "$LMA_VPN_GW" "$2"; eport=51821; fi
      wg_go lma hospital-vpn-gw lmagw0
      nsenter -t "$WG_PID" -m -n wg set lmagw0 listen-port 51820 private-key "$p/wg-lma-gw.key" \
        peer "$(cat "$p/wg-laptop-hospital.pub")" allowed-ips 198.18.34.2/32 || fail "wg set (lma)"
      ip -n "$(ns lma)" addr add 198.18.34.1/24 dev lmagw0
      ip -n "$(ns lma)" link set lmagw0 up
      wg_go laptop hospital-vpn wg0
      nsenter -t "$WG_PID" -m -n wg set wg0 private-key "$p/wg-laptop-hospital.key" \
        peer "$(cat "$p/wg-lma-gw.pub")" allowed-ips "$LMA_NET" endpoint "$endpoint:$eport" \
        persistent-keepalive 25 || fail "wg set (laptop)"
      ip -n "$(ns laptop)" addr add 198.18.34.2/32 dev wg0
      ip -n "$(ns laptop)" link set wg0 up
      ip -n "$(ns laptop)" route add "$endpoint/32" via "$LAPTOP_GW"
      ip -n "$(ns laptop)" route add "$LMA_NET" dev wg0
      wait_for 10 "the hospital VPN (wireguard) handshake" wg_handshake "$WG_PID" wg0 ;;
    acme-full) # Acme Corp's VPN: wireguard-go, wg-acme, full tunnel (everything but its own gateway)
      [[ -z ${2:-} || $2 == hms ]] || fail "vpn acme-full: unknown option '$2'"
      wg_go corp acme-vpn-gw acmegw0
      nsenter -t "$WG_PID" -m -n wg set acmegw0 listen-port 51820 private-key "$p/wg-corp-gw.key" \
        peer "$(cat "$p/wg-laptop-acme.pub")" allowed-ips 198.18.98.2/32 || fail "wg set (corp)"
      ip -n "$(ns corp)" addr add 198.18.98.1/24 dev acmegw0
      ip -n "$(ns corp)" link set acmegw0 up
      wg_go laptop acme-vpn wg-acme
      nsenter -t "$WG_PID" -m -n wg set wg-acme private-key "$p/wg-laptop-acme.key" \
        peer "$(cat "$p/wg-corp-gw.pub")" allowed-ips 0.0.0.0/0 endpoint "$CORP_VPN_GW:51820" \
        persistent-keepalive 25 || fail "wg set (laptop acme)"
      ip -n "$(ns laptop)" addr add 198.18.98.2/32 dev wg-acme
      ip -n "$(ns laptop)" link set wg-acme up
      ip -n "$(ns laptop)" route add "$CORP_VPN_GW/32" via "$LAPTOP_GW"
      ip -n "$(ns laptop)" route add 0.0.0.0/1 dev wg-acme
      ip -n "$(ns laptop)" route add 128.0.0.0/1 dev wg-acme
      [[ ${2:-} == hms ]] && ip -n "$(ns laptop)" route prepend "$HMS_NET" dev wg-acme
      wait_for 10 "the Acme VPN (wireguard) handshake" wg_handshake "$WG_PID" wg-acme ;;
    acme-split) # Acme Corp's VPN: openvpn, tun1, split tunnel (only Acme's own network)
      spawn corp acme-vpn-gw openvpn --dev acmegw1 --dev-type tun --proto udp --local "$CORP_VPN_GW" --lport 1194 \
        --ifconfig 198.18.99.1 198.18.99.2 --secret "$p/acme-vpn.key" --cipher AES-256-CBC --ping 1 --verb 3
      spawn laptop acme-vpn openvpn --dev tun1 --dev-type tun --proto udp --remote "$CORP_VPN_GW" 1194 --nobind \
        --ifconfig 198.18.99.2 198.18.99.1 --secret "$p/acme-vpn.key" --cipher AES-256-CBC --ping 1 --verb 3 \
        --route "$CORP_VPN_GW" 255.255.255.255 net_gateway --route 198.18.96.0 255.255.240.0
      wait_for 15 "the Acme VPN (openvpn) to connect" openvpn_ready acme-vpn ;;
    *) fail "vpn: unknown '$1'" ;;
  esac
}

# The directives for what goes wrong around this world (servers, firewalls, DNS, portals, proxies).
# shellcheck source=faults.sh
source "$LAB_DIR/faults.sh"

# --- one scenario's world: up and down ------------------------------------------------------------
# world_up runs in a subshell with errexit: any failed step aborts the world (the caller tears down).
world_up() {
  set -eE
  trap 'echo "lab: world setup failed at: $BASH_COMMAND" >&2' ERR
  : >"$SCN_DIR/pids"; : >"$SCN_DIR/netns"; : >"$SCN_DIR/etcdirs"
  base_world
  local up
  IFS=: read -r -a up <<<"${UPLINK:-home}"
  d_uplink "${up[@]}"
  wait_servers
  local line word
  while IFS= read -r line; do
    line=${line%%#*}
    read -r -a word <<<"$line"
    (( ${#word[@]} )) || continue
    declare -F "d_${word[0]}" >/dev/null || fail "unknown SETUP directive '${word[0]}'"
    log "delta: ${word[*]}"
    "d_${word[0]}" "${word[@]:1}"
  done <<<"${SETUP:-}"
  printf 'nameserver %s\n' "$LAPTOP_DNS" >"/etc/netns/$(ns laptop)/resolv.conf"
}

# world_down [SCN_DIR]: idempotent; kills the PIDs this scenario started, deletes its namespaces
# and /etc/netns folders. Safe to call twice, and after a half-built world.
world_down() {
  local dir=${1:-$SCN_DIR} pid n
  [[ -d $dir ]] || return 0
  # Every process inside a lab namespace was started by the lab (servers, VPN clients and gateways,
  # the resolver, and anything they forked); the PID list comes from the namespaces themselves, so a
  # PID that was recorded earlier and has since been reused elsewhere is never signalled.
  local nss=() pids=()
  [[ -s $dir/netns ]] && mapfile -t nss <"$dir/netns"
  ns_pids() { local x; for x in "${nss[@]}"; do ip netns pids "$x" 2>/dev/null; done; }
  if (( ${#nss[@]} )); then
    mapfile -t pids < <(ns_pids)
    (( ${#pids[@]} )) && kill -TERM "${pids[@]}" 2>/dev/null
    local deadline=$(( $(now_ns) + 3000000000 ))
    while (( $(now_ns) < deadline )); do
      mapfile -t pids < <(ns_pids)
      local alive=0
      for pid in "${pids[@]}"; do gone "$pid" || alive=1; done
      (( alive )) || break
      sleep 0.05
    done
    mapfile -t pids < <(ns_pids)
    (( ${#pids[@]} )) && kill -KILL "${pids[@]}" 2>/dev/null
    for n in "${nss[@]}"; do ip netns del "$n" 2>/dev/null; done
    : >"$dir/netns"
  fi
  : >"$dir/pids" 2>/dev/null
  if [[ -s $dir/etcdirs ]]; then
    while read -r n; do [[ $n == /etc/netns/hmslab-* ]] && rm -rf -- "$n"; done <"$dir/etcdirs"
    : >"$dir/etcdirs"
    rmdir /etc/netns 2>/dev/null
  fi
  return 0
}
