#!/usr/bin/env bash
# FasterLog crash campaign with real processes: a child enqueues and commits from several
# threads and reports each commit it saw complete through a pipe; the parent SIGKILLs it at
# random moments, reopens the log and checks every acknowledged entry is present and
# intact and no torn entry is exposed.
#
#   bash scripts/crash-fasterlog.sh [points (default 200)] [seed (default: random)] [threads (default 3)]
#
# Prints "crash points: N, recovered: N, lost acknowledged entries: 0, torn entries exposed: 0"
# and exits non-zero on any failure. Replay a run with its printed seed.
set -euo pipefail
cd "$(dirname "$0")/.."
points="${1:-200}"
seed="${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
threads="${3:-3}"
bash scripts/install-deps.sh
swift build -c release --product faster-log-crash-child >/dev/null
directory="$(mktemp -d "${TMPDIR:-/tmp}/fasterlog-crash-XXXXXX")"
trap 'rm -rf "$directory"' EXIT
echo "FasterLog crash campaign: $points points, $threads threads, seed $seed (replay: bash scripts/crash-fasterlog.sh $points $seed $threads)"
.build/release/faster-log-crash-child campaign "$directory" "$points" "$seed" "$threads"
