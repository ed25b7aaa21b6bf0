#!/usr/bin/env python3
"""Local HTTP webhook receiver for Vigil's delivery tests (stdlib only).

Usage:
    python3 http_receiver.py --port 0 --record /tmp/requests.jsonl

Prints exactly one line `LISTENING <port>` (flushed) once the socket is bound,
so a launcher can pass --port 0 and learn the ephemeral port.

Every POST is recorded on arrival (before any deliberate delay) as one JSON line
{path, headers, body_b64, received_at} in --record, and kept in memory for
GET /_requests, which returns the whole list as a JSON array.

Behaviour by path prefix (POST):
    /fail/<n>/...      500 for the first n requests to that exact path, then 200
    /status/<code>/... always <code>
    /hang/<seconds>/... sleeps, then 200 (other requests are served meanwhile)
    /redirect/...      302 with Location: /ok (clients must not follow it)
    /bytes/<n>/...     200 with a body of n bytes (to test response capping)
    anything else      200 with body `ok`

--exit-on-stdin-eof: exit when stdin closes; launchers hand us a pipe so the
receiver dies with the test process even if that process is SIGKILLed.
"""
import argparse
import base64
import datetime
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self, record_path):
        self.lock = threading.Lock()
        self.records = []
        self.fail_counts = {}
        self.file = open(record_path, "a", encoding="utf-8") if record_path else None

    def add(self, record):
        line = json.dumps(record)
        with self.lock:
            self.records.append(record)
            if self.file:
                # One write + flush per line so readers never see half a record
                # except possibly the very last line.
                self.file.write(line + "\n")
                self.file.flush()

    def snapshot(self):
        with self.lock:
            return list(self.records)

    def count_failure(self, path, limit):
        """Returns True while this exact path has been seen at most `limit` times."""
        with self.lock:
            seen = self.fail_counts.get(path, 0) + 1
            self.fail_counts[path] = seen
            return seen <= limit


RECORDER = None  # set in main()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "VigilTestReceiver/1"

    def log_message(self, fmt, *args):  # keep test output quiet
        if os.environ.get("VIGIL_PEER_VERBOSE"):
            sys.stderr.write("http_receiver: " + (fmt % args) + "\n")

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # trailers end with an empty line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _respond(self, code, body=b"", extra_headers=()):
        try:
            self.send_response(code)
            for name, value in extra_headers:
                self.send_header(name, value)
            no_body = code in (204, 304) or code < 200
            if not no_body:
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not no_body and body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # client gave up (e.g. its timeout fired during /hang)

    def do_POST(self):
        body = self._read_body()
        headers = {}
        for name, value in self.headers.items():
            headers[name] = headers[name] + ", " + value if name in headers else value
        RECORDER.add({
            "path": self.path,
            "headers": headers,
            "body_b64": base64.b64encode(body).decode("ascii"),
            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        })
        parts = self.path.split("?")[0].split("/")  # "", kind, arg, ...
        kind = parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        try:
            if kind == "fail":
                failing = RECORDER.count_failure(self.path, int(arg))
                self._respond(500 if failing else 200, b"fail" if failing else b"ok")
            elif kind == "status":
                self._respond(int(arg), b"status " + arg.encode())
            elif kind == "hang":
                time.sleep(float(arg))
                self._respond(200, b"ok")
            elif kind == "redirect":
                self._respond(302, b"moved", [("Location", "/ok")])
            elif kind == "bytes":
                self._respond(200, b"a" * int(arg))
            else:
                self._respond(200, b"ok")
        except ValueError:
            self._respond(400, b"bad path argument")

    def do_GET(self):
        if self.path == "/_requests":
            payload = json.dumps(RECORDER.snapshot()).encode("utf-8")
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._respond(404, b"not found")


def restore_signals():
    """Launchers such as Foundation.Process on Linux may start us with SIGTERM/SIGINT
    blocked (inherited signal mask); unblock them so `kill` works as expected."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    global RECORDER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--record", default=None, help="JSON-lines file to append requests to")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args()
    restore_signals()

    RECORDER = Recorder(args.record)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True  # a hanging handler must not block shutdown
    if args.exit_on_stdin_eof:
        threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
