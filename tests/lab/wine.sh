# shellcheck shell=bash
# `scripts/lab run --windows`: the Windows program (hmsaccess.exe) under Wine in each scenario's
# laptop namespace, judged by the same expectations as the Linux binary, except where Wine cannot
# show what Windows would (tests/lab/wine-exceptions.sh). Sourced by scripts/lab after lib.sh.
# How and why: docs/windows.md, "In the lab".
#
# Per run: the .exe (target/artifacts/hmsaccess.exe, built here by scripts/windows-wine --build-only
# unless HMSACCESS_EXE names one), one Wine prefix, and the lab CAs' revocation lists. Per
# scenario, after the world is up: the revocation lists served in the laptop itself, a wineserver
# in the laptop namespace (Wine makes its sockets there), and the scenario's trust as the only
# system CA bundle that Wine reads.
#
# Knobs: HMSACCESS_EXE (the .exe to run), WINE_WALL_EXTRA (seconds allowed for Wine's start of the
# program, default 2), LAB_WINEDEBUG (WINEDEBUG for the diagnose run, default -all,+cryptnet: the
# revocation lists' fetches, a few dozen lines, whose failures a failed scenario's details quote;
# e.g. +chain,+crypt,+wininet for more; the trace is the scenario's diagnose.stderr, kept with
# LAB_KEEP=1).

# shellcheck source=scripts/lib/cross.sh
source "$REPO/scripts/lib/cross.sh"
# shellcheck source=scripts/lib/wine.sh
source "$REPO/scripts/lib/wine.sh"

WINE_EXE=${HMSACCESS_EXE:-$REPO/target/artifacts/hmsaccess.exe}
WINE_SHIM=$CROSS_DIR/wine/bcryptprimitives.dll   # made by scripts/windows-wine beside its build
WINE_CRL_ADDR=${CRL_BASE#http://}                 # lib.sh names it in every leaf certificate
# Wine starts a program in about 0.3 s once its server runs, up to 1.3 s at load 15: the wall
# time under Wine may exceed the scenario's limit by this much (diagnose_scenario adds it); the
# program's own duration_ms is held to the limit itself (wine_recheck).
WALL_EXTRA=${WINE_WALL_EXTRA:-2}

# Where the Windows program looks for each HMS VPN app a scenario's INSTALLED names (the "windows"
# installs in src/clients/mod.rs; keep in step): a stand-in file there in the prefix's C: makes it
# installed. openconnect, the Linux way into the HMS VPN, has no Windows install: on the Windows
# laptop the HMS VPN's app is GlobalProtect.
declare -A WINE_APP_PATH=(
  [globalprotect]='Program Files/Palo Alto Networks/GlobalProtect/PanGPA.exe'
  [openconnect]='Program Files/Palo Alto Networks/GlobalProtect/PanGPA.exe'
  [pulse]='Program Files (x86)/Common Files/Pulse Secure/JamUI/Pulse.exe'
)

# Scenarios whose expectations Wine cannot meet, each with why.
declare -A WINE_EXCEPT_SET=() WINE_EXCEPT_WHY=()
# wine_except SCENARIO REASON ASSIGNMENT…: under Wine, SCENARIO is judged with the ASSIGNMENTs
# (bash, applied after the scenario file) and its line says REASON.
wine_except() { WINE_EXCEPT_WHY[$1]=$2; WINE_EXCEPT_SET[$1]=$(printf '%s\n' "${@:3}"); }
# shellcheck source=tests/lab/wine-exceptions.sh
source "$LAB_DIR/wine-exceptions.sh"

wine_log() { echo "lab: $*" >&2; }

# wine_lab_setup: once per run, after make_pki: Wine present, the .exe and its shim, the
# revocation lists, and a prefix made in an empty network namespace.
wine_lab_setup() {
  if [[ ! -x $WINE || ! -x $WINESERVER ]]; then
    [[ ${LAB_NO_INSTALL:-0} == 1 ]] && { wine_log "Wine is missing ($WINE; LAB_NO_INSTALL=1)"; return 2; }
    (CROSS_TAG=lab cross_ensure_packages wine64) >&2 || return 2
  fi
  # Without HMSACCESS_EXE, the .exe is built from this tree every run, as the Linux binary is
  # (cargo builds nothing when nothing changed): an .exe left from an older tree would be judged
  # by this tree's expectations.
  if [[ -n ${HMSACCESS_EXE:-} ]]; then
    [[ -f $HMSACCESS_EXE ]] || { wine_log "HMSACCESS_EXE=$HMSACCESS_EXE is not a file"; return 2; }
  fi
  if [[ -z ${HMSACCESS_EXE:-} || ! -f $WINE_SHIM ]]; then
    wine_log "building hmsaccess.exe (scripts/windows-wine --build-only)…"
    "$REPO/scripts/windows-wine" --build-only >&2 || { wine_log "could not build hmsaccess.exe"; return 2; }
  fi
  [[ -d /etc/ssl/certs ]] || { wine_log "/etc/ssl/certs is missing: Wine's trust is bound over it"; return 2; }
  # Each CA's revocation list, at the name leaf() gives it (the name of the CA's folder).
  local d=$WORK/pki
  mkdir -p "$d/crl" "$WORK/wine/bin"
  if ! wine_crl "$WORK/wine/crl-pki" "$d/ca.pem" "$d/ca.key" "$d/crl/pki.crl" ||
    ! wine_crl "$WORK/wine/crl-inspect" "$d/inspect/root.pem" "$d/inspect/root.key" "$d/crl/inspect.crl" ||
    ! wine_crl "$WORK/wine/crl-shield" "$d/shield/root.pem" "$d/shield/root.key" "$d/crl/shield.crl"; then
    wine_log "could not make the revocation lists"
    return 2
  fi
  cp "$WINE_EXE" "$WINE_SHIM" "$WORK/wine/bin/"
  WINE_BIN=$WORK/wine/bin/${WINE_EXE##*/}
  wine_env "$WORK/wine/prefix"
  local t0 rc=0
  t0=$(now_ns)
  # wineboot starts its own wineserver; in an empty namespace of its own, which ends with it.
  # shellcheck disable=SC2016 # the inner shell expands them
  timeout -k 5 300 unshare --net sh -c '"$1" wineboot --init && "$2" -k; "$2" -w' _ "$WINE" "$WINESERVER" \
    >"$WORK/wine/wineboot.log" 2>&1 || rc=$?
  wine_forget_server "$WINEPREFIX"
  ((rc == 0)) || { wine_log "wineboot --init failed (exit $rc): $(tail -n 3 "$WORK/wine/wineboot.log")"; return 2; }
  wine_log "$("$WINE" --version) prefix ready in $(awk -v d=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f", d / 1e9 }')s; the program: $WINE_EXE"
}

# wine_scenario NAME: applies the scenario's Wine exception, if any (after the scenario file).
wine_scenario() {
  NOTE=
  [[ -v WINE_EXCEPT_SET[$1] ]] || return 0
  eval "${WINE_EXCEPT_SET[$1]}"
  NOTE="  Wine: ${WINE_EXCEPT_WHY[$1]}"
}

# clock_wrap (scripts/lab's, replaced): under CLOCK, libfaketime preloaded by its variables rather
# than by the faketime program, which waits for every process that inherited its pipe, and the
# first Wine program leaves Wine's services running. NO_FAKE_STAT=1: file times stay true, else
# Wine finds its prefix older than its own files and starts rebuilding it. The wineserver runs
# under the same clock (Wine's clock is shared through it).
clock_wrap() {
  [[ -n ${CLOCK:-} ]] || return 0
  local lib
  lib=$(compgen -G '/usr/lib/*/faketime/libfaketimeMT.so.1' | head -n1)
  [[ -n $lib ]] || { echo "lab: libfaketimeMT.so.1 not found (package libfaketime)" >&2; return 1; }
  printf '%s\0' env "LD_PRELOAD=$lib" "FAKETIME=$CLOCK" DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1
}

# wine_world_down DIR: world_down, and then what libfaketime left of the world's processes: each
# process it is preloaded into names a semaphore and a shared memory object after its PID
# (/dev/shm/sem.faketime_sem_PID, faketime_shm_PID) and removes them only when it exits through
# libc; Wine's processes end otherwise, and its server by signal. Left there, they would make a
# later `faketime` whose PID is the same fail ("sem_open: File exists"), the lab's certificates
# included. Removed: those made since the world's Wine started whose process is gone. And Wine's
# server folder, which a killed wineserver leaves.
wine_world_down() {
  local dir=$1 f pid
  world_down "$dir"
  wine_forget_server "${WINEPREFIX:-}"
  [[ -e $dir/wine-clock.mark ]] || return 0
  while read -r f; do
    pid=${f##*_}
    [[ $pid =~ ^[0-9]+$ ]] && gone "$pid" && rm -f -- "$f"
  done < <(find /dev/shm -maxdepth 1 \( -name 'faketime_shm_*' -o -name 'sem.faketime_sem_*' \) \
    -newer "$dir/wine-clock.mark" 2>/dev/null)
  rm -f -- "$dir/wine-clock.mark"
}

# wine_world_up: after world_up, in a subshell: the revocation lists and a wineserver in the laptop
# namespace, under the scenario's clock, then one start of the program (`--version`: Wine's own
# services start with a server's first program), so that the timed run is the program's.
wine_world_up() {
  local wrap rc=0
  mapfile -d '' -t wrap < <(clock_wrap)
  [[ -n ${CLOCK:-} ]] && : >"$SCN_DIR/wine-clock.mark"   # for wine_world_down
  # Nothing fetched in another world carries over: revocation lists are kept in cryptnet's and
  # WinINet's caches, and Wine trusts a chain it cannot finish once its revocation list is there.
  rm -rf -- "$WINEPREFIX"/drive_c/users/*/AppData/LocalLow/Microsoft/CryptnetUrlCache \
    "$WINEPREFIX"/drive_c/users/*/AppData/Local/Microsoft/Windows/INetCache
  # A plain TCPServer: http.server's own looks its address up in DNS, which some worlds drop.
  spawn laptop crl "$PY" -c 'import functools, http.server as h, socketserver as s, sys
s.TCPServer((sys.argv[1], 80), functools.partial(h.SimpleHTTPRequestHandler, directory=sys.argv[2])).serve_forever()' \
    "$WINE_CRL_ADDR" "$WORK/pki/crl"
  wait_for 10 "the revocation lists' server" nx laptop bash -c "exec 3<>/dev/tcp/$WINE_CRL_ADDR/80"
  wine_apps
  spawn laptop wineserver "${wrap[@]}" "$WINESERVER" --foreground --persistent
  # Ready once its socket is there (in its working folder, /tmp/wine-*/server-DEV-INODE): a program
  # started before would start a wineserver of its own, and one of the two fails.
  wait_for 10 "Wine's server" test -S "/proc/$LAST_PID/cwd/socket"
  mkdir -p "$SCN_DIR/wine-certs"
  cp "$(trust_file)" "$SCN_DIR/wine-certs/ca-certificates.crt"
  user_cmd
  timeout -k 2 60 "${USER_CMD[@]}" "$WINE" "$WINE_BIN" --version >"$SCN_DIR/wine-start.txt" 2>&1 || rc=$?
  ((rc == 0)) || fail "Wine's first start of the program failed (exit $rc): $(tail -n 3 "$SCN_DIR/wine-start.txt")"
}

# wine_apps: exactly the HMS VPN apps the scenario's INSTALLED names (comma or space separated,
# `none`) are installed in the prefix; with no INSTALLED, none.
wine_apps() {
  local p app
  for p in "${WINE_APP_PATH[@]}"; do rm -f -- "$WINEPREFIX/drive_c/$p"; done
  local want=${INSTALLED:-}
  for app in ${want//,/ }; do
    [[ $app == none ]] && continue
    p=${WINE_APP_PATH[$app]:-}
    [[ -n $p ]] || fail "INSTALLED: no Windows install known for '$app' (tests/lab/wine.sh)"
    mkdir -p "$WINEPREFIX/drive_c/${p%/*}" && : >"$WINEPREFIX/drive_c/$p"
  done
}

# The Windows versions of scripts/lab's two hooks.
# laptop_diagnose OUT ERR ARGS…: the .exe as the laptop's user runs it, with the scenario's trust as
# the only system CA bundle: Wine's crypt32 reads /etc/ssl/certs/ca-certificates.crt, here a folder
# bound over /etc/ssl/certs for this command alone, in the private mount namespace that `ip netns
# exec` gives it (the host's bundle is never touched). No SSL_CERT_FILE: Windows has none.
laptop_diagnose() {
  local out=$1 err=$2 rc=0
  shift 2
  user_cmd
  # shellcheck disable=SC2016 # the inner shell expands them
  WINEDEBUG=${LAB_WINEDEBUG:--all,+cryptnet} timeout -k 2 30 "${USER_CMD[@]}" \
    sh -c 'mount --bind "$0" /etc/ssl/certs && exec "$@"' "$SCN_DIR/wine-certs" \
    "$WINE" "$WINE_BIN" diagnose --json "$@" >"$out.raw" 2>"$err" || rc=$?
  tr -d '\r' <"$out.raw" >"$out"
  return $rc
}

# offline_explain REPORT OUT: the service desk's view, rendered by the .exe from a Windows path.
offline_explain() {
  local rc=0
  timeout -k 2 30 ip netns exec "$(ns laptop)" "$WINE" "$WINE_BIN" explain --color never "$(winpath "$1")" \
    >"$2.raw" 2>&1 || rc=$?
  tr -d '\r' <"$2.raw" >"$2"
  return $rc
}

# wine_diagnose_scenario SCENARIO_FILE: diagnose_scenario with the .exe, then wine_recheck. Under
# load Wine now and then fails every certificate of a run at once, before the first revocation list
# is fetched ("revocation offline", 0x800B010E, in ~70 ms; seen in 2 of 4 full runs, in 31, never in
# 54 runs of 31 alone): a run that fails that way in a scenario without an exception runs once more,
# and its line says so. A second failure stands.
wine_diagnose_scenario() {
  local f=$1 ok=1
  diagnose_scenario || ok=0
  if ((!ok)) && [[ -z $NOTE ]] && grep -q '0x800B010E' "$SCN_DIR/report.json" 2>/dev/null; then
    mv -f "$SCN_DIR/report.json" "$SCN_DIR/report.first.json"
    mv -f "$SCN_DIR/diagnose.stderr" "$SCN_DIR/diagnose.first.stderr"
    NOTE="  Wine: second run (the first: every certificate 'revocation offline', no list fetched)"
    ok=1
    diagnose_scenario || ok=0
  fi
  wine_recheck "$f" "$ok" || ok=0
  ((ok))
}

# wine_recheck SCENARIO_FILE OK: after diagnose_scenario (OK 1 when it passed). The program's own
# duration_ms must be within the scenario's limit without Wine's allowance; and a scenario that
# passed under its Wine exception must fail without it, else the exception is stale.
wine_recheck() {
  local f=$1 passed=$2 ms limit
  ms=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["duration_ms"])' "$SCN_DIR/report.json" 2>/dev/null) || return 0
  limit=$(awk -v m="$MAX" -v x="$WALL_EXTRA" 'BEGIN { printf "%d", (m - x) * 1000 }')
  if ((ms > limit)); then
    DETAIL+="${DETAIL:+$'\n'}the report's duration_ms $ms is over the scenario's limit ${limit} ms"
    return 1
  fi
  if ((!passed)); then # what went wrong, for a run whose folder is not kept
    DETAIL+="${DETAIL:+$'\n'}$("$PY" -c 'import json, sys
bad = [p for p in json.load(open(sys.argv[1])).get("probes", []) if p.get("outcome") not in ("ok", "not-needed", "skipped")]
print("probes not ok: " + ("; ".join("%s %s (%s)" % (p.get("id"), p.get("outcome"), (p.get("detail") or "")[:120]) for p in bad[:6]) or "none"))' "$SCN_DIR/report.json" 2>/dev/null)"
    local why # a revocation list Wine did not get: what cryptnet said
    why=$(grep -E 'cryptnet:.*(returning 0|returned [1-9a-f]|err:|warn:|fixme:)' "$SCN_DIR/diagnose.stderr" 2>/dev/null | head -n 4)
    [[ -n $why ]] && DETAIL+=$'\n'"Wine's cryptnet: ${why//$'\n'/ | }"
    return 0
  fi
  [[ -v WINE_EXCEPT_SET[$(basename "$f" .sh)] ]] || return 0
  if (reset_scenario_vars; source "$f"; check_report "$SCN_DIR/report.json" >/dev/null); then
    DETAIL+="${DETAIL:+$'\n'}passes without its Wine exception: remove it from tests/lab/wine-exceptions.sh and docs/windows.md"
    return 1
  fi
}
