#!/usr/bin/env bash
# The main job: installs what the build needs, builds fasterbench in release mode, and
# runs a YCSB workload against the embedded FASTER engine, writing the YCSB text report
# to stdout and a results JSON under results/runs/.
#
#   bash scripts/run-ycsb.sh                       # workload A, 2 threads, faster binding
#   bash scripts/run-ycsb.sh run faster -P workloads/faster-a-zipf -threads 2
#   bash scripts/run-ycsb.sh run dictionary -P workloads/workloadb -p recordcount=100000
#
# With arguments, they are passed to fasterbench as they are (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product fasterbench >&2
binary="$(swift build -c release --show-bin-path)/fasterbench"
if [ $# -gt 0 ]; then
  exec "$binary" "$@"
fi
mkdir -p results/runs
stamp=$(date -u +%Y%m%dT%H%M%SZ)
exec "$binary" run faster -P workloads/workloada \
  -p recordcount=1000000 -p operationcount=10000000 -p maxexecutiontime=30 \
  -threads 2 -s --status-interval 5 --json "results/runs/$stamp-workloada-faster.json"
