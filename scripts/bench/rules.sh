#!/usr/bin/env bash
# Alert rule evaluation per minute tick (issue 15): one workspace with 10,000 series and 1,000
# rules on the benchmark's own PostgreSQL cluster, the worker's evaluation of that workspace
# timed three times. Goal: a tick under 5 s on the 2-core machine. Figures: docs/benchmarks.md.
#
#   scripts/bench/rules.sh [--rules N] [--series N] [--ticks N]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product vigil >/dev/null
exec .build/release/vigil bench rules --data-dir "${VIGIL_BENCH_DIR:-.vigil-bench}" "$@"
