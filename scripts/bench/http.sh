#!/usr/bin/env bash
# Throughput and latency of the foundation's HTTP paths on a release build, with wrk, against
# a real `vigil dev` (its own PostgreSQL). Prints one line per path. Loopback only; bounded
# (DURATION seconds per path).
#
#   scripts/bench/http.sh            # builds release into .build-release first
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
PORT=18484 PG_PORT=25394 DATA=.vigil-bench

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }
swift build -c release --product vigil --scratch-path .build-release >/dev/null
rm -rf "$DATA"
VIGIL_LOG_LEVEL=warning .build-release/release/vigil dev --port $PORT --pg-port $PG_PORT --data-dir "$DATA" >/tmp/vigil-bench.out 2>/tmp/vigil-bench.err &
PID=$!
trap 'kill -INT $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
KEY=$(sed -n 's/.*API key: *\(vgl_[A-Za-z0-9_-]*\).*/\1/p' /tmp/vigil-bench.out)

printf '%-34s %10s %10s %10s\n' path req/s p50 p99
for path in /healthz /v1/workspaces/demo /v1/workspaces/demo/api-keys; do
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    printf '%-34s %10s %10s %10s\n' "$path" "$rps" "$p50" "$p99"
done
echo "API resident memory: $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
