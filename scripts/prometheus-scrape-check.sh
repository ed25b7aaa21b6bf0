#!/usr/bin/env bash
# A real Prometheus (Debian package) scrapes a live Vigil — its own /metrics and one workspace's
# export with a bearer key, as deploy/ and docs describe — and a query through Prometheus' HTTP
# API must find vigil_build_info and the workspace's series. Exit 0 when both are found.
#
#   scripts/prometheus-scrape-check.sh BASE_URL WORKSPACE KEY
set -euo pipefail
BASE=$1 WORKSPACE=$2 KEY=$3
PROM_PORT=${PROM_PORT:-19090}
WORK=$(mktemp -d)
trap 'kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
HOSTPORT=${BASE#http://}
printf '%s' "$KEY" > "$WORK/workspace.key"
cat > "$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: vigil
    static_configs: [ { targets: ['$HOSTPORT'] } ]
  - job_name: vigil-workspace
    metrics_path: /v1/workspaces/$WORKSPACE/metrics/export
    authorization: { credentials_file: $WORK/workspace.key }
    static_configs: [ { targets: ['$HOSTPORT'] } ]
YAML
promtool check config "$WORK/prometheus.yml" >/dev/null
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
query() {  # PromQL → number of series in the result
    curl -fs "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" \
        | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]["result"]))' 2>/dev/null || echo 0
}
for _ in $(seq 1 30); do
    if [ "$(query 'vigil_build_info == 1')" -ge 1 ] && [ "$(query 'up{job="vigil-workspace"} == 1')" -ge 1 ] \
        && [ "$(query '{job="vigil-workspace",__name__=~"http_request_duration.*"}')" -ge 1 ]; then
        echo "prometheus scraped vigil_build_info and the workspace export"
        exit 0
    fi
    sleep 1
done
echo "prometheus did not find the series; its targets:"
curl -s "http://127.0.0.1:$PROM_PORT/api/v1/targets" | head -c 2000
tail -20 "$WORK/prometheus.log"
exit 1
