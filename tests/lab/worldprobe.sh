#!/usr/bin/env bash
# Runs inside the laptop namespace (scripts/lab check): looks at the world with dig, curl and ip, the
# way hmsaccess would, and prints one line of tokens:
#   dns=ok|portal|fail|mixed  mars=…  affiliate=…  gateway=…  control=…  [EXTRA=…]  http=…
#   udp=ok|eperm|…  clock=ok|-400d|-10m|+42s  clients=none|openvpn@REMOTE,wireguard-go,…
#   apps=none|openconnect,…  ROLE.via=DEV  ROLE.tcp=ok|timeout|refused|…  [proxy=…]
# where an HTTPS result is ok (2xx) | httpNNN (any other status; a redirect adds ROLE.location=URL) |
# timeout | refused | unreachable | eperm (this computer refused to send: a local firewall) | tls |
# errN (a refused certificate adds ROLE.cert=expired|not-yet-valid|untrusted|wrong-purpose where curl says why),
# and http (plain HTTP on the control host) is ok (redirect to the HMS site itself) | portal
# (redirect elsewhere) | timeout | refused | …. With CHECK_CLOCK set (the scenario's CLOCK), curl and
# date run under libfaketime with that offset (dig does not: it clashes with libfaketime, and DNS
# does not look at the clock); `clock` compares that clock with the Date header of the control
# host's plain-HTTP answer.
# `udp` is what sending one datagram to the first nameserver does (dig reports a send that the
# kernel refused, EPERM, as a timeout). `clients` lists the VPN client processes in this network namespace with the gateway their command
# line names (openvpn --remote). `apps` lists the HMS VPN apps installed in this view of the file
# system (laptop_apps.sh: the scenario's INSTALLED). `ROLE.via` is the interface the route to ROLE's
# address uses. `ROLE.tcp` is a bare TCP connect to port 443 (no TLS): where HTTPS times out, it
# tells a path that drops everything from one where the connection opens and the handshake stalls.
# With HTTPS_PROXY (or https_proxy) in the environment (the scenario's ENV), `proxy` is the control
# host's HTTPS fetched through that proxy, as the browser would (ok | timeout | refused | …); every
# other check goes direct (--noproxy).
# Names are resolved with dig through /etc/resolv.conf (the lab's, bind-mounted by ip netns exec);
# when a name does not resolve, curl goes to the lab address of the host, so the routes are still seen.
# Every step is bounded: dig and curl by CHECK_TIME (default 3 s), all in parallel.
set -u
CA=$1 EMPTY=$2 PORTAL_IP=$3; shift 3   # then ROLE=NAME@LABIP: mars=… affiliate=… gateway=… control=… extras
T=${CHECK_TIME:-3}
FT=()
[[ -n ${CHECK_CLOCK:-} ]] && FT=(faketime -m --exclude-monotonic -f "$CHECK_CLOCK")
DIG_T=$(awk -v t="$T" 'BEGIN { d = int(t / 3); print (d < 1 ? 1 : d) }')
out=$(mktemp -d /tmp/hmslab-probe.XXXXXX)
trap 'rm -rf "$out"' EXIT

declare -A NAME IP
ORDER=()
for kv in "$@"; do
  role=${kv%%=*}; rest=${kv#*=}; NAME[$role]=${rest%%@*}; IP[$role]=${rest#*@}; ORDER+=("$role")
done

for role in "${ORDER[@]}"; do
  dig +short +time="$DIG_T" +tries=1 A "${NAME[$role]}" 2>/dev/null | grep -E '^[0-9.]+$' | head -n1 >"$out/$role.dns" &
done
wait

dns_ok=0 dns_portal=0 dns_fail=0
for role in "${ORDER[@]}"; do
  got=$(cat "$out/$role.dns")
  if [[ -z $got ]]; then dns_fail=$((dns_fail + 1)); addr=${IP[$role]}
  elif [[ $got == "$PORTAL_IP" ]]; then dns_portal=$((dns_portal + 1)); addr=$got
  elif [[ $got == "${IP[$role]}" ]]; then dns_ok=$((dns_ok + 1)); addr=$got
  else addr=$got
  fi
  echo "$addr" >"$out/$role.addr"
done
n=${#ORDER[@]}
if ((dns_ok == n)); then dns=ok; elif ((dns_portal == n)); then dns=portal; elif ((dns_fail == n)); then dns=fail; else dns=mixed; fi

classify() { # classify EXIT ERRMSG
  case $2 in *"Operation not permitted"* | *"Permission denied"*) echo eperm; return ;; esac
  case $1 in
    0) echo ok ;;
    28) echo timeout ;;
    7) case $2 in *"Connection refused"*) echo refused ;; *) echo unreachable ;; esac ;;
    35 | 51 | 53 | 54 | 58 | 59 | 60 | 66 | 77 | 80 | 83 | 90 | 91) echo tls ;;
    *) echo "err$1" ;;
  esac
}

probe_https() {
  local role=$1 addr; addr=$(cat "$out/$role.addr")
  local res rc
  res=$("${FT[@]}" curl -v -sS -o /dev/null -w '%{http_code} %{redirect_url}' --connect-timeout "$(awk -v t="$T" 'BEGIN { print t - 0.5 }')" \
    --max-time "$T" --cacert "$CA" --capath "$EMPTY" --noproxy '*' \
    --resolve "${NAME[$role]}:443:$addr" "https://${NAME[$role]}/" 2>"$out/$role.err")
  rc=$?
  if ((rc != 0)); then
    classify "$rc" "$(cat "$out/$role.err")" >"$out/$role.https"
    case $(cat "$out/$role.err") in # why a certificate was refused, where curl says
      *"certificate has expired"*) echo expired ;;
      *"not yet valid"*) echo not-yet-valid ;;
      *"unable to get local issuer"* | *"self-signed"* | *"self signed"*) echo untrusted ;;
      *"unsuitable certificate purpose"* | *"unsupported certificate purpose"*) echo wrong-purpose ;;
    esac >"$out/$role.cert"
    return
  fi
  case $res in
    2??\ *) echo ok ;;
    *) echo "http${res%% *}" ;;
  esac >"$out/$role.https"
  [[ $res == 3??\ ?* ]] && echo "${res#* }" >"$out/$role.location"
}

probe_http() {
  local addr; addr=$(cat "$out/control.addr")
  local res rc
  res=$("${FT[@]}" curl -v -sS -o /dev/null -D "$out/http.headers" -w '%{http_code} %{redirect_url}' --connect-timeout "$(awk -v t="$T" 'BEGIN { print t - 0.5 }')" \
    --max-time "$T" --noproxy '*' --resolve "${NAME[control]}:80:$addr" "http://${NAME[control]}/" 2>"$out/http.err")
  rc=$?
  if ((rc != 0)); then classify "$rc" "$(cat "$out/http.err")" >"$out/http.res"; return; fi
  case $res in
    3??\ http*://"${NAME[control]}"/* | 3??\ http*://"${NAME[control]}") echo ok ;;
    3??\ *) echo portal ;;
    2??\ *) echo ok ;;
    *) echo "http${res%% *}" ;;
  esac >"$out/http.res"
}

# clock: this clock minus the server's Date header, rounded to what a person would say.
clock_token() {
  local date_hdr server now s a
  date_hdr=$(tr -d '\r' <"$out/http.headers" 2>/dev/null | sed -n 's/^[Dd]ate: //p' | head -n1)
  [[ -n $date_hdr ]] || { echo none; return; }
  server=$(date -d "$date_hdr" +%s 2>/dev/null) || { echo none; return; }
  now=$("${FT[@]}" date +%s)
  s=$((now - server)); a=${s#-}
  if ((a < 30)); then echo ok
  elif ((a >= 129600)); then printf '%+dd\n' "$(((s + (s < 0 ? -43200 : 43200)) / 86400))"
  elif ((a >= 90)); then printf '%+dm\n' "$(((s + (s < 0 ? -30 : 30)) / 60))"
  else printf '%+ds\n' "$s"
  fi
}

# udp: sends one datagram to the first nameserver: ok, or eperm (a local firewall refused it), or
# the error's first words.
udp_token() {
  local nsrv err
  nsrv=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
  [[ -n $nsrv ]] || { echo none; return; }
  err=$( { exec 3>"/dev/udp/$nsrv/53" && printf 'x' >&3; } 2>&1 >/dev/null)
  case $err in
    '') echo ok ;;
    *"not permitted"*) echo eperm ;;
    *) echo "$err" | head -n1 | sed 's/.*: //; s/ /-/g' | tr '[:upper:]' '[:lower:]' ;;
  esac
}

# clients: VPN client processes in this network namespace (the PID namespace is shared), with the
# gateway an openvpn command line names; sorted, so the token does not depend on PID order.
clients_token() {
  local mine pid comm list=() args remote i
  mine=$(readlink /proc/self/ns/net)
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "$mine" ]] || continue
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case $comm in
      openvpn)
        mapfile -d '' -t args <"/proc/$pid/cmdline"
        remote='?'
        for ((i = 0; i < ${#args[@]} - 1; i++)); do
          [[ ${args[i]} == --remote ]] && remote=${args[i + 1]}
        done
        list+=("openvpn@$remote") ;;
      wireguard-go | openconnect) list+=("$comm") ;;
    esac
  done
  if ((${#list[@]})); then printf '%s\n' "${list[@]}" | sort | paste -sd, -; else echo none; fi
}

# tcp: a bare TCP connect to port 443 of ROLE's address (bash's /dev/tcp, bounded by T).
probe_tcp() {
  local role=$1 addr err rc; addr=$(cat "$out/$role.addr")
  err=$(timeout "$T" bash -c "exec 3<>/dev/tcp/$addr/443" 2>&1)
  rc=$?
  case $rc:$err in
    0:*) echo ok ;;
    124:*) echo timeout ;;
    *refused*) echo refused ;;
    *"not permitted"*) echo eperm ;;
    *unreachable*) echo unreachable ;;
    *) echo "err$rc" ;;
  esac >"$out/$role.tcp"
}

# proxy: the control host's HTTPS through the environment's proxy (curl reads HTTPS_PROXY itself).
probe_proxy() {
  local res rc
  res=$("${FT[@]}" curl -v -sS -o /dev/null -w '%{http_code}' --connect-timeout "$(awk -v t="$T" 'BEGIN { print t - 0.5 }')" \
    --max-time "$T" --cacert "$CA" --capath "$EMPTY" "https://${NAME[control]}/" 2>"$out/proxy.err")
  rc=$?
  if ((rc != 0)); then classify "$rc" "$(cat "$out/proxy.err")"; else [[ $res == 2?? ]] && echo ok || echo "http$res"; fi >"$out/proxy.res"
}

for role in "${ORDER[@]}"; do probe_https "$role" & probe_tcp "$role" & done
[[ -n ${HTTPS_PROXY:-${https_proxy:-}} && -n ${NAME[control]:-} ]] && probe_proxy &
[[ -n ${NAME[control]:-} ]] && probe_http &
wait

line="dns=$dns"
for role in "${ORDER[@]}"; do
  line+=" $role=$(cat "$out/$role.https")"
  [[ -s $out/$role.location ]] && line+=" $role.location=$(cat "$out/$role.location")"
  [[ -s $out/$role.cert ]] && line+=" $role.cert=$(cat "$out/$role.cert")"
done
[[ -e $out/http.res ]] && line+=" http=$(cat "$out/http.res")"
[[ -e $out/proxy.res ]] && line+=" proxy=$(cat "$out/proxy.res")"
line+=" udp=$(udp_token) clock=$(clock_token) clients=$(clients_token)"
line+=" apps=$(bash "$(dirname "${BASH_SOURCE[0]}")/laptop_apps.sh" show)"
for role in "${ORDER[@]}"; do
  dev=$(ip -o route get "$(cat "$out/$role.addr")" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p')
  line+=" $role.via=${dev:-none} $role.tcp=$(cat "$out/$role.tcp")"
done
echo "$line"
