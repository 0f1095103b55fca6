#!/usr/bin/env python3
"""Checks one `hmsaccess diagnose --json` run against a lab scenario's expectations.

Prints the verdict code that was found (or a short reason why there is none) on the first line of
stdout, verdict.cause/verdict.acts on the second ("-" for a field the report lacks), then one line
per failed expectation. Exits 0 when every expectation holds, 1 otherwise.

--cause and --acts are compared with verdict.cause and verdict.acts (contract 3); a report without
the field, or with it null, says so ("report has no verdict.cause"), which is what a binary built
before the cause rules gives.

Text expectations (--warning, --evidence, --step, --first-step, --say, --forbid, --forbid-first-step)
are Python regular expressions, matched case-insensitively against each line of verdict.warnings,
verdict.evidence, verdict.next_steps, the first next step, and every text of the verdict (title,
summary, evidence, next steps, warnings); one matching line is enough, and --forbid fails when any
line of the verdict matches (--forbid-first-step: when the first next step does).
"""

import argparse
import json
import re
import sys

EXIT_CODES = {
    "hms-vpn": 0,
    "inside-lma": 0,
    "needs-hms-vpn": 10,
    "conflicting-vpns": 11,
    "offline": 12,
    "dns-failure": 13,
    "captive-portal": 14,
    "mars-unreachable": 15,
    "tls-intercepted": 16,
    "clock-wrong": 17,
    "blocked-locally": 18,
    "inconclusive": 19,
}


def lines(verdict, key):
    v = verdict.get(key)
    if isinstance(v, str):
        return [v]
    if isinstance(v, list):
        return [s for s in v if isinstance(s, str)]
    return []


def text_problems(verdict, a):
    """The text expectations that fail, one sentence each, quoting what was there instead."""
    warnings = lines(verdict, "warnings")
    evidence = lines(verdict, "evidence")
    steps = lines(verdict, "next_steps")
    every = lines(verdict, "title") + lines(verdict, "summary") + evidence + steps + warnings
    groups = (
        (a.warning, warnings, "verdict.warnings"),
        (a.evidence, evidence, "verdict.evidence"),
        (a.step, steps, "verdict.next_steps"),
        (a.first_step, steps[:1], "the first next step"),
        (a.say, every, "the verdict's texts"),
    )
    out = []
    for patterns, texts, where in groups:
        for p in patterns:
            if not any(re.search(p, t, re.IGNORECASE) for t in texts):
                shown = "; ".join(texts)[:300] or "nothing"
                out.append("%s: nothing matches /%s/ (there: %s)" % (where, p, shown))
    for p in a.forbid:
        hit = [t for t in every if re.search(p, t, re.IGNORECASE)]
        if hit:
            out.append("the verdict says /%s/, which it must not: %s" % (p, hit[0][:200]))
    for p in a.forbid_first_step:
        if steps[:1] and re.search(p, steps[0], re.IGNORECASE):
            out.append("the first next step says /%s/, which it must not: %s" % (p, steps[0][:200]))
    return out


def field_problems(verdict, a):
    """verdict.cause and verdict.acts against --cause and --acts (contract 3)."""
    out = []
    for key, want in (("cause", a.cause), ("acts", a.acts)):
        if want is None:
            continue
        if verdict.get(key) is None:
            how = "null" if key in verdict else "missing"
            out.append("report has no verdict.%s (%s; expected %s): this build does not decide causes yet"
                       % (key, how, want))
        elif verdict[key] != want:
            out.append("verdict.%s is %r, expected %r" % (key, verdict[key], want))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True)
    ap.add_argument("--exit", type=int, required=True, help="the process's exit status")
    ap.add_argument("--expect", required=True, help="the expected verdict code")
    ap.add_argument("--wall", type=float, required=True, help="measured wall time, seconds")
    ap.add_argument("--max-wall", type=float, required=True)
    ap.add_argument("--cause", default=None, help="the expected verdict.cause (contract 3)")
    ap.add_argument("--acts", default=None, help="the expected verdict.acts (contract 3)")
    ap.add_argument("--vpns", default=None,
                    help="exact set of VPN tunnels expected in vpns[]: 'IF[:ROLE] ...'; '' = none")
    ap.add_argument("--schema", default=None, help="docs/report.schema.json: the report must validate")
    ap.add_argument("--mention", action="append", default=[],
                    help="a string that verdict.next_steps must contain (e.g. a VPN's name)")
    for flag, where in (("--warning", "verdict.warnings"), ("--evidence", "verdict.evidence"),
                        ("--step", "verdict.next_steps"), ("--first-step", "the first next step"),
                        ("--say", "the verdict's texts"), ("--forbid", "no text of the verdict"),
                        ("--forbid-first-step", "not the first next step")):
        ap.add_argument(flag, action="append", default=[], metavar="REGEX",
                        help="a line of %s must match (case-insensitive)" % where)
    a = ap.parse_args()

    problems = []
    try:
        with open(a.report, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print("no-report")
        print("cannot read the report: %s" % e)
        return 1
    if not text.strip():
        print("no-report")
        print("stdout was empty (exit %d)" % a.exit)
        return 1
    try:
        rep = json.loads(text)
    except ValueError as e:
        print("bad-json")
        print("stdout is not JSON: %s (exit %d)" % (e, a.exit))
        return 1

    verdict = rep.get("verdict") or {}
    code = verdict.get("code")
    print(code if isinstance(code, str) else "no-verdict")
    print("%s/%s" % (verdict.get("cause") or "-", verdict.get("acts") or "-"))

    if code != a.expect:
        problems.append("verdict %s, expected %s" % (code, a.expect))
    want_exit = EXIT_CODES.get(code)
    if want_exit is None:
        problems.append("unknown verdict code %r" % (code,))
    elif a.exit != want_exit:
        problems.append("exit status %d does not match verdict %s (%d)" % (a.exit, code, want_exit))
    if a.wall > a.max_wall:
        problems.append("wall time %.2fs is over the limit %.2fs" % (a.wall, a.max_wall))
    if rep.get("schema_version") != 1:
        problems.append("schema_version is %r, expected 1" % (rep.get("schema_version"),))

    if a.schema:
        try:
            import jsonschema
        except ImportError:
            problems.append("cannot check the schema: python3-jsonschema is not installed (scripts/lab deps)")
        else:
            with open(a.schema, encoding="utf-8") as f:
                schema = json.load(f)
            v = jsonschema.Draft202012Validator(schema)
            errs = sorted(v.iter_errors(rep), key=lambda e: list(e.path))
            for e in errs[:3]:
                where = "/".join(str(p) for p in e.path) or "(top)"
                problems.append("schema: %s: %s" % (where, e.message[:200]))
            if len(errs) > 3:
                problems.append("schema: %d more errors" % (len(errs) - 3))

    vpns = rep.get("vpns")
    if not isinstance(vpns, list):
        problems.append("vpns is not a list")
        vpns = []
    if a.vpns is not None:
        want = {}
        for item in a.vpns.split():
            iface, _, role = item.partition(":")
            want[iface] = role or None
        got = {v.get("interface"): v for v in vpns if isinstance(v, dict)}
        if set(got) != set(want):
            problems.append("vpns[] interfaces %s, expected %s" % (sorted(got), sorted(want)))
        for iface, role in want.items():
            if role and iface in got and got[iface].get("role") != role:
                problems.append("vpn %s has role %r, expected %r" % (iface, got[iface].get("role"), role))
    steps = verdict.get("next_steps") or []
    joined = "\n".join(s for s in steps if isinstance(s, str))
    for m in a.mention:
        if m not in joined:
            problems.append("verdict.next_steps does not mention %r" % m)
    problems.extend(field_problems(verdict, a))
    problems.extend(text_problems(verdict, a))

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
