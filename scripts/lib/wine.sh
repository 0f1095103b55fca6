# shellcheck shell=bash disable=SC2034 # constants used by the scripts that source it
# Shared by scripts/windows-wine and `scripts/lab run --windows` (tests/lab/wine.sh): where
# Debian's Wine is, how it is started for a console program, and the revocation list that Wine's
# certificate check needs. docs/windows.md says why each piece is there.
#
# It defines:
#   WINE, WINESERVER        Debian 12's wine64 programs, by full path (the `wine` package only
#                           adds wrappers in /usr/bin)
#   wine_env PREFIX         exports the environment every Wine command of a run gets
#   winpath PATH            the Windows name of a Linux path (Wine maps / to drive Z:)
#   wine_crl DIR CA_PEM CA_KEY OUT  writes the CA's empty revocation list (DER) to OUT
#   wine_forget_server PREFIX  removes the server folder Wine keeps for PREFIX once no server runs

readonly WINE=/usr/lib/wine/wine64
readonly WINESERVER=/usr/lib/wine/wineserver

# wine_env PREFIX: a 64-bit prefix at PREFIX, no debug output, no Mono or Gecko (their
# installers would ask), no display: console programs only.
wine_env() {
    export WINEPREFIX=$1 WINEDEBUG=-all WINEARCH=win64 WINESERVER
    export WINEDLLOVERRIDES="mscoree,mshtml="
    unset DISPLAY WAYLAND_DISPLAY
}

winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }

# wine_crl DIR CA_PEM CA_KEY OUT: the CA's revocation list, empty, DER, valid 8 days, made with
# openssl's `ca` in DIR (its database files). Wine 8 fails a certificate whose revocation cannot
# be checked at all (CERT_E_REVOCATION_FAILURE), where Windows lets the verifier ignore that, so
# the certificates Wine checks name a distribution point and the run serves this list there.
wine_crl() {
    local d=$1 ca=$2 key=$3 out=$4
    mkdir -p "$d"
    : >"$d/index.txt"
    echo 01 >"$d/crlnumber"
    printf '[ca]\ndefault_ca = lab\n[lab]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 8\n' \
        "$d/index.txt" "$d/crlnumber" >"$d/ca.cnf"
    openssl ca -config "$d/ca.cnf" -gencrl -keyfile "$key" -cert "$ca" -out "$d/crl.pem" 2>/dev/null &&
        openssl crl -in "$d/crl.pem" -outform DER -out "$out"
}

# wine_forget_server PREFIX: Wine's server for a prefix works in /tmp/wine-XXXXXX/server-DEV-INODE
# (the prefix's device and inode, in hex) and leaves it, with its lock file, when it ends. Removed
# here once no server listens there (no socket), with its parent folder if that is then empty.
wine_forget_server() {
    local dev ino d
    read -r dev ino < <(stat -c '%d %i' "$1" 2>/dev/null) || return 0
    for d in /tmp/wine-*/"$(printf 'server-%x-%x' "$dev" "$ino")"; do
        [[ -d $d && ! -S $d/socket ]] || continue
        rm -rf -- "$d"
        rmdir -- "${d%/*}" 2>/dev/null
    done
    return 0
}
