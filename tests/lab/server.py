#!/usr/bin/env python3
"""A lab web server: one host name, one or more listeners (plain HTTP and/or HTTPS).

Used by scripts/lab inside the lab's network namespaces only. Modes:
  site    : HTTPS answers 200 with a small page; plain HTTP redirects to https://HOST/
  portal  : a captive portal: plain HTTP answers every request with 302 to its own login page
            (http://PORTAL/login), HTTPS serves the portal's own (untrusted) certificate.

In site mode, what HTTPS answers can depend on who asks (the client's source address), as MARS
does: --respond CIDR=ACTION (repeatable, first match wins), else --default ACTION (default ok):
  ok            200 with a small page
  login         the front page redirects (302) to https://HOST/login on the same site, which
                answers 200 with a sign-in form (MARS's own behaviour)
  403           403 Forbidden ("not from this network")
  503           503 Service Unavailable with Retry-After (down for maintenance)
  redirect:URL  302 to URL for every path (a "VPN required" page, or another site's sign-in page)

It writes READY_FILE once every listener is bound, so the lab can wait for it (bounded).
"""

import argparse
import http.server
import ipaddress
import os
import signal
import socketserver
import ssl
import sys
import threading


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    ssl_ctx = None

    def server_bind(self):
        # HTTPServer.server_bind would look up the bound address's FQDN (a DNS query): skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a client that connects
        # and stays silent never blocks the accept loop.
        if self.ssl_ctx is not None:
            request.settimeout(10)
            try:
                request = self.ssl_ctx.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError) as e:
                sys.stderr.write("tls handshake from %s failed: %s\n" % (client_address[0], e))
                return
            try:
                super().finish_request(request, client_address)
            finally:
                request.close()
            return
        super().finish_request(request, client_address)


def parse_action(text):
    if text in ("ok", "login", "403", "503") or text.startswith("redirect:"):
        return text
    raise argparse.ArgumentTypeError("unknown action %r (ok, login, 403, 503, redirect:URL)" % text)


def parse_rule(text):
    cidr, sep, action = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("expected CIDR=ACTION, got %r" % text)
    return ipaddress.ip_network(cidr, strict=False), parse_action(action)


def make_handler(mode, host, scheme, rules=(), default="ok"):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "hmslab"
        sys_version = ""
        timeout = 10

        def log_message(self, fmt, *args):  # one line per request on stderr, for the lab's log
            sys.stderr.write("%s %s %s\n" % (host, scheme, fmt % args))

        def _send(self, code, body=b"", headers=()):
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            if mode == "portal":
                if self.path.startswith("/login"):
                    body = (b"<html><head><title>Guest Wi-Fi login</title></head><body>"
                            b"<form method=post><input name=room><button>Connect</button></form>"
                            b"</body></html>")
                    return self._send(200, body)
                return self._send(302, b"", [("Location", "http://%s/login?from=%s" % (host, self.headers.get("Host", "")))])
            if scheme == "http":
                return self._send(301, b"", [("Location", "https://%s%s" % (host, self.path))])
            action = self._action()
            if action == "403":
                body = b"<html><head><title>403 Forbidden</title></head><body>Not from this network.</body></html>"
                return self._send(403, body)
            if action == "503":
                body = b"<html><head><title>MARS maintenance</title></head><body>Down for maintenance.</body></html>"
                return self._send(503, body, [("Retry-After", "3600")])
            if action.startswith("redirect:"):
                return self._send(302, b"", [("Location", action[len("redirect:"):])])
            if action == "login" and not self.path.startswith("/login"):
                return self._send(302, b"", [("Location", "https://%s/login?next=%s" % (host, self.path))])
            if action == "login":
                body = ("<html><head><title>Sign in - %s (lab)</title></head><body><form method=post>"
                        "<input name=user><input name=password type=password><button>Sign in</button>"
                        "</form></body></html>" % host).encode()
                return self._send(200, body)
            body = ("<html><head><title>%s (lab)</title></head><body>%s</body></html>" % (host, host)).encode()
            return self._send(200, body)

        def _action(self):
            try:
                addr = ipaddress.ip_address(self.client_address[0])
            except ValueError:
                return default
            for net, action in rules:
                if addr in net:
                    return action
            return default

        do_HEAD = do_GET

        def do_POST(self):
            return self.do_GET()

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True, help="the host name this server stands for")
    ap.add_argument("--mode", choices=["site", "portal"], default="site")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--listen", action="append", required=True,
                    help="ADDR:PORT:http or ADDR:PORT:https (repeatable)")
    ap.add_argument("--ready-file", required=True)
    ap.add_argument("--respond", action="append", default=[], type=parse_rule, metavar="CIDR=ACTION",
                    help="what HTTPS answers clients from CIDR (site mode; first match wins)")
    ap.add_argument("--default", type=parse_action, default="ok", metavar="ACTION",
                    help="what HTTPS answers everyone else (site mode)")
    a = ap.parse_args()

    servers = []
    for spec in a.listen:
        addr, port, scheme = spec.rsplit(":", 2)
        srv = Server((addr, int(port)), make_handler(a.mode, a.host, scheme, a.respond, a.default))
        if scheme == "https":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(a.cert, a.key)
            srv.ssl_ctx = ctx
        servers.append(srv)

    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tmp = a.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(os.getpid()))
    os.rename(tmp, a.ready_file)
    stop.wait()
    for srv in servers:
        srv.shutdown()


if __name__ == "__main__":
    main()
