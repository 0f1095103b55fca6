#!/usr/bin/env bash
# Runs inside the laptop namespace (scripts/lab check): looks at the world with dig and curl, the way
# hmsaccess would, and prints one line of tokens:
#   dns=ok|portal|fail|mixed  mars=…  affiliate=…  gateway=…  control=…  http=…
# where an HTTPS result is ok|timeout|refused|unreachable|tls|errN, and http (plain HTTP on the control
# host) is ok (redirect to the HMS site itself)|portal (redirect elsewhere)|timeout|refused|….
# Names are resolved with dig through /etc/resolv.conf (the lab's, bind-mounted by ip netns exec);
# when a name does not resolve, curl goes to the lab address of the host, so the routes are still seen.
# Every step is bounded: dig 1 s, curl 3 s, all in parallel.
set -u
CA=$1 EMPTY=$2 PORTAL_IP=$3; shift 3   # then NAME=LABIP pairs: mars=… affiliate=… gateway=… control=…
out=$(mktemp -d /tmp/hmslab-probe.XXXXXX)
trap 'rm -rf "$out"' EXIT

declare -A NAME IP
for kv in "$@"; do
  role=${kv%%=*}; rest=${kv#*=}; NAME[$role]=${rest%%@*}; IP[$role]=${rest#*@}
done

for role in "${!NAME[@]}"; do
  dig +short +time=1 +tries=1 A "${NAME[$role]}" 2>/dev/null | grep -E '^[0-9.]+$' | head -n1 >"$out/$role.dns" &
done
wait

dns_ok=0 dns_portal=0 dns_fail=0
for role in "${!NAME[@]}"; do
  got=$(cat "$out/$role.dns")
  if [[ -z $got ]]; then dns_fail=$((dns_fail + 1)); addr=${IP[$role]}
  elif [[ $got == "$PORTAL_IP" ]]; then dns_portal=$((dns_portal + 1)); addr=$got
  elif [[ $got == "${IP[$role]}" ]]; then dns_ok=$((dns_ok + 1)); addr=$got
  else addr=$got
  fi
  echo "$addr" >"$out/$role.addr"
done
n=${#NAME[@]}
if ((dns_ok == n)); then dns=ok; elif ((dns_portal == n)); then dns=portal; elif ((dns_fail == n)); then dns=fail; else dns=mixed; fi

classify() { # classify EXIT ERRMSG
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
  local msg rc
  msg=$(curl -v -sS -o /dev/null --connect-timeout 2.5 --max-time 3 --cacert "$CA" --capath "$EMPTY" \
    --noproxy '*' --resolve "${NAME[$role]}:443:$addr" "https://${NAME[$role]}/" 2>&1)
  rc=$?
  classify "$rc" "$msg" >"$out/$role.https"
}

probe_http() {
  local addr; addr=$(cat "$out/control.addr")
  local res rc
  res=$(curl -v -sS -o /dev/null -w '%{http_code} %{redirect_url}' --connect-timeout 2.5 --max-time 3 \
    --noproxy '*' --resolve "${NAME[control]}:80:$addr" "http://${NAME[control]}/" 2>"$out/http.err")
  rc=$?
  if ((rc != 0)); then classify "$rc" "$(cat "$out/http.err")" >"$out/http.res"; return; fi
  case $res in
    3??\ http*://"${NAME[control]}"/* | 3??\ http*://"${NAME[control]}") echo ok ;;
    3??\ *) echo portal ;;
    2??\ *) echo ok ;;
    *) echo "http${res%% *}" ;;
  esac >"$out/http.res"
}

for role in "${!NAME[@]}"; do probe_https "$role" & done
[[ -n ${NAME[control]:-} ]] && probe_http &
wait

line="dns=$dns"
for role in mars affiliate gateway control; do
  [[ -n ${NAME[$role]:-} ]] && line+=" $role=$(cat "$out/$role.https")"
done
[[ -e $out/http.res ]] && line+=" http=$(cat "$out/http.res")"
echo "$line"
