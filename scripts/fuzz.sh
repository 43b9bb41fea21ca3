#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, Swift's -sanitize=fuzzer) of every parser of an
# on-disk format: builds each target of Fuzz/ with AddressSanitizer into .build-fuzz and runs
# it for a bounded time on a copy of its committed seed corpus (Fuzz/corpus/<target>).
#
#   bash scripts/fuzz.sh [--seconds N] [target ...]     (default: 60 s, every target)
#
# A crash, an AddressSanitizer report, an input running longer than 10 s (-timeout), an
# allocation over 256 MB (-malloc_limit_mb) or RSS over 2 GB (-rss_limit_mb) fails the target.
# Prints one summary line per target and exits non-zero if any failed; crashing inputs are
# kept in Fuzz/findings/<target>/ (replay: .build-fuzz/release/<target> <file>).
# Inputs that found new coverage are left in the scratch corpus (printed); copy the useful
# ones into Fuzz/corpus/<target> by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz-log-commit-record fuzz-log-entry fuzz-log-recovery fuzz-device-record fuzz-results-json fuzz-workload-file fuzz-checkpoint-files fuzz-checkpoint-delta)
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds needs a positive whole number" >&2; exit 2; }
      seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (accepted: --seconds N, target names)" >&2; exit 2 ;;
    *)
      known=0
      for target in "${all_targets[@]}"; do [ "$target" = "$1" ] && known=1; done
      [ "$known" = 1 ] || { echo "fuzz.sh: unknown target '$1' (known: ${all_targets[*]})" >&2; exit 2; }
      targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# The fuzz targets exist only in this build (Package.swift); jemalloc stays out under ASan.
# The flags go to swiftc as one -sanitize= list: two separate flags would keep only the last.
# lld links them: gold stops with an internal error (dwarf_reader.cc) on the libFuzzer link.
build() {
  FASTER_FUZZ_BUILD=1 FASTER_SANITIZER_BUILD=1 swift build -j 2 -c release --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld --product "$1"
}
echo "== building ${#targets[@]} fuzz target(s) (release, libFuzzer + AddressSanitizer, .build-fuzz)"
for target in "${targets[@]}"; do
  log=$(mktemp)
  if ! build "$target" >"$log" 2>&1; then
    grep -v "warning: Cannot export local symbol" "$log" | tail -40 >&2
    rm -f "$log"
    echo "fuzz.sh: building $target failed" >&2
    exit 1
  fi
  rm -f "$log"
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/faster-fuzz-corpus-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failed=0
for target in "${targets[@]}"; do
  corpus="$scratch/$target"
  mkdir -p "$corpus" "Fuzz/findings/$target"
  if [ -d "Fuzz/corpus/$target" ]; then cp Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true; fi
  seeds=$(find "$corpus" -type f | wc -l)
  log="$scratch/$target.log"
  status=0
  ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0" \
    .build-fuzz/release/"$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=256 -print_final_stats=1 -artifact_prefix="Fuzz/findings/$target/" >"$log" 2>&1 \
    || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  grown=$(find "$corpus" -type f | wc -l)
  if [ "$status" = 0 ]; then
    echo "fuzz: $target: ok, ${runs:-0} runs in ${seconds} s, coverage ${coverage:-?} edges, corpus $seeds -> $grown inputs"
  else
    failed=1
    reason=$(grep -m1 -E "ERROR: (libFuzzer|AddressSanitizer)|Fatal error|Precondition failed|SUMMARY" "$log" || true)
    echo "fuzz: $target: FAILED (exit $status): ${reason:-see log}"
    grep -E "^Fatal error|Precondition failed|ERROR:|SUMMARY:|^    #[0-9] |artifact_prefix|Test unit written" "$log" | head -30 | sed 's/^/  /'
  fi
done
[ "$failed" = 0 ] || { echo "fuzz.sh: at least one target failed; crashing inputs are in Fuzz/findings/" >&2; exit 1; }
echo "fuzz.sh: all ${#targets[@]} target(s) passed"
