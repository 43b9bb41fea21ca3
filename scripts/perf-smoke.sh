#!/usr/bin/env bash
# The perf smoke job: a fixed short suite (YCSB A-F, the FASTER-shaped workloads at small
# sizes, and the FasterLog workloads fasterlog-4k and fasterlog-64 with their raw-device ratio), repeated for statistics, compared against the committed baseline for this machine
# profile (results/baselines/<profile>/smoke.json). Safe under cron: absolute paths, a lock so
# two runs never overlap, no terminal needed, one log line at start and one at end.
#
#   scripts/perf-smoke.sh                    # full suite (about 2-3 minutes), gates on the baseline
#   scripts/perf-smoke.sh --quick            # seconds: proves the job works; never gates on numbers
#   scripts/perf-smoke.sh --update-baseline  # run, then make this run the machine's baseline
#
# Options: --quick, --keep K (run folders kept, default 30), --repeat N (default 5; quick 2),
#          --update-baseline, --no-build (use the last build in .build-perf),
#          --textfile-dir DIR (also FASTER_SMOKE_TEXTFILE_DIR: node_exporter's textfile collector
#          directory; the run's metrics go to DIR/fasterbench_<suite>.prom, replaced each run).
# Writes results/runs/<UTC timestamp>[-quick]/ with results.json, summary.md, report.html,
# compare.txt, suite.log and metrics.prom (the verdict, throughput and p99 per workload in
# Prometheus text format, `fasterbench textfile`); appends one line to results/runs/history.jsonl; the job's own log
# lines go to stderr and results/runs/perf-smoke.log.
# Exit: 0 no regression (improvements included), 2 regression, 1 error (build, missing baseline,
# unreadable results), 3 not comparable with the baseline (or workloads missing), 5 operations
# returned ERROR, 6 too few repetitions to judge a change, 64 bad options, 75 another run holds
# the lock, 143 stopped by SIGTERM (130 by SIGINT; the running child is stopped and the lock freed).
# --quick exits 0 whatever the numbers say, non-zero only when the job itself is broken.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export PATH="$PATH:/opt/swift/usr/bin:/usr/local/bin:/usr/bin:/bin"
quick=0
keep=30
repeat=""
update_baseline=0
build=1
textfile_dir="${FASTER_SMOKE_TEXTFILE_DIR:-}"
usage() { echo "perf-smoke.sh: $*" >&2; exit 64; }
# The value of option $1, which must be a whole number of at least $3.
number() {
  [ "$#" -ge 2 ] || usage "$1 needs a value"
  case "$2" in ''|*[!0-9]*) usage "$1 needs a whole number, not '$2'" ;; esac
  [ "$2" -ge "$3" ] || usage "$1 must be at least $3, not $2"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --keep) number "$@" 0; keep="$2"; shift ;;
    --repeat) number "$@" 1; repeat="$2"; shift ;;
    --update-baseline) update_baseline=1 ;;
    --no-build) build=0 ;;
    --textfile-dir) [ "$#" -ge 2 ] && [ -n "$2" ] || usage "--textfile-dir needs a directory"; textfile_dir="$2"; shift ;;
    *) echo "perf-smoke.sh: unknown option '$1' (accepted: --quick, --keep K, --repeat N, --update-baseline, --no-build, --textfile-dir DIR)" >&2; exit 64 ;;
  esac
  shift
done

runs="$root/results/runs"
mkdir -p "$runs"
if [ -n "$textfile_dir" ] && [ ! -d "$textfile_dir" ]; then
  usage "--textfile-dir $textfile_dir is not a directory (create it, or point it at node_exporter's --collector.textfile.directory)"
fi
joblog="$runs/perf-smoke.log"
log() { printf '%s perf-smoke[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$*" | tee -a "$joblog" >&2; }

exec 9>"$runs/.perf-smoke.lock"
if ! flock -n 9; then
  log "another perf-smoke run holds $runs/.perf-smoke.lock; not starting"
  exit 75
fi

# Children run in the background without the lock's descriptor (9>&-), and the script waits
# for them: a SIGTERM then reaches this shell at once, which stops the child and exits, and no
# orphan is left holding the lock.
child=""
run_child() {
  "$@" 9>&- &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}
stop() {
  local signal=$1 status=$2
  trap - TERM INT
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  log "stopped by SIG$signal${dir:+; folder $dir}"
  exit "$status"
}
trap 'stop TERM 143' TERM
trap 'stop INT 130' INT

if [ "$quick" = 1 ]; then
  suite=smoke-quick
  stamp="$(date -u +%Y%m%dT%H%M%SZ)-quick"
  repeat="${repeat:-2}"
  records=10000; ops=50000; scans=1000; faster_ops=100000; log_seconds=0.3
else
  suite=smoke
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  repeat="${repeat:-5}"
  records=100000; ops=600000; scans=15000; faster_ops=1500000; log_seconds=1
fi
dir="$runs/$stamp"
mkdir -p "$dir"
log "start: suite $suite, $repeat repetitions, folder $dir, load $(cut -d' ' -f1-3 /proc/loadavg)"

finish() {
  local status=$1
  log "end: suite $suite, exit $status, folder $dir, load $(cut -d' ' -f1-3 /proc/loadavg)"
  exit "$status"
}

cd "$root"
scratch="$root/.build-perf"
if [ "$build" = 1 ]; then
  if ! run_child swift build -c release --scratch-path "$scratch" --product fasterbench >"$dir/build.log" 2>&1; then
    log "build failed; see $dir/build.log"
    finish 1
  fi
fi
bin="$scratch/release/fasterbench"
[ -x "$bin" ] || { log "no fasterbench binary at $bin (run without --no-build)"; finish 1; }

w="$root/workloads"
workloads=(
  --workload "$w/workloada,operationcount=$ops" --workload "$w/workloadb,operationcount=$ops"
  --workload "$w/workloadc,operationcount=$ops" --workload "$w/workloadd,operationcount=$ops"
  --workload "$w/workloade,operationcount=$scans" --workload "$w/workloadf,operationcount=$ops"
)
for name in faster-a-uniform faster-a-zipf faster-c-uniform faster-c-zipf faster-rmw-uniform faster-rmw-zipf; do
  workloads+=(--workload "$w/$name,operationcount=$faster_ops,maxexecutiontime=0")
done
# FasterLog (workload=fasterlog files): each run is the log for log.seconds, then the raw
# O_DIRECT writer for as long; only log.* properties apply to them. The log directories go to
# the scratch folder (the same file system as the build), not to a tmpfs /tmp.
for name in fasterlog-4k fasterlog-64; do
  workloads+=(--workload "$w/$name,log.seconds=$log_seconds,log.directory=$scratch/fasterlog-$name")
done

suite_status=0
# The calibration workload (dictionary binding, untouched by engine changes) runs first in every
# round; compare scales each round's figures by it once the baseline has it too.
run_child "$bin" suite faster "${workloads[@]}" --calibration "$w/workloadc,operationcount=$ops" \
  -p recordcount="$records" -threads 2 --seed 1 \
  --status-interval 0.1 --repeat "$repeat" --json "$dir/results.json" >"$dir/suite.txt" 2>"$dir/suite.log" \
  || suite_status=$?
if [ "$suite_status" = 5 ]; then
  log "FAILED: operations returned ERROR: $(grep -m1 'error:' "$dir/suite.log" || echo "see $dir/suite.log")"
  finish 5
elif [ "$suite_status" != 0 ]; then
  log "the suite failed; see $dir/suite.log"
  finish 1
fi

history="$runs/history.jsonl"
baseline="$("$bin" baseline path --name "$suite" --baselines-directory "$root/results/baselines")"
status=0
missing_baseline=0
if [ -f "$baseline" ]; then
  run_child "$bin" compare "$dir/results.json" --baseline-name "$suite" --baselines-directory "$root/results/baselines" \
    --thresholds "$root/results/thresholds.toml" --markdown "$dir/summary.md" --history "$history" \
    --suite "$suite" --run-directory "$dir" >"$dir/compare.txt" 2>>"$dir/suite.log" || status=$?
  log "compare: $(tail -n 1 "$dir/compare.txt" 2>/dev/null || echo 'no output')"
else
  log "no baseline for this machine: $baseline (create it with scripts/perf-smoke.sh --update-baseline)"
  { echo "# Perf smoke $stamp"; echo; echo "No baseline for this machine ($baseline)."; echo; echo '```'
    cat "$dir/suite.txt"; echo '```'; } >"$dir/summary.md"
  missing_baseline=1
  [ "$quick" = 1 ] || [ "$update_baseline" = 1 ] || status=1
fi

run_child "$bin" report "$dir/results.json" --baseline-name "$suite" --baselines-directory "$root/results/baselines" \
  --thresholds "$root/results/thresholds.toml" --history "$history" --title "perf smoke $stamp ($suite)" \
  --html "$dir/report.html" 2>>"$dir/suite.log" || { log "the report failed; see $dir/suite.log"; status=1; }

if [ "$update_baseline" = 1 ]; then
  if "$bin" baseline update "$dir/results.json" --name "$suite" --baselines-directory "$root/results/baselines" \
    2>>"$dir/suite.log"; then
    log "baseline updated: $baseline (commit it)"
    status=0
  else
    log "baseline update refused; see $dir/suite.log"
    status=1
  fi
fi

# Keep the newest $keep run folders (full and quick alike), and always this run's, even with
# --keep 0; history.jsonl keeps every run.
mapfile -t old < <(find "$runs" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T*Z*' ! -name "$stamp" -printf '%f\n' \
  | sort -r | tail -n +"$((keep > 0 ? keep : 1))")
for name in "${old[@]}"; do rm -rf -- "${runs:?}/$name"; done

case "$status" in
  0) ;;
  4) log "improvement beyond the thresholds: consider scripts/perf-smoke.sh --update-baseline"; status=0 ;;
  2) log "REGRESSION: see $dir/summary.md and $dir/report.html" ;;
esac
case "$status" in
  5) log "FAILED: the candidate's operations returned ERROR; see $dir/compare.txt" ;;
  6) log "too few repetitions to judge a change; see $dir/compare.txt (raise --repeat)" ;;
esac
if [ "$quick" = 1 ] && { [ "$status" = 2 ] || [ "$status" = 6 ]; }; then
  log "quick mode: not gating on the numbers (the comparison said exit $status)"
  status=0
fi
# The run's verdict and figures for Prometheus: in the run folder, and (replacing the previous
# run's) in the textfile collector's directory. A failure here is logged, not a verdict.
if "$bin" textfile "$dir/results.json" --suite "$suite" --exit-code "$status" --output "$dir/metrics.prom" \
  2>>"$dir/suite.log"; then
  if [ -n "$textfile_dir" ]; then
    tmp="$textfile_dir/.fasterbench_$suite.prom.$$"
    if cp "$dir/metrics.prom" "$tmp" && mv -f "$tmp" "$textfile_dir/fasterbench_$suite.prom"; then
      log "metrics: $textfile_dir/fasterbench_$suite.prom"
    else
      rm -f "$tmp"; log "could not write the metrics into $textfile_dir"
    fi
  fi
else
  log "could not write $dir/metrics.prom; see $dir/suite.log"
fi
finish "$status"
