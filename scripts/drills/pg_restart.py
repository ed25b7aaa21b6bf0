#!/usr/bin/env python3
"""Drill (issue 14): PostgreSQL goes away under ingest and alert load, and comes back.

    python3 scripts/drills/pg_restart.py [--vigil .build/debug/vigil]

Starts `vigil dev` (its own cluster; API and worker in one process) on ports of its own,
drives metric ingest and alert creation from four threads, stops PostgreSQL for two seconds
(`pg_ctl stop -m fast`, then `start`), keeps the load going until it has run cleanly again,
and checks what an operator is promised (docs/operations.md, "When PostgreSQL restarts"):

- while the database is away every answer is 503 with `Retry-After` and the error envelope,
  within a second (no hang, no 500);
- the same process recovers by itself: 2xx again within a few seconds of PostgreSQL being
  back, `/readyz` ready, and the worker runs new jobs (a report requested afterwards completes);
- no acknowledged write is lost: every 2xx point is counted by the stats and every 2xx alert
  can be read back.

Prints one line per check; exit 1 on any failure.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HTTP_PORT = int(os.environ.get("DRILL_HTTP_PORT", "18193"))
PG_PORT = int(os.environ.get("DRILL_PG_PORT", "25394"))
BASE = f"http://127.0.0.1:{HTTP_PORT}"
failures = []


def check(condition, what, detail=""):
    print(("ok   - " if condition else "FAIL - ") + what + ("" if condition or not detail else f": {detail}"))
    if not condition:
        failures.append(what)


def call(method, path, key=None, body=None, timeout=5.0):
    """(status, headers, parsed body or text, seconds); status 0 when no answer came."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status, headers, raw = reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, OSError) as error:
        return 0, {}, str(error), time.monotonic() - started
    elapsed = time.monotonic() - started
    try:
        return status, headers, json.loads(raw), elapsed
    except ValueError:
        return status, headers, raw.decode(errors="replace"), elapsed


def workspace(token, name):
    """A new workspace made with the admin token: (its first admin key, its slug)."""
    created = call("POST", "/v1/workspaces", token, {"name": name})
    return created[2]["api_key"]["key"], created[2]["workspace"]["slug"]


def wait_ready():
    """Waits (a minute at most) for /readyz to answer 200; returns its last answer."""
    for _ in range(120):
        if call("GET", "/readyz")[0] == 200:
            break
        time.sleep(0.5)
    return call("GET", "/readyz")


def pg_ctl(data_dir, *args):
    binary = shutil.which("pg_ctl") or next(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    command = [str(binary), "-D", str(data_dir / "pgdata"), *args]
    if os.geteuid() == 0:  # the embedded cluster belongs to the postgres OS user
        command = ["su", "postgres", "-c", shlex.join(command)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def server_options(data_dir):
    """The options `vigil dev` started the server with (port, listen address, socket
    directory), from postmaster.opts: `pg_ctl start` does not reuse them by itself."""
    words = shlex.split((data_dir / "pgdata" / "postmaster.opts").read_text())
    options = words[1:]
    if "-D" in options:
        at = options.index("-D")
        del options[at:at + 2]
    return shlex.join(options)


class Load:
    """Four writers: each request is one counter point, every fifth also an alert."""

    def __init__(self, key, slug):
        self.key, self.slug = key, slug
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers = []          # (monotonic time, status, headers, body, seconds)
        self.points_sent = self.points_acked = 0
        self.alerts_acked = []

    def writer(self, number):
        n = 0
        while not self.stop.is_set():
            n += 1
            point = {"points": [{"name": "drill.writes", "kind": "counter", "value": 1, "tags": {"writer": str(number)}}]}
            with self.lock:
                self.points_sent += 1
            answer = call("POST", f"/v1/workspaces/{self.slug}/metrics", self.key, point)
            self.record(answer)
            if answer[0] == 200:
                with self.lock:
                    self.points_acked += 1
            if n % 5 == 0:
                alert = {"title": f"drill {number}-{n}", "severity": "low", "source": "drill", "dedup_key": f"drill-{number}-{n}"}
                answer = call("POST", f"/v1/workspaces/{self.slug}/alerts", self.key, alert)
                self.record(answer)
                if answer[0] in (200, 201):
                    with self.lock:
                        self.alerts_acked.append(answer[2]["id"])
            time.sleep(0.01)

    def record(self, answer):
        with self.lock:
            self.answers.append((time.monotonic(),) + answer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", default=os.environ.get("VIGIL", ".build/debug/vigil"))
    args = parser.parse_args()
    data_dir = Path(".vigil-drill").resolve()
    shutil.rmtree(data_dir, ignore_errors=True)
    token = "drill-" + os.urandom(24).hex()
    out = open("/tmp/vigil-drill.out", "w")
    dev = subprocess.Popen([args.vigil, "dev", "--port", str(HTTP_PORT), "--pg-port", str(PG_PORT), "--data-dir", str(data_dir)],
                           stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "VIGIL_ADMIN_TOKEN": token})
    try:
        run(dev, data_dir)
    finally:
        dev.send_signal(signal.SIGINT)
        try:
            dev.wait(30)
        except subprocess.TimeoutExpired:
            dev.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    print("drill: " + ("every check passed" if not failures else f"{len(failures)} check(s) failed"))
    sys.exit(1 if failures else 0)


def ready_demo(printed_path):
    """Waits (two minutes at most) for vigil dev's /readyz; returns the demo key and slug it printed."""
    deadline = time.time() + 120
    while time.time() < deadline and call("GET", "/readyz")[0] != 200:
        time.sleep(0.5)
    check(call("GET", "/readyz")[0] == 200, "vigil dev becomes ready")
    printed = Path(printed_path).read_text()
    key = re.search(r"API key: *(vgl_[A-Za-z0-9_-]+)", printed).group(1)
    slug = re.search(r"workspace: *([a-z0-9-]+) ", printed).group(1)
    return key, slug


def run(dev, data_dir):
    key, slug = ready_demo("/tmp/vigil-drill.out")

    load = Load(key, slug)
    writers = [threading.Thread(target=load.writer, args=(i,), daemon=True) for i in range(4)]
    for thread in writers:
        thread.start()
    time.sleep(3)
    options = server_options(data_dir)
    log = Path("/tmp/vigil-drill-pg.log")
    log.unlink(missing_ok=True)
    down_at = time.monotonic()
    pg_ctl(data_dir, "stop", "-m", "fast", "-w")
    time.sleep(2)
    pg_ctl(data_dir, "start", "-w", "-o", options, "-l", str(log))
    back_at = time.monotonic()
    # Until the API has answered 2xx for three seconds straight (at most 30 s).
    recovered_at = None
    while time.monotonic() < back_at + 30:
        time.sleep(0.5)
        with load.lock:
            recent = [a for a in load.answers if a[0] >= time.monotonic() - 3]
        if recent and all(a[1] in (200, 201) for a in recent) and time.monotonic() > back_at + 3:
            recovered_at = min(a[0] for a in recent)
            break
    load.stop.set()
    for thread in writers:
        thread.join(10)

    during = [a for a in load.answers if down_at <= a[0] <= back_at]
    failed = [a for a in load.answers if a[1] not in (200, 201)]
    check(len(during) > 0 and any(a[1] == 503 for a in during), "requests during the outage were answered",
          f"{len(during)} answers while down")
    check(all(a[1] == 503 for a in failed), "every failed request is a 503 (no 500, no dropped connection)",
          sorted({a[1] for a in failed}))
    check(all(a[2].get("Retry-After") for a in failed), "every 503 carries Retry-After")
    check(all(isinstance(a[3], dict) and set(a[3].get("error", {})) >= {"code", "message", "correlation_id"} for a in failed),
          "every 503 carries the error envelope")
    slowest = max((a[4] for a in failed), default=0.0)
    check(slowest < 1.0, f"the 503s came within a second (slowest {slowest * 1000:.0f} ms)")
    check(recovered_at is not None, "the same process serves 2xx again without a restart",
          f"{sum(1 for a in load.answers if a[0] > back_at and a[1] in (200, 201))} 2xx after PostgreSQL came back")
    first_ok = min((a[0] for a in load.answers if a[0] > back_at and a[1] in (200, 201)), default=None)
    if first_ok is not None:
        print(f"       first 2xx {first_ok - back_at:.2f} s after PostgreSQL was back; "
              f"{len(load.answers)} answers, {len(failed)} of them 503")
    check(dev.poll() is None, "vigil dev is the same process, still running")
    check(call("GET", "/readyz")[0] == 200, "/readyz is ready again")

    stats = call("GET", f"/v1/workspaces/{slug}/metrics/drill.writes/stats?window=30", key)
    stored = stats[2].get("count", -1) if isinstance(stats[2], dict) else -1
    check(load.points_acked <= stored <= load.points_sent, "no acknowledged point is lost",
          f"acknowledged {load.points_acked}, stored {stored}, sent {load.points_sent}")
    print(f"       points: acknowledged {load.points_acked}, stored {stored}, sent {load.points_sent}")
    missing = [i for i in load.alerts_acked if call("GET", f"/v1/workspaces/{slug}/alerts/{i}", key)[0] != 200]
    check(len(load.alerts_acked) > 0 and not missing, f"every acknowledged alert reads back ({len(load.alerts_acked)})", missing[:5])

    state = retention_report(slug, key)[1]
    check(state == "completed", "the worker runs new jobs after the restart", state)


def retention_report(slug, key):
    """Requests a retention report and waits (a minute at most) for the worker: (id, state)."""
    report = call("POST", f"/v1/workspaces/{slug}/compliance/reports", key, {"kind": "retention", "format": "json"})
    report_id, state = report[2].get("id"), None
    for _ in range(120):
        state = call("GET", f"/v1/workspaces/{slug}/compliance/reports/{report_id}", key)[2].get("state")
        if state in ("completed", "failed"):
            break
        time.sleep(0.5)
    return report_id, state


if __name__ == "__main__":
    main()
