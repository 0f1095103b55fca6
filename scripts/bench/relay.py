#!/usr/bin/env python3
"""Delaying link for the hmsaccess benchmark.

Owns one tun device in each of two network namespaces and forwards every IP packet between them
after a fixed delay (default 50 ms each way), so DNS, TCP SYNs and TLS all pay the round trip, as on
a real slow link (an application-level TCP relay would accept SYNs at once and hide connect time).
The kernel here has no netem qdisc, hence this.

usage: relay.py NS_A TUN_A NS_B TUN_B [DELAY_SECONDS]
Prints "ready" once both devices exist; the caller then configures addresses with `ip -n`.
The tun devices vanish with this process.
"""
import ctypes
import fcntl
import heapq
import math
import os
import select
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

libc = ctypes.CDLL("libc.so.6", use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ns_a, tun_a, ns_b, tun_b = sys.argv[1:5]
    delay = float(sys.argv[5]) if len(sys.argv) > 5 else 0.050
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    setns(f"/run/netns/{ns_a}")
    fa = open_tun(tun_a)  # a tun device belongs to the namespace it is created in
    setns(f"/run/netns/{ns_b}")
    fb = open_tun(tun_b)
    if libc.setns(home, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns(home)")
    os.close(home)
    print("ready", flush=True)

    peer = {fa: fb, fb: fa}
    poller = select.poll()
    poller.register(fa, select.POLLIN)
    poller.register(fb, select.POLLIN)
    heap = []  # (due, seq, out_fd, packet): a timer heap, so no packet waits behind another
    seq = 0
    while True:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, out, pkt = heapq.heappop(heap)
            try:
                os.write(out, pkt)
            except OSError:
                pass  # device down or queue full: a dropped packet, as on a real link
        timeout = None if not heap else max(0, math.ceil((heap[0][0] - now) * 1000))
        for fd, _ in poller.poll(timeout):
            while True:
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if not pkt:
                    break
                heapq.heappush(heap, (time.monotonic() + delay, seq, peer[fd], pkt))
                seq += 1


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
