#!/usr/bin/env python3
"""Writes deploy/grafana/dashboards/reference-*.json: the four reference dashboards
(docs/dashboards.md) in Grafana, over the per-workspace Prometheus export (jobs
`vigil-workspace-*` in deploy/prometheus/prometheus.yml, label `workspace`).

The export's names follow PrometheusExposition: `a.b` becomes `a_b`; counters `_total`;
timings are summaries (`{quantile="0.5|0.95|0.99"}`, `_sum`, `_count`); gauges as they are.
Run it after changing a panel; scripts/check-deploy.sh parses every query with promtool.
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "dashboards"
DS = {"type": "prometheus", "uid": "prometheus"}
W = 'workspace=~"$workspace"'


def panel(pid, title, exprs, unit="short", x=0, y=0, w=12, h=8, kind="timeseries"):
    return {"id": pid, "type": kind, "title": title, "datasource": DS, "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"refId": chr(65 + i), "expr": e, "legendFormat": legend, "datasource": DS}
                        for i, (e, legend) in enumerate(exprs)]}


def dashboard(uid, title, panels):
    return {"uid": uid, "title": title, "schemaVersion": 39, "version": 1, "time": {"from": "now-6h", "to": "now"},
            "refresh": "1m", "tags": ["vigil", "reference"],
            "templating": {"list": [{"name": "workspace", "type": "query", "datasource": DS, "query": "label_values(workspace)",
                                     "refresh": 2, "multi": True, "includeAll": True, "current": {}}]},
            "panels": [panel(i + 1, *p[:2], **p[2]) for i, p in enumerate(panels)]}


DASHBOARDS = {
    "reference-graphql-mutations": dashboard("vigil-graphql-mutations", "GraphQL mutations (reference)", [
        ("Mutations per second by status", [(f'sum by (status) (rate(graphql_mutation_duration_count{{{W}}}[5m]))', "{{status}}")],
         {"unit": "ops"}),
        ("Failure rate", [(f'sum(rate(graphql_mutation_duration_count{{{W},status="error"}}[5m])) / sum(rate(graphql_mutation_duration_count{{{W}}}[5m]))',
                           "failed")], {"unit": "percentunit", "x": 12}),
        ("p95 execution time by mutation", [(f'max by (mutation) (graphql_mutation_duration{{{W},quantile="0.95"}})', "{{mutation}}")],
         {"unit": "ms", "y": 8}),
        ("Errors per second by type", [(f'sum by (error_type) (rate(graphql_mutation_duration_count{{{W},status="error"}}[5m]))', "{{error_type}}")],
         {"unit": "ops", "x": 12, "y": 8}),
    ]),
    "reference-graphql-validation": dashboard("vigil-graphql-validation", "GraphQL validation (reference)", [
        ("Validations per second by status", [(f'sum by (status) (rate(graphql_validation_complexity_count{{{W}}}[5m]))', "{{status}}")],
         {"unit": "ops"}),
        ("Rejections per 5 minutes by reason (attack: 10 or more)",
         [(f'sum by (rejection_reason) (increase(graphql_validation_complexity_count{{{W},status="rejected"}}[5m]))', "{{rejection_reason}}")],
         {"x": 12}),
        ("p95 complexity, depth and field count", [
            (f'max(graphql_validation_complexity{{{W},quantile="0.95"}})', "complexity"),
            (f'max(graphql_validation_depth{{{W},quantile="0.95"}})', "depth"),
            (f'max(graphql_validation_field_count{{{W},quantile="0.95"}})', "fields")], {"y": 8}),
        ("p95 validation time", [(f'max(graphql_validation_duration{{{W},quantile="0.95"}})', "p95")], {"unit": "ms", "x": 12, "y": 8}),
    ]),
    "reference-websocket": dashboard("vigil-websocket", "WebSocket (reference)", [
        ("Active connections by user type", [(f'sum by (user_type) (websocket_connections_active{{{W}}})', "{{user_type}}")], {}),
        ("Connection attempts per second by status", [(f'sum by (status) (rate(websocket_connection_attempt_total{{{W}}}[5m]))', "{{status}}")],
         {"unit": "ops", "x": 12}),
        ("Rejections per minute (flood: 20 or more)", [(f'sum(rate(websocket_connection_attempt_total{{{W},status="rejected"}}[5m])) * 60', "rejected")],
         {"y": 8}),
        ("Messages per second by direction", [(f'sum by (direction) (rate(websocket_messages_total{{{W}}}[5m]))', "{{direction}}")],
         {"unit": "ops", "x": 12, "y": 8}),
        ("Throttle hits per second by user type", [(f'sum by (user_type) (rate(websocket_throttle_hits_total{{{W}}}[5m]))', "{{user_type}}")],
         {"unit": "ops", "y": 16}),
        ("p95 connection lifetime by user type", [(f'max by (user_type) (websocket_connection_duration{{{W},quantile="0.95"}})', "{{user_type}}")],
         {"unit": "ms", "x": 12, "y": 16}),
    ]),
    "reference-task-idempotency": dashboard("vigil-task-idempotency", "Task idempotency (reference)", [
        ("Duplicate rate (healthy < 1 %, critical > 3 %)",
         [(f'sum(rate(task_idempotency_check_total{{{W},result="duplicate"}}[1h])) / sum(rate(task_idempotency_check_total{{{W}}}[1h]))', "duplicates")],
         {"unit": "percentunit"}),
        ("Checks per second by result", [(f'sum by (result) (rate(task_idempotency_check_total{{{W}}}[5m]))', "{{result}}")], {"unit": "ops", "x": 12}),
        ("Duplicates by task, last 24 hours", [(f'topk(10, sum by (task) (increase(task_idempotency_check_total{{{W},result="duplicate"}}[24h])))', "{{task}}")],
         {"y": 8}),
        ("Lock failures per hour", [(f'sum(increase(task_idempotency_lock_total{{{W},result="failed"}}[1h]))', "failed")], {"x": 12, "y": 8}),
    ]),
}

if __name__ == "__main__":
    for name, board in DASHBOARDS.items():
        (OUT / f"{name}.json").write_text(json.dumps(board, indent=1) + "\n")
        print(f"wrote deploy/grafana/dashboards/{name}.json ({len(board['panels'])} panels)")
