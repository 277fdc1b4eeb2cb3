#!/usr/bin/env python3
"""A small HTTP server for NetRaven's HTTP client tests: binds 127.0.0.1:0, prints its port, serves until killed.

GET /hello -> 200 "hello" with X-Test: yes; any method on /echo -> 200, body echoed, X-Method and X-Auth headers;
GET /big?n=N -> N bytes; GET /status/N -> that status; GET /slow -> answers after 5 s.
POST /record/... -> 200, the request kept (a webhook receiver); GET /records -> every kept request as JSON
[{"method", "path", "headers": {lowercased name: value}, "body": text}].
"""
import http.server
import json
import sys
import threading
import time

records = []
records_lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/hello":
            self.reply(200, b"hello", [("X-Test", "yes")])
        elif self.path == "/echo":
            self.reply(200, body, [("X-Method", self.command), ("X-Auth", self.headers.get("Authorization", "")),
                                   ("X-Custom", self.headers.get("X-Custom", ""))])
        elif self.path.startswith("/record/") and self.command == "POST":
            with records_lock:
                records.append({"method": self.command, "path": self.path,
                                "headers": {k.lower(): v for k, v in self.headers.items()},
                                "body": body.decode("utf-8", "replace")})
            self.reply(200, b"ok")
        elif self.path == "/records":
            with records_lock:
                text = json.dumps(records).encode()
            self.reply(200, text, [("Content-Type", "application/json")])
        elif self.path.startswith("/big"):
            self.reply(200, b"x" * int(self.path.split("n=")[1]))
        elif self.path.startswith("/status/"):
            self.reply(int(self.path.split("/")[2]), b"status")
        elif self.path == "/slow":
            time.sleep(5)
            self.reply(200, b"late")
        else:
            self.reply(404, b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
