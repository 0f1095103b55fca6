#!/usr/bin/env python3
"""Runs commands for the benchmark from inside a laptop namespace (started with `ip netns exec`,
so /etc/resolv.conf is that namespace's). Timing happens here, around the command alone: the cost of
`ip netns exec` and of Python's start-up is paid once, not per run.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout.
  {"op": "run", "argv": [...], "env": {...}, "timeout": s, "capture": bool}
      -> {"elapsed": s, "rc": int, "timed_out": bool, "stdout": str}
  {"op": "connect", "host": ip, "port": n, "timeout": s} -> {"elapsed": s, "ok": bool, "error": str}
"""
import json
import os
import socket
import subprocess
import sys
import time


def run(req):
    env = dict(os.environ)
    env.update(req.get("env") or {})
    capture = req.get("capture", False)
    t0 = time.perf_counter()
    p = subprocess.Popen(
        req["argv"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    timed_out = False
    try:
        out, _ = p.communicate(timeout=req.get("timeout", 60))
    except subprocess.TimeoutExpired:
        timed_out = True
        p.kill()
        out, _ = p.communicate()
    elapsed = time.perf_counter() - t0
    return {
        "elapsed": elapsed,
        "rc": p.returncode,
        "timed_out": timed_out,
        "stdout": (out or b"").decode("utf-8", "replace")[:200000],
    }


def connect(req):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(req.get("timeout", 5))
    t0 = time.perf_counter()
    try:
        s.connect((req["host"], req["port"]))
        return {"elapsed": time.perf_counter() - t0, "ok": True, "error": ""}
    except OSError as e:
        return {"elapsed": time.perf_counter() - t0, "ok": False, "error": str(e)}
    finally:
        s.close()


def main():
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            ans = {"run": run, "connect": connect}[req["op"]](req)
        except Exception as e:  # report, never die: the orchestrator bounds its own waits
            ans = {"error": repr(e), "elapsed": 0.0, "rc": -1, "timed_out": False, "stdout": ""}
        print(json.dumps(ans), flush=True)


if __name__ == "__main__":
    main()
