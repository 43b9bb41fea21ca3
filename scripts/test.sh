#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. system packages (scripts/install-deps.sh), 2. lint (swift format),
#   3. every test in a debug build, 4. the concurrency suites again under the thread
#   sanitizer. Fails on any failure, including a sanitizer report that `swift test`
#   summarises as "passed" (it can exit 1 with passing summary lines, or the reverse).
# Options: --no-tsan skips step 4; --no-lint skips step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

run_tsan=1
run_lint=1
for argument in "$@"; do
  case "$argument" in
    --no-tsan) run_tsan=0 ;;
    --no-lint) run_lint=0 ;;
    *) echo "test.sh: unknown option '$argument' (accepted: --no-tsan, --no-lint)" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh
# Python's hdrhistogram package decodes our results' histograms in an interoperability test
# (HistogramV2CodecTests); without it that test is skipped with a message, so a failed install
# only warns.
if ! python3 -c 'import hdrh.histogram' 2>/dev/null; then
  python3 -m pip install --quiet hdrhistogram >/dev/null 2>&1 \
    || echo "test.sh: warning: cannot pip install hdrhistogram; the Python interoperability test will be skipped" >&2
fi

if [ "$run_lint" = 1 ]; then
  echo "== lint (swift format lint --strict)"
  swift format lint --strict --recursive --parallel Package.swift Sources Tests
fi

echo "== tests (debug build)"
swift build --build-tests
swift test --skip-build

if [ "$run_tsan" = 1 ]; then
  echo "== concurrency tests under the thread sanitizer"
  # jemalloc and the sanitizers do not mix: Package.swift leaves it out for this build.
  log=$(mktemp)
  status=0
  FASTER_SANITIZER_BUILD=1 FASTER_TSAN=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    swift test --scratch-path .build-tsan --sanitize=thread --filter 'ConcurrencyTests' 2>&1 | tee "$log" \
    || status=$?
  if grep -q "WARNING: ThreadSanitizer" "$log"; then
    echo "test.sh: the thread sanitizer reported a problem (see above)" >&2
    status=1
  fi
  if ! grep -qE "Test run with [1-9][0-9]* tests? .* passed" "$log"; then
    echo "test.sh: the sanitizer run did not report passing concurrency tests" >&2
    status=1
  fi
  rm -f "$log"
  [ "$status" = 0 ] || exit "$status"
fi
echo "test.sh: all passed"
