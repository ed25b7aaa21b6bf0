# Sourced by the read-path benchmarks after release-dev.sh (BASE, KEY set): an hour of a
# timing metric over 20 endpoints (rolled up as it is ingested).
python3 - "$BASE" "$KEY" <<'PY'
import json, sys, time, urllib.request
base, key = sys.argv[1], sys.argv[2]
now = time.time()
for batch in range(6):
    points = [{"name": "http.request.duration", "kind": "timing", "value": 5 + (i % 97),
               "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3600 + batch * 600 + i % 600)),
               "tags": {"endpoint": f"/api/e{i % 20}"}} for i in range(1000)]
    request = urllib.request.Request(f"{base}/metrics", data=json.dumps({"points": points}).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
