#!/usr/bin/env bash
# Measures the stored-baseline gate on this machine: how often a same-build run is flagged as a
# regression (false alarms), and how often an injected engine-sized slowdown is caught.
#
#   scripts/perf-gate-accuracy.sh                 # 20 same-build runs and 20 slowed runs (hours on a busy machine)
#   scripts/perf-gate-accuracy.sh --runs 3        # a reduced campaign
#   scripts/perf-gate-accuracy.sh --rejudge results/runs/accuracy-<time>   # judge a campaign's files again
#
# Options: --runs N (20), --slowdown PERCENT (10), --repeat R (5: repetitions per suite),
#          --records N (100000), --ops N (600000), --no-build, --binary PATH (a fasterbench to use),
#          --threshold ARG (passed to compare, repeatable: e.g. --threshold advisory=none judges
#          with every metric gating), --rejudge DIR (no new runs: compare DIR's same-*/slow-*
#          files against its baseline with this binary and these thresholds), --all-pairs (with
#          --rejudge: also use every same-build suite as a stored baseline for the others and for
#          the slowed ones; more comparisons from one campaign, though not independent ones).
# It builds fasterbench (release, .build-perf), runs one baseline suite with the calibration
# workload, then N times: the same build (candidate = baseline's build), and the same build
# with `slowdown.spinnanoseconds` set per workload to PERCENT of that workload's CPU time per
# operation in the baseline (a fasterbench-side spin inside each timed operation, standing in
# for an engine 10 % slower; the engine is untouched). Each
# candidate is compared calibrated (the default) and --uncalibrated, with results/thresholds.toml
# (the smoke job's). A comparison "alarms" when it exits 2. Each run's line records `uptime`.
# Results go to results/runs/accuracy-<time>/ (accuracy.txt holds the figures).
# Needs python3 (to read per-workload medians from the baseline's JSON).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
usage() { echo "perf-gate-accuracy.sh: $*" >&2; exit 64; }
number() {
  [ "$#" -ge 2 ] || usage "$1 needs a value"
  case "$2" in ''|*[!0-9]*) usage "$1 needs a whole number, not '$2'" ;; esac
  [ "$2" -ge 1 ] || usage "$1 must be at least 1"
}
runs=20; slowdown=10; repeat=5; records=100000; ops=600000; build=1; binary=""; rejudge=""; thresholds=(); all_pairs=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) number "$@"; runs="$2"; shift ;;
    --slowdown) number "$@"; slowdown="$2"; shift ;;
    --repeat) number "$@"; repeat="$2"; shift ;;
    --records) number "$@"; records="$2"; shift ;;
    --ops) number "$@"; ops="$2"; shift ;;
    --no-build) build=0 ;;
    --binary) [ "$#" -ge 2 ] || usage "--binary needs a path"; binary="$2"; build=0; shift ;;
    --threshold) [ "$#" -ge 2 ] || usage "--threshold needs a value"; thresholds+=(--threshold "$2"); shift ;;
    --rejudge) [ "$#" -ge 2 ] || usage "--rejudge needs a campaign folder"; rejudge="$2"; shift ;;
    --all-pairs) all_pairs=1 ;;
    *) usage "unknown option '$1' (accepted: --runs N, --slowdown PERCENT, --repeat R, --records N, --ops N, --no-build, --binary PATH, --threshold ARG, --rejudge DIR, --all-pairs)" ;;
  esac
  shift
done
command -v python3 >/dev/null || { echo "perf-gate-accuracy.sh: needs python3" >&2; exit 1; }

cd "$root"
scratch="$root/.build-perf"
[ "$build" = 0 ] || swift build -c release --scratch-path "$scratch" --product fasterbench >/dev/null
bin="${binary:-$scratch/release/fasterbench}"
[ -x "$bin" ] || { echo "perf-gate-accuracy.sh: no fasterbench at $bin" >&2; exit 1; }

verdict() {  # verdict CANDIDATE [--uncalibrated [BASELINE]]: the compare exit code
  local status=0
  "$bin" compare "$1" "${3:-$dir/baseline.json}" --thresholds "$root/results/thresholds.toml" \
    ${thresholds[@]+"${thresholds[@]}"} ${2:+"$2"} >>"$log" 2>&1 || status=$?
  echo "$status"
}

if [ -n "$rejudge" ]; then
  dir="$(cd "$rejudge" && pwd -P)"
  [ -f "$dir/baseline.json" ] || { echo "perf-gate-accuracy.sh: $dir has no baseline.json" >&2; exit 1; }
  log="$dir/rejudge-$(date -u +%Y%m%dT%H%M%SZ).log"
  out="${log%.log}.txt"
  echo "rejudged with $bin ${thresholds[*]:-}" | tee "$out"
  counts() {  # counts PREFIX [BASELINE]: "alarms calibrated, alarms uncalibrated, comparisons"
    local n=0 a=0 b=0 file x y base=${2:-$dir/baseline.json}
    for file in "$dir/$1"-*.json; do
      [ -f "$file" ] && [ "$file" != "$base" ] || continue
      n=$((n + 1)); x=$(verdict "$file" "" "$base"); y=$(verdict "$file" --uncalibrated "$base")
      [ "$x" != 2 ] || a=$((a + 1)); [ "$y" != 2 ] || b=$((b + 1))
      echo "$(basename "$file") vs $(basename "$base"): exit $x (uncalibrated $y)" >>"$out"
    done
    echo "$a $b $n"
  }
  same_alarms=0; same_raw=0; same_n=0; caught=0; caught_raw=0; slow_n=0
  bases=("$dir/baseline.json")
  [ "$all_pairs" = 0 ] || for file in "$dir"/same-*.json; do [ -f "$file" ] && bases+=("$file"); done
  for base in "${bases[@]}"; do
    read -r a b n < <(counts same "$base")
    same_alarms=$((same_alarms + a)); same_raw=$((same_raw + b)); same_n=$((same_n + n))
    if [ "$base" != "$dir/baseline.json" ]; then  # the baseline suite as a candidate too
      x=$(verdict "$dir/baseline.json" "" "$base"); y=$(verdict "$dir/baseline.json" --uncalibrated "$base")
      same_n=$((same_n + 1)); [ "$x" != 2 ] || same_alarms=$((same_alarms + 1)); [ "$y" != 2 ] || same_raw=$((same_raw + 1))
      echo "baseline.json vs $(basename "$base"): exit $x (uncalibrated $y)" >>"$out"
    fi
    read -r a b n < <(counts slow "$base")
    caught=$((caught + a)); caught_raw=$((caught_raw + b)); slow_n=$((slow_n + n))
  done
  {
    echo "false alarms (same build flagged): calibrated $same_alarms of $same_n, uncalibrated $same_raw of $same_n"
    echo "caught (slowed runs flagged): calibrated $caught of $slow_n, uncalibrated $caught_raw of $slow_n"
  } | tee -a "$out"
  exit 0
fi

dir="$root/results/runs/accuracy-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
log="$dir/compare.log"
w="$root/workloads"
names=(workloada workloadb workloadc workloadf faster-a-zipf faster-c-uniform)

# suite OUTPUT [SPIN_BY_LABEL_FILE]: the suite, with a per-workload spin when given.
suite() {
  local output=$1 spins=${2:-} args=() name spin
  for name in "${names[@]}"; do
    spin=""
    [ -z "$spins" ] || spin=",slowdown.spinnanoseconds=$(awk -v n="$name" '$1 == n { print $2 }' "$spins")"
    args+=(--workload "$w/$name,operationcount=$ops,maxexecutiontime=0$spin")
  done
  "$bin" suite faster "${args[@]}" --calibration "$w/workloadc,operationcount=$ops" \
    -p recordcount="$records" -threads 2 --seed 1 --repeat "$repeat" --json "$output" >/dev/null 2>>"$dir/suite.log"
}

echo "baseline suite ($repeat repetitions), $(uptime)" | tee -a "$dir/accuracy.txt"
suite "$dir/baseline.json"
# Each workload's spin: PERCENT of its CPU time per operation per thread, estimated as the
# operations' median latency (weighted by operation count; the median is the engine's cost,
# clear of preemptions) plus the harness overhead per operation (the lowest of the
# repetitions). Not threads / throughput: on a loaded machine that wall time is mostly time
# spent waiting for a CPU, and a spin sized by it slows the run far more than PERCENT.
python3 - "$dir/baseline.json" "$slowdown" >"$dir/spins.txt" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["runs"]
percent = float(sys.argv[2])
medians, harness = {}, {}
for run in runs:
    phase = [p for p in run["phases"] if p["name"] == run["command"]][-1]
    weighted = [(t["operations"], t["latency"]["nanoseconds"]["p50"]) for t in phase["operationTypes"]
                if t.get("latency") and t["operations"] > 0]
    total = sum(n for n, _ in weighted)
    label = run.get("workload")
    medians.setdefault(label, []).append(sum(n * v for n, v in weighted) / total)
    harness.setdefault(label, []).append(run["harnessOverhead"]["nanosecondsPerOperation"])
for label in medians:
    cpu = statistics.median(medians[label]) + min(harness[label])
    print(label, max(1, int(round(percent / 100 * cpu))))
PY
cat "$dir/spins.txt" >>"$dir/accuracy.txt"

same_alarms=0; same_raw=0; caught=0; caught_raw=0
for i in $(seq 1 "$runs"); do
  suite "$dir/same-$i.json"
  a=$(verdict "$dir/same-$i.json"); b=$(verdict "$dir/same-$i.json" --uncalibrated)
  [ "$a" != 2 ] || same_alarms=$((same_alarms + 1)); [ "$b" != 2 ] || same_raw=$((same_raw + 1))
  suite "$dir/slow-$i.json" "$dir/spins.txt"
  c=$(verdict "$dir/slow-$i.json"); d=$(verdict "$dir/slow-$i.json" --uncalibrated)
  [ "$c" != 2 ] || caught=$((caught + 1)); [ "$d" != 2 ] || caught_raw=$((caught_raw + 1))
  echo "run $i: same build exit $a (uncalibrated $b); ${slowdown}% slower exit $c (uncalibrated $d); $(uptime)" \
    | tee -a "$dir/accuracy.txt"
done
{
  echo "false alarms (same build flagged): calibrated $same_alarms of $runs, uncalibrated $same_raw of $runs"
  echo "caught (${slowdown}% slowdown flagged): calibrated $caught of $runs, uncalibrated $caught_raw of $runs"
} | tee -a "$dir/accuracy.txt"
