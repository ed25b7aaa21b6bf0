# Sourced by the read-path benchmarks: builds release, starts `vigil dev` on its own cluster
# (PORT, PG_PORT, DATA set by the caller) with the per-minute request limit lifted (a benchmark
# of thousands of req/s on one key would be refused), waits for readiness, stops it on exit,
# and stores 50 alerts. Sets PID, KEY, BASE (the demo workspace) and AUTH.
# SKIP_BUILD=1 reuses .build/release/vigil as it is (e.g. to measure a build while editing).
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product vigil >/dev/null
rm -rf "$DATA"
VIGIL_LIMIT_REQUESTS_PER_MINUTE=10000000 VIGIL_LOG_LEVEL=warning \
    .build/release/vigil dev --port "$PORT" --pg-port "$PG_PORT" --data-dir "$DATA" >"/tmp/$DATA.out" 2>"/tmp/$DATA.err" &
PID=$!
trap 'kill -INT $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA" ${EXTRA_CLEANUP:-}' EXIT
for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
KEY=$(sed -n 's/.*API key: *\(vgl_[A-Za-z0-9_-]*\).*/\1/p' "/tmp/$DATA.out")
BASE="http://127.0.0.1:$PORT/v1/workspaces/demo"
AUTH="Authorization: Bearer $KEY"
for i in $(seq 1 50); do
    curl -fs -o /dev/null -X POST "$BASE/alerts" -H "$AUTH" -H 'Content-Type: application/json' \
        -d "{\"title\":\"disk full $i\",\"severity\":\"high\",\"source\":\"bench\",\"labels\":{\"host\":\"h$i\"}}"
done
