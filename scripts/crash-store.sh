#!/usr/bin/env bash
# FasterKV crash campaign with real processes (CPR): a child runs upserts, RMWs and deletes
# from named sessions with fold-over, snapshot and incremental checkpoints and compaction
# (manual, by lookup and by scan, and the automatic policy) on a real directory and streams
# every completed operation, durable checkpoint (with its commit points) and compaction
# start/end through a pipe; the parent SIGKILLs it at a random moment (often inside a
# compaction), recovers the store and checks the prefix guarantee per session against what
# the child acknowledged, and that deleted keys stay deleted.
#
#   bash scripts/crash-store.sh [--points N (default 200)] [--seed S (default: random)] [--threads T (default 2)]
#
# Prints "crash points: N, recovered: N, prefix violations: 0, lost acknowledged-durable
# operations: 0, killed during compaction: K, compactions: C" and exits non-zero on any failure. Replay a run with its printed seed.
set -euo pipefail
cd "$(dirname "$0")/.."
points=200
seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --points|--seed|--threads)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "crash-store.sh: $1 needs a whole number" >&2; exit 2; }
      case "$1" in --points) points="$2" ;; --seed) seed="$2" ;; --threads) threads="$2" ;; esac
      shift 2 ;;
    *) echo "crash-store.sh: unknown option '$1' (accepted: --points N, --seed S, --threads T)" >&2; exit 2 ;;
  esac
done
[ "$points" -gt 0 ] && [ "$threads" -gt 0 ] || { echo "crash-store.sh: --points and --threads must be at least 1" >&2; exit 2; }
swift build -j 2 -c release --product faster-store-crash-child >/dev/null
directory="$(mktemp -d "${TMPDIR:-/tmp}/faster-store-crash-XXXXXX")"
trap 'rm -rf "$directory"' EXIT
echo "FasterKV crash campaign: $points points, $threads threads, seed $seed (replay: bash scripts/crash-store.sh --points $points --seed $seed --threads $threads)"
.build/release/faster-store-crash-child campaign "$directory" "$points" "$seed" "$threads"
