#!/usr/bin/env python3
"""Small helpers for scripts/bench/ingest.sh (Python 3 stdlib only).

Subcommands:
  free-port                       print a free TCP port on 127.0.0.1
  json-field KEY [KEY...]         read JSON from stdin (last line that parses), print the fields
  wait-http URL --pid P --timeout S
                                  wait until GET URL answers 200 while process P is alive
  probe --url U --workspace W --key K
                                  POST one small batch, print "HTTP <status> <body prefix>"
  sample --out F --api-pid P [--pg-pid Q] [--interval 0.5]
                                  until SIGTERM/SIGINT: max VmRSS of the API process tree and
                                  CPU time (cores used) of the API and PostgreSQL process trees;
                                  writes one JSON line to F when stopped
  stats-load --url U --workspace W --key K --points N ...
                                  ingest N points spread over the last --hours hours, in time
                                  order, through POST /v1/workspaces/{ws}/metrics (same point
                                  mix as ../shared/bench/ingest_load.py)
  latency --url FULL_URL --key K --requests N
                                  sequential GETs; prints JSON with p50/p95/max ms and status counts
"""
import argparse
import http.client
import importlib.util
import json
import math
import os
import random
import signal
import socket
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

CLK_TCK = os.sysconf("SC_CLK_TCK")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def local_target(url):
    u = urlsplit(url)
    if u.scheme != "http" or u.hostname not in LOCAL_HOSTS:
        sys.exit(f"refusing {url!r}: loopback http only")
    return u


# ---------------------------------------------------------------- small utilities

def cmd_free_port(_args):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def cmd_json_field(args):
    text = sys.stdin.read()
    try:
        data = json.loads(text)  # a whole (possibly pretty-printed) document
    except ValueError:
        data = None
    for line in ([] if isinstance(data, dict) else text.splitlines()[::-1]):
        try:
            data = json.loads(line)
            break
        except ValueError:
            continue
    if not isinstance(data, dict):
        sys.exit("no JSON object in input")
    out = []
    for key in args.keys:
        val = data
        for part in key.split("."):
            val = val.get(part) if isinstance(val, dict) else None
        out.append("" if val is None else str(val))
    print(" ".join(out))


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cmd_wait_http(args):
    u = local_target(args.url)
    deadline = time.monotonic() + args.timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if args.pid and not alive(args.pid):
            sys.exit(f"process {args.pid} exited before {args.url} became ready ({last})")
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=2)
            conn.request("GET", u.path or "/")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
            last = f"HTTP {resp.status}"
        except (OSError, http.client.HTTPException) as e:
            last = type(e).__name__
        time.sleep(0.25)
    sys.exit(f"timed out after {args.timeout}s waiting for {args.url} ({last})")


def cmd_probe(args):
    u = local_target(args.url)
    now = datetime.now(timezone.utc)
    ts = now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    body = json.dumps({"points": [
        {"name": "http.request.duration", "kind": "timing", "value": 12.5, "timestamp": ts,
         "tags": {"endpoint": "/api/users", "status": "200"}},
        {"name": "http.requests", "kind": "counter", "value": 1, "timestamp": ts, "tags": {}},
    ]}).encode()
    path = f"{u.path.rstrip('/')}/v1/workspaces/{args.workspace}/metrics"
    try:
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {args.key}"})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace").replace("\n", " ")
        print(f"HTTP {resp.status} {text[:300]}")
    except (OSError, http.client.HTTPException) as e:
        print(f"HTTP 000 {type(e).__name__}: {e}")


# ---------------------------------------------------------------- resource sampler

def tree_pids(root):
    """root and all its descendants (from /proc/*/stat ppid)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def cmd_sample(args):
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    # CPU: remember each process's ticks at first sight; sum of deltas at the end.
    first, last = {}, {}

    def account(root, tag):
        for pid in tree_pids(root):
            t = cpu_ticks(pid)
            first.setdefault((tag, pid), t)
            last[(tag, pid)] = t

    roots = [(args.api_pid, "api")] + ([(args.pg_pid, "pg")] if args.pg_pid else [])
    for root, tag in roots:
        account(root, tag)
    start = time.monotonic()
    max_proc_kb = max_tree_kb = samples = 0
    while not stop.is_set():
        if alive(args.api_pid):
            max_proc_kb = max(max_proc_kb, rss_kb(args.api_pid))
            max_tree_kb = max(max_tree_kb, sum(rss_kb(p) for p in tree_pids(args.api_pid)))
            samples += 1
        for root, tag in roots:
            account(root, tag)
        stop.wait(args.interval)
    for root, tag in roots:
        account(root, tag)
    elapsed = max(time.monotonic() - start, 1e-9)

    def cores(tag):
        ticks = sum(last[k] - first[k] for k in last if k[0] == tag)
        return round(ticks / CLK_TCK / elapsed, 2)

    result = {"max_rss_mb": round(max_proc_kb / 1024, 1), "max_tree_rss_mb": round(max_tree_kb / 1024, 1),
              "samples": samples, "seconds": round(elapsed, 1), "api_cpu_cores": cores("api")}
    if args.pg_pid:
        result["pg_cpu_cores"] = cores("pg")
    with open(args.out, "w") as f:
        f.write(json.dumps(result) + "\n")


# ---------------------------------------------------------------- stats-benchmark loader

def load_ingest_load(path):
    spec = importlib.util.spec_from_file_location("ingest_load", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cmd_stats_load(args):
    """Backfill args.points points evenly over [now - hours, now - 1 min], in time order.

    Each request carries --batch points covering one consecutive time slice. Point contents
    (name, kind, value, tags) come from ingest_load.make_point, pre-serialized into a pool;
    only the timestamp is filled in per point, so the loader stays cheap on a 2-core box.
    """
    u = local_target(args.url)
    mod = load_ingest_load(args.ingest_load)
    rng = random.Random(args.seed)
    now = datetime.now(timezone.utc)
    pool = []
    for _ in range(args.pool):
        p = mod.make_point(rng, now)
        head = json.dumps({"name": p["name"], "kind": p["kind"], "value": p["value"]})[:-1]
        tail = ',"tags":' + json.dumps(p["tags"], separators=(",", ":")) + "}"
        pool.append((head + ',"timestamp":"', '"' + tail))

    t0 = now - timedelta(hours=args.hours)
    span_us = (args.hours * 3600 - 60) * 1_000_000
    n_batches = math.ceil(args.points / args.batch)
    path = f"{u.path.rstrip('/')}/v1/workspaces/{args.workspace}/metrics"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {args.key}"}
    lock = threading.Lock()
    state = {"next": 0, "ok_points": 0, "errors": 0, "statuses": {}, "first_error": None}
    start = time.monotonic()
    deadline = start + args.max_seconds

    def body_for(b):
        lo = b * args.batch
        hi = min(args.points, lo + args.batch)
        parts = []
        for i in range(lo, hi):
            ts = t0 + timedelta(microseconds=span_us * i // args.points)
            head, tail = pool[i % len(pool)]
            parts.append(head + ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" + tail)
        return ('{"points":[' + ",".join(parts) + "]}").encode(), hi - lo

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=300)
        while time.monotonic() < deadline:
            with lock:
                b = state["next"]
                if b >= n_batches:
                    break
                state["next"] += 1
            body, n = body_for(b)
            status, text = http_call(conn, "POST", path, body, headers)
            if status == 0:
                time.sleep(0.05)
            with lock:
                state["statuses"][status] = state["statuses"].get(status, 0) + 1
                if 200 <= status < 300:
                    state["ok_points"] += n
                else:
                    state["errors"] += 1
                    if state["first_error"] is None:
                        state["first_error"] = f"HTTP {status} {text[:200].decode('utf-8', 'replace')}"
                if state["errors"] >= args.max_errors:
                    state["next"] = n_batches  # give up: the endpoint is not working
            if args.progress and b % 100 == 0:
                el = time.monotonic() - start
                print(f"  stats-load: batch {b}/{n_batches}, {state['ok_points']} points ok, "
                      f"{state['ok_points'] / el:,.0f} points/s", file=sys.stderr, flush=True)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print(json.dumps({
        "points_ok": state["ok_points"], "points_target": args.points, "seconds": round(elapsed, 1),
        "points_per_s": round(state["ok_points"] / elapsed, 1), "errors": state["errors"],
        "statuses": {str(k): v for k, v in sorted(state["statuses"].items())},
        "timed_out": time.monotonic() >= deadline and state["next"] < n_batches,
        "first_error": state["first_error"]}))


def http_call(conn, method, target, body, headers):
    """One request on a kept-alive connection: (status, body); status 0 on a connection error
    (the connection is closed so http.client reopens it next time)."""
    try:
        conn.request(method, target, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, http.client.HTTPException) as e:
        conn.close()
        return 0, str(e).encode()


def cmd_latency(args):
    u = local_target(args.url)
    target = u.path + ("?" + u.query if u.query else "")
    headers = {"Authorization": f"Bearer {args.key}"}
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=120)
    lat, statuses, sample = [], {}, None
    for i in range(args.warmup + args.requests):
        t = time.perf_counter()
        status, text = http_call(conn, "GET", target, None, headers)
        el = time.perf_counter() - t
        if i < args.warmup:
            continue
        statuses[status] = statuses.get(status, 0) + 1
        if sample is None or not (200 <= status < 300):
            sample = f"HTTP {status} {text[:300].decode('utf-8', 'replace')}"
        if 200 <= status < 300:
            lat.append(el)
    lat.sort()

    def pct(q):
        return round(lat[max(1, math.ceil(q * len(lat))) - 1] * 1000, 2) if lat else None

    print(json.dumps({"requests": args.requests, "ok": len(lat), "p50_ms": pct(0.5), "p95_ms": pct(0.95),
                      "max_ms": round(lat[-1] * 1000, 2) if lat else None,
                      "statuses": {str(k): v for k, v in sorted(statuses.items())}, "sample": sample}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("free-port").set_defaults(fn=cmd_free_port)
    p = sub.add_parser("json-field")
    p.add_argument("keys", nargs="+")
    p.set_defaults(fn=cmd_json_field)
    p = sub.add_parser("wait-http")
    p.add_argument("url")
    p.add_argument("--pid", type=int, default=0)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(fn=cmd_wait_http)
    p = sub.add_parser("probe")
    for a in ("--url", "--workspace", "--key"):
        p.add_argument(a, required=True)
    p.set_defaults(fn=cmd_probe)
    p = sub.add_parser("sample")
    p.add_argument("--out", required=True)
    p.add_argument("--api-pid", type=int, required=True)
    p.add_argument("--pg-pid", type=int, default=0)
    p.add_argument("--interval", type=float, default=0.5)
    p.set_defaults(fn=cmd_sample)
    p = sub.add_parser("stats-load")
    for a in ("--url", "--workspace", "--key", "--ingest-load"):
        p.add_argument(a, required=True)
    p.add_argument("--points", type=int, default=10_000_000)
    p.add_argument("--batch", type=int, default=10_000)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--hours", type=float, default=23.5)
    p.add_argument("--pool", type=int, default=50_000)
    p.add_argument("--max-seconds", type=float, default=1200)
    p.add_argument("--max-errors", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--progress", action="store_true")
    p.set_defaults(fn=cmd_stats_load)
    p = sub.add_parser("latency")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--warmup", type=int, default=3)
    p.set_defaults(fn=cmd_latency)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
