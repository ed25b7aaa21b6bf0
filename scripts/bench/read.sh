#!/usr/bin/env bash
# Read-path latency and throughput (issue 17): a release `vigil dev` (its own PostgreSQL 15
# cluster, pool of 10) driven with `hey` (Debian package) on loopback.
#
#   1. fixed rate: RATE req/s (default 2,000) for DURATION s (default 15) with 20 connections on
#      /healthz (the ceiling: no authentication, no database), the alerts list (50 alerts
#      stored, ?limit=20) and a stats query over rollups; p50/p99, errors, and p99 as a ratio
#      of /healthz's measured in the same run;
#   2. the stats query at RATE while the workspace ingests that metric INGEST_PER_SECOND
#      times a second (default 1), which invalidates its cached answers;
#   3. saturation: the same three paths unthrottled for DURATION s, req/s and the ratio to
#      /healthz;
#   4. the read cache's hit and miss counters for the whole run.
#
#   scripts/bench/read.sh              # builds release first (about 11 minutes from scratch)
#   RATE=1000 DURATION=10 scripts/bench/read.sh
#   SKIP_BUILD=1 INGEST_PER_SECOND=20 VIGIL_READ_CACHE_MB=0 scripts/bench/read.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-2000} DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-20}
PORT=18485 PG_PORT=25395 DATA=.vigil-bench-read
command -v hey >/dev/null || { echo "hey is required (apt-get install hey)"; exit 1; }

. scripts/bench/release-dev.sh

. scripts/bench/timing-metric.sh

declare -A URL=(
    [healthz]="http://127.0.0.1:$PORT/healthz"
    [alerts]="$BASE/alerts?limit=20"
    [stats]="$BASE/metrics/http.request.duration/stats?window=60"
)
ORDER=(healthz alerts stats)
# hey prints seconds; this turns its summary into "req/s p50_ms p99_ms non2xx".
summarise() {
    awk '
        /Requests\/sec:/ { rps = $2 }
        /  50% in/ { p50 = $3 * 1000 }
        /  99% in/ { p99 = $3 * 1000 }
        /^[ \t]+\[[0-9]+\]/ { code = substr($1, 2, 3); if (code != "200") bad += $2 }
        /Error distribution/ { errors = 1 }
        errors && /^[ \t]+\[[0-9]+\]/ { bad += substr($1, 2) + 0 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}
run() {  # name, extra hey flags
    local name=$1; shift
    hey -z "${DURATION}s" -c "$CONNECTIONS" "$@" -H "$AUTH" "${URL[$name]}" | summarise
}

echo "== fixed rate: $RATE req/s, $CONNECTIONS connections, ${DURATION}s each"
printf '%-8s %9s %9s %9s %7s %14s\n' path req/s p50_ms p99_ms errors p99_vs_healthz
declare -A P99
for name in "${ORDER[@]}"; do
    read -r rps p50 p99 bad < <(run "$name" -q $(( RATE / CONNECTIONS )))
    P99[$name]=$p99
    printf '%-8s %9s %9s %9s %7s %13sx\n' "$name" "$rps" "$p50" "$p99" "$bad" \
        "$(awk -v a="$p99" -v b="${P99[healthz]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
done

# The cache's realistic case: the same stats while the workspace keeps ingesting that metric
# (INGEST_PER_SECOND batches of 100 points a second, default 1: an agent flushing every
# second), so every stored answer is invalidated that often and re-read by the requests in
# flight. The body is built once (its timestamps stay inside the 60-minute window).
INGEST_PER_SECOND=${INGEST_PER_SECOND:-1}
echo "== stats at $RATE req/s while the workspace ingests $INGEST_PER_SECOND batch(es) a second"
INGEST_BODY=$(python3 -c 'import json, time; now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
print(json.dumps({"points": [{"name": "http.request.duration", "kind": "timing", "value": 5 + i % 97, "timestamp": now,
                              "tags": {"endpoint": f"/api/e{i % 20}"}} for i in range(100)]}))')
ingest_continuously() {
    local pause
    pause=$(awk -v r="$INGEST_PER_SECOND" 'BEGIN { printf "%.3f", 1 / r }')
    while :; do
        curl -fs -o /dev/null -X POST "$BASE/metrics" -H "$AUTH" -H 'Content-Type: application/json' -d "$INGEST_BODY" || true
        sleep "$pause"
    done
}
ingest_continuously & INGESTER=$!
read -r rps p50 p99 bad < <(run stats -q $(( RATE / CONNECTIONS )))
kill $INGESTER 2>/dev/null
printf '%-8s %9s %9s %9s %7s %13sx\n' "stats+in" "$rps" "$p50" "$p99" "$bad" \
    "$(awk -v a="$p99" -v b="${P99[healthz]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"

echo "== saturation: unthrottled, $CONNECTIONS connections, ${DURATION}s each"
printf '%-8s %9s %9s %9s %7s %14s\n' path req/s p50_ms p99_ms errors share_of_healthz
declare -A RPS
for name in "${ORDER[@]}"; do
    read -r rps p50 p99 bad < <(run "$name")
    RPS[$name]=$rps
    printf '%-8s %9s %9s %9s %7s %13s%%\n' "$name" "$rps" "$p50" "$p99" "$bad" \
        "$(awk -v a="$rps" -v b="${RPS[healthz]}" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }')"
done
echo "API resident memory: $(( $(ps -o rss= -p "$(pgrep -f "vigil serve|vigil dev" | head -1)") / 1024 )) MiB"
echo "read cache and ingest counters, whole run:"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^vigil_(read_cache_requests|ingest_batches)_total' | sed 's/^/  /'
