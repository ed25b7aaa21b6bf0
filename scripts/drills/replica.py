#!/usr/bin/env python3
"""A streaming read replica behind DATABASE_READ_URL (issue 14, item 3), end to end.

    python3 scripts/drills/replica.py [--vigil .build/debug/vigil]

Builds the topology on this machine: a PostgreSQL 15 primary of its own (port 25400), migrated
by the migrator (the cluster's superuser), the API and worker logins made with
`vigil db create-login`, a hot standby made with `pg_basebackup -R` (port 25401, streaming,
`log_statement = all` so the drill can see which statements reach it), then `vigil serve` and
`vigil worker` with DATABASE_URL on the primary and DATABASE_READ_URL on the standby
(VIGIL_READ_MAX_LAG_SECONDS=8).

Checks what docs/operations.md ("Read replica") promises:
- heavy reads (stats, export, report generation) run on the standby, as the same logins, and
  each workspace sees only its own data there (concurrently, on 8 threads);
- with replay paused, a key revoked on the primary is refused (401) at once although the
  standby still holds it; reads are stale while the lag is within the bound, then go to the
  primary (fresh data, `/readyz` ready with `read_replica: lagging`, the fallback counted);
- replay resumed: reads return to the standby;
- standby stopped: reads answer 200 from the primary, `/readyz` stays ready (`unreachable`).

HTTP 18196, primary 25400, standby 25401 (fixed: other drills use other ports). Prints one
line per check; exit 1 on any failure. Everything it starts is stopped, on failure too.
"""
import base64
import os
import re
import shlex
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

HTTP_PORT = 18196
PRIMARY_PORT = 25400
STANDBY_PORT = 25401
MAX_LAG = 8
pg_restart.BASE = f"http://127.0.0.1:{HTTP_PORT}"
ROOT = Path("/tmp/vigil-drill-replica")


def sql(port, statement):
    """One statement as the superuser on the primary or the standby; its text output."""
    return run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "vigil",
                "-Atc", statement]).stdout.strip()


def pg_ctl(data, *args):
    return run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), *args]))


def start_primary():
    shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(mode=0o755)
    if os.geteuid() == 0:
        shutil.chown(ROOT, "postgres", "postgres")
    data = ROOT / "primary"
    # initdb's pg_hba.conf (trust) already admits replication connections from 127.0.0.1.
    run(as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]))
    pg_ctl(data, "-w", "-l", str(ROOT / "primary.log"), "-o", f"-p {PRIMARY_PORT} -h 127.0.0.1 -k {ROOT}", "start")
    run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "vigil"])


def start_standby():
    """`pg_basebackup -R` (standby.signal and primary_conninfo written for us), then a hot
    standby that logs every statement, with the user and database of each."""
    run(as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
                     "-D", str(ROOT / "standby"), "-R", "-X", "stream", "-c", "fast"]))
    options = (f"-p {STANDBY_PORT} -h 127.0.0.1 -k {ROOT} -c hot_standby=on -c log_statement=all "
               f"-c log_line_prefix='%m [%p] %u@%d '")
    pg_ctl(ROOT / "standby", "-w", "-l", str(ROOT / "standby.log"), "-o", options, "start")


def stop_everything(processes):
    stop_processes(processes)
    for data in ("standby", "primary"):
        if (ROOT / data / "postmaster.pid").exists():
            subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(ROOT / data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=60)


def main():
    vigil = vigil_binary()
    processes = []
    try:
        start_primary()
        primary = f"host=127.0.0.1 port={PRIMARY_PORT} dbname=vigil"
        standby = f"host=127.0.0.1 port={STANDBY_PORT} dbname=vigil"
        migrate_with_logins(vigil, primary)
        start_standby()
        in_recovery = sql(STANDBY_PORT, "SELECT pg_is_in_recovery()")
        streaming = sql(PRIMARY_PORT, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        check(in_recovery == "t" and streaming == "1",
              "primary migrated, two runtime logins, and a hot standby from pg_basebackup -R streaming from it",
              f"in recovery {in_recovery}, streaming {streaming}")
        token = "drill-" + os.urandom(24).hex()
        api_env = {**os.environ, "DATABASE_URL": f"{primary} user=vigil_api", "DATABASE_READ_URL": f"{standby} user=vigil_api",
                   "VIGIL_READ_MAX_LAG_SECONDS": str(MAX_LAG), "VIGIL_ADMIN_TOKEN": token, "VIGIL_HTTP_PORT": str(HTTP_PORT),
                   "VIGIL_LOG_FORMAT": "text", "VIGIL_SECRETS_KEY": base64.b64encode(os.urandom(32)).decode()}
        worker_env = {**api_env, "DATABASE_URL": f"{primary} user=vigil_wk", "DATABASE_READ_URL": f"{standby} user=vigil_wk",
                      "VIGIL_WORKER_METRICS_PORT": "0", "VIGIL_WORKER_POLL_MS": "500"}
        processes.append(subprocess.Popen([vigil, "serve"], env=api_env, stdout=open(ROOT / "serve.log", "w"), stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen([vigil, "worker"], env=worker_env, stdout=open(ROOT / "worker.log", "w"), stderr=subprocess.STDOUT))
        scenarios(token)
    except subprocess.CalledProcessError as error:
        check(False, f"command failed: {shlex.join(map(str, error.cmd))}", (error.stderr or "")[-2000:])
    finally:
        stop_everything(processes)
        for log in ("serve.log", "worker.log", "primary.log", "standby.log"):  # kept for a failed run
            if (ROOT / log).exists():
                shutil.copy(ROOT / log, f"/tmp/vigil-drill-replica-{log}")
        shutil.rmtree(ROOT, ignore_errors=True)
    print("drill: " + ("every check passed" if not failures else f"{len(failures)} check(s) failed"))
    sys.exit(1 if failures else 0)


# --- what the standby and the API report -------------------------------------------------

def standby_lines(user, needle):
    """Statements the standby logged for `user` that mention `needle`."""
    text = (ROOT / "standby.log").read_text(errors="replace") if (ROOT / "standby.log").exists() else ""
    return sum(1 for line in text.splitlines() if f" {user}@vigil " in line and needle in line)


def metric(name, labels=""):
    text = call("GET", "/metrics")[2]
    found = re.search(rf"^{re.escape(name + labels)} ([0-9.e+-]+)$", text if isinstance(text, str) else "", re.M)
    return float(found.group(1)) if found else 0.0


def replica_check():
    return call("GET", "/readyz")[2].get("checks", {}).get("read_replica")


def wait_caught_up():
    """Until the standby has replayed everything the primary wrote so far."""
    target = sql(PRIMARY_PORT, "SELECT pg_current_wal_lsn()")
    for _ in range(100):
        if sql(STANDBY_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t":
            return True
        time.sleep(0.1)
    return False


def stats(slug, key, name="drill.r", window=10):
    reply = call("GET", f"/v1/workspaces/{slug}/metrics/{name}/stats?window={window}", key)
    return reply[0], (reply[2].get("count") if isinstance(reply[2], dict) else None)


def ingest(slug, key, count, name="drill.r"):
    reply = call("POST", f"/v1/workspaces/{slug}/metrics", key, {"points": [{"name": name, "kind": "counter", "value": 1}] * count})
    return reply[0] == 200


# --- the scenarios ------------------------------------------------------------------------

def scenarios(token):
    ready = wait_ready()
    check(ready[0] == 200 and ready[2].get("checks", {}).get("read_replica") == "ok",
          "the API is ready and reports the replica (checks.read_replica = ok)", ready[2])

    a_key, a = workspace(token, "Tenant A")
    b_key, b = workspace(token, "Tenant B")
    check(ingest(a, a_key, 3) and ingest(b, b_key, 7) and ingest(a, a_key, 2, name="drill.only_a"),
          "metrics ingested through the API (written to the primary)")
    wait_caught_up()
    reads_before, logged_before = metric("vigil_db_replica_reads_total"), standby_lines("vigil_api", "metric_rollups")
    # Ten different windows, so none is answered from the API's read cache: each request reads
    # the workspace's metrics version and then the rollups, both on the standby.
    answers = [stats(a, a_key, window=10 + i) for i in range(10)]
    reads_after, logged_after = metric("vigil_db_replica_reads_total"), standby_lines("vigil_api", "metric_rollups")
    check(all(answer == (200, 3) for answer in answers), "stats read through the replica show the ingested points (count 3)", answers)
    check(reads_after - reads_before == 20 and logged_after - logged_before >= 10,
          "the reads ran on the standby: vigil_db_replica_reads_total +20 (version and rollups), and the standby logged them as vigil_api",
          f"counter +{reads_after - reads_before:.0f}, standby log +{logged_after - logged_before}")
    export = call("GET", f"/v1/workspaces/{a}/metrics/export", a_key)
    check(export[0] == 200 and "drill_r" in export[2], "the Prometheus export of a workspace is served through the replica", export[0])

    # Tenancy on the replica: the same role and workspace setting per transaction, row-level security.
    def probe(turn):
        key, slug, mine = (a_key, a, 3) if turn % 2 == 0 else (b_key, b, 7)
        own = stats(slug, key)
        theirs = stats(slug, key, name="drill.only_a")  # A's metric, asked for in B's workspace
        return own == (200, mine) and (slug == a or theirs[0] == 404)
    before = metric("vigil_db_replica_reads_total")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(probe, range(200)))
    served = metric("vigil_db_replica_reads_total") - before
    check(all(results) and served >= 390,
          "tenancy on the replica: 200 interleaved requests of two tenants on 8 threads each saw only their own data",
          f"{results.count(False)} wrong, {served:.0f} reads on the replica")
    foreign = call("GET", f"/v1/workspaces/{a}/metrics/drill.r/stats?window=10", b_key)
    check(foreign[0] == 404, "B's key on A's workspace is 404 (as on the primary)", foreign[0])

    # Replay paused: revocation is immediate, staleness is bounded.
    viewer = call("POST", f"/v1/workspaces/{a}/api-keys", a_key, {"name": "to revoke", "role": "viewer"})[2]
    check(stats(a, viewer["key"]) == (200, 3), "a viewer key reads the stats (and is now cached by the API)")
    wait_caught_up()
    sql(STANDBY_PORT, "SELECT pg_wal_replay_pause()")
    paused_at = time.monotonic()
    ingest(a, a_key, 4)  # the primary now has 7
    revoked = call("DELETE", f"/v1/workspaces/{a}/api-keys/{viewer['id']}", a_key)
    still_there = sql(STANDBY_PORT, f"SELECT revoked_at IS NULL FROM api_keys WHERE id = '{viewer['id']}'")
    refused = [call("GET", f"/v1/workspaces/{a}/{path}", viewer["key"])[0]
               for path in ("metrics/drill.r/stats?window=10", "metrics/drill.r/series?window=10", "metrics/export")]
    check(revoked[0] == 204 and still_there == "t" and refused == [401, 401, 401],
          "replay paused: a key revoked on the primary is refused (401) at once, though the standby still holds it unrevoked",
          f"revoke {revoked[0]}, unrevoked on standby {still_there}, answers {refused}")
    stale = stats(a, a_key)
    stale_age = time.monotonic() - paused_at
    check(stale == (200, 3), f"within the lag bound ({MAX_LAG} s) a read may be stale: stats still say 3 just after 4 more were written",
          stale)
    print(f"       stale answer {stale_age:.1f} s after replay was paused")
    fresh_at, fallbacks_before = None, metric("vigil_db_replica_fallbacks_total", '{reason="lagging"}')
    while time.monotonic() - paused_at < MAX_LAG + 10:
        if stats(a, a_key) == (200, 7):
            fresh_at = time.monotonic() - paused_at
            break
        time.sleep(0.25)
    check(fresh_at is not None and fresh_at <= MAX_LAG + 3,
          f"past the bound the reads go to the primary and show the write (count 7) within {MAX_LAG} s + the 1 s check interval",
          fresh_at)
    if fresh_at is not None:
        print(f"       fresh answer (from the primary) {fresh_at:.1f} s after replay was paused")
    check(replica_check() == "lagging" and call("GET", "/readyz")[0] == 200,
          "/readyz stays 200 and says read_replica = lagging")
    check(metric("vigil_db_replica_fallbacks_total", '{reason="lagging"}') > fallbacks_before,
          "the fallback is counted (vigil_db_replica_fallbacks_total{reason=\"lagging\"}) and logged",
          "log line found" if "read replica lagging" in (ROOT / "serve.log").read_text(errors="replace") else "no log line")

    # Replay resumed: back to the replica.
    sql(STANDBY_PORT, "SELECT pg_wal_replay_resume()")
    wait_caught_up()
    back = None
    for _ in range(40):
        before = metric("vigil_db_replica_reads_total")
        answer = stats(a, a_key)
        if answer == (200, 7) and metric("vigil_db_replica_reads_total") > before:
            back = answer
            break
        time.sleep(0.25)
    check(back is not None and replica_check() == "ok", "replay resumed: the reads return to the replica (count 7 there)", back)

    # Report generation reads (the worker) go to the replica too.
    worker_reads_before = standby_lines("vigil_wk", "AS oldest")
    report_id, state = retention_report(a, a_key)
    check(state == "completed" and standby_lines("vigil_wk", "AS oldest") > worker_reads_before,
          "a retention report is generated by the worker, its reads on the standby (as vigil_wk)", state)

    # The standby stopped: the primary answers, nothing turns into an error.
    pg_ctl(ROOT / "standby", "-m", "fast", "-w", "stop")
    answers = [stats(a, a_key) for _ in range(5)]
    check(all(answer == (200, 7) for answer in answers), "standby stopped: stats still answer 200 (from the primary)", answers)
    ready = call("GET", "/readyz")
    check(ready[0] == 200 and ready[2].get("checks", {}).get("read_replica") == "unreachable",
          "/readyz stays 200 with read_replica = unreachable", ready[2])
    lost = metric("vigil_db_replica_fallbacks_total", '{reason="unreachable"}') + metric("vigil_db_replica_fallbacks_total", '{reason="failed"}')
    check(lost >= 5, "the fallbacks are counted (unreachable / failed)", lost)
    other = call("GET", f"/v1/workspaces/{b}/metrics/drill.r/stats?window=10", b_key)
    check(other[0] == 200 and other[2].get("count") == 7, "tenant B still reads its own data (7) from the primary", other[2])


if __name__ == "__main__":
    main()
