#!/usr/bin/env bash
# Proof that automatic compaction lets an update-heavy store run on a disk smaller than the
# log it writes: workloads/compaction-update-uniform (YCSB A-like, 90% uniform updates over a
# log several times its memory) on a tmpfs of --disk-mb for faster.path, once with
# faster.compaction=on and once with =off. With it on the run must complete (exit 0) with the
# device log bounded; with it off it must fail cleanly with a disk-full error (non-zero exit,
# a message naming the file). Disk use over time comes from the results JSON (the status
# intervals' deviceLogBytes) and from df on the mount, sampled every --status seconds.
#
#   bash scripts/compaction-proof.sh [--disk-mb 96] [--seconds 40] [--target 300000] [--threads 2]
#                                    [--status 5] [--keep DIR] [--binary PATH]
#
# Needs root (mount -t tmpfs of a fixed size). Prints one line per mode and a summary line
# "compaction proof: on: exit 0 ... off: exit 5 (disk full) ... PASS", exits 1 if either
# mode did not behave. --keep DIR keeps the results JSON and logs there; --binary PATH uses
# that fasterbench instead of building one (swift build -c release).
set -euo pipefail
cd "$(dirname "$0")/.."
disk_mb=96
seconds=40
target=300000
threads=2
status=5
keep=""
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --disk-mb|--seconds|--target|--threads|--status)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "compaction-proof.sh: $1 needs a whole number" >&2; exit 2; }
      case "$1" in
        --disk-mb) disk_mb="$2" ;; --seconds) seconds="$2" ;; --target) target="$2" ;;
        --threads) threads="$2" ;; --status) status="$2" ;;
      esac
      shift 2 ;;
    --keep)
      [ $# -ge 2 ] || { echo "compaction-proof.sh: --keep needs a directory" >&2; exit 2; }
      keep="$2"; shift 2 ;;
    --binary)
      [ $# -ge 2 ] && [ -x "$2" ] || { echo "compaction-proof.sh: --binary needs an executable fasterbench" >&2; exit 2; }
      binary="$2"; shift 2 ;;
    *) echo "compaction-proof.sh: unknown option '$1' (accepted: --disk-mb, --seconds, --target, --threads, --status, --keep, --binary)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "compaction-proof.sh: needs root to mount a size-limited tmpfs (mount -t tmpfs -o size=...)" >&2; exit 2; }
if [ -z "$binary" ]; then
  swift build -j 2 -c release --product fasterbench >/dev/null
  binary="$(swift build -c release --show-bin-path)/fasterbench"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/faster-compaction-proof-XXXXXX")"
disk="$work/disk"
mkdir -p "$disk"
cleanup() { umount "$disk" 2>/dev/null || true; if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$work"/*.json "$work"/*.txt "$keep"/ 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
echo "compaction proof: tmpfs of $disk_mb MB, $seconds s, $threads threads, target $target ops/s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in on off; do
  mount -t tmpfs -o "size=${disk_mb}m" tmpfs "$disk"
  # df's view of the disk (segment files really deleted, not only the log's begin moved).
  ( while sleep "$status"; do echo "$(df -B1 --output=used "$disk" | tail -1)"; done ) >"$work/$mode-df.txt" &
  sampler=$!
  set +e
  "$binary" run faster -P workloads/compaction-update-uniform -p "faster.compaction=$mode" \
    -p "faster.path=$disk" -p "maxexecutiontime=$seconds" -threads "$threads" -target "$target" \
    -s --status-interval "$status" --json "$work/$mode.json" >"$work/$mode-out.txt" 2>"$work/$mode-err.txt"
  code=$?
  set -e
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  umount "$disk"
  python3 - "$mode" "$code" "$work/$mode.json" "$work/$mode-df.txt" "$work/$mode-err.txt" >"$work/$mode-line.txt" <<'PY'
import json, sys
mode, code, path, df_path, err_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
mb = lambda b: f"{b / 1e6:.0f}"
try:
    run = json.load(open(path))["runs"][-1]
except Exception:
    run = None
series, throughput, compactions, reclaimed = [], 0.0, 0, 0
if run:
    phase = [p for p in run["phases"] if p["name"] == "run"] or run["phases"]
    phase = phase[-1]
    series = [(p["endSeconds"], p.get("deviceLogBytes")) for p in phase["intervals"]]
    throughput = phase["throughputOperationsPerSecond"]
    stats = ((run.get("storeStatistics") or {}).get("statistics") or {}).get("compaction") or {}
    compactions, reclaimed = stats.get("compactions", 0), stats.get("bytesReclaimed", 0)
df = [int(line) for line in open(df_path).read().split() if line.isdigit()]
error = ""
if code != 0:
    lines = [l for l in open(err_path).read().splitlines() if "disk full" in l] or open(err_path).read().splitlines()[-1:]
    error = f" ({lines[0].strip()[:160]})" if lines else ""
device = " / ".join(f"{t:.0f}s:{mb(b)}" for t, b in series if b is not None)
peak = max([b for _, b in series if b is not None] or [0])
print(f"{mode}: exit {code}{error}; device log MB over time {device or 'none'} (peak {mb(peak)}); "
      f"df used MB {' / '.join(mb(b) for b in df) or 'none'}; throughput {throughput:,.0f} ops/s; "
      f"compactions {compactions} ({mb(reclaimed)} MB reclaimed)")
PY
  cat "$work/$mode-line.txt"
  echo "$code" >"$work/$mode-code.txt"
done
on_code=$(cat "$work/on-code.txt")
off_code=$(cat "$work/off-code.txt")
verdict=PASS
[ "$on_code" = 0 ] || verdict="FAIL (with compaction the run did not complete)"
if [ "$off_code" = 0 ] || ! grep -q "disk full" "$work/off-err.txt"; then
  verdict="FAIL (without compaction the run did not fail with disk full)"
fi
echo "compaction proof: on: exit $on_code, off: exit $off_code$(grep -q 'disk full' "$work/off-err.txt" && echo ' (disk full)'), disk $disk_mb MB: $verdict"
[ "$verdict" = PASS ]
