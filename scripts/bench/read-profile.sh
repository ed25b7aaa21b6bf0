#!/usr/bin/env bash
# Where the read path's time goes: a release `vigil dev` is driven on the alerts list at
# saturation with `hey` while `perf record -a -g` samples the whole machine for SECONDS (the API,
# PostgreSQL and hey share the 2 cores). Prints the split by process and the API's hottest
# symbols. Needs perf (Debian linux-perf) and permission to sample (root, or
# kernel.perf_event_paranoid <= 1).
#
#   scripts/bench/read-profile.sh            # release build first
#   TARGET='metrics/http.request.duration/stats?window=60' scripts/bench/read-profile.sh
#                                            # another path of the demo workspace (read.sh's data)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_SAMPLE=${SECONDS_TO_SAMPLE:-10} PORT=18486 PG_PORT=25396 DATA=.vigil-bench-profile
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)"; exit 1; }
command -v hey >/dev/null || { echo "hey is required (apt-get install hey)"; exit 1; }
EXTRA_CLEANUP=/tmp/vigil-read.perf
. scripts/bench/release-dev.sh
TARGET=${TARGET:-alerts?limit=20}
if [[ $TARGET == metrics/* ]]; then . scripts/bench/timing-metric.sh; fi
hey -z "$(( SECONDS_TO_SAMPLE + 4 ))s" -c 20 -H "$AUTH" "$BASE/$TARGET" >/tmp/vigil-profile.hey &
LOAD=$!
sleep 2
perf record -a -g -o /tmp/vigil-read.perf -- sleep "$SECONDS_TO_SAMPLE" 2>/dev/null
wait $LOAD
echo "== load: $(awk '/Requests\/sec/ {print $2}' /tmp/vigil-profile.hey) req/s"
echo "== CPU samples by binary (postgres, vigil, the Swift runtime, libc, the kernel...)"
perf report -i /tmp/vigil-read.perf --stdio --no-children --sort dso -g none 2>/dev/null | grep -E '^ +[0-9.]+%' | head -12
echo "== the API process's hottest symbols (self time, all its threads)"
perf report -i /tmp/vigil-read.perf --stdio --no-children --pid "$PID" --sort dso,sym -g none 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | head -25
