#!/usr/bin/env python3
"""A lab web proxy: HTTP CONNECT only, as a hospital's outbound proxy answers it.

Used by scripts/lab inside the lab's network namespaces only (the `proxy-only` delta). For each
`CONNECT host:port` it resolves the host with the namespace's own resolver, connects with a time
bound, answers `200 Connection established` and copies bytes both ways; an upstream it cannot
reach in time gets `504 Gateway Timeout`, one that refuses `502 Bad Gateway`. Anything but CONNECT
gets `405`. It writes READY_FILE once it listens, so the lab can wait for it (bounded).
"""

import argparse
import os
import select
import signal
import socket
import socketserver
import sys
import threading


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def make_handler(upstream_timeout):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.settimeout(10)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 16384:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
            except OSError:
                return
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split()
            if len(parts) != 3 or parts[0] != "CONNECT" or ":" not in parts[1]:
                return self.answer(405, "Method Not Allowed")
            host, port = parts[1].rsplit(":", 1)
            try:
                up = socket.create_connection((host.strip("[]"), int(port)), timeout=upstream_timeout)
            except socket.timeout:
                sys.stderr.write("%s: upstream timeout\n" % parts[1])
                return self.answer(504, "Gateway Timeout")
            except OSError as e:
                sys.stderr.write("%s: %s\n" % (parts[1], e))
                return self.answer(502, "Bad Gateway")
            sys.stderr.write("%s: tunnel\n" % parts[1])
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.pipe(self.request, up)

        def answer(self, code, reason):
            try:
                self.request.sendall(("HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                      % (code, reason)).encode())
            except OSError:
                pass

        def pipe(self, a, b):
            a.settimeout(None)
            b.settimeout(None)
            socks = [a, b]
            try:
                while True:
                    ready, _, _ = select.select(socks, [], [], 30)
                    if not ready:
                        return
                    for s in ready:
                        data = s.recv(65536)
                        if not data:
                            return
                        (b if s is a else a).sendall(data)
            except OSError:
                return
            finally:
                b.close()

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--upstream-timeout", type=float, default=2.0)
    ap.add_argument("--ready-file", required=True)
    a = ap.parse_args()
    addr, port = a.listen.rsplit(":", 1)
    srv = Server((addr, int(port)), make_handler(a.upstream_timeout))
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tmp = a.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(os.getpid()))
    os.rename(tmp, a.ready_file)
    stop.wait()
    srv.shutdown()


if __name__ == "__main__":
    main()
