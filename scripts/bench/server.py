#!/usr/bin/env python3
"""HTTPS (and plain HTTP) server for the hmsaccess benchmark: one process serves every bench host.

usage: server.py CERT KEY
Listens on 0.0.0.0:443 (TLS, one certificate whose SANs are the real host names) and 0.0.0.0:80
(plain HTTP: a redirect to https on the same host, as the real it.hms.harvard.edu does).
MARS's front page redirects to its login page on the same host (`/` -> 302 `/login`), as the
real MARS does; every other HTTPS answer is 200.
Prints "ready" once both listen. Each connection is handled (TLS handshake included) in its own thread.
"""
import http.server
import socketserver
import ssl
import sys
import threading

BODY = b"<!doctype html><title>bench</title><p>ok</p>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bench"
    # One write per response (flushed after do_GET) and no Nagle: otherwise the body would wait
    # for the client's delayed ACK (~40 ms), which would slow the clients that read the body.
    wbufsize = 65536
    disable_nagle_algorithm = True

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        if self.server.tls and host == "mars.med.harvard.edu" and self.path == "/":
            self.send_response(302)
            self.send_header("Location", "/login")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.server.tls:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        else:
            host = host or "it.hms.harvard.edu"
            self.send_response(301)
            self.send_header("Location", f"https://{host}/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, tls_ctx):
        self.tls = tls_ctx
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        # runs in the connection's thread: the handshake never blocks the accept loop
        if self.tls:
            request.settimeout(10)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass


def main():
    cert, key = sys.argv[1:3]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    servers = [Server(("0.0.0.0", 443), ctx), Server(("0.0.0.0", 80), None)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
