#!/usr/bin/env bash
# Compares the stores fasterbench drives, in one harness: YCSB workloads A-F (YCSB records) and
# the compact FASTER-shaped workloads, on every binding, interleaved and repeated, then one
# table (median throughput per workload and binding, and each store's ratio to faster) and one
# HTML report with every binding as a series.
#
#   scripts/compare-engines.sh                       # 1 M YCSB records, 5 M compact, 3 repetitions, 2 threads
#   scripts/compare-engines.sh --records 100000 --compact-records 1000000 --repeat 1 --ops 200000
#
# Options: --bindings LIST (faster,rocksdb,lmdb,dictionary), --records N (YCSB workloads A-F,
# 1000000), --ops N (operations per YCSB run, 1000000), --compact-records N (faster-a-zipf and
# faster-c-uniform, 5000000; 50 M needs ~3 GB per store and hours for the peers' loads),
# --compact-seconds S (run length of the compact workloads, 10), --repeat R (3), --threads T (2),
# --out DIR (results/runs/engines-<time>), --binary PATH (a fasterbench; default: build release).
# Each binding's suite is one results file in DIR; DIR/engines.md is the table and
# DIR/engines.html the report. Durability differs by store and is in each file's knobs: FASTER
# here takes no checkpoints, RocksDB writes its WAL without sync, LMDB commits with MDB_NOSYNC
# (the defaults; see README, "Peer bindings"). Needs python3.
# Exit codes: 0 done, 64 usage, 1 a run failed (its suite's exit code is printed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
usage() { echo "compare-engines.sh: $*" >&2; exit 64; }
number() {
  [ "$#" -ge 2 ] || usage "$1 needs a value"
  case "$2" in ''|*[!0-9]*) usage "$1 needs a whole number, not '$2'" ;; esac
  [ "$2" -ge 1 ] || usage "$1 must be at least 1"
}
bindings="faster,rocksdb,lmdb,dictionary"; records=1000000; ops=1000000; compact=5000000
compact_seconds=10; repeat=3; threads=2; out=""; binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bindings) [ "$#" -ge 2 ] || usage "--bindings needs a list"; bindings="$2"; shift ;;
    --records) number "$@"; records="$2"; shift ;;
    --ops) number "$@"; ops="$2"; shift ;;
    --compact-records) number "$@"; compact="$2"; shift ;;
    --compact-seconds) number "$@"; compact_seconds="$2"; shift ;;
    --repeat) number "$@"; repeat="$2"; shift ;;
    --threads) number "$@"; threads="$2"; shift ;;
    --out) [ "$#" -ge 2 ] || usage "--out needs a folder"; out="$2"; shift ;;
    --binary) [ "$#" -ge 2 ] || usage "--binary needs a path"; binary="$2"; shift ;;
    *) usage "unknown option '$1' (accepted: --bindings, --records, --ops, --compact-records, --compact-seconds, --repeat, --threads, --out, --binary)" ;;
  esac
  shift
done
command -v python3 >/dev/null || { echo "compare-engines.sh: needs python3" >&2; exit 1; }
cd "$root"
if [ -z "$binary" ]; then
  swift build -c release --scratch-path "$root/.build-perf" --product fasterbench >/dev/null
  binary="$root/.build-perf/release/fasterbench"
fi
[ -x "$binary" ] || usage "no fasterbench at $binary"
out="${out:-$root/results/runs/engines-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"

workloads=()
for letter in a b c d e f; do
  workloads+=(--workload "workloads/workload$letter,recordcount=$records,operationcount=$ops")
done
for name in faster-a-zipf faster-c-uniform; do
  workloads+=(--workload "workloads/$name,recordcount=$compact,maxexecutiontime=$compact_seconds")
done

echo "compare-engines: $(uptime)" | tee "$out/uptime.txt"
IFS=, read -r -a binding_list <<<"$bindings"
files=()
for binding in "${binding_list[@]}"; do
  echo "compare-engines: $binding ..." >&2
  status=0
  "$binary" suite "$binding" "${workloads[@]}" --repeat "$repeat" -threads "$threads" --seed 7 \
    --histograms first --json "$out/$binding.json" >"$out/$binding.txt" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    echo "compare-engines: the $binding suite exited $status; its output is in $out/$binding.txt" >&2
    tail -5 "$out/$binding.txt" >&2
    exit 1
  fi
  files+=("$out/$binding.json")
done
echo "compare-engines: $(uptime)" | tee -a "$out/uptime.txt"

python3 - "$out/engines.md" "${files[@]}" <<'EOF'
import json, os, statistics, sys
table_path, paths = sys.argv[1], sys.argv[2:]
throughput = {}   # workload -> binding -> [ops/s]
for path in paths:
    binding = os.path.splitext(os.path.basename(path))[0]
    with open(path) as f:
        results = json.load(f)
    for run in results["runs"]:
        label = run.get("workload") or "?"
        phase = run["phases"][-1]
        throughput.setdefault(label, {}).setdefault(binding, []).append(phase["throughputOperationsPerSecond"])
bindings = [os.path.splitext(os.path.basename(p))[0] for p in paths]
lines = ["| workload | " + " | ".join(f"{b} (ops/s)" for b in bindings) + " | "
         + " | ".join(f"{b} / faster" for b in bindings if b != "faster") + " |",
         "|---|" + "---|" * (len(bindings) + len([b for b in bindings if b != "faster"]))]
for workload in sorted(throughput):
    medians = {b: statistics.median(v) for b, v in throughput[workload].items()}
    cells = [f"{medians[b]:,.0f}" if b in medians else "-" for b in bindings]
    ratios = []
    for b in bindings:
        if b == "faster":
            continue
        ratios.append(f"{medians[b] / medians['faster']:.2f}" if b in medians and medians.get("faster") else "-")
    lines.append(f"| {workload} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
with open(table_path, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
"$binary" report "${files[@]}" --html "$out/engines.html" --title "fasterbench: engines compared" >/dev/null
echo "compare-engines: table $out/engines.md, report $out/engines.html"
