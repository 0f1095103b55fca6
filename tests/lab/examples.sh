# shellcheck shell=bash
# The example of each cause (`scripts/lab examples`, docs/examples/README.md): the scenario that
# docs/examples/causes.txt names is run as `scripts/lab run` runs it (every check of the scenario
# applies), and when it passes and the report has that cause, the report is saved as
# docs/examples/CAUSE.json and what `hmsaccess explain` prints for it in an 80-column UTF-8
# terminal as CAUSE.txt (the command tests/docs_examples/causes.rs re-runs to pin it).
# Sourced by scripts/lab after lib.sh; EX_CAUSE and EX_CLIENT are indexed by scenario number - 1.

# Where the catalogue's HMS VPN apps are installed on Linux (src/netif/clients.rs; a test keeps
# this list equal to it): what `hms-client=none` hides.
HMS_CLIENT_PATHS=(
  /opt/paloaltonetworks/globalprotect/globalprotect
  /opt/pulsesecure/bin/pulseUI
  /opt/ivanti/secureaccess/bin/pulseUI
  /usr/sbin/openconnect
  /usr/bin/openconnect
)

# hms_client_bin installed|none: prints the path of a wrapper that runs $BIN in a mount namespace
# of its own where the laptop has an HMS VPN app (a stand-in /usr/sbin/openconnect, which only
# prints that it is one) or none (every HMS_CLIENT_PATHS entry hidden by an overlay whiteout).
# Nothing changes outside that one run: the host's files and mounts stay as they are.
hms_client_bin() {
  local mode=$1 dir=$WORK/hms-client-$1 p parent mounts=''
  local -A layers=()
  mkdir -p "$dir"
  case $mode in
    installed)
      layers[/usr/sbin]=$dir/layer/usr/sbin
      mkdir -p "${layers[/usr/sbin]}"
      printf '#!/bin/sh\necho "an openconnect stand-in (scripts/lab examples)" >&2\nexit 1\n' \
        >"${layers[/usr/sbin]}/openconnect"
      chmod +x "${layers[/usr/sbin]}/openconnect"
      ;;
    none)
      for p in "${HMS_CLIENT_PATHS[@]}"; do
        [[ -e $p ]] || continue
        parent=$(dirname "$p")
        layers[$parent]=$dir/layer$parent
        mkdir -p "${layers[$parent]}"
        mknod "${layers[$parent]}/$(basename "$p")" c 0 0 || return 1 # an overlay whiteout
      done
      ;;
    *) echo "lab: hms-client=$mode: not installed|none" >&2; return 1 ;;
  esac
  for parent in "${!layers[@]}"; do
    mounts+=$(printf 'mount -t overlay overlay -o %q %q || exit 97; ' \
      "lowerdir=${layers[$parent]}:$parent" "$parent")
  done
  {
    echo '#!/bin/bash'
    echo "# hmsaccess with the laptop's HMS VPN app: $mode (scripts/lab examples)"
    printf 'exec unshare --mount --propagation private /bin/bash -c %q hmsaccess "$@"\n' \
      "${mounts}exec $(printf '%q' "$BIN") \"\$@\""
  } >"$dir/hmsaccess"
  chmod +x "$dir/hmsaccess"
  echo "$dir/hmsaccess"
}

# example_scenario: runs the scenario (diagnose_scenario) with the HMS VPN app the list asks
# for, then saves its report and text as the example of its cause.
example_scenario() {
  local i=$((SCN_NO - 1)) real=$BIN cause client got rc=0
  cause=${EX_CAUSE[$i]}
  client=${EX_CLIENT[$i]}
  if [[ -n $client ]]; then
    BIN=$(hms_client_bin "$client") || { GOT=no-wrapper; DETAIL="hms-client=$client failed"; return 1; }
  fi
  diagnose_scenario || rc=1
  BIN=$real
  ((rc == 0)) || return 1
  got=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["verdict"].get("cause") or "")' \
    "$SCN_DIR/report.json") || { DETAIL="report.json: no verdict"; return 1; }
  if [[ $got != "$cause" ]]; then
    DETAIL="the report's cause is ${got:-null}, not $cause: nothing written"
    return 1
  fi
  GOT=$got
  local out=$REPO/docs/examples
  cp "$SCN_DIR/report.json" "$out/$cause.json"
  # The text as a person sees it: explain, no network at all, 80 columns, UTF-8, no colour.
  (cd "$REPO" && bg timeout -k 2 10 unshare --net env -u LC_ALL -u LC_CTYPE COLUMNS=80 \
    LANG=C.UTF-8 "$real" explain --color never "docs/examples/$cause.json") >"$out/$cause.txt" \
    || { DETAIL="explain docs/examples/$cause.json failed"; return 1; }
  echo "lab: wrote docs/examples/$cause.json and $cause.txt (scenario $(basename "$SCN_DIR"))" >&2
}
