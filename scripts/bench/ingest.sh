#!/usr/bin/env bash
# Ingest benchmark (issue 7, "Speed"): in ONE run on this machine, against ONE throwaway
# PostgreSQL 15 cluster with default (durable: fsync on, synchronous_commit on) settings:
#   1. raw single-stream psql `\copy` of metric-shaped rows  (../shared/bench/copy_baseline.sh)
#   2. the Django peer (../shared/peers/django, COPY path; optionally bulk_create path)
#   3. Vigil's POST /v1/workspaces/{ws}/metrics
# 2 and 3 are driven by ../shared/bench/ingest_load.py (batch 500, 8 connections). Prints
# points/s for each, the ratios against the goals, and Vigil's API max RSS during its run.
# With --stats it also backfills 10 M points over the last 24 h into one Vigil workspace and
# compares GET …/metrics/http.request.duration/stats?window=1440 with percentile_cont in SQL.
#
# Usage: scripts/bench/ingest.sh [--duration S] [--copy-rows N] [--no-bulk-create]
#            [--skip-django] [--skip-vigil] [--keep-logs]
#            [--stats] [--stats-points N] [--stats-requests N] [--stats-max-seconds S]
#   VIGIL_BIN=path/to/vigil      (default <repo>/.build/release/vigil; built when missing)
#   SHARED_DIR=path/to/shared    (default <repo>/../shared)
# Each server and the load generator share this machine's cores (as in the reference runs).
set -euo pipefail

usage() { sed -n '/^# Usage:/,/^#   SHARED_DIR/ s/^# \{0,1\}//p' "$0"; }

# ------------------------------------------------------------------ options and paths
DURATION=20            # seconds of load per HTTP contender
COPY_ROWS=1000000      # rows for copy_baseline.sh (~8 s at ~120 k rows/s)
BATCH=500 CONCURRENCY=8
BULK_CREATE=1 DJANGO=1 VIGIL=1 STATS=0 KEEP_LOGS=0
STATS_POINTS=10000000 STATS_REQUESTS=50 STATS_MAX_SECONDS=1500
VIGIL_POOL_SIZE=${VIGIL_DB_POOL_SIZE:-16}
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION=${2:?}; shift 2 ;;
        --copy-rows) COPY_ROWS=${2:?}; shift 2 ;;
        --no-bulk-create) BULK_CREATE=0; shift ;;
        --skip-django) DJANGO=0; shift ;;
        --skip-vigil) VIGIL=0; shift ;;
        --stats) STATS=1; shift ;;
        --stats-points) STATS_POINTS=${2:?}; shift 2 ;;
        --stats-requests) STATS_REQUESTS=${2:?}; shift 2 ;;
        --stats-max-seconds) STATS_MAX_SECONDS=${2:?}; shift 2 ;;
        --keep-logs) KEEP_LOGS=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for v in DURATION COPY_ROWS STATS_POINTS STATS_REQUESTS STATS_MAX_SECONDS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "$v must be a positive integer" >&2; exit 2; }
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="$(cd "${SHARED_DIR:-$REPO/../shared}" && pwd)"
BENCH="$SHARED/bench"
PEER="$SHARED/peers/django"
LIB="$HERE/ingest/benchlib.py"
VIGIL_BIN="${VIGIL_BIN:-$REPO/.build/release/vigil}"
cd /tmp   # any cwd works; the postgres user must be able to stat it

lib() { python3 "$LIB" "$@"; }
log() { printf '\n== %s\n' "$*"; }
for cmd in python3 psql runuser awk; do
    command -v "$cmd" >/dev/null || { echo "missing command: $cmd" >&2; exit 1; }
done

# PostgreSQL 15 server binaries (Debian layout first, then PATH).
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || PGBIN="$(dirname "$(command -v initdb || echo /nonexistent/initdb)")"
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1; }

# ------------------------------------------------------------------ cleanup
WORK="$(mktemp -d /tmp/vigil-ingest-bench.XXXXXX)"   # logs and scratch files
PGDATA=""
BG_PIDS=()   # background servers/samplers we started (each in its own session)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_pid() { # pid [signal]: stop one of our background process groups, escalate after 15 s
    local pid=$1 sig=${2:-TERM}
    kill -0 "$pid" 2>/dev/null || return 0
    kill -"$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local keep=() p
    for p in "${BG_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    BG_PIDS=("${keep[@]}")
}

cleanup() {
    local rc=$?
    set +e
    for pid in "${BG_PIDS[@]}"; do stop_pid "$pid"; done
    if [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1
    fi
    [ -n "$PGDATA" ] && rm -rf "$PGDATA"
    if [ "$KEEP_LOGS" = 1 ] || [ "$rc" != 0 ]; then
        echo "logs kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_bg() { # logfile cmd...: start cmd in its own session; sets BG_PID
    local logf=$1; shift
    setsid "$@" >"$logf" 2>&1 </dev/null &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# Percent / ratio helpers that tolerate empty or zero values.
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.1f", 100 * a / b; else printf "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else printf "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a == "") printf "n/a"; else printf "%.0f", a }'; }

# A busy machine (e.g. a compiler running) skews every figure: say so up front.
read -r LOAD1 _ < /proc/loadavg
if awk -v l="$LOAD1" 'BEGIN { exit !(l > 0.5) }'; then
    echo "WARNING: 1-min load average is $LOAD1 before the run; figures will be low. Busiest processes:"
    ps -eo pid,pcpu,comm --sort=-pcpu | sed -n '2,4p'
fi

# ------------------------------------------------------------------ PostgreSQL
log "PostgreSQL: throwaway cluster ($("$PGBIN/postgres" --version))"
PGDATA="$(mktemp -d /tmp/vigil-ingest-bench-pg.XXXXXX)"
[ "$(id -u)" = 0 ] && chown postgres: "$PGDATA"
PG_PORT="$(lib free-port)"
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
# Defaults otherwise (fsync, synchronous_commit, full_page_writes, shared_buffers=128MB).
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -w -t 60 -l "$PGDATA/server.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA" \
    start >/dev/null
PG_PID="$(head -1 "$PGDATA/postmaster.pid")"
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT"
psql "$PG_URL/postgres" -qAt -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' ||
    current_setting('synchronous_commit') || ' shared_buffers=' || current_setting('shared_buffers')"
for db in bench_copy bench_django bench_django_bulk bench_vigil; do
    psql "$PG_URL/postgres" -q -c "CREATE DATABASE $db"
done

# Flush dirty buffers before each contender so none of them pays for another's checkpoint.
checkpoint() { psql "$PG_URL/postgres" -q -c CHECKPOINT; }
# Run the shared load tool against base URL $1 with workspace $2 and key $3; prints its JSON.
run_load() {
    checkpoint
    python3 "$BENCH/ingest_load.py" --url "$1" --workspace "$2" --key "$3" \
        --batch "$BATCH" --concurrency "$CONCURRENCY" --duration "$DURATION" 2>>"$WORK/load.log"
}
# Start the resource sampler for API pid $1; sets SAMPLER_PID / SAMPLER_OUT.
start_sampler() {
    SAMPLER_OUT="$WORK/sample-$1.json"
    start_bg "$WORK/sampler.log" python3 "$LIB" sample --out "$SAMPLER_OUT" --api-pid "$1" --pg-pid "$PG_PID"
    SAMPLER_PID=$BG_PID
}
stop_sampler() { stop_pid "$SAMPLER_PID"; SAMPLE="$(cat "$SAMPLER_OUT" 2>/dev/null || echo '{}')"; }

# ------------------------------------------------------------------ 1. raw \copy
log "1. raw \\copy baseline: $COPY_ROWS rows, one stream (copy_baseline.sh)"
checkpoint
COPY_JSON="$(DATABASE_URL="$PG_URL/bench_copy" bash "$BENCH/copy_baseline.sh" "$COPY_ROWS" 2>"$WORK/copy.err")" \
    || { cat "$WORK/copy.err" >&2; exit 1; }
cat "$WORK/copy.err"
COPY_RPS="$(lib json-field copy_rows_per_s <<<"$COPY_JSON")"
echo "copy: $(fmt "$COPY_RPS") rows/s"

# ------------------------------------------------------------------ 2. Django peer
DJANGO_PPS="" DJANGO_ERR="" DJANGO_BULK_PPS="" DJANGO_BULK_ERR="" PEER_RESULT="" SAMPLE=""
peer_run() { # db insert_path -> sets PEER_RESULT="points_per_s errors"
    local db=$1 mode=$2 port seed ws key out res pid
    port="$(lib free-port)"
    seed="$(DATABASE_URL="$PG_URL/$db" bash "$BENCH/seed_key.sh" admin)"   # peer's own key table
    ws="$(sed -n 's/.*WORKSPACE=\([^ ]*\).*/\1/p' <<<"$seed")"
    key="$(sed -n 's/.*KEY=\([^ ]*\).*/\1/p' <<<"$seed")"
    # run.sh (re)creates its venv when needed, applies schema.sql, then execs gunicorn.
    start_bg "$WORK/django-$mode.log" env DATABASE_URL="$PG_URL/$db" PEER_INSERT_PATH="$mode" \
        bash "$PEER/run.sh" "$port"
    pid=$BG_PID
    lib wait-http "http://127.0.0.1:$port/healthz" --pid "$pid" --timeout 600 \
        || { tail -20 "$WORK/django-$mode.log" >&2; exit 1; }
    echo "peer ($mode) up on :$port with $(pgrep -c -P "$pid") gunicorn workers"
    echo "probe (2 points): $(lib probe --url "http://127.0.0.1:$port" --workspace "$ws" --key "$key")"
    start_sampler "$pid"
    out="$(run_load "http://127.0.0.1:$port" "$ws" "$key")"
    stop_sampler; res=$SAMPLE
    stop_pid "$pid"
    echo "load: $out"
    echo "resources: $res (api = gunicorn master + workers)"
    echo "rows in peer_metric_points: $(psql "$PG_URL/$db" -qAt -c 'SELECT count(*) FROM peer_metric_points')"
    PEER_RESULT="$(lib json-field points_per_s errors <<<"$out")"
}
if [ "$DJANGO" = 1 ]; then
    python3 -c 'import ensurepip' 2>/dev/null || [ -x /tmp/peer-django-venv/bin/python ] || {
        echo "python3 lacks venv/ensurepip; installing python3-venv" >&2
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; }
    log "2. Django peer, COPY path: ingest_load.py batch $BATCH x $CONCURRENCY connections, ${DURATION}s"
    peer_run bench_django copy
    read -r DJANGO_PPS DJANGO_ERR <<<"$PEER_RESULT"
    if [ "$BULK_CREATE" = 1 ]; then
        log "2b. Django peer, PEER_INSERT_PATH=bulk_create (fresh database)"
        peer_run bench_django_bulk bulk_create
        read -r DJANGO_BULK_PPS DJANGO_BULK_ERR <<<"$PEER_RESULT"
    fi
fi

# ------------------------------------------------------------------ 3. Vigil
VIGIL_PPS="" VIGIL_ERR="" VIGIL_REQ="" VIGIL_RSS="" VIGIL_PROBE="" VIGIL_PID="" VIGIL_PORT=""
VIGIL_ADMIN_KEY=""
vigil() { DATABASE_URL="$PG_URL/bench_vigil" VIGIL_LOG_LEVEL=warning "$VIGIL_BIN" "$@"; }
if [ "$VIGIL" = 1 ]; then
    if [ ! -x "$VIGIL_BIN" ]; then
        log "building $VIGIL_BIN (swift build -c release --product vigil)"
        (cd "$REPO" && swift build -c release --product vigil)
        VIGIL_BIN="$(cd "$REPO" && swift build -c release --show-bin-path)/vigil"
    fi
    log "3. Vigil ($VIGIL_BIN): ingest_load.py batch $BATCH x $CONCURRENCY connections, ${DURATION}s"
    vigil migrate >"$WORK/vigil-migrate.log" 2>&1 || { cat "$WORK/vigil-migrate.log" >&2; exit 1; }
    # The API runs as its own least-privilege login (issue 14): /readyz refuses a login that
    # could bypass row-level security, such as the cluster's superuser.
    vigil db create-login vigil_bench_api --for api >>"$WORK/vigil-migrate.log" 2>&1 || { cat "$WORK/vigil-migrate.log" >&2; exit 1; }
    WS_JSON="$(vigil workspace create --name bench 2>>"$WORK/vigil-cli.log")"
    read -r VIGIL_WS VIGIL_WS_ID VIGIL_KEY <<<"$(lib json-field workspace.slug workspace.id api_key.key <<<"$WS_JSON")"
    [ -n "$VIGIL_KEY" ] || { echo "could not read workspace/key from: $WS_JSON" >&2; exit 1; }
    VIGIL_PORT="$(lib free-port)"
    start_bg "$WORK/vigil-serve.log" env DATABASE_URL="postgresql://vigil_bench_api@127.0.0.1:$PG_PORT/bench_vigil" VIGIL_HTTP_HOST=127.0.0.1 \
        VIGIL_HTTP_PORT="$VIGIL_PORT" VIGIL_LOG_LEVEL=warning VIGIL_DB_POOL_SIZE="$VIGIL_POOL_SIZE" \
        VIGIL_MAX_BODY_BYTES=$((16 * 1024 * 1024)) "$VIGIL_BIN" serve
    VIGIL_PID=$BG_PID
    lib wait-http "http://127.0.0.1:$VIGIL_PORT/readyz" --pid "$VIGIL_PID" --timeout 60 \
        || { tail -20 "$WORK/vigil-serve.log" >&2; exit 1; }
    echo "vigil serve up on :$VIGIL_PORT (pool $VIGIL_POOL_SIZE), workspace $VIGIL_WS ($VIGIL_WS_ID), idle RSS $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$VIGIL_PID/status")"
    VIGIL_PROBE="$(lib probe --url "http://127.0.0.1:$VIGIL_PORT" --workspace "$VIGIL_WS" --key "$VIGIL_KEY")"
    echo "probe (2 points): $VIGIL_PROBE"
    start_sampler "$VIGIL_PID"
    out="$(run_load "http://127.0.0.1:$VIGIL_PORT" "$VIGIL_WS" "$VIGIL_KEY")"
    stop_sampler; res=$SAMPLE
    echo "load: $out"
    echo "resources: $res"
    read -r VIGIL_PPS VIGIL_ERR VIGIL_REQ <<<"$(lib json-field points_per_s errors requests <<<"$out")"
    VIGIL_RSS="$(lib json-field max_rss_mb <<<"$res")"
    kill -0 "$VIGIL_PID" 2>/dev/null || { echo "vigil serve died during the run:" >&2; tail -20 "$WORK/vigil-serve.log" >&2; }
    if [ "${VIGIL_ERR:-0}" != 0 ]; then
        echo "WARNING: $VIGIL_ERR of $VIGIL_REQ Vigil requests were non-2xx or failed (probe said: $VIGIL_PROBE)"
    fi
    psql "$PG_URL/bench_vigil" -qAt -c "SELECT 'rows in metric_points: ' || count(*) FROM metric_points" 2>/dev/null \
        || echo "(no metric_points table in Vigil's schema yet)"
fi

# ------------------------------------------------------------------ 4. stats (optional)
STATS_API_P95="" STATS_SQL_MS="" STATS_IN_WINDOW=""
if [ "$STATS" = 1 ] && [ -n "$VIGIL_PID" ]; then
    log "4. stats: backfill $STATS_POINTS points over the last 24 h into one workspace, then time stats?window=1440"
    SWS_JSON="$(vigil workspace create --name bench-stats 2>>"$WORK/vigil-cli.log")"
    read -r SWS SWS_ID SKEY <<<"$(lib json-field workspace.slug workspace.id api_key.key <<<"$SWS_JSON")"
    load_out="$(lib stats-load --url "http://127.0.0.1:$VIGIL_PORT" --workspace "$SWS" --key "$SKEY" \
        --ingest-load "$BENCH/ingest_load.py" --points "$STATS_POINTS" --max-seconds "$STATS_MAX_SECONDS" --progress)"
    echo "backfill: $load_out"
    read -r ok_points <<<"$(lib json-field points_ok <<<"$load_out")"
    if [ "${ok_points:-0}" -gt 0 ]; then
        # What the worker's rollups.compact job does every minute; no worker runs here.
        compact_start=$SECONDS
        echo "rollups compact: $(vigil rollups compact 2>>"$WORK/vigil-cli.log" | tr -d ' \n') in $((SECONDS - compact_start)) s"
        psql "$PG_URL/bench_vigil" -q -c "VACUUM ANALYZE" 2>/dev/null || true
        STATS_URL="http://127.0.0.1:$VIGIL_PORT/v1/workspaces/$SWS/metrics/http.request.duration/stats?window=1440"
        lat="$(lib latency --url "$STATS_URL" --key "$SKEY" --requests "$STATS_REQUESTS")"
        echo "API stats latency ($STATS_REQUESTS sequential GETs): $lat"
        STATS_API_P95="$(lib json-field p95_ms <<<"$lat")"
        # Exact percentile over the raw rows, same workspace/name/window, timed by psql (\timing).
        SQL="SELECT count(*), percentile_cont(0.95) WITHIN GROUP (ORDER BY p.value)
             FROM metric_points p JOIN metric_series s
               ON s.workspace_id = p.workspace_id AND s.series_id = p.series_id
             WHERE p.workspace_id = '$SWS_ID' AND s.name = 'http.request.duration'
               AND p.ts >= now() - interval '24 hours'"
        if sql_out="$( { echo '\timing on'; for _ in 1 2 3 4 5; do echo "${SQL//$'\n'/ };"; done; } \
                | psql "$PG_URL/bench_vigil" -qAt -v ON_ERROR_STOP=1 2>&1)"; then
            echo "$sql_out" | sed 's/^/  psql: /'
            STATS_IN_WINDOW="$(grep -m1 '|' <<<"$sql_out" | cut -d'|' -f1)"
            STATS_SQL_MS="$(grep -o 'Time: [0-9.]*' <<<"$sql_out" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
        else
            echo "percentile_cont query failed (schema not there yet?): $sql_out"
        fi
    else
        echo "backfill stored no points; skipping the stats timing"
    fi
fi

# ------------------------------------------------------------------ summary
log "summary after $((SECONDS / 60)) min $((SECONDS % 60)) s (PostgreSQL 15, default durable settings, $(nproc) cores, load ${DURATION}s per contender, batch $BATCH x $CONCURRENCY)"
echo "copy baseline:        $(fmt "$COPY_RPS") rows/s"
if [ "$DJANGO" = 1 ]; then
    echo "django peer (copy):   $(fmt "$DJANGO_PPS") points/s ($(pct "$DJANGO_PPS" "$COPY_RPS") % of COPY; errors ${DJANGO_ERR:-?})"
    if [ "$BULK_CREATE" = 1 ]; then
        echo "django peer (bulk_create): $(fmt "$DJANGO_BULK_PPS") points/s (errors ${DJANGO_BULK_ERR:-?})"
    fi
fi
if [ "$VIGIL" = 1 ]; then
    # Any non-2xx/failed request makes the Vigil figures meaningless: say so on each line.
    bad=""
    [ "${VIGIL_ERR:-0}" = 0 ] || bad=" [INVALID: $VIGIL_ERR of $VIGIL_REQ requests non-2xx/failed]"
    echo "vigil:                $(fmt "$VIGIL_PPS") points/s ($(pct "$VIGIL_PPS" "$COPY_RPS") % of COPY; goal >= 60 %)$bad"
    [ "$DJANGO" = 1 ] && echo "vigil/django (copy):  $(ratio "$VIGIL_PPS" "$DJANGO_PPS")x (goal >= 2.5x)$bad"
    echo "vigil API max RSS:    ${VIGIL_RSS:-n/a} MB (goal <= 150)"
    [ -z "$bad" ] || echo "vigil probe said:     ${VIGIL_PROBE:0:160}"
fi
if [ "$STATS" = 1 ]; then
    echo "stats window=1440:    API p95 ${STATS_API_P95:-n/a} ms (goal <= 50); percentile_cont median ${STATS_SQL_MS:-n/a} ms over ${STATS_IN_WINDOW:-?} points; speed-up $(ratio "$STATS_SQL_MS" "$STATS_API_P95")x (goal >= 50x)"
fi
