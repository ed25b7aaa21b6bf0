#!/usr/bin/env python3
"""Drill (issue 14): the worker is killed with SIGKILL in the middle of a webhook delivery.

    python3 scripts/drills/worker_kill.py [--vigil .build/debug/vigil]

Starts a webhook receiver that holds every request for four seconds, then `vigil dev` (API and
worker; its PostgreSQL keeps running when the process dies), raises an alert routed to the
receiver, and kills `vigil dev` with SIGKILL while the receiver is holding the first attempt.
A separate `vigil worker` started afterwards must rescue the stale delivery job and deliver it
again, so that the receiver ends up with the notification exactly once *as a receiver counts
it*: every request it got carries the same `Idempotency-Key` (the documented way to drop a
repeat), and the ledger holds one notification row for the alert and channel, sent (the killed
attempt recorded nothing; the unique "sent once" index is the backstop).

Prints one line per check; exit 1 on any failure.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pg_restart  # noqa: E402  (the HTTP helper, checks and pg_ctl of the restart drill)
from pg_restart import call, check, failures, pg_ctl, ready_demo, server_options  # noqa: E402

HTTP_PORT = int(os.environ.get("DRILL_KILL_HTTP_PORT", "18194"))
PG_PORT = int(os.environ.get("DRILL_KILL_PG_PORT", "25396"))
pg_restart.BASE = f"http://127.0.0.1:{HTTP_PORT}"
RECORD = Path("/tmp/vigil-drill-hooks.jsonl")


def hook_requests():
    if not RECORD.exists():
        return []
    return [json.loads(line) for line in RECORD.read_text().splitlines() if line.strip()]


def header(request, name):
    return next((v for k, v in request["headers"].items() if k.lower() == name.lower()), None)


def psql(data_dir, sql):
    binary = shutil.which("psql") or str(next(Path("/usr/lib/postgresql").glob("*/bin/psql")))
    result = subprocess.run([binary, "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "vigil", "-Atc", sql],
                            capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", default=os.environ.get("VIGIL", ".build/debug/vigil"))
    args = parser.parse_args()
    data_dir = Path(".vigil-drill-kill").resolve()
    shutil.rmtree(data_dir, ignore_errors=True)
    RECORD.unlink(missing_ok=True)
    receiver = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parents[1] / "peers" / "http_receiver.py"),
                                 "--port", "0", "--record", str(RECORD)], stdout=subprocess.PIPE, text=True)
    hook_port = int(receiver.stdout.readline().split()[1])
    environment = {**os.environ, "VIGIL_ADMIN_TOKEN": "drill-" + os.urandom(24).hex(), "VIGIL_WORKER_STALE_SECONDS": "2"}
    out = open("/tmp/vigil-drill-kill.out", "w")
    dev = subprocess.Popen([args.vigil, "dev", "--port", str(HTTP_PORT), "--pg-port", str(PG_PORT), "--data-dir", str(data_dir)],
                           stdout=out, stderr=subprocess.STDOUT, env=environment)
    worker = None
    try:
        worker = run(args, dev, hook_port, data_dir, environment)
    finally:
        for process in (dev, worker):
            if process and process.poll() is None:
                process.kill()
                process.wait(10)
        receiver.kill()
        try:
            pg_ctl(data_dir, "stop", "-m", "immediate", "-w")
        except Exception:  # already stopped
            pass
        shutil.rmtree(data_dir, ignore_errors=True)
    print("drill: " + ("every check passed" if not failures else f"{len(failures)} check(s) failed"))
    sys.exit(1 if failures else 0)


def run(args, dev, hook_port, data_dir, environment):
    key, slug = ready_demo("/tmp/vigil-drill-kill.out")
    base = f"/v1/workspaces/{slug}"

    channel = call("POST", f"{base}/channels", key,
                   {"name": "held", "kind": "webhook", "url": f"http://127.0.0.1:{hook_port}/hang/4/hook",
                    "secrets": {"signing_secret": "drill-secret-0123456789"}})
    check(channel[0] == 201, "a webhook channel to a receiver that holds each request 4 s", channel[2])
    alert = call("POST", f"{base}/alerts", key, {"title": "Worker kill drill", "severity": "high", "source": "drill"})
    check(alert[0] == 201, "an alert is raised", alert[2])
    alert_id = alert[2]["id"]

    for _ in range(100):
        if hook_requests():
            break
        time.sleep(0.1)
    check(len(hook_requests()) == 1, "the first delivery attempt reached the receiver (and is being held)")
    dev.send_signal(signal.SIGKILL)
    dev.wait(10)
    check(dev.returncode == -signal.SIGKILL, "vigil dev (API and worker) killed with SIGKILL mid-delivery", dev.returncode)
    if psql(data_dir, "SELECT 1") != "1":  # the cluster went down with it: bring it back as it was
        pg_ctl(data_dir, "start", "-w", "-o", server_options(data_dir), "-l", "/tmp/vigil-drill-kill-pg.log")
    check(psql(data_dir, "SELECT 1") == "1", "PostgreSQL is up for the next worker")

    database_url = f"host=127.0.0.1 port={PG_PORT} user=vigil_dev dbname=vigil"  # vigil dev's worker login
    # The channel's signing secret is sealed under the key vigil dev keeps in its data directory.
    environment = {**environment, "VIGIL_SECRETS_KEY": (data_dir / "secrets-key").read_text().strip()}
    worker = subprocess.Popen([args.vigil, "worker", "--log-level", "warning"], stdout=open("/tmp/vigil-drill-worker.out", "w"),
                              stderr=subprocess.STDOUT,
                              env={**environment, "DATABASE_URL": database_url, "VIGIL_EGRESS_ALLOW": "127.0.0.0/8,::1/128"})
    ledger = ""
    for _ in range(300):
        ledger = psql(data_dir, f"SELECT status || ' attempt ' || attempt FROM notifications WHERE alert_id = '{alert_id}' AND event = 'triggered'")
        if ledger.startswith("sent"):
            break
        time.sleep(0.1)
    requests = hook_requests()
    keys = {header(r, "Idempotency-Key") for r in requests}
    check(ledger.startswith("sent"), "a new worker rescues the stale delivery and completes it", ledger or "no ledger row")
    check(len(ledger.splitlines()) == 1, "the ledger holds one notification for the alert and channel", ledger)
    check(len(requests) >= 2, f"the receiver saw the delivery again after the kill ({len(requests)} requests)")
    check(len(keys) == 1 and None not in keys, "every attempt carries the same Idempotency-Key, so the receiver keeps one", keys)
    print(f"       ledger: {ledger}; receiver: {len(requests)} requests, key {next(iter(keys), None)}")
    worker.send_signal(signal.SIGTERM)
    check(worker.wait(30) == 0, "the worker stops on SIGTERM with 0")
    return worker


if __name__ == "__main__":
    main()
