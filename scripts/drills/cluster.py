"""What the drills that run their own PostgreSQL share: the server binaries, running a command
as the postgres OS user (initdb, pg_ctl, pg_basebackup and PgBouncer refuse root), and the
operator's first steps on a new database (migrate as the migrator, then the two runtime
logins with `vigil db create-login`)."""
import os
import shlex
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
