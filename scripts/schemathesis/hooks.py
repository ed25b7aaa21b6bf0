"""Schemathesis hooks of the contract check (scripts/schemathesis.sh).

The spec states every constraint a JSON Schema can express; a few rules it cannot (an
opaque cursor only the server issues, "ends after it starts", "in the future", "a channel
of this workspace", fields one `kind` requires) are stated in prose on the operation and
repaired here on the case before it is sent, so the run still tests everything else about
that request. Schemathesis revalidates a case a hook changed, so a repaired negative case is
judged by what was actually sent. Each repair names the rule it stands for; a new rule the
server enforces belongs in the spec first, and only here if a schema cannot say it.
"""

import ipaddress
import os
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import available_timezones

import schemathesis

WORKSPACE_PATH = "/v1/workspaces/{workspace}"
# A channel of the run's workspace, created by scripts/schemathesis.sh before the run.
CHANNEL_ID = os.environ["VIGIL_ST_CHANNEL"]
ESCALATION_POLICY_ID = os.environ["VIGIL_ST_ESCALATION"]
TIME_ZONES = available_timezones()


def _now():
    return datetime.now(timezone.utc)


def _stamp(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value):
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


def _later_than(body, first, second, minimum=timedelta(seconds=1)):
    """`second` must be at least `minimum` after `first` (RFC 3339 strings; `first` defaults to now)."""
    start, end = _parse(body.get(first)) or _now(), _parse(body.get(second))
    if end is not None and end - start < minimum:
        body[second] = _stamp(start + minimum + timedelta(hours=1))


def _real_channels(body, key):
    """Channel ids must name channels of the workspace (referential)."""
    if isinstance(body.get(key), list):
        body[key] = [CHANNEL_ID]


def _http_url(value):
    return isinstance(value, str) and re.fullmatch(r"https?://[A-Za-z0-9.-]+(/[A-Za-z0-9/_.-]*)?", value) is not None


def _plausible_address(value):
    return isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+", value) is not None


def _channel_kind_fields(body):
    """Each channel kind needs its own fields (ChannelInput's description): http(s) URLs,
    plausible addresses, a webhook signing secret, an SMTP user and password together."""
    kind = body.get("kind")
    secrets = body.get("secrets") if isinstance(body.get("secrets"), dict) else {}
    if "url" in body and not _http_url(body["url"]) or kind == "webhook":
        body["url"] = body["url"] if _http_url(body.get("url")) else "https://hooks.example.com/vigil"
    if kind == "webhook" and len(secrets.get("signing_secret") or "") < 16:
        secrets["signing_secret"] = "s" * 32
    if kind == "slack" or "webhook_url" in secrets:
        if not _http_url(secrets.get("webhook_url")):
            secrets["webhook_url"] = "https://hooks.slack.example.com/services/T0/B0/X"
    if kind == "pagerduty" and not (secrets.get("routing_key") or "").strip():
        secrets["routing_key"] = "R0UTINGKEY0000000000000000000000"
    if kind == "email" or any(key in body for key in ("to", "from", "smtp_host")):
        body["to"] = [a for a in body.get("to") or [] if _plausible_address(a)] or ["ops@example.com"]
        if not _plausible_address(body.get("from")):
            body["from"] = "vigil@example.com"
        if not re.fullmatch(r"[A-Za-z0-9.-]+", body.get("smtp_host") or ""):
            body["smtp_host"] = "smtp.example.com"
        if ("smtp_username" in body) != ("smtp_password" in secrets) or body.get("smtp_security") == "none":
            body.pop("smtp_username", None)
            secrets.pop("smtp_password", None)
    body.pop("smtp_ca_bundle", None)  # names a bundle of the operator's configuration
    if secrets or "secrets" in body:
        body["secrets"] = secrets


SLO_FIELDS = {"metric", "percentile", "threshold_ms", "good_metric", "total_metric", "status_tag", "good_values"}


def _slo_kind_fields(body):
    """An SLO's kind names the fields its indicator needs, and refuses the others (SLODefinitionInput)."""
    if body.get("kind") == "latency":
        used = {"metric", "percentile", "threshold_ms"}
    elif body.get("status_tag"):
        used = {"metric", "status_tag", "good_values"}
    else:
        used = {"good_metric", "total_metric"}
    for field in SLO_FIELDS - used:
        body.pop(field, None)
    if body.get("kind") == "latency":
        body.setdefault("metric", "http.request.duration")
        body.setdefault("percentile", 95)
        body.setdefault("threshold_ms", 300)
    elif body.get("kind") == "availability":
        if body.get("status_tag") and isinstance(body.get("tags"), dict):
            body["tags"].pop(body["status_tag"], None)  # the status tag cannot also be a tag filter
        if body.get("status_tag"):
            body.setdefault("metric", "http.requests")
            body.setdefault("good_values", ["2*"])
        else:
            body["good_metric"], body["total_metric"] = "http.requests.good", "http.requests.total"


def _ratio_statistic(rule):
    if rule.get("denominator") is not None and rule.get("statistic") not in ("count", "sum", "rate"):
        rule["statistic"] = "count"  # a ratio needs the count, sum or rate statistic


def _repair_body(method, path, body):
    if (path == WORKSPACE_PATH and method == "PATCH") or (path == "/v1/workspaces" and method == "POST"):
        settings = body.get("settings")
        if isinstance(settings, dict) and isinstance(settings.get("time_zone"), str) \
                and settings["time_zone"] not in TIME_ZONES:
            settings["time_zone"] = "UTC"  # an IANA time zone name
        retention = settings.get("retention_days") if isinstance(settings, dict) else None
        if isinstance(retention, dict):  # at most the deployment's retention_days limit (400 by default)
            for data_class, days in retention.items():
                if isinstance(days, (int, float)) and not isinstance(days, bool) and 400 < days <= 3650:
                    retention[data_class] = 400
        if method == "POST" and "slug" not in body and not re.search(r"[A-Za-z0-9]", str(body.get("name", ""))):
            body["slug"] = "st-" + os.urandom(6).hex()  # a slug is derived from the name's letters and digits
    elif path.endswith("/api-keys") and method == "POST":
        expires = _parse(body.get("expires_at"))
        if expires is not None and expires <= _now():
            body["expires_at"] = _stamp(_now() + timedelta(days=30))  # in the future
    elif path.endswith("/silences") or path.endswith("/silences/{id}"):
        _later_than(body, "starts_at", "ends_at")
        matchers = body.get("matchers")
        if isinstance(matchers, list) and matchers:  # one matcher must not match the empty string
            matchers[-1] = {"name": "alertname", "op": "=", "value": "schemathesis"}
    elif path.endswith("/digest-schedule"):
        _real_channels(body, "channel_ids")
        if isinstance(body.get("time_zone"), str) and body["time_zone"] not in TIME_ZONES:
            body["time_zone"] = "UTC"
        if body.get("frequency") == "weekly":
            body.setdefault("weekday", 1)  # a weekly digest names its day
    elif path.endswith("/alert-rules/test"):
        start = _now() - timedelta(hours=6)  # from in the past, to at least a minute after it
        if _parse(body.get("from")) is not None:
            body["from"], body["to"] = _stamp(start), _stamp(start + timedelta(hours=1))
        if isinstance(body.get("rule"), dict):
            _ratio_statistic(body["rule"])
    elif path.endswith("/channels") or path.endswith("/channels/{id}"):
        _channel_kind_fields(body)
        if method == "PUT" and body.get("kind") == "email" and "smtp_password" not in body.get("secrets", {}):
            # Repointing a channel needs its secrets re-entered; an email channel's is its password.
            body["smtp_username"], body["smtp_security"] = "vigil", "starttls"
            body.setdefault("secrets", {})["smtp_password"] = "password-schemathesis"
    elif path.endswith("/routes") or path.endswith("/routes/{id}"):
        _real_channels(body, "channel_ids")
    elif path.endswith("/escalation-policies") or path.endswith("/escalation-policies/{id}"):
        levels = [level for level in body.get("levels") or [] if isinstance(level, dict)]
        for level in levels:
            _real_channels(level, "channel_ids")
        if body.get("repeat_loops") and levels and not any(level.get("delay_minutes") for level in levels):
            levels[0]["delay_minutes"] = 1  # a repeating policy needs a non-zero delay somewhere
    elif path.endswith("/compliance/reports") and method == "POST":
        subject = body.get("subject")
        named = isinstance(subject, dict) and any(isinstance(v, (str, dict)) and (v.strip() if isinstance(v, str) else v)
                                                  for v in subject.values())
        if body.get("kind") in ("subject_export", "subject_erasure"):
            if not named:
                body["subject"] = subject = {"user_id": "u-schemathesis"}  # a subject report names its subject
        else:
            body.pop("subject", None)  # and only a subject report takes one
        if isinstance(subject, dict):
            if "email" in subject and not _plausible_address(subject["email"]):
                subject["email"] = "someone@example.com"
            if "ip" in subject and not _ip(subject["ip"]):
                subject["ip"] = "192.0.2.1"
    elif path.endswith("/integrations/alertmanager"):
        for alert in body.get("alerts") or []:
            for key in ("startsAt", "endsAt"):  # RFC 3339, empty or absent
                if isinstance(alert, dict) and isinstance(alert.get(key), str) and alert[key] and _parse(alert[key]) is None:
                    alert[key] = _stamp(_now())
    elif path.endswith("/alerts") and method == "POST":
        if "escalation_policy" in body:
            body["escalation_policy"] = ESCALATION_POLICY_ID  # a policy of this workspace
    elif path.endswith("/alert-rules") or path.endswith("/alert-rules/{id}"):
        _ratio_statistic(body)
    elif path.endswith("/kpis/{key}") and method == "PUT":
        if body.get("aggregation") != "ratio":  # stream names apply only to ratio KPIs
            body.pop("numerator_stream", None)
            body.pop("denominator_stream", None)
    elif path.endswith("/slos") or path.endswith("/slos/{id}"):
        _slo_kind_fields(body)
    elif path.endswith("/security/events") and method == "POST":
        for event in body.get("events") or []:
            if not isinstance(event, dict):
                continue
            stamp = _parse(event.get("timestamp"))
            if stamp is not None and not timedelta(days=-6) < stamp - _now() < timedelta(minutes=4):
                event["timestamp"] = _stamp(_now())  # at most 7 days late and 5 minutes ahead
            if "source_ip" in event and not _ip(event["source_ip"]):
                event["source_ip"] = "192.0.2.1"  # one IPv4 or IPv6 address
    elif path.endswith("/metrics") and method == "POST":
        for point in body.get("points") or []:
            if not isinstance(point, dict):
                continue
            stamp = _parse(point.get("timestamp"))
            if stamp is not None and abs(stamp - _now()) > timedelta(days=1):
                point["timestamp"] = _stamp(_now())  # within retention, not far in the future
            kind, name = point.get("kind"), point.get("name")
            if isinstance(name, str) and kind in ("counter", "gauge", "timing"):
                point["name"] = name[:190] + "." + kind  # a metric's kind is fixed by its first point
            if kind in ("counter", "timing") and isinstance(point.get("value"), (int, float)):
                point["value"] = abs(point["value"])  # counters and durations do not go negative


def _ordered(query, first, second, default_second):
    """`first` must be before `second` (which defaults to `default_second`)."""
    if isinstance(query.get(first), str) and query[first] >= str(query.get(second) or default_second):
        del query[first]


def _repair_query(path, query):
    query.pop("cursor", None)  # cursors are issued by the server (a page's next_cursor)
    if path.endswith("/kpis/{key}"):
        _ordered(query, "from", "to", _now().date().isoformat())
    if path.endswith("/audit-log"):
        _ordered(query, "since", "until", _stamp(_now()))


def _ip(value):
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _plain_regexes(value):
    """Regex matchers (=~, !~) must compile under RE2: keep their letters, digits and _ . -."""
    if isinstance(value, dict):
        if value.get("op") in ("=~", "!~") and isinstance(value.get("value"), str):
            value["value"] = "".join(ch for ch in value["value"] if ch.isascii() and (ch.isalnum() or ch in "_.-"))
        for child in value.values():
            _plain_regexes(child)
    elif isinstance(value, list):
        for child in value:
            _plain_regexes(child)


def _blockable(value):
    """An address, or a network no wider than /8 (IPv4) or /16 (IPv6)."""
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return network.prefixlen >= (8 if network.version == 4 else 16)


def _repair_path_query(path, path_parameters, query):
    if "{address}" in path and not _blockable(path_parameters.get("address")):
        path_parameters["address"] = "192.0.2.1"  # an IP address or a narrow enough CIDR block
    if path.endswith("/security/events") and "source_ip" in query and not _ip(query["source_ip"]):
        query["source_ip"] = "192.0.2.1"  # one IPv4 or IPv6 address
    if path.endswith("/series") and isinstance(query.get("step"), int):
        window = query.get("window") if isinstance(query.get("window"), int) else 60
        query["step"] = max(query["step"], -(-window // 1440))  # at most 1,440 buckets
    if path.endswith("/dashboards/{dashboard}") and path_parameters.get("dashboard") == "task-idempotency":
        if isinstance(query.get("window"), int) and query["window"] > 2160:
            query["window"] = 2160  # task-idempotency's window is in hours: at most 90 days


@schemathesis.hook
def before_call(ctx, case, kwargs):
    path, method = case.operation.path, case.method.upper()
    if isinstance(case.query, dict):
        _repair_query(path, case.query)
    if isinstance(case.query, dict) and isinstance(case.path_parameters, dict):
        _repair_path_query(path, case.path_parameters, case.query)
    if isinstance(case.body, dict):
        try:
            _plain_regexes(case.body)
            _repair_body(method, path, case.body)
        except (TypeError, AttributeError, KeyError):
            pass  # a negative case with a field of the wrong type: the server refuses it as it is
