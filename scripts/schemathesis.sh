#!/usr/bin/env bash
# The contract check: Schemathesis (every check, examples and fuzzing phases) against a live
# `vigil dev`, the workspace path parameter pinned to the demo workspace. Exits non-zero on
# any failure. Run by .ci/run after the smoke run; see docs/clients.md.
#
#   scripts/schemathesis.sh                  # fixed seed (CI: the same cases every run)
#   ST_SEED=random ST_EXAMPLES=100 scripts/schemathesis.sh   # explore new cases
set -uo pipefail
cd "$(dirname "$0")/.."

VIGIL=${VIGIL:-.build/debug/vigil}
PORT=${ST_HTTP_PORT:-18191}
PG_PORT=${ST_PG_PORT:-25392}
DATA=".vigil-schemathesis"
BASE="http://127.0.0.1:$PORT"
EXAMPLES=${ST_EXAMPLES:-25}
SEED=${ST_SEED:-20261204}

command -v st >/dev/null || python3 -m pip install -q schemathesis

rm -rf "$DATA"
# The failed-authentication throttle (429 before any key is checked) is lifted: Schemathesis
# sends requests without credentials on purpose, and a 429 there says nothing about the contract.
ADMIN_TOKEN="st-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
VIGIL_AUTH_FAILURES_PER_IP_PER_MINUTE=1000000 VIGIL_AUTH_FAILURES_PER_WORKSPACE_PER_MINUTE=1000000 \
VIGIL_ADMIN_TOKEN="$ADMIN_TOKEN" \
    "$VIGIL" dev --port "$PORT" --pg-port "$PG_PORT" --data-dir "$DATA" --log-format json \
    >/tmp/vigil-st-dev.out 2>/tmp/vigil-st-dev.err &
DEV_PID=$!
stop() { kill -INT "$DEV_PID" 2>/dev/null; wait "$DEV_PID" 2>/dev/null; }
trap stop EXIT
for _ in $(seq 1 60); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 1; done
KEY=$(sed -n 's/.*API key: *\(vgl_[A-Za-z0-9_-]*\).*/\1/p' /tmp/vigil-st-dev.out | head -1)
SLUG=$(sed -n 's/.*workspace: *\([a-z0-9-]*\) .*/\1/p' /tmp/vigil-st-dev.out | head -1)
if [ -z "$KEY" ]; then echo "vigil dev did not start"; tail -20 /tmp/vigil-st-dev.err; exit 1; fi

# A channel and an escalation policy the hooks name wherever a request must reference one of
# the workspace's.
CHANNEL=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"name":"schemathesis","kind":"pagerduty","secrets":{"routing_key":"R0UTINGKEY0000000000000000000000"}}' \
    "$BASE/v1/workspaces/$SLUG/channels" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

POLICY=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"schemathesis\",\"levels\":[{\"delay_minutes\":0,\"channel_ids\":[\"$CHANNEL\"]}]}" \
    "$BASE/v1/workspaces/$SLUG/escalation-policies" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

seed_args=(--seed "$SEED")
[ "$SEED" = random ] && seed_args=()
run() {  # credentials, extra arguments...
    local token=$1; shift
    VIGIL_ST_WORKSPACE=$SLUG VIGIL_ST_CHANNEL=$CHANNEL VIGIL_ST_ESCALATION=$POLICY SCHEMATHESIS_HOOKS=hooks PYTHONPATH=scripts/schemathesis \
        st --config-file scripts/schemathesis/schemathesis.toml run "$BASE/openapi.yaml" --url "$BASE" \
        -H "Authorization: Bearer $token" --checks all --phases examples,fuzzing \
        --max-examples "$EXAMPLES" --workers 2 "${seed_args[@]}" --no-color "$@"
}
# Every operation with the demo workspace's admin key, then the two platform operations (which
# take the operator's admin token) with that token, so none is tested only as a 401.
run "$KEY"; workspace_status=$?
run "$ADMIN_TOKEN" --include-name 'POST /v1/workspaces' --include-name 'PUT /v1/workspaces/{workspace}/limits'; platform_status=$?
[ "$workspace_status" = 0 ] && [ "$platform_status" = 0 ]
