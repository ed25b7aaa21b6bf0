#!/usr/bin/env bash
# End-to-end check of the README's path on a real process: `vigil dev` (own cluster, demo
# workspace, printed key), then `vigil workspace create` and the quick-start curl calls, then
# `promtool check metrics` on /metrics, then Ctrl-C (SIGINT) stopping Vigil and its cluster.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

VIGIL=${VIGIL:-.build/debug/vigil}
PORT=${SMOKE_HTTP_PORT:-18181}
PG_PORT=${SMOKE_PG_PORT:-25391}
DATA=".vigil-smoke"
BASE="http://127.0.0.1:$PORT"
passed=0 failed=0

# Polls a workspace path with the demo key until its answer contains `pattern` (10 s at most):
# the worker does the work the next check reads.
wait_for() { # path, pattern
    for _ in $(seq 1 50); do
        curl -fs -H "Authorization: Bearer $KEY" "$BASE/v1/workspaces/$SLUG/$1" | grep -q "$2" && return; sleep 0.2
    done
}

check() { # name, command...
    local name=$1; shift
    if "$@" >/tmp/vigil-smoke-check.out 2>&1; then
        passed=$((passed + 1)); echo "ok   - $name"
    else
        failed=$((failed + 1)); echo "FAIL - $name"; sed 's/^/       /' /tmp/vigil-smoke-check.out | head -20
    fi
}

rm -rf "$DATA"
# Admin tokens must be long and random (shorter or example values are refused at startup).
ADMIN_TOKEN="smoke-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
VIGIL_ADMIN_TOKEN=$ADMIN_TOKEN "$VIGIL" dev --port "$PORT" --pg-port "$PG_PORT" --data-dir "$DATA" --log-format json \
    >/tmp/vigil-smoke-dev.out 2>/tmp/vigil-smoke-dev.err &
DEV_PID=$!
for _ in $(seq 1 60); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 1; done

check "vigil dev becomes ready" curl -fs "$BASE/readyz"
check "vigil dev prints the demo key" grep -q "API key:      vgl_" /tmp/vigil-smoke-dev.out
KEY=$(sed -n 's/.*API key: *\(vgl_[A-Za-z0-9_-]*\).*/\1/p' /tmp/vigil-smoke-dev.out | head -1)
SLUG=$(sed -n 's/.*workspace: *\([a-z0-9-]*\) .*/\1/p' /tmp/vigil-smoke-dev.out | head -1)
check "demo key reads its workspace" curl -fs -H "Authorization: Bearer $KEY" "$BASE/v1/workspaces/$SLUG"

# The README's operator path: create a workspace with the CLI, then use its key over HTTP.
export DATABASE_URL="host=127.0.0.1 port=$PG_PORT user=postgres dbname=vigil"
CREATED=$("$VIGIL" workspace create --name "Smoke Test" --slug smoke --log-level error 2>/dev/null)
NEW_KEY=$(printf '%s' "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"]["key"])' 2>/dev/null)
check "vigil workspace create prints a key" test -n "$NEW_KEY"
check "vigil workspace list shows both workspaces" sh -c "'$VIGIL' workspace list --log-level error | python3 -c 'import json,sys; slugs={w[\"slug\"] for w in json.load(sys.stdin)[\"items\"]}; assert {\"smoke\", \"$SLUG\"} <= slugs, slugs'"
check "a workspace that does not exist is exit 1, not a usage error (64)" sh -c "'$VIGIL' key list --workspace no-such-workspace --log-level error; test \$? = 1"
check "the new key reads its workspace" curl -fs -H "Authorization: Bearer $NEW_KEY" "$BASE/v1/workspaces/smoke"
check "the new key creates an ingest key" curl -fs -X POST -H "Authorization: Bearer $NEW_KEY" -H 'Content-Type: application/json' \
    -d '{"name":"ci","role":"ingest"}' "$BASE/v1/workspaces/smoke/api-keys"
check "the legacy header works" curl -fs -H "X-Monitoring-API-Key: $NEW_KEY" "$BASE/v1/workspaces/smoke/api-keys"
check "the demo key cannot see the smoke workspace" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/v1/workspaces/smoke")" = 404
check "the audit chain verifies" sh -c "curl -fs -H 'Authorization: Bearer $NEW_KEY' $BASE/v1/workspaces/smoke/audit-log/verify | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"intact\"] is True'"
check "nothing is sealed yet: the seals list is empty" sh -c "curl -fs -H 'Authorization: Bearer $NEW_KEY' $BASE/v1/workspaces/smoke/audit-log/seals | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"items\"] == []'"
check "vigil dev keeps its audit signing key beside the cluster, mode 0600" sh -c "test \"\$(stat -c %a $DATA/audit-signing-key)\" = 600"
check "vigil audit signing-key public names the key vigil dev signs with" sh -c "VIGIL_AUDIT_SIGNING_KEY=\$(cat $DATA/audit-signing-key) '$VIGIL' audit signing-key public | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"key_id\"]) == 16 and d[\"public_key\"], d'"
check "vigil key list shows two keys" sh -c "'$VIGIL' key list --workspace smoke --log-level error | python3 -c 'import json,sys; assert len(json.load(sys.stdin)[\"items\"]) == 2'"
# Metrics, the README's quick start: ingest, stats, export (promtool), a dashboard.
check "the demo key ingests metric points" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' \
    -d '{\"points\":[{\"name\":\"http.request.duration\",\"kind\":\"timing\",\"value\":123.4,\"tags\":{\"endpoint\":\"/api/users\",\"status\":\"200\"}},{\"name\":\"http.request.duration\",\"kind\":\"timing\",\"value\":80,\"tags\":{\"endpoint\":\"/api/users\",\"status\":\"500\"}}]}' \
    $BASE/v1/workspaces/$SLUG/metrics | grep -q '\"accepted\":2'"
check "stats group by status" sh -c "curl -fs -H 'Authorization: Bearer $KEY' '$BASE/v1/workspaces/$SLUG/metrics/http.request.duration/stats?window=60&group_by=status' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"count\"] == 2 and set(d[\"groups\"]) == {\"200\", \"500\"}, d'"
curl -fs -H "Authorization: Bearer $KEY" "$BASE/v1/workspaces/$SLUG/metrics/export" >/tmp/vigil-smoke-export.txt
check "promtool accepts the workspace export" sh -c "grep -q http_request_duration_count /tmp/vigil-smoke-export.txt && promtool check metrics < /tmp/vigil-smoke-export.txt"
check "a dashboard answers" curl -fs -H "Authorization: Bearer $KEY" "$BASE/v1/workspaces/$SLUG/dashboards/graphql-mutations"
# Detection: an alert rule over the points above, evaluated by the dev worker on demand.
RULE_ID=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"name":"Smoke 5xx","metric":"http.request.duration","matchers":[{"name":"status","op":"=~","value":"5.."}],"statistic":"count","window_minutes":60,"comparison":">","threshold":0,"group_by":["endpoint"],"annotations":{"summary":"{{ $value }} errors on {{ $labels.endpoint }}"}}' \
    "$BASE/v1/workspaces/$SLUG/alert-rules" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
check "an alert rule is created" test -n "$RULE_ID"
check "vigil jobs enqueue runs the platform tick now" sh -c "'$VIGIL' jobs enqueue alert-rules-evaluate --log-level error | grep -q alert_rules.dispatch"
wait_for "alert-rules/$RULE_ID/status" '"state":"firing"'
check "the worker evaluates the rule and it fires" sh -c "curl -fs -H 'Authorization: Bearer $KEY' $BASE/v1/workspaces/$SLUG/alert-rules/$RULE_ID/status \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"rule\"][\"last_evaluation\"][\"state\"] == \"firing\" and d[\"groups\"][0][\"alert_id\"], d'"
check "the rule's alert carries its rendered title" sh -c "curl -fs -H 'Authorization: Bearer $KEY' '$BASE/v1/workspaces/$SLUG/alerts?limit=50' \
    | python3 -c 'import json,sys; assert \"1 errors on /api/users\" in [a[\"title\"] for a in json.load(sys.stdin)[\"items\"]]'"
check "vigil jobs enqueue --workspace evaluates one workspace" sh -c "'$VIGIL' jobs enqueue alert_rules.evaluate --workspace $SLUG --log-level error | grep -q alert_rules.evaluate"
DETECTOR_ID=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"name":"Smoke latency","metric":"http.request.duration","statistic":"p95","baseline":"seasonal"}' \
    "$BASE/v1/workspaces/$SLUG/anomaly-detectors" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
check "an anomaly detector is created" test -n "$DETECTOR_ID"
check "vigil jobs enqueue runs a workspace's anomaly scan" sh -c "'$VIGIL' jobs enqueue anomaly.scan --workspace $SLUG --log-level error | grep -q anomaly.scan"
wait_for "anomaly-detectors/$DETECTOR_ID" '"last_scanned_at":"'
check "the worker scans the detector (8 days backfilled, no error)" sh -c "curl -fs -H 'Authorization: Bearer $KEY' $BASE/v1/workspaces/$SLUG/anomaly-detectors/$DETECTOR_ID \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d.get(\"last_scanned_at\") and not d.get(\"last_error\"), d'"
EARLIER=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
check "earlier latency points are ingested" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' \
    -d '{\"points\":[$(for i in $(seq 1 30); do printf '{"name":"http.request.duration","kind":"timing","value":%s,"timestamp":"%s","tags":{"endpoint":"/api/users"}},' $((100 + i)) "$EARLIER"; done | sed 's/,$//')]}' \
    $BASE/v1/workspaces/$SLUG/metrics | grep -q '\"accepted\":30'"
check "vigil jobs enqueue computes a workspace's performance baselines" sh -c "'$VIGIL' jobs enqueue performance-baselines --workspace $SLUG --log-level error | grep -q performance.run"
wait_for "insights/performance" '"baseline_computed_at":"'
check "performance insights answer with baselines and recommendations" sh -c "curl -fs -H 'Authorization: Bearer $KEY' $BASE/v1/workspaces/$SLUG/insights/performance \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"baseline_computed_at\"] and d[\"recommendations\"] and \"trends\" in d, d'"
# Security intelligence: an address over the threshold is blocked, an edge key polls the
# blocklist (304 on its ETag), and the dev worker's attack scan finds a GraphQL cost attack.
SQLI=$(for i in 1 2 3 4 5; do printf '{"kind":"sql_injection","sub_kind":"union","source_ip":"203.0.113.50"},'; done | sed 's/,$//')
check "five SQL-injection attempts block their address" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' \
    -d '{\"events\":[$SQLI]}' $BASE/v1/workspaces/$SLUG/security/events | grep -q '\"blocked\":\[\"203.0.113.50\"\]'"
EDGE_KEY=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"name":"edge","role":"edge"}' \
    "$BASE/v1/workspaces/$SLUG/api-keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' 2>/dev/null)
check "an edge key reads the text blocklist" sh -c "curl -fs -H 'Authorization: Bearer $EDGE_KEY' $BASE/v1/workspaces/$SLUG/security/blocklist.txt | grep -qx '203.0.113.50'"
BLOCK_TAG=$(curl -fs -D - -o /dev/null -H "Authorization: Bearer $EDGE_KEY" "$BASE/v1/workspaces/$SLUG/security/blocklist.txt" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: *//p')
check "the blocklist answers 304 to its ETag" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $EDGE_KEY" -H "If-None-Match: $BLOCK_TAG" \
    "$BASE/v1/workspaces/$SLUG/security/blocklist.txt")" = 304
check "an edge key reads nothing else" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $EDGE_KEY" "$BASE/v1/workspaces/$SLUG/alerts")" = 403
GQL=$(for i in $(seq 1 10); do printf '{"kind":"graphql_rejection","sub_kind":"complexity","source_ip":"203.0.113.60"},'; done | sed 's/,$//')
check "GraphQL rejections are stored" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' \
    -d '{\"events\":[$GQL]}' $BASE/v1/workspaces/$SLUG/security/events | grep -q '\"accepted\":10'"
check "vigil jobs enqueue runs a workspace's attack scan" sh -c "'$VIGIL' jobs enqueue security.scan --workspace $SLUG --log-level error | grep -q security.scan"
wait_for "security/threats" 'graphql_complexity_attack'
check "the worker's scan finds the GraphQL cost attack and the dashboard shows it" sh -c "curl -fs -H 'Authorization: Bearer $KEY' '$BASE/v1/workspaces/$SLUG/security?window=1' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(x[\"kind\"] == \"graphql_complexity_attack\" for x in d[\"recent_detections\"]) and d[\"blocked_count\"] >= 2, d'"
# Alerting end to end: a real webhook receiver, the dev worker delivering a signed notification.
python3 scripts/peers/http_receiver.py --port 0 --record /tmp/vigil-smoke-hooks.jsonl >/tmp/vigil-smoke-receiver.out 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 1 50); do grep -q LISTENING /tmp/vigil-smoke-receiver.out 2>/dev/null && break; sleep 0.1; done
HOOK_PORT=$(sed -n 's/^LISTENING \([0-9]*\)/\1/p' /tmp/vigil-smoke-receiver.out)
check "a webhook channel is created" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' \
    -d '{\"name\":\"smoke\",\"kind\":\"webhook\",\"url\":\"http://127.0.0.1:$HOOK_PORT/hook\",\"secrets\":{\"signing_secret\":\"smoke-secret-0123456789\"}}' \
    $BASE/v1/workspaces/$SLUG/channels | grep -q secrets_set"
ALERT_ID=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"title":"Smoke alert","severity":"high","source":"smoke","labels":{"alertname":"Smoke"}}' \
    "$BASE/v1/workspaces/$SLUG/alerts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["alert"]["id"])' 2>/dev/null)
check "an alert is raised" test -n "$ALERT_ID"
for _ in $(seq 1 50); do grep -q '"/hook"' /tmp/vigil-smoke-hooks.jsonl 2>/dev/null && break; sleep 0.2; done
check "the worker delivers the signed webhook" sh -c "grep '\"/hook\"' /tmp/vigil-smoke-hooks.jsonl | head -1 | grep -qi 'x-vigil-signature'"
check "the ledger records the delivery" sh -c "curl -fs -H 'Authorization: Bearer $KEY' '$BASE/v1/workspaces/$SLUG/notifications?alert_id=$ALERT_ID' | python3 -c 'import json,sys; assert any(n[\"status\"] == \"sent\" for n in json.load(sys.stdin)[\"items\"])'"
check "the alert is acknowledged" sh -c "curl -fs -X POST -H 'Authorization: Bearer $KEY' $BASE/v1/workspaces/$SLUG/alerts/$ALERT_ID/acknowledge | grep -q acknowledged"
kill "$RECEIVER_PID" 2>/dev/null
# Secrets at rest: vigil dev keeps its own key (0600, never printed) and the database holds only envelopes.
PG_DUMP=$(command -v /usr/lib/postgresql/15/bin/pg_dump || command -v pg_dump)
check "vigil dev keeps a private secrets key" sh -c "test \"\$(stat -c %a $DATA/secrets-key)\" = 600 && ! grep -q \"\$(cut -d: -f2 $DATA/secrets-key)\" /tmp/vigil-smoke-dev.out /tmp/vigil-smoke-dev.err"
check "pg_dump shows no channel secret" sh -c "'$PG_DUMP' -d '$DATABASE_URL' > /tmp/vigil-smoke-dump.sql && grep -q 'v1:dev1:' /tmp/vigil-smoke-dump.sql && ! grep -q smoke-secret-0123456789 /tmp/vigil-smoke-dump.sql"
check "vigil secrets reseal finds everything under the current key" sh -c "VIGIL_SECRETS_KEY=\$(cat $DATA/secrets-key) '$VIGIL' secrets reseal --log-level error | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"resealed\"] == 0 and d[\"channels\"] >= 1, d'"
check "vigil rollups compact reports progress on stderr and JSON on stdout" sh -c "'$VIGIL' rollups compact --log-level error 2>/tmp/vigil-smoke-progress.err \
    | python3 -c 'import json,sys; assert \"rows_merged\" in json.load(sys.stdin)' && grep -Eq '^vigil rollups compact: ([0-9]+) of \\1 workspaces$' /tmp/vigil-smoke-progress.err"
check "vigil jobs list shows the housekeeping jobs" sh -c "'$VIGIL' jobs list --kind partitions.maintain --log-level error | grep -q partitions.maintain"
check "vigil migrate --status says applied" sh -c "'$VIGIL' migrate --status --log-level error | grep -q '^applied'"
check "vigil migrate --check is 0 on the migrated database" "$VIGIL" migrate --check --log-level error
# A database never migrated: every migration pending (exit 3), and --check creates nothing there.
psql "$DATABASE_URL" -qc "CREATE DATABASE vigil_unmigrated" >/dev/null 2>&1
check "vigil migrate --check is 3 while migrations are pending, and changes nothing" sh -c "
    DATABASE_URL='host=127.0.0.1 port=$PG_PORT user=postgres dbname=vigil_unmigrated' '$VIGIL' migrate --check --log-level error; test \$? = 3 &&
    test \"\$(psql 'host=127.0.0.1 port=$PG_PORT user=postgres dbname=vigil_unmigrated' -tAc \"SELECT to_regclass('schema_migrations') IS NULL\")\" = t"
# A newer release's migration that is not backward-compatible: this binary is too old (exit 4).
UNMIGRATED="host=127.0.0.1 port=$PG_PORT user=postgres dbname=vigil_unmigrated"
DATABASE_URL=$UNMIGRATED "$VIGIL" migrate --log-level error >/dev/null 2>&1
psql "$UNMIGRATED" -qc "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_next.sql', 'x')" >/dev/null 2>&1
check "vigil migrate --check is 4 when a newer migration is not backward-compatible" sh -c \
    "DATABASE_URL='$UNMIGRATED' '$VIGIL' migrate --check --log-level error; test \$? = 4"
check "platform admin lists workspaces" curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/v1/workspaces"
check "a short admin token is refused at startup" sh -c "! VIGIL_ADMIN_TOKEN=changeme timeout 10 '$VIGIL' serve --port 1 --log-level error"
check "JSON log lines carry correlation ids" sh -c "grep '\"message\":\"request\"' /tmp/vigil-smoke-dev.err | head -1 | python3 -c 'import json,sys; assert json.loads(sys.stdin.readline())[\"correlation_id\"]'"
check "no key or channel secret appears in the logs" sh -c "! grep -q -e '$KEY' -e '$NEW_KEY' -e smoke-secret-0123456789 /tmp/vigil-smoke-dev.err"
check "the worker's heartbeat is healthy" sh -c "curl -fs $BASE/health | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"components\"][\"worker\"][\"status\"] == \"healthy\"'"
# Every request-body and query-parameter constraint the spec states is enforced: each one broken
# in turn (bodies from the operation's example) must answer 400 (scripts/spec-constraints.py
# prints the tally).
check "every request-body and query-parameter constraint in the spec is enforced" \
    python3 scripts/spec-constraints.py --base "$BASE" --workspace "$SLUG" --key "$KEY" --admin-token "$ADMIN_TOKEN"
# A Python client generated from the spec (openapi-python-client --fail-on-warning) drives a
# whole user journey without hand edits.
check "a generated Python client works end to end" \
    python3 scripts/clients/python_e2e.py --base "$BASE" --admin-token "$ADMIN_TOKEN"
check "a generated Swift client works end to end" "${VIGIL_CLIENT_E2E:-.build/debug/VigilClientE2E}" --base "$BASE" --admin-token "$ADMIN_TOKEN"
DATABASE_URL="host=127.0.0.1 port=$PG_PORT user=vigil_dev dbname=vigil" "$VIGIL" worker --log-level warning >/tmp/vigil-smoke-worker.out 2>&1 &
WORKER_PID=$!
sleep 3
kill -TERM "$WORKER_PID"; wait "$WORKER_PID"; worker_status=$?
check "a separate vigil worker stops on SIGTERM with 0 (got $worker_status)" test "$worker_status" = 0
curl -s "$BASE/metrics" >/tmp/vigil-smoke-metrics.txt
if command -v promtool >/dev/null; then
    check "promtool accepts /metrics" sh -c "promtool check metrics < /tmp/vigil-smoke-metrics.txt"
else
    failed=$((failed + 1)); echo "FAIL - promtool is not installed"
fi
check "vigil version names the build and its schema" sh -c "'$VIGIL' version | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"version\"] and d[\"schema\"].endswith(\".sql\"), d'"
check "/metrics carries vigil_build_info, the worker's heartbeat age and the process metrics" \
    sh -c "grep -q '^vigil_build_info{version=' /tmp/vigil-smoke-metrics.txt && grep -q '^vigil_worker_heartbeat_age_seconds ' /tmp/vigil-smoke-metrics.txt \
           && grep -q '^process_resident_memory_bytes ' /tmp/vigil-smoke-metrics.txt && grep -q '^process_cpu_seconds_total ' /tmp/vigil-smoke-metrics.txt"
check "a real Prometheus scrapes Vigil and a workspace export" scripts/prometheus-scrape-check.sh "$BASE" "$SLUG" "$KEY"
check "vigil workspace delete refuses without the slug repeated (usage error, 64)" \
    sh -c "'$VIGIL' workspace delete --workspace smoke --confirm nope --log-level error; test \$? = 64"
check "vigil workspace delete erases the smoke workspace with a certificate" sh -c "'$VIGIL' workspace delete --workspace smoke --confirm smoke --log-level error \
    | python3 -c 'import json,sys; c=json.load(sys.stdin); assert c[\"totals\"][\"remaining\"] == 0 and c[\"totals\"][\"found\"] > 5 and len(c[\"checksum\"]) == 64, c'"
check "the deleted workspace's key no longer works" sh -c "code=\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $NEW_KEY' $BASE/v1/workspaces/smoke); echo \"got \$code\"; test \$code = 401"

kill -INT "$DEV_PID"
for _ in $(seq 1 30); do kill -0 "$DEV_PID" 2>/dev/null || break; sleep 1; done
check "Ctrl-C stops vigil dev" sh -c "! kill -0 $DEV_PID 2>/dev/null"
wait "$DEV_PID"; status=$?
check "vigil dev exits 0 on Ctrl-C (got $status)" test "$status" = 0
check "the embedded cluster is stopped" sh -c "! pg_isready -q -h 127.0.0.1 -p $PG_PORT"
kill -9 "$DEV_PID" 2>/dev/null
rm -rf "$DATA"

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
