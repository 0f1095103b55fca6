#!/usr/bin/env python3
"""The service desk's benchmark (issue 20): a year of tickets through `explain --summary`.

Started by `scripts/bench/run desk` (no root needed). Makes BENCH_DESK_REPORTS reports (default
100,000) in a temporary folder, one folder per month as a desk files them, from the real lab
reports in tests/fixtures/reports (each copy with its own report ID, time over a year, and
computer: its own Wi-Fi address; reports that MARS itself fails only in three outage windows), then
measures, interleaved run by run, medians of
BENCH_DESK_RUNS (default 3, after one warm-up):

  - hmsaccess explain --summary FOLDER            (the table)
  - hmsaccess explain --summary --json FOLDER     (a row per report, streamed)
  - jq -s over the same files (every report slurped, then counted by verdict): the tool a desk
    would reach for. jq -s holds every report in memory (about 90 MB per 1,000 reports here), so
    it runs on the first BENCH_DESK_JQ_REPORTS (default 10,000) only, beside hmsaccess on the
    same files; BENCH_DESK_JQ_REPORTS=all runs it on all of them (needs ~9 GB for 100,000).

Wall time and peak memory (maximum resident set size) come from /usr/bin/time -f '%e %M', per
run. Throughput: reports and megabytes per second of the median run. Target: 100,000 reports
with peak memory under 100 MB. The folder is deleted at the end (nothing is committed).
"""
import calendar
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEMPLATES = os.path.join(ROOT, "tests", "fixtures", "reports")

N = int(os.environ.get("BENCH_DESK_REPORTS", "100000"))
RUNS = max(1, int(os.environ.get("BENCH_DESK_RUNS", "3")))
JQ_N = os.environ.get("BENCH_DESK_JQ_REPORTS", "10000")
PEAK_TARGET_MB = 100
JQ_PROGRAM = "group_by(.verdict.code) | map({code: .[0].verdict.code, reports: length})"


def log(msg):
    print(f"[bench desk] {msg}", file=sys.stderr, flush=True)


# Reports that say MARS itself fails come in bursts, as outages do: only inside these windows
# (day of 2026, start hour, hours), where every other report is one of them.
OUTAGES = [(40, 10, 2.0), (200, 14, 1.0), (300, 9, 0.75)]
OUTAGE_TEMPLATES = ("mars-stopped", "mars-maintenance", "mars-certificate")


def templates():
    """Each lab report as text with placeholders where copies differ: (ordinary, outage)."""
    ordinary, outage = [], []
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "*.json"))):
        with open(path) as f:
            report = json.load(f)
        report["report_id"] = "@@ID@@"
        report["started_at"] = "@@TIME@@"
        for i in report["interfaces"]:
            if i["name"] == "eth0":
                i["addresses"] = ["@@ADDR@@"]
        kind = outage if any(t in path for t in OUTAGE_TEMPLATES) else ordinary
        kind.append(json.dumps(report, indent=2))
    if not ordinary or not outage:
        raise SystemExit(f"no templates in {TEMPLATES}")
    return ordinary, outage


def in_outage(seconds):
    day, rest = divmod(seconds, 86400)
    return any(day == d - 1 and h * 3600 <= rest < (h + length) * 3600 for d, h, length in OUTAGES)


def generate(folder, n):
    """n reports over a year (2026), a folder per month; returns (paths in order, bytes)."""
    ordinary, outage = templates()
    start = calendar.timegm((2026, 1, 1, 0, 0, 0))
    step = 365 * 86400 / max(n, 1)
    paths, size = [], 0
    for i in range(n):
        t = time.gmtime(start + i * step)
        month = os.path.join(folder, time.strftime("%Y-%m", t))
        if not os.path.isdir(month):
            os.makedirs(month)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", t)
        texts = outage if in_outage(i * step) and i % 2 == 0 else ordinary
        text = (texts[i % len(texts)]
                .replace("@@ID@@", f"HMS-{i >> 16:04X}-{i & 0xFFFF:04X}")
                .replace("@@TIME@@", stamp)
                .replace("@@ADDR@@", f"10.{(i // 65536) % 256}.{(i // 256) % 256}.{i % 256}/16"))
        path = os.path.join(month, f"hmsaccess-report-{time.strftime('%Y%m%dT%H%M%SZ', t)}-{i:06d}.json")
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
        size += len(text)
    return paths, size


def timed(argv, stdout_path=None):
    """One run under /usr/bin/time: (wall s, peak MB, exit status)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        out = open(stdout_path or os.devnull, "wb")
        try:
            rc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + argv,
                                stdout=out, stderr=subprocess.DEVNULL).returncode
        finally:
            out.close()
        wall, kb = t.read().split()[-2:]
    return float(wall), int(kb) / 1024, rc


class Cmd:
    def __init__(self, label, argv, reports, size):
        self.label, self.argv, self.reports, self.size = label, argv, reports, size
        self.walls, self.peaks, self.failures = [], [], 0


def measure(cmds):
    for i in range(RUNS + 1):
        order = cmds if i % 2 == 0 else list(reversed(cmds))  # interleaved, alternating
        for c in order:
            wall, peak, rc = timed(c.argv)
            if i == 0:
                continue  # warm-up
            c.walls.append(wall)
            c.peaks.append(peak)
            c.failures += rc != 0


def main():
    bin_ = os.path.abspath(os.environ.get("HMSACCESS_BIN") or os.path.join(ROOT, "target/release/hmsaccess"))
    for tool in (bin_, "/usr/bin/time", shutil.which("jq") or "jq"):
        if not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
            print(f"bench desk: {tool} is missing", file=sys.stderr)
            return 1
    jq_n = N if JQ_N == "all" else min(N, int(JQ_N))
    work = tempfile.mkdtemp(prefix="hmsaccess-desk-bench-")
    try:
        log(f"writing {N} reports into {work}")
        t0 = time.monotonic()
        folder = os.path.join(work, "tickets")
        paths, size = generate(folder, N)
        log(f"{N} reports, {size / 1e6:.0f} MB, in {time.monotonic() - t0:.0f} s")
        # The jq side: the first jq_n files, also given to hmsaccess as a folder of their own.
        small = os.path.join(work, "first")
        os.makedirs(small)
        small_size = 0
        for p in paths[:jq_n]:
            dest = os.path.join(small, os.path.basename(p))
            os.link(p, dest)
            small_size += os.path.getsize(p)
        jq = ["sh", "-c", f"find '{small}' -name '*.json' -print0 | xargs -0 cat | jq -s '{JQ_PROGRAM}'"]
        side = [
            Cmd("hmsaccess explain --summary", [bin_, "explain", "--summary", small], jq_n, small_size),
            Cmd("jq -s (count by verdict)", jq, jq_n, small_size),
        ]
        full = [
            Cmd("hmsaccess explain --summary", [bin_, "explain", "--summary", folder], N, size),
            Cmd("hmsaccess explain --summary --json", [bin_, "explain", "--summary", "--json", folder], N, size),
        ]
        log(f"measuring {jq_n} reports: hmsaccess beside jq -s, {RUNS} runs + 1 warm-up")
        measure(side)
        log(f"measuring {N} reports: hmsaccess, {RUNS} runs + 1 warm-up")
        measure(full)
        # The check that the summary is whole: every report counted.
        check = subprocess.run([bin_, "explain", "--summary", "--rows", "0", folder],
                               capture_output=True, text=True)
        # The header (after any incident lines): "100000 reports, 2026-01-01 to …".
        counted = next((line.split(" ", 1)[0] for line in check.stdout.splitlines()
                        if line.split(" ", 1)[0].isdigit()), "none")
        incidents = sum(1 for line in check.stdout.splitlines() if line.startswith("HMS incident"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ver = subprocess.run([bin_, "--version"], capture_output=True, text=True).stdout.strip()
    print()
    print(f"hmsaccess desk benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {os.cpu_count()} CPUs; binary: {bin_} ({ver})")
    print(f"reports: {N} ({size / 1e6:.0f} MB) from {sum(map(len, templates()))} lab reports; "
          f"jq -s on the first {jq_n}; medians of {RUNS} interleaved runs after 1 warm-up")
    print()
    head = ("reports", "command", "median", "min", "max", "peak memory", "reports/s", "MB/s", "target", "result")
    lines = []
    for c in side + full:
        med = statistics.median(c.walls)
        peak = max(c.peaks)
        target, result = "", ""
        if c in full:
            target = f"peak < {PEAK_TARGET_MB} MB"
            result = "PASS" if peak < PEAK_TARGET_MB and not c.failures else "MISS"
        lines.append((str(c.reports), c.label, f"{med:.2f} s", f"{min(c.walls):.2f} s",
                      f"{max(c.walls):.2f} s", f"{statistics.median(c.peaks):.1f} MB (max {peak:.1f})",
                      f"{c.reports / med:,.0f}", f"{c.size / 1e6 / med:.0f}", target, result))
    widths = [max(len(r[i]) for r in lines + [head]) for i in range(len(head))]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for r in lines:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    ratio = statistics.median(side[1].walls) / statistics.median(side[0].walls)
    mem = statistics.median(side[1].peaks) / statistics.median(side[0].peaks)
    print()
    print(f"on the same {jq_n} files: jq -s takes {ratio:.1f}x the time and {mem:.0f}x the memory")
    print(f"every report counted: the summary says {counted} of {N}; "
          f"HMS incidents flagged: {incidents} (outages written: {len(OUTAGES)})")
    failures = sum(c.failures for c in side + full)
    misses = sum(1 for r in lines if r[-1] == "MISS")
    print(f"failed runs: {failures}; targets missed: {misses}")
    return 0 if not misses and counted == str(N) else 1


if __name__ == "__main__":
    sys.exit(main())
