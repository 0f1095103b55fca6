#!/usr/bin/env python3
"""A delay line for every packet of a link: the lab's stand-in for netem (this kernel has none).

Creates two tun devices, A and B, in the namespace it runs in. Every IP packet the kernel routes
into A is written into B after DELAY ms, and every packet routed into B is written into A after
DELAY ms; a packet written into a tun device is received on it, so the kernel then routes it on.
With policy routing in a router namespace (packets arriving from the laptop go to A, packets
arriving from the internet go to B, see d_uplink plane in lib.sh), everything that crosses that
router, in either direction, gains DELAY ms: a round trip gains 2 x DELAY, for TCP, UDP, ICMP and
whatever a VPN tunnel wraps in them alike. The order of packets is kept. That router namespace must
have no iptables rules (no connection tracking), since each packet crosses it twice.

Writes READY_FILE once both devices exist; stops on SIGTERM (the devices go with it).
"""

import argparse
import asyncio
import fcntl
import os
import signal
import struct

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def forward(loop, src, dst, delay):
    """Reads every packet waiting on src and schedules its write into dst after delay."""
    while True:
        try:
            pkt = os.read(src, 65536)
        except BlockingIOError:
            return
        except OSError:
            return
        loop.call_later(delay, write, dst, pkt)


def write(fd, pkt):
    try:
        os.write(fd, pkt)
    except OSError:
        pass  # the device went down (shutting down), or the packet is not routable: dropped


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True, help="name of the tun device facing the laptop's side")
    ap.add_argument("--b", required=True, help="name of the tun device facing the internet's side")
    ap.add_argument("--delay-ms", required=True, type=int)
    ap.add_argument("--ready-file", required=True)
    a = ap.parse_args()

    loop = asyncio.get_running_loop()
    delay = a.delay_ms / 1000.0
    fa, fb = open_tun(a.a), open_tun(a.b)
    loop.add_reader(fa, forward, loop, fa, fb, delay)
    loop.add_reader(fb, forward, loop, fb, fa, delay)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    tmp = a.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(os.getpid()))
    os.rename(tmp, a.ready_file)
    await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
