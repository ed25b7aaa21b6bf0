#!/usr/bin/env bash
# Security intelligence (issue 16) on a release `vigil dev` (its own PostgreSQL 15 cluster),
# driven with `hey` (Debian package) on loopback:
#
#   1. the blocklist an edge polls: BLOCKS (700) blocks in force, `If-None-Match` with the
#      current ETag (every answer a 304) at a fixed RATE req/s, p50/p99 and p99 as a multiple
#      of /healthz's at the same rate in the same run;
#   2. ingest: batches of 500 security events (500 distinct source addresses, scored in the
#      same transaction) against batches of 500 metric points, same connections, same
#      duration, same run: events/s as a ratio of points/s. Every batch carries the same 500
#      addresses, so concurrent batches queue on those addresses' row locks: the worst case.
#
#   scripts/bench/security.sh              # builds release first (about 11 minutes from scratch)
#   RATE=1000 DURATION=10 scripts/bench/security.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-1000} DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-8} BLOCKS=${BLOCKS:-700}
PORT=18487 PG_PORT=25397 DATA=.vigil-bench-security
command -v hey >/dev/null || { echo "hey is required (apt-get install hey)"; exit 1; }
export VIGIL_INGEST_POINTS_PER_MINUTE=1000000000
BODIES=$(mktemp -d)
EXTRA_CLEANUP=$BODIES

. scripts/bench/release-dev.sh

python3 - "$BODIES" <<'PY'
import json, sys
out = sys.argv[1]
points = [{"name": "bench.requests", "kind": "counter", "value": 1, "tags": {"endpoint": f"/api/e{i % 20}", "host": f"h{i % 5}"}}
          for i in range(500)]
kinds = ["sql_injection", "graphql_rejection", "auth_failure", "rate_limit", "csrf_violation"]
events = [{"kind": kinds[i % 5], "sub_kind": "union" if i % 5 == 0 else None, "source_ip": f"198.18.{i // 250}.{i % 250 + 1}",
           "endpoint": f"/api/e{i % 20}", "user_agent": "bench/1.0", "user_ref": f"u-{i % 50}"} for i in range(500)]
events = [{k: v for k, v in e.items() if v is not None} for e in events]
json.dump({"points": points}, open(f"{out}/points.json", "w"))
json.dump({"events": events}, open(f"{out}/events.json", "w"))
PY

summarise() {  # hey's summary -> "req/s p50_ms p99_ms non_expected"
    awk -v want="$1" '
        /Requests\/sec:/ { rps = $2 }
        /  50% in/ { p50 = $3 * 1000 }
        /  99% in/ { p99 = $3 * 1000 }
        /^[ \t]+\[[0-9]+\]/ { code = substr($1, 2, 3); if (code != want) bad += $2 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}

# First, on a quiet server (ingest leaves the worker compacting rollups for a while).
for i in $(seq 1 "$BLOCKS"); do
    curl -fs -o /dev/null -X POST "$BASE/security/ips/203.0.$(( i / 250 )).$(( i % 250 + 1 ))/block" -H "$AUTH" \
        -H 'Content-Type: application/json' -d '{"reason":"bench","minutes":600}'
done
ETAG=$(curl -fsS -D - -o /dev/null -H "$AUTH" "$BASE/security/blocklist.txt" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: *//p')
LINES=$(curl -fsS -H "$AUTH" "$BASE/security/blocklist.txt" | wc -l)
for rate in 200 "$RATE"; do
    echo "== blocklist: $LINES entries, If-None-Match at $rate req/s, $CONNECTIONS connections, ${DURATION}s"
    read -r hrps hp50 hp99 hbad < <(hey -z "${DURATION}s" -c "$CONNECTIONS" -q $(( rate / CONNECTIONS )) "http://127.0.0.1:$PORT/healthz" | summarise 200)
    read -r brps bp50 bp99 bbad < <(hey -z "${DURATION}s" -c "$CONNECTIONS" -q $(( rate / CONNECTIONS )) -H "$AUTH" -H "If-None-Match: $ETAG" \
        "$BASE/security/blocklist.txt" | summarise 304)
    printf '%-22s %9s %9s %9s %7s\n' path req/s p50_ms p99_ms unexpected
    printf '%-22s %9s %9s %9s %7s\n' healthz "$hrps" "$hp50" "$hp99" "$hbad"
    printf '%-22s %9s %9s %9s %7s\n' blocklist_304 "$brps" "$bp50" "$bp99" "$bbad"
    echo "blocklist p99 / healthz p99: $(awk -v a="$bp99" -v b="$hp99" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')"
done

echo "== ingest: batches of 500, $CONNECTIONS connections, ${DURATION}s each"
read -r prps pp50 pp99 pbad < <(hey -z "${DURATION}s" -c "$CONNECTIONS" -m POST -T application/json -D "$BODIES/points.json" \
    -H "$AUTH" "$BASE/metrics" | summarise 200)
read -r erps ep50 ep99 ebad < <(hey -z "${DURATION}s" -c "$CONNECTIONS" -m POST -T application/json -D "$BODIES/events.json" \
    -H "$AUTH" "$BASE/security/events" | summarise 202)
printf '%-16s %12s %12s %12s %7s\n' what rows/s batch_p50_ms batch_p99_ms errors
printf '%-16s %12s %12s %12s %7s\n' metric_points "$(( prps * 500 ))" "$pp50" "$pp99" "$pbad"
printf '%-16s %12s %12s %12s %7s\n' security_events "$(( erps * 500 ))" "$ep50" "$ep99" "$ebad"
echo "security events / metric points: $(awk -v a="$erps" -v b="$prps" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')"
