#!/usr/bin/env python3
"""An HTTPS Git server for NetRaven's push tests: `git http-backend` as CGI behind TLS and HTTP Basic auth.

Usage: https-git-server.py PROJECT_ROOT CERT_PEM KEY_PEM USER
The token is read from the environment (NETRAVEN_GIT_TOKEN), never from argv, so it stays out of the process list.
Binds 127.0.0.1 port 0, prints the port on stdout once listening (the readiness signal), serves until killed.
Every request must carry Basic USER:TOKEN, else 401 with a WWW-Authenticate challenge; authenticated requests reach
http-backend with REMOTE_USER set, which is what enables receive-pack (push) there.
"""
import base64
import hmac
import http.server
import os
import ssl
import subprocess
import sys

ROOT, CERT, KEY, USER = sys.argv[1:5]
TOKEN = os.environ["NETRAVEN_GIT_TOKEN"]
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        # Request lines only (never headers: they carry the token), for debugging with NETRAVEN_KEEP_TEST_DIRS=1.
        sys.stderr.write((format % args) + "\n")

    def read_body(self):
        # libgit2 sends receive-pack bodies chunked; http.server does not decode that itself.
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, headers, body):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        body = self.read_body()
        if not hmac.compare_digest(self.headers.get("Authorization", ""), EXPECTED):
            # Connection: close, as most Git hosts do: libgit2 1.5.1 resends with credentials on a kept-alive
            # connection after a 401 and then fails with "http parser error: invalid constant string".
            self.close_connection = True
            self.reply(401, [("WWW-Authenticate", 'Basic realm="netraven-test"'), ("Connection", "close")], b"")
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": USER,
            "REMOTE_ADDR": self.client_address[0],
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
        }
        result = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        if result.returncode != 0 and not result.stdout:
            status, payload = 500, result.stderr
        self.reply(status, headers, payload)

    do_GET = do_POST = handle_any


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(CERT, KEY)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
