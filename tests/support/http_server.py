#!/usr/bin/env python3
"""A small HTTP server on 127.0.0.1 for the download tests.

Usage: http_server.py DIR. It picks a free port, prints "port N pid P" on
stdout (P: its process id, to stop it with) and serves the files of DIR by name:
  /NAME            the file, with its Content-Length
  /cut/NAME        the Content-Length of the whole file but only its first
                   half, then the connection closes: a transfer cut short
  /nolength/NAME   the whole file without a Content-Length (the end is the
                   connection closing), so a client cannot know the size first
  anything else    404
"""
import http.server
import os
import sys

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.lstrip("/").split("/")
        mode = parts[0] if len(parts) == 2 else ""
        path = os.path.join(ROOT, parts[-1])
        if len(parts) > 2 or mode not in ("", "cut", "nolength") or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        self.send_response(200)
        if mode != "nolength":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2] if mode == "cut" else data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], "pid", os.getpid(), flush=True)
server.serve_forever()
