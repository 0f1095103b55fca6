# shellcheck shell=bash
# Sourced by scripts/release (as root, after check_offline made the network namespace $NS):
# wine_checks runs the shipped hmsaccess.exe under Wine (Debian's wine64) in that namespace,
# which has no network, so nothing leaves the machine:
#   wine-version        --version: "hmsaccess <version>" and this commit
#   wine-double-click   started by a program named explorer.exe (scripts/windows/explorer.c)
#                       with no command, in a terminal (tmux): runs diagnose --save, shows the
#                       saved report's path and "Press Enter to close this window.", waits;
#                       Enter ends it with the verdict's status (offline, 12) and the report
#                       is in the current folder
#   wine-from-cmd       the same program started by cmd.exe (a shell): the three-line hint,
#                       exit 2, no report
# What this proves and does not: docs/install.md ("The double-click under Wine").

readonly R_WINE=/usr/lib/wine/wine64
readonly R_WINESERVER=/usr/lib/wine/wineserver
readonly R_PRESS_ENTER="Press Enter to close this window."

# winpath PATH: the Windows name of a Linux path (Wine maps / to drive Z:).
r_winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }

# r_wait SECONDS CMD…: polls CMD every 200 ms until it succeeds; false after SECONDS.
r_wait() {
    local deadline=$(($(date +%s) + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        (($(date +%s) < deadline)) || return 1
        sleep 0.2
    done
}

# r_tmux_run NAME COMMAND: runs COMMAND (a shell line) in a detached 100x50 terminal of this
# run's tmux server; its exit status lands in $W/NAME.rc.
r_tmux_run() {
    local name=$1 line=$2
    tmux -L "$TMUX_SOCK" new-session -d -s "$name" -x 100 -y 50 \
        "cd '$W/work-$name' && $line; echo \$? >'$W/$name.rc'; sleep 60"
}
r_screen() { tmux -L "$TMUX_SOCK" capture-pane -p -J -S -200 -t "$1" >"$W/$1.screen" 2>/dev/null; }
r_screen_has() { r_screen "$1" && grep -qF -- "$2" "$W/$1.screen"; }

wine_checks() {
    [[ -x $R_WINE && -x $R_WINESERVER ]] || cross_die "Wine not found at $R_WINE (Debian's wine64)"
    [[ -n $NS ]] || cross_die "wine_checks needs the network namespace of check_offline"
    W=$STAGE/wine
    TMUX_SOCK=hmsrelease-$$
    mkdir -p "$W/bin" "$W/prefix" "$W/work-dc" "$W/work-cmd"
    cp "$SHIP_WINDOWS" "$W/bin/hmsaccess.exe"
    # Wine 8 lacks bcryptprimitives.dll's ProcessPrng (docs/windows.md): the stand-in of
    # scripts/windows-wine, beside the .exe in this run folder only; and the Explorer stand-in.
    x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -o "$W/bin/bcryptprimitives.dll" \
        "$ROOT/scripts/windows/bcryptprimitives.c" -lbcrypt
    x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -o "$W/bin/explorer.exe" "$ROOT/scripts/windows/explorer.c"

    export WINEPREFIX=$W/prefix WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
    unset DISPLAY WAYLAND_DISPLAY
    local t0=$SECONDS
    ip netns exec "$NS" "$R_WINESERVER" --foreground --persistent >"$W/wineserver.log" 2>&1 &
    local ws=$!
    # Stops Wine and this run's terminals, whatever happens next. errexit is off first: the
    # wineserver that `-k` stopped may be gone before `kill` (which then fails), and a failing
    # command here must not end the script before `cleanup` removes the namespace and the stage.
    # shellcheck disable=SC2154 # r_rc is set inside the trap itself
    trap 'r_rc=$?; set +e; timeout 10 ip netns exec "$NS" "$R_WINESERVER" -k >/dev/null 2>&1; tmux -L "$TMUX_SOCK" kill-server >/dev/null 2>&1; kill -KILL '"$ws"' 2>/dev/null; (exit $r_rc); cleanup' EXIT
    if ! ip netns exec "$NS" timeout -k 5 300 "$R_WINE" wineboot --init >"$W/wineboot.log" 2>&1; then
        result wine-prefix 1 "wineboot --init failed: $(tail -n 3 "$W/wineboot.log")"
        return
    fi
    echo "release: Wine $("$R_WINE" --version) prefix ready in $((SECONDS - t0))s"

    local rc=0 out exe
    exe=$(r_winpath "$W/bin/hmsaccess.exe")
    out=$(ip netns exec "$NS" timeout -k 5 60 "$R_WINE" "$exe" --version </dev/null 2>&1 | tr -d '\r') || rc=$?
    local ok=0
    [[ $rc == 0 && $(sed -n 1p <<<"$out") == "hmsaccess $VERSION" && $(sed -n 2p <<<"$out") == "commit $COMMIT"* ]] || ok=1
    result wine-version "$ok" "exit $rc, \"$(paste -sd'|' <<<"$out")\""

    # The double-click: explorer.exe starts hmsaccess.exe with no command, in a terminal.
    local launcher
    launcher=$(r_winpath "$W/bin/explorer.exe")
    r_tmux_run dc "ip netns exec '$NS' '$R_WINE' '$launcher' '$exe'"
    local why=""
    if ! r_wait 120 r_screen_has dc "$R_PRESS_ENTER"; then
        why="no \"$R_PRESS_ENTER\" within 120 s"
    elif [[ -e $W/dc.rc ]]; then
        why="it did not wait (exit $(cat "$W/dc.rc"))"
    else
        sleep 1
        [[ -e $W/dc.rc ]] && why="it did not wait for Enter"
        tmux -L "$TMUX_SOCK" send-keys -t dc Enter
        r_wait 30 test -s "$W/dc.rc" || why="${why:-Enter did not end it within 30 s}"
    fi
    r_screen dc
    local report
    report=$(find "$W/work-dc" -maxdepth 1 -name 'hmsaccess-report-*.json' | head -n1)
    if [[ -z $why ]]; then
        rc=$(cat "$W/dc.rc")
        if [[ $rc != 12 ]]; then why="exit $rc (want 12, offline)"
        elif [[ -z $report ]]; then why="no report saved in the current folder"
        elif ! grep -qF "$(basename "$report")" "$W/dc.screen"; then why="the screen does not name the saved report"
        fi
    fi
    local ok=0
    [[ -z $why ]] || ok=1
    result wine-double-click "$ok" "${why:-waited for Enter, exit 12, saved and named $(basename "${report:-none}")}"
    [[ -z $why ]] || sed 's/^/    screen: /' "$W/dc.screen" | grep -v 'screen: $' | tail -n 15

    # From a shell: cmd.exe starts it; nothing changes.
    r_tmux_run cmd "ip netns exec '$NS' '$R_WINE' cmd /c '$exe'"
    why=""
    r_wait 60 test -s "$W/cmd.rc" || why="did not end within 60 s"
    r_screen cmd
    if [[ -z $why ]]; then
        rc=$(cat "$W/cmd.rc")
        if [[ $rc != 2 ]]; then why="exit $rc (want 2)"
        elif ! grep -qF "hmsaccess diagnose --save" "$W/cmd.screen"; then why="no hint on screen"
        elif grep -qF "$R_PRESS_ENTER" "$W/cmd.screen"; then why="it waited"
        elif [[ -n $(find "$W/work-cmd" -name 'hmsaccess-report-*') ]]; then why="a report was saved"
        fi
    fi
    local ok=0
    [[ -z $why ]] || ok=1
    result wine-from-cmd "$ok" "${why:-the hint, exit 2, no report}"
}
