#!/usr/bin/env python3
"""A delaying UDP relay: the lab's stand-in for a slow path (this kernel has no netem).

Listens on LISTEN (ADDR:PORT) and forwards each datagram to TO after DELAY ms; replies from TO go
back to the last client after DELAY ms too, so a VPN tunnel carried through it gains 2 x DELAY of
round-trip time for every packet inside it (TCP handshakes included). One client at a time, which is
all a lab VPN needs. Writes READY_FILE once bound; stops on SIGTERM.
"""

import argparse
import asyncio
import os
import signal


class Relay:
    def __init__(self, to, delay):
        self.to = to
        self.delay = delay
        self.client = None
        self.front = None  # transport facing the client
        self.back = None   # transport facing TO

    def later(self, transport, data, addr):
        asyncio.get_running_loop().call_later(self.delay, transport.sendto, data, addr)


class Front(asyncio.DatagramProtocol):
    def __init__(self, relay):
        self.r = relay

    def connection_made(self, transport):
        self.r.front = transport

    def datagram_received(self, data, addr):
        self.r.client = addr
        if self.r.back is not None:
            self.r.later(self.r.back, data, self.r.to)


class Back(asyncio.DatagramProtocol):
    def __init__(self, relay):
        self.r = relay

    def connection_made(self, transport):
        self.r.back = transport

    def datagram_received(self, data, addr):
        if self.r.client is not None and self.r.front is not None:
            self.r.later(self.r.front, data, self.r.client)


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, type=hostport)
    ap.add_argument("--to", required=True, type=hostport)
    ap.add_argument("--delay-ms", required=True, type=int)
    ap.add_argument("--ready-file", required=True)
    a = ap.parse_args()

    loop = asyncio.get_running_loop()
    r = Relay(a.to, a.delay_ms / 1000.0)
    await loop.create_datagram_endpoint(lambda: Front(r), local_addr=a.listen)
    await loop.create_datagram_endpoint(lambda: Back(r), local_addr=(a.listen[0], 0))
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
