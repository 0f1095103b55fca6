# shellcheck shell=bash
# The example of each cause (`scripts/lab examples`, docs/examples/README.md): the scenario that
# docs/examples/causes.txt names is run exactly as `scripts/lab run` runs it (its world, its
# INSTALLED apps through laptop_apps.sh, every one of its checks), and when it passes and the
# report has that cause, the report is saved as docs/examples/CAUSE.json and what
# `hmsaccess explain` prints for it in an 80-column UTF-8 terminal as CAUSE.txt (the command
# tests/docs_examples/causes.rs re-runs to pin it).
# Sourced by scripts/lab after lib.sh; EX_CAUSE is indexed by scenario number - 1.

# example_scenario: runs the scenario (diagnose_scenario), then saves its report and text as the
# example of its cause.
example_scenario() {
  local cause=${EX_CAUSE[$((SCN_NO - 1))]} got
  diagnose_scenario || return 1
  got=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["verdict"].get("cause") or "")' \
    "$SCN_DIR/report.json") || { DETAIL="report.json: no verdict"; return 1; }
  if [[ $got != "$cause" ]]; then
    DETAIL="the report's cause is ${got:-null}, not $cause: nothing written"
    return 1
  fi
  local out=$REPO/docs/examples
  cp "$SCN_DIR/report.json" "$out/$cause.json"
  # The text as a person sees it: explain, no network at all, 80 columns, UTF-8, no colour.
  (cd "$REPO" && bg timeout -k 2 10 unshare --net env -u LC_ALL -u LC_CTYPE COLUMNS=80 \
    LANG=C.UTF-8 "$BIN" explain --color never "docs/examples/$cause.json") >"$out/$cause.txt" \
    || { DETAIL="explain docs/examples/$cause.json failed"; return 1; }
  echo "lab: wrote docs/examples/$cause.json and $cause.txt (scenario $(basename "$SCN_DIR"))" >&2
}
