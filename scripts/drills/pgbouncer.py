#!/usr/bin/env python3
"""PgBouncer in transaction mode in front of PostgreSQL (issue 14, item 2), end to end.

    python3 scripts/drills/pgbouncer.py [--vigil .build/debug/vigil]

Builds the production topology on this machine: a PostgreSQL 15 cluster of its own, migrated
with the migrator (the cluster's superuser), the API and worker logins made with
`vigil db create-login`, PgBouncer 1.18 (Debian `pgbouncer`, `pool_mode = transaction`,
3 server connections per login so transactions of different clients keep landing on each
other's connections) and then `vigil serve` and `vigil worker` with `DATABASE_URL` pointing at
PgBouncer. The worker LISTENs on a direct connection (`DATABASE_LISTEN_URL`) and polls only
every 60 s, so a job that runs at once shows the LISTEN works.

Checks, each through PgBouncer: readiness (the API login cannot bypass row-level security);
tenancy under concurrency (two workspaces' keys interleaved on 8 threads never see each
other's alerts or metrics); jobs (a webhook delivered by the worker, a compliance report
generated); the LISTEN wake-up. Prints one line per check; exit 1 on any failure.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pg_restart  # noqa: E402  (the HTTP helper and the checks of the restart drill)
from pg_restart import call, check, failures, retention_report, wait_ready, workspace  # noqa: E402
from cluster import PG_BIN, as_postgres, migrate_with_logins, run, stop_processes, vigil_binary  # noqa: E402

PG_PORT = int(os.environ.get("DRILL_BOUNCER_PG_PORT", "25398"))
BOUNCER_PORT = int(os.environ.get("DRILL_BOUNCER_PORT", "64398"))
HTTP_PORT = int(os.environ.get("DRILL_BOUNCER_HTTP_PORT", "18195"))
pg_restart.BASE = f"http://127.0.0.1:{HTTP_PORT}"
ROOT = Path("/tmp/vigil-drill-pgbouncer")


def start_cluster():
    shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(mode=0o755)
    if os.geteuid() == 0:
        shutil.chown(ROOT, "postgres", "postgres")
    data = ROOT / "pgdata"
    run(as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]))
    run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(ROOT / "pg.log"),
                     "-o", f"-p {PG_PORT} -h 127.0.0.1 -k {ROOT}", "start"]))
    run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "vigil"])


def start_bouncer():
    (ROOT / "users.txt").write_text('"vigil_api" ""\n"vigil_wk" ""\n')
    (ROOT / "pgbouncer.ini").write_text(f"""[databases]
vigil = host=127.0.0.1 port={PG_PORT} dbname=vigil

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {BOUNCER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {ROOT}/users.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
logfile = {ROOT}/pgbouncer.log
pidfile = {ROOT}/pgbouncer.pid
""")
    if os.geteuid() == 0:
        for name in ("users.txt", "pgbouncer.ini"):
            shutil.chown(ROOT / name, "postgres", "postgres")
    run(as_postgres(["pgbouncer", "-d", str(ROOT / "pgbouncer.ini")]))
    time.sleep(0.5)


def stop_everything(processes):
    stop_processes(processes)
    pid = ROOT / "pgbouncer.pid"
    if pid.exists():
        subprocess.run(["kill", pid.read_text().strip()], capture_output=True)
    subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(ROOT / "pgdata"), "-m", "immediate", "-w", "stop"]), capture_output=True)


def main():
    vigil = vigil_binary()
    processes = []
    try:
        start_cluster()
        direct = f"host=127.0.0.1 port={PG_PORT} dbname=vigil"
        migrate_with_logins(vigil, direct)
        start_bouncer()
        check(True, "PostgreSQL, the migrated schema, two runtime logins and PgBouncer (transaction mode) are up")
        pooled = f"host=127.0.0.1 port={BOUNCER_PORT} dbname=vigil"
        token = "drill-" + os.urandom(24).hex()
        api_env = {**os.environ, "DATABASE_URL": f"{pooled} user=vigil_api", "VIGIL_ADMIN_TOKEN": token,
                   "VIGIL_HTTP_PORT": str(HTTP_PORT), "VIGIL_EGRESS_ALLOW": "127.0.0.0/8",
                   "VIGIL_SECRETS_KEY": base64.b64encode(os.urandom(32)).decode()}
        worker_env = {**api_env, "DATABASE_URL": f"{pooled} user=vigil_wk", "DATABASE_LISTEN_URL": f"{direct} user=vigil_wk",
                      "VIGIL_WORKER_POLL_MS": "60000"}
        processes.append(subprocess.Popen([vigil, "serve"], env=api_env, stdout=open(ROOT / "serve.log", "w"), stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen([vigil, "worker"], env=worker_env, stdout=open(ROOT / "worker.log", "w"), stderr=subprocess.STDOUT))
        scenarios(token)
    finally:
        stop_everything(processes)
        for log in ("serve.log", "worker.log", "pgbouncer.log"):  # kept for a failed run
            if (ROOT / log).exists():
                shutil.copy(ROOT / log, f"/tmp/vigil-drill-pgbouncer-{log}")
        shutil.rmtree(ROOT, ignore_errors=True)
    print("drill: " + ("every check passed" if not failures else f"{len(failures)} check(s) failed"))
    sys.exit(1 if failures else 0)


def scenarios(token):
    ready = wait_ready()
    check(ready[0] == 200 and ready[2].get("checks", {}).get("login") == "ok", "the API is ready through PgBouncer, as a login that cannot bypass row-level security", ready[2])

    shown = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(BOUNCER_PORT), "-U", "vigil_api", "-d", "vigil",
                            "-Atc", "SHOW statement_timeout"], capture_output=True, text=True, timeout=30).stdout.strip()
    check(shown == "30s", "the API login's statement_timeout (set on the login by create-login) holds through PgBouncer", shown)

    a_key, a = workspace(token, "Tenant A")
    b_key, b = workspace(token, "Tenant B")
    for key, slug in ((a_key, a), (b_key, b)):
        for i in range(5):
            call("POST", f"/v1/workspaces/{slug}/alerts", key, {"title": f"{slug} alert {i}", "severity": "low", "source": "drill"})
        call("POST", f"/v1/workspaces/{slug}/metrics", key, {"points": [{"name": "drill.m", "kind": "counter", "value": 1}] * (3 if slug == a else 7)})

    def probe(turn):
        key, slug = (a_key, a) if turn % 2 == 0 else (b_key, b)
        other = b if slug == a else a
        alerts = call("GET", f"/v1/workspaces/{slug}/alerts?limit=50", key)
        titles = [item["title"] for item in alerts[2].get("items", [])] if alerts[0] == 200 else None
        stats = call("GET", f"/v1/workspaces/{slug}/metrics/drill.m/stats?window=10", key)
        count = stats[2].get("count") if stats[0] == 200 else None
        return (titles is not None and len(titles) == 5 and all(t.startswith(slug) for t in titles) and not any(other in t for t in titles)
                and count == (3 if slug == a else 7))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(probe, range(400)))
    check(all(results), f"400 interleaved requests of two tenants on 8 threads each saw only their own data ({results.count(False)} wrong)")

    receiver = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parents[1] / "peers" / "http_receiver.py"),
                                 "--port", "0", "--record", str(ROOT / "hooks.jsonl")], stdout=subprocess.PIPE, text=True)
    try:
        hook_port = int(receiver.stdout.readline().split()[1])
        channel = call("POST", f"/v1/workspaces/{a}/channels", a_key,
                       {"name": "hook", "kind": "webhook", "url": f"http://127.0.0.1:{hook_port}/hook",
                        "secrets": {"signing_secret": "drill-secret-0123456789"}})
        check(channel[0] == 201, "a webhook channel is saved", channel[2])
        raised_at = time.monotonic()
        call("POST", f"/v1/workspaces/{a}/alerts", a_key, {"title": "through the bouncer", "severity": "high", "source": "drill"})
        delivered = None
        while time.monotonic() < raised_at + 30:
            hooks = ROOT / "hooks.jsonl"
            bodies = [base64.b64decode(json.loads(line)["body_b64"]).decode(errors="replace")
                      for line in (hooks.read_text().splitlines() if hooks.exists() else []) if line.strip()]
            if any("through the bouncer" in body for body in bodies):
                delivered = time.monotonic() - raised_at
                break
            time.sleep(0.1)
        check(delivered is not None, "the worker (pooled through PgBouncer) delivers the webhook",
              call("GET", f"/v1/workspaces/{a}/notifications", a_key)[2])
        check(delivered is not None and delivered < 10, "LISTEN on the direct connection woke the worker (it polls only every 60 s)",
              f"{delivered if delivered is None else round(delivered, 2)} s")
        if delivered is not None:
            print(f"       delivered {delivered:.2f} s after the alert was raised")
    finally:
        receiver.kill()

    report_id, state = retention_report(b, b_key)
    check(state == "completed", "a compliance report is generated by the worker through PgBouncer", state)
    foreign = call("GET", f"/v1/workspaces/{a}/compliance/reports/{report_id}", a_key)
    check(foreign[0] == 404, "another tenant's report id is 404 for tenant A", foreign[0])


if __name__ == "__main__":
    main()
