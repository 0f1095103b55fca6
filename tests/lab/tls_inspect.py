#!/usr/bin/env python3
"""A transparent TLS-inspecting proxy, as hospital networks and antivirus "web shields" run them.

iptables REDIRECTs the LAN's (or, on the laptop itself, the laptop's own) TCP 443 to LISTEN. For each connection the proxy finds the original
destination (SO_ORIGINAL_DST), connects there first (a destination that does not answer leaves the
client's handshake hanging until UPSTREAM_TIMEOUT, then the connection is closed), then completes the
client's TLS handshake with a certificate for the requested name (SNI) issued by the inspection root,
opens its own TLS session to the destination (verified with UPSTREAM_CA) and relays the bytes, one
thread per connection owning both sessions.
Writes READY_FILE once listening; stops on SIGTERM.
"""

import argparse
import os
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time

SO_ORIGINAL_DST = 80
SO_MARK = 36


def original_dst(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port = struct.unpack("!H", raw[2:4])[0]
    addr = socket.inet_ntoa(raw[4:8])
    return addr, port


def send_all(sock, data, deadline):
    """Writes all of data to a non-blocking TLS socket, waiting (never past deadline) when it is full."""
    view = memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("relay: the peer took nothing for too long")
        try:
            view = view[sock.send(view):]
        except (ssl.SSLWantWriteError, BlockingIOError):
            select.select([], [sock], [], left)
        except ssl.SSLWantReadError:
            select.select([sock], [], [], left)


def relay(client, up, idle):
    """Copies bytes both ways until either side closes or nothing moves for idle seconds.

    One thread owns both TLS sessions: an OpenSSL session must not be read in one thread while it
    is written in another (the earlier two-thread pump did that, and now and then a request was
    lost between the two sessions, so the client waited for an answer that never came)."""
    peer = {client: up, up: client}
    for s in peer:
        s.setblocking(False)
    while True:
        # records already decrypted inside OpenSSL do not make the socket readable again
        ready = [s for s in peer if s.pending()]
        if not ready:
            ready, _, _ = select.select(list(peer), [], [], idle)
            if not ready:
                return
        for s in ready:
            while True:
                try:
                    data = s.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                    break
                if not data:
                    return
                send_all(peer[s], data, time.monotonic() + idle)


def connect_upstream(dst, timeout, mark):
    """A TCP connection to dst; with mark, its packets carry that firewall mark (so a proxy on the
    laptop itself can exempt its own connections from the REDIRECT that feeds it)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if mark:
            s.setsockopt(socket.SOL_SOCKET, SO_MARK, mark)
        s.settimeout(timeout)
        s.connect(dst)
    except OSError:
        s.close()
        raise
    return s


def handle(conn, a, contexts, default_ctx, upstream_ctx):
    conn.settimeout(a.upstream_timeout + 5)
    raw_up = client = up = None
    try:
        dst = original_dst(conn)
        try:
            raw_up = connect_upstream(dst, a.upstream_timeout, a.upstream_mark)
        except OSError as e:
            sys.stderr.write("upstream %s:%d: %s\n" % (dst[0], dst[1], e))
            return
        client = default_ctx.wrap_socket(conn, server_side=True)
        name = getattr(client, "lab_sni", None)
        up = upstream_ctx.wrap_socket(raw_up, server_hostname=name or dst[0])
        sys.stderr.write("inspecting %s -> %s:%d\n" % (name, dst[0], dst[1]))
        relay(client, up, 30)
    except (OSError, ssl.SSLError) as e:
        sys.stderr.write("connection failed: %s\n" % e)
    finally:
        for s in (client, conn, up, raw_up):
            if s is not None:
                s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--cert-dir", required=True, help="holds NAME.pem/NAME.key per name, signed by the inspection root")
    ap.add_argument("--names", required=True, help="comma-separated names to have certificates for")
    ap.add_argument("--upstream-ca", required=True)
    ap.add_argument("--upstream-timeout", type=float, default=20)
    ap.add_argument("--upstream-mark", type=lambda v: int(v, 0), default=0,
                    help="firewall mark for the proxy's own connections (a proxy on the laptop itself)")
    ap.add_argument("--ready-file", required=True)
    a = ap.parse_args()

    contexts = {}
    for n in a.names.split(","):
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(os.path.join(a.cert_dir, n + ".pem"), os.path.join(a.cert_dir, n + ".key"))
        contexts[n] = c
    default_ctx = next(iter(contexts.values()))

    def sni(sslsock, name, _ctx):
        # per connection: remember the name on the socket, answer with that name's certificate
        sslsock.lab_sni = name
        if name in contexts:
            sslsock.context = contexts[name]

    for c in contexts.values():
        c.sni_callback = sni
    upstream_ctx = ssl.create_default_context(cafile=a.upstream_ca)

    host, port = a.listen.rsplit(":", 1)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, int(port)))
    srv.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    tmp = a.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(os.getpid()))
    os.rename(tmp, a.ready_file)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, a, contexts, default_ctx, upstream_ctx), daemon=True).start()


if __name__ == "__main__":
    main()
