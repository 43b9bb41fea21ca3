#!/usr/bin/env bash
# Same-machine A/B: builds <revision> (the baseline, A) from a `git archive` of it unpacked in a
# temporary folder (read-only for the repository: no worktree bookkeeping left behind), builds the working tree (the candidate, B), then runs them in turn, A B A B ..., on
# the same workloads, and gates on the pairwise ratios (fasterbench compare --paired: the
# signed-rank test of the log ratios, and the thresholds in results/thresholds.toml).
#
#   scripts/perf-ab.sh HEAD~1                     # this working tree against the previous commit
#   scripts/perf-ab.sh main --rounds 10 -- --workload workloads/faster-c-zipf,operationcount=2000000
#
# Options: --rounds N (A/B pairs, default 8; at least 6 can reach p < 0.05), --candidate REV
# (build a second revision instead of the working tree), --out DIR (default
# results/runs/ab-<time>), --quick (small workloads, 3 rounds; proves the script, gates on nothing),
# --a-binary PATH / --b-binary PATH (use these fasterbench binaries instead of building; with both,
# the revision argument is only a label: `perf-ab.sh self --a-binary X --b-binary X` measures the
# false-alarm rate of the same build against itself).
# Arguments after `--` replace the default workloads (fasterbench suite options).
# Exit codes: those of fasterbench compare (0 ok, 2 regression, 3 not comparable, 4 improvement
# only, 1 error); --quick exits 0 unless the script itself fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export PATH="$PATH:/opt/swift/usr/bin:/usr/local/bin:/usr/bin:/bin"
[ $# -ge 1 ] || { echo "usage: perf-ab.sh <git revision> [--rounds N] [--candidate REV] [--out DIR] [--quick] [-- suite options]" >&2; exit 64; }
baseline_rev="$1"; shift
rounds=8
candidate_rev=""
bin_a=""
bin_b=""
quick=0
out=""
suite_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --candidate) candidate_rev="$2"; shift ;;
    --out) out="$2"; shift ;;
    --quick) quick=1 ;;
    --a-binary) bin_a="$2"; shift ;;
    --b-binary) bin_b="$2"; shift ;;
    --) shift; suite_args=("$@"); break ;;
    *) echo "perf-ab.sh: unknown option '$1'" >&2; exit 64 ;;
  esac
  shift
done
log() { printf '%s perf-ab[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$*" >&2; }

cd "$root"
if [ -n "$bin_a" ]; then
  commit="$baseline_rev"
else
  commit="$(git rev-parse --verify "$baseline_rev^{commit}")" || { log "unknown revision $baseline_rev"; exit 1; }
fi
short="${commit:0:12}"
out="${out:-$root/results/runs/ab-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out/a" "$out/b"
work="$(mktemp -d -t perf-ab-XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# Build A (and B when it is a revision) from an exported tree; scratch folders live in the
# repository (.build-ab-<rev>, git-ignored) so a second A/B run of the same revision is quick.
build_revision() { # <commit> <folder> -> prints the binary path
  local rev="$1" tree="$2" scratch="$root/.build-ab-${1:0:12}"
  mkdir -p "$tree"
  git -C "$root" archive --format=tar "$rev" | tar -x -C "$tree"
  [ -f "$root/Package.resolved" ] && cp "$root/Package.resolved" "$tree/"
  swift build -c release --package-path "$tree" --scratch-path "$scratch" --product fasterbench >"$out/build-${rev:0:12}.log" 2>&1 \
    || { log "build of ${rev:0:12} failed; see $out/build-${rev:0:12}.log"; exit 1; }
  echo "$scratch/release/fasterbench"
}
log "start: A = $baseline_rev ($short), B = ${candidate_rev:-working tree}, $rounds rounds, out $out, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$bin_a" ] || bin_a="$(build_revision "$commit" "$work/a")"
if [ -n "$bin_b" ]; then
  :
elif [ -n "$candidate_rev" ]; then
  cand="$(git rev-parse --verify "$candidate_rev^{commit}")"
  bin_b="$(build_revision "$cand" "$work/b")"
else
  swift build -c release --scratch-path "$root/.build-ab-worktree" --product fasterbench >"$out/build-worktree.log" 2>&1 \
    || { log "build of the working tree failed; see $out/build-worktree.log"; exit 1; }
  bin_b="$root/.build-ab-worktree/release/fasterbench"
fi

w="$root/workloads"
if [ "${#suite_args[@]}" -eq 0 ]; then
  if [ "$quick" = 1 ]; then
    rounds=3
    suite_args=(--workload "$w/faster-a-zipf,operationcount=100000,maxexecutiontime=0" --workload "$w/workloadb,operationcount=50000" -p recordcount=10000)
  else
    suite_args=(
      --workload "$w/faster-a-zipf,operationcount=1500000,maxexecutiontime=0"
      --workload "$w/faster-rmw-uniform,operationcount=1500000,maxexecutiontime=0"
      --workload "$w/workloada,operationcount=600000" --workload "$w/workloadc,operationcount=600000"
      -p recordcount=100000)
  fi
fi

# A B A B ...: one repetition of every workload per process; a pair is adjacent in time.
for round in $(seq 1 "$rounds"); do
  for side in a b; do
    bin="$bin_a"; [ "$side" = b ] && bin="$bin_b"
    "$bin" suite faster "${suite_args[@]}" -threads 2 --seed 1 --status-interval 0.1 --repeat 1 --histograms none \
      --json "$(printf '%s/%s/%03d.json' "$out" "$side" "$round")" >/dev/null 2>>"$out/runs.log" \
      || { log "round $round, side $side failed; see $out/runs.log"; exit 1; }
  done
  log "round $round/$rounds done"
done

status=0
"$bin_b" compare "$out/b" "$out/a" --paired --thresholds "$root/results/thresholds.toml" --markdown "$out/summary.md" \
  | tee "$out/compare.txt" || status=$?
"$bin_b" report "$out/a" "$out/b" --html "$out/report.html" --title "A/B: $short vs ${candidate_rev:-working tree}" 2>>"$out/runs.log" || true
if [ "$quick" = 1 ]; then
  log "quick mode: compare said $status; not gating"
  status=0
fi
log "end: exit $status, out $out, load $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
