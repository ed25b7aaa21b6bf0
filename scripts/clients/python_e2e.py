#!/usr/bin/env python3
"""A Python client generated from openapi/openapi.yaml, used without hand edits, drives a live
Vigil the way a new user's script would (issue 18).

    python3 scripts/clients/python_e2e.py --base http://127.0.0.1:8080 --admin-token T

Generates the client with `openapi-python-client --fail-on-warning` (any warning fails the run:
a warning means a model or response was silently dropped), then: creates a workspace, reads it
back, mints keys, ingests points with tags, asks stats with the repeatable tag filter and on an
empty window, raises an alert and acknowledges and resolves it, requests a compliance export as
a zip, waits for the worker, downloads it and checks its digest and contents, previews the
digest in every format, reports security events, blocks a CIDR network (a `/` in a path
parameter) and reads it back from the edge blocklist, and reads an error envelope. Prints one line per step; exit 1 on the
first failure.
"""
import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.yaml"


def generate(into: Path) -> None:
    result = subprocess.run(
        ["openapi-python-client", "generate", "--path", str(SPEC), "--meta", "none", "--fail-on-warning",
         "--output-path", str(into / "vigil_api_client")],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL - openapi-python-client --fail-on-warning:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    print("ok   - client generated with --fail-on-warning")
    sys.path.insert(0, str(into))


def check(condition: bool, what: str, detail: object = "") -> None:
    if not condition:
        sys.exit(f"FAIL - {what}: {detail}")
    print(f"ok   - {what}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--admin-token", required=True)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vigil-python-client-"))
    generate(work)

    from vigil_api_client import AuthenticatedClient, Client
    from vigil_api_client.api.alert_rules import create_alert_rule, get_alert_rule_status, test_alert_rule
    from vigil_api_client.api.alerts import acknowledge_alert, create_alert, get_alert, resolve_alert
    from vigil_api_client.api.api_keys import create_api_key
    from vigil_api_client.api.audit_log import list_audit_seals, verify_audit_log
    from vigil_api_client.api.compliance import create_compliance_report, download_compliance_report, get_compliance_report
    from vigil_api_client.api.digests import preview_digest
    from vigil_api_client.api.metrics import get_metric_stats, ingest_metrics
    from vigil_api_client.api.operations import get_liveness
    from vigil_api_client.api.security import (block_security_address, get_blocklist_text, get_security_address, record_security_events,
                                               unblock_security_address)
    from vigil_api_client.api.workspaces import create_workspace, get_workspace
    from vigil_api_client.models import (AlertCreate, AlertRuleInput, AlertRuleTestInput, ApiKeyCreate, ComplianceReportRequest, Error, MetricBatch,
                                         PreviewDigestFormat, SecurityBlockRequest, SecurityEventBatch, SecurityUnblockRequest,
                                         WorkspaceCreate)
    from vigil_api_client.types import UNSET

    anonymous = Client(base_url=args.base)
    check(get_liveness.sync(client=anonymous) is not None, "liveness")

    platform = AuthenticatedClient(base_url=args.base, token=args.admin_token)
    slug = f"py-{uuid.uuid4().hex[:10]}"
    created = create_workspace.sync(client=platform, body=WorkspaceCreate.from_dict({"name": "Python client", "slug": slug}))
    check(created is not None and not isinstance(created, Error) and created.workspace.slug == slug, "workspace created", created)
    admin = AuthenticatedClient(base_url=args.base, token=created.api_key.key)

    workspace = get_workspace.sync(slug, client=admin)
    check(workspace is not None and not isinstance(workspace, Error) and workspace.settings.retention_days.metrics > 0,
          "workspace read back with its settings", workspace)

    ingest_key = create_api_key.sync(slug, client=admin, body=ApiKeyCreate.from_dict({"name": "collector", "role": "ingest"}))
    check(ingest_key is not None and ingest_key.key.startswith("vgl_"), "ingest key minted", ingest_key)
    collector = AuthenticatedClient(base_url=args.base, token=ingest_key.key)

    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    points = [{"name": "http.request.duration", "kind": "timing", "value": 10.0 * (i + 1), "timestamp": now,
               "tags": {"status": "500" if i < 3 else "200", "endpoint": "/api/users"}} for i in range(10)]
    accepted = ingest_metrics.sync(slug, client=collector, body=MetricBatch.from_dict({"points": points}))
    check(accepted is not None and not isinstance(accepted, Error) and accepted.accepted == 10, "ten points ingested", accepted)

    errors = get_metric_stats.sync(slug, "http.request.duration", client=admin, window=5, tag=["status=500"])
    check(errors is not None and not isinstance(errors, Error) and errors.count == 3 and errors.max_ == 30.0,
          "stats with tag=status=500", errors)
    both = get_metric_stats.sync(slug, "http.request.duration", client=admin, window=5,
                                 tag=["status=200", "endpoint=/api/users"])
    check(both is not None and not isinstance(both, Error) and both.count == 7, "stats with two tag filters", both)
    empty = get_metric_stats.sync(slug, "http.request.duration", client=admin, window=5, tag=["status=418"])
    check(empty is not None and not isinstance(empty, Error) and empty.count == 0 and empty.min_ in (None, UNSET),
          "stats on an empty window", empty)

    raised = create_alert.sync(slug, client=admin, body=AlertCreate.from_dict(
        {"title": "checkout errors", "severity": "high", "source": "python-client", "labels": {"service": "checkout"}}))
    check(raised is not None and not isinstance(raised, Error) and raised.id, "alert raised", raised)
    acknowledged = acknowledge_alert.sync(slug, raised.id, client=admin)
    check(acknowledged is not None and not isinstance(acknowledged, Error) and acknowledged.state == "acknowledged",
          "alert acknowledged", acknowledged)
    resolved = resolve_alert.sync(slug, raised.id, client=admin)
    check(resolved is not None and not isinstance(resolved, Error) and resolved.state == "resolved", "alert resolved", resolved)
    shown = get_alert.sync(slug, raised.id, client=admin)
    check(shown is not None and not isinstance(shown, Error) and shown.alert.resolved_at
          and [str(event.kind) for event in shown.timeline][-2:] == ["acknowledged", "resolved"],
          "the alert's detail shows its timeline", shown)

    rule = {"name": "Checkout errors", "metric": "http.request.duration", "statistic": "count", "window_minutes": 5,
            "matchers": [{"name": "status", "op": "=", "value": "500"}], "comparison": ">", "threshold": 2,
            "group_by": ["endpoint"], "annotations": {"summary": "{{ $value }} errors on {{ $labels.endpoint }}"}}
    saved = create_alert_rule.sync(slug, client=admin, body=AlertRuleInput.from_dict(rule))
    check(saved is not None and not isinstance(saved, Error) and saved.definition.window_minutes == 5, "alert rule created", saved)
    status = get_alert_rule_status.sync(slug, saved.id, client=admin)
    check(status is not None and not isinstance(status, Error) and status.rule.id == saved.id, "alert rule status read", status)
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 120))
    replay = test_alert_rule.sync(slug, client=admin, body=AlertRuleTestInput.from_dict({"rule": rule, "from": since, "to": until}))
    check(replay is not None and not isinstance(replay, Error) and len(replay.events) == 1
          and replay.events[0].labels.additional_properties == {"endpoint": "/api/users"}, "the backtest finds the errors", replay)

    report = create_compliance_report.sync(slug, client=admin, body=ComplianceReportRequest.from_dict(
        {"kind": "subject_export", "format": "zip", "subject": {"user_id": "user-42"}}))
    check(report is not None and not isinstance(report, Error) and report.id, "subject export requested as zip", report)
    deadline = time.time() + 90
    while time.time() < deadline:
        report = get_compliance_report.sync(slug, report.id, client=admin)
        if str(report.state) in ("completed", "failed"):
            break
        time.sleep(0.5)
    check(str(report.state) == "completed", "the worker generated the report", report)
    download = download_compliance_report.sync_detailed(slug, report.id, client=admin)
    check(download.status_code == 200, "report downloaded", download.status_code)
    payload = download.parsed.payload.read()
    check(hashlib.sha256(payload).hexdigest() == report.files[0].sha256, "the download's SHA-256 matches the report's")
    names = zipfile.ZipFile(io.BytesIO(payload)).namelist()
    check("manifest.json" in names and "report.json" in names, "the zip holds the manifest and the report", names)

    verified = verify_audit_log.sync(slug, client=admin)
    check(verified is not None and not isinstance(verified, Error) and verified.intact, "the audit chain verifies", verified)
    seals = list_audit_seals.sync(slug, client=admin)
    check(seals is not None and not isinstance(seals, Error) and seals.items == [], "no audit segment sealed in a new workspace", seals)

    for fmt in ("html", "text", "json"):
        preview = preview_digest.sync_detailed(slug, client=admin, format_=PreviewDigestFormat(fmt))
        check(preview.status_code == 200 and preview.parsed, f"digest preview as {fmt}", preview.status_code)

    reported = record_security_events.sync_detailed(slug, client=collector, body=SecurityEventBatch.from_dict(
        {"events": [{"kind": "sql_injection", "sub_kind": "union", "source_ip": "203.0.113.9", "endpoint": "/search"}]}))
    check(reported.status_code == 202, "a security event reported with the ingest key", reported.content[:300])
    network = "203.0.113.0/24"
    blocked = block_security_address.sync(slug, network, client=admin, body=SecurityBlockRequest.from_dict(
        {"reason": "python client range block", "minutes": 30}))
    check(blocked is not None and not isinstance(blocked, Error) and blocked.address == network and blocked.blocked,
          "a CIDR network blocked through its path parameter", blocked)
    seen = get_security_address.sync(slug, "203.0.113.9", client=admin)
    check(seen is not None and not isinstance(seen, Error) and [b.address for b in seen.covering_blocks] == [network],
          "the address shows the network block covering it", seen)
    edge_key = create_api_key.sync(slug, client=admin, body=ApiKeyCreate.from_dict({"name": "edge proxy", "role": "edge"}))
    edge = AuthenticatedClient(base_url=args.base, token=edge_key.key)
    blocklist = get_blocklist_text.sync_detailed(slug, client=edge)
    check(blocklist.status_code == 200 and network in blocklist.content.decode().splitlines(), "the edge key reads the text blocklist",
          blocklist.content[:300])
    etag = blocklist.headers.get("etag")
    unchanged = get_blocklist_text.sync_detailed(slug, client=edge, if_none_match=etag)
    check(unchanged.status_code == 304, "polling with If-None-Match answers 304", unchanged.status_code)
    lifted = unblock_security_address.sync(slug, network, client=admin, body=SecurityUnblockRequest.from_dict({"reason": "done"}))
    check(lifted is not None and not isinstance(lifted, Error) and not lifted.blocked, "the network unblocked", lifted)

    refused = get_workspace.sync_detailed(slug, client=collector)
    check(refused.status_code == 403 and isinstance(refused.parsed, Error) and refused.parsed.error.code == "forbidden",
          "an ingest key reading settings gets the error envelope", refused.parsed)
    print("python client: every step passed")


if __name__ == "__main__":
    main()
