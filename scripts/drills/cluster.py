"""What the drills that run their own PostgreSQL share: the server binaries, running a command
as the postgres OS user (initdb, pg_ctl, pg_basebackup and PgBouncer refuse root), and the
operator's first steps on a new database (migrate as the migrator, then the two runtime
logins with `vigil db create-login`)."""
import argparse
import os
import shlex
import signal
import subprocess
from pathlib import Path

PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"))
API_LOGIN, WORKER_LOGIN = "vigil_api", "vigil_wk"


def as_postgres(command):
    """The command, run as the postgres OS user when this drill runs as root."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", shlex.join(command)]
    return command


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


def migrate_with_logins(vigil, conninfo):
    """Migrates the database at `conninfo` as the superuser and creates the API and worker logins."""
    migrator = {**os.environ, "DATABASE_URL": f"{conninfo} user=postgres"}
    run([vigil, "migrate", "--log-level", "error"], env=migrator)
    run([vigil, "db", "create-login", API_LOGIN, "--for", "api", "--log-level", "error"], env=migrator)
    run([vigil, "db", "create-login", WORKER_LOGIN, "--for", "worker", "--log-level", "error"], env=migrator)


def vigil_binary():
    """The `vigil` executable the drill runs (`--vigil`, else $VIGIL, else the debug build)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", default=os.environ.get("VIGIL", ".build/debug/vigil"))
    return str(Path(parser.parse_args().vigil).resolve())


def stop_processes(processes):
    """SIGTERM to each process still running, SIGKILL to one that has not exited 20 s later."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
