# shellcheck shell=bash disable=SC2034 # constants used by the scripts that source it
# Shared by scripts/check-cross and scripts/windows-wine: Debian's second Rust toolchain
# (rustc-web), which builds std for another target from source, and the apt-get install of
# what a script needs. Recipe: shared/PORTABILITY.md beside the repo.
#
# Source it after setting CROSS_TAG (the log prefix, e.g. check-cross). It defines:
#   cross_log / cross_die          "[TAG] …" on stderr; cross_die exits 2
#   cross_ensure_packages PKG…     installs the missing ones (root, apt-get), or dies
#   cross_ensure_toolchain         rustc-web & co. present and new enough; sets DEB_VERSION and
#                                  CROSS_EXTRA_ARGS (--ignore-rust-version when it is too old)
#   cross_cargo VAR=VALUE… -- ARGS…  runs Debian's cargo with -Zbuild-std in the repo, never
#                                  the rustup toolchain
#   CROSS_DIR                      the target dir for every cross build (see below)
#   WINDOWS_TRIPLE, WINDOWS_ENV    the Windows target and the mingw variables its C code needs
#
# Environment knobs (all optional):
#   CROSS_TARGET_DIR   where to build (default: ${CARGO_TARGET_DIR:-<repo>/target}/cross)
#   CROSS_NO_INSTALL=1 never call apt-get; fail if something is missing
#   APT_LISTS_FRESH=1  skip `apt-get update` before installing (set by .ci/run after its own)

CROSS_TAG=${CROSS_TAG:-cross}
readonly WINDOWS_TRIPLE=x86_64-pc-windows-gnu
readonly MACOS_TRIPLE=aarch64-apple-darwin
# Debian packages of the toolchain. cargo-web is only a Recommends of rustc-web, so it is
# named explicitly (we install with --no-install-recommends).
readonly CROSS_TOOLCHAIN_PACKAGES=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64)
# The Debian toolchain, by full path (never the rustup proxies in ~/.cargo/bin).
readonly DEB_CARGO=/usr/bin/cargo
readonly DEB_RUSTC=/usr/bin/rustc
readonly DEB_RUSTDOC=/usr/bin/rustdoc
# ring's C code for Windows (GNU ABI) is built with mingw; linking uses it too.
readonly WINDOWS_ENV=(
    CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
    AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
)

CROSS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly CROSS_ROOT
CROSS_DIR="${CROSS_TARGET_DIR:-${CARGO_TARGET_DIR:-$CROSS_ROOT/target}/cross}"

cross_log() { printf '[%s] %s\n' "$CROSS_TAG" "$*" >&2; }
cross_die() { printf '[%s] ERROR: %s\n' "$CROSS_TAG" "$*" >&2; exit 2; }

# ---------------------------------------------------------------- packages
# cross_missing_packages PKG…: prints the ones dpkg does not list as installed.
cross_missing_packages() {
    local pkg status
    for pkg in "$@"; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == installed ]] || printf '%s\n' "$pkg"
    done
}

cross_apt_install() {
    # $@: packages. Refreshes the package lists first: a new machine's lists can be old
    # (one here offered rustc-web 1.85 before `apt-get update`, 1.96 after).
    [[ "${CROSS_NO_INSTALL:-0}" == 1 ]] && cross_die "missing packages: $* (CROSS_NO_INSTALL=1)"
    [[ "$(id -u)" == 0 ]] || cross_die "missing packages: $* (run as root, or: sudo apt-get install $*)"
    cross_log "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt/dpkg (a parallel session, CI's own install step) may hold the lock: wait.
    if [[ "${APT_LISTS_FRESH:-0}" != 1 ]]; then
        apt-get -qq -o DPkg::Lock::Timeout=600 update
        APT_LISTS_FRESH=1
    fi
    apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends "$@" >/dev/null
}

cross_ensure_packages() {
    local missing=()
    mapfile -t missing < <(cross_missing_packages "$@")
    if [[ ${#missing[@]} -gt 0 ]]; then
        cross_apt_install "${missing[@]}"
    fi
}

# ---------------------------------------------------------------- toolchain
# rust-version from the [package] table of Cargo.toml, e.g. 1.95
cross_msrv() {
    sed -n '/^\[package\]/,/^\[/{s/^rust-version *= *"\([0-9.]*\)".*/\1/p}' "$CROSS_ROOT/Cargo.toml" | head -n1
}

# version_ge A B: true when version A >= version B
version_ge() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$2" ]]; }

deb_rustc_version() {
    if [[ -x "$DEB_RUSTC" ]]; then
        "$DEB_RUSTC" --version | awk '{print $2}'
    fi
}

cross_ensure_toolchain() {
    local msrv v
    msrv="$(cross_msrv)"
    cross_ensure_packages "${CROSS_TOOLCHAIN_PACKAGES[@]}"
    v="$(deb_rustc_version)"
    [[ -n "$v" && -x "$DEB_CARGO" ]] || cross_die "Debian toolchain not found at $DEB_CARGO / $DEB_RUSTC"
    if [[ -n "$msrv" ]] && ! version_ge "$v" "$msrv"; then
        # Try once to get a newer rustc-web (old package lists, old install).
        if [[ "${CROSS_NO_INSTALL:-0}" != 1 && "$(id -u)" == 0 ]]; then
            cross_log "Debian rustc $v is older than the crate's rust-version $msrv: trying to upgrade"
            cross_apt_install "${CROSS_TOOLCHAIN_PACKAGES[@]}" || cross_log "upgrade failed; going on with rustc $v"
            v="$(deb_rustc_version)"
        fi
    fi
    DEB_VERSION="$v"
    CROSS_EXTRA_ARGS=()
    if [[ -n "$msrv" ]] && ! version_ge "$DEB_VERSION" "$msrv"; then
        # Edition 2024 needs >= 1.85; below the MSRV some dependency (sysinfo >= 0.39 uses
        # cfg_select!, stable in 1.95) will probably fail, but try rather than refuse.
        version_ge "$DEB_VERSION" 1.85 || cross_die "Debian rustc $DEB_VERSION cannot build edition 2024 (needs >= 1.85)"
        cross_log "WARNING: Debian rustc $DEB_VERSION < rust-version $msrv: building with --ignore-rust-version"
        CROSS_EXTRA_ARGS+=(--ignore-rust-version)
    fi
    mkdir -p "$CROSS_DIR"
}

# cross_cargo [VAR=VALUE…] -- SUBCOMMAND ARGS…: Debian's cargo in the repo, std built from
# source, in CROSS_DIR, with --locked (Cargo.lock is used as it is, never rewritten).
cross_cargo() {
    local vars=()
    while [[ $# -gt 0 && "$1" != -- ]]; do
        vars+=("$1")
        shift
    done
    [[ "${1:-}" == -- ]] && shift
    local sub="$1"
    shift
    (
        cd "$CROSS_ROOT" || exit 2
        # Make sure nothing steers cargo back to the rustup toolchain.
        unset RUSTUP_TOOLCHAIN CARGO_BUILD_RUSTC CARGO_BUILD_RUSTC_WRAPPER RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER
        env ${vars[@]+"${vars[@]}"} \
            RUSTC="$DEB_RUSTC" RUSTDOC="$DEB_RUSTDOC" RUSTC_BOOTSTRAP=1 \
            "$DEB_CARGO" "$sub" --locked -Zbuild-std=std,panic_abort \
            --target-dir "$CROSS_DIR" ${CROSS_EXTRA_ARGS[@]+"${CROSS_EXTRA_ARGS[@]}"} "$@"
    )
}
