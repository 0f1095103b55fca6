#!/usr/bin/env bash
# The HMS VPN apps installed on the lab's laptop, whatever this machine has installed.
#
#   laptop_apps.sh RUN_DIR 'APP…'|none CMD…   runs CMD (hmsaccess, the world check, a shell) in a
#                                             private mount namespace where, of the HMS VPN apps,
#                                             exactly APP… are installed
#   laptop_apps.sh show                       prints which HMS VPN apps are installed here:
#                                             openconnect,globalprotect,… or none
#
# hmsaccess tells `no-vpn` (an HMS VPN app is installed: connect it) from `no-hms-client` (none is:
# ask the Service Desk for one) by looking for the apps where their installers put them. The lab's
# laptop shares this machine's file system, so without this a scenario's cause would depend on
# whether the machine running the lab happens to have openconnect installed. Scenarios say
# INSTALLED=… instead (default: openconnect, the Linux way into the HMS VPN).
#
# How: `unshare --mount` gives CMD its own view of the file system (nothing is mounted, created or
# removed outside it; it ends with CMD). In that view an overlay goes over each folder that must
# differ (/usr/sbin, /usr/bin, /opt): a small stand-in script where an app must appear (never run:
# hmsaccess only looks whether the file exists), an overlay "whiteout" where one of this machine's
# apps must disappear. Folders that need no change are left alone.
set -u

# Where hmsaccess looks for each HMS VPN app on Linux: the "linux" entries of `installs` in
# src/clients/mod.rs (tests/docs_examples/causes.rs keeps them in step). The first path is where a
# stand-in goes.
APPS=(openconnect globalprotect pulse)
declare -A APP_PATHS=(
  [openconnect]="/usr/sbin/openconnect /usr/bin/openconnect"
  [globalprotect]="/opt/paloaltonetworks/globalprotect/globalprotect"
  [pulse]="/opt/pulsesecure/bin/pulseUI /opt/ivanti/secureaccess/bin/pulseUI"
)

installed_here() { # installed_here APP: one of its paths exists in this view
  local p
  for p in ${APP_PATHS[$1]}; do [[ -e $p ]] && return 0; done
  return 1
}

if [[ ${1:-} == show ]]; then
  found=()
  for app in "${APPS[@]}"; do installed_here "$app" && found+=("$app"); done
  if ((${#found[@]})); then (IFS=,; echo "${found[*]}"); else echo none; fi
  exit 0
fi

(($# >= 3)) || { echo "usage: laptop_apps.sh RUN_DIR 'APP…'|none CMD… | show" >&2; exit 2; }
run_dir=$1 want_list=$2
shift 2
if [[ ${LAB_APPS_VIEW:-} != 1 ]]; then
  exec unshare --mount --propagation private env LAB_APPS_VIEW=1 bash "${BASH_SOURCE[0]}" "$run_dir" "$want_list" "$@"
fi
unset LAB_APPS_VIEW

declare -A WANT=()
for app in ${want_list//,/ }; do
  [[ $app == none ]] && continue
  [[ -n ${APP_PATHS[$app]:-} ]] || { echo "lab: INSTALLED: unknown app '$app' (known: ${APPS[*]}, none)" >&2; exit 2; }
  WANT[$app]=1
done

# root_of PATH: the folder an overlay goes over for PATH (/opt for /opt/…, else the file's folder).
root_of() { case $1 in /opt/*) echo /opt ;; *) dirname "$1" ;; esac; }
# entry_of PATH: what the overlay adds or hides: the first component under the root.
entry_of() { local r; r=$(root_of "$1"); local rest=${1#"$r"/}; echo "${rest%%/*}"; }

declare -A ADD=() HIDE=()   # root folder -> newline-separated paths to add / entries to hide
for app in "${APPS[@]}"; do
  if [[ -n ${WANT[$app]:-} ]]; then
    installed_here "$app" && continue
    read -r -a paths <<<"${APP_PATHS[$app]}"
    root=$(root_of "${paths[0]}")
    [[ -d $root ]] || { echo "lab: cannot install a stand-in for $app: $root does not exist here" >&2; exit 2; }
    ADD[$root]+="${paths[0]}"$'\n'
  else
    for p in ${APP_PATHS[$app]}; do
      [[ -e $p ]] && HIDE[$(root_of "$p")]+="$(entry_of "$p")"$'\n'
    done
  fi
done

n=0
for root in $(printf '%s\n' "${!ADD[@]}" "${!HIDE[@]}" | sort -u); do
  n=$((n + 1))
  d=$run_dir/apps-view.$$.$n
  mkdir -p "$d" && mount -t tmpfs lab-apps "$d" && mkdir "$d/upper" "$d/work" || exit 2
  while IFS= read -r p; do
    [[ -n $p ]] || continue
    f=$d/upper/${p#"$root"/}
    mkdir -p "$(dirname "$f")"
    printf '#!/bin/sh\necho "hmsaccess lab: a stand-in for %s, not the real app" >&2\nexit 1\n' "${p##*/}" >"$f"
    chmod 755 "$f"
  done <<<"${ADD[$root]:-}"
  while IFS= read -r e; do
    [[ -n $e && ! -e $d/upper/$e ]] && mknod "$d/upper/$e" c 0 0
  done <<<"${HIDE[$root]:-}"
  mount -t overlay lab-apps -o "lowerdir=$root,upperdir=$d/upper,workdir=$d/work" "$root" || {
    echo "lab: could not lay the apps' overlay over $root" >&2; exit 2; }
done
exec "$@"
