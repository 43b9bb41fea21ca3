#!/usr/bin/env bash
# Instruction-count A/B of the hot path, immune to the machine's load: runs two fasterbench
# binaries under valgrind's cachegrind (no cache simulation) on the same seeded, fixed-length
# workload, and prints the instructions per operation of each, with the functions whose counts
# moved most. Time on a shared 2-core VM moves by ±10 % between runs a minute apart; the
# instruction count of a seeded run moves by well under 0.5 %, so a change that adds work per
# operation shows here even when timed A/B runs are noise. Instructions are not time (a cache
# miss costs hundreds of cycles and no instruction): use it to find and confirm added work,
# and scripts/perf-ab.sh at a quiet time to measure speed.
#
#   scripts/instructions-ab.sh A-BINARY B-BINARY [--workload FILE] [--records N] [--ops N] [--top N]
#
# Defaults: workloads/faster-a-zipf, 200 000 records, 1 000 000 operations, one thread, seed 7,
# top 15 functions. Needs valgrind (`apt-get install valgrind`; not in install-deps: CI does not use it). Valgrind
# 3.19 cannot read the DWARF 5 debug information Swift's toolchain writes, so the binaries are
# run from copies with their debug sections stripped (symbols stay). Needs python3.
# Exit codes: 0 done, 64 usage, 1 a run failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
usage() { echo "instructions-ab.sh: $*" >&2; exit 64; }
[ $# -ge 2 ] || usage "usage: instructions-ab.sh A-BINARY B-BINARY [--workload FILE] [--records N] [--ops N] [--top N]"
bin_a="$1"; bin_b="$2"; shift 2
workload="$root/workloads/faster-a-zipf"; records=200000; ops=1000000; top=15
number() {
  [ "$#" -ge 2 ] || usage "$1 needs a value"
  case "$2" in ''|*[!0-9]*) usage "$1 needs a whole number, not '$2'" ;; esac
  [ "$2" -ge 1 ] || usage "$1 must be at least 1"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --workload) [ "$#" -ge 2 ] || usage "--workload needs a file"; workload="$2"; shift ;;
    --records) number "$@"; records="$2"; shift ;;
    --ops) number "$@"; ops="$2"; shift ;;
    --top) number "$@"; top="$2"; shift ;;
    *) usage "unknown option '$1' (accepted: --workload FILE, --records N, --ops N, --top N)" ;;
  esac
  shift
done
for bin in "$bin_a" "$bin_b"; do [ -x "$bin" ] || usage "no executable at $bin"; done
[ -f "$workload" ] || usage "no workload file at $workload"
command -v valgrind >/dev/null || { echo "instructions-ab.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "instructions-ab.sh: needs python3" >&2; exit 1; }

work="$(mktemp -d /tmp/instructions-ab.XXXXXX)"
trap 'rm -rf "$work"' EXIT
for side in a b; do
  bin="bin_$side"
  strip --strip-debug -o "$work/fasterbench-$side" "${!bin}"
  echo "running $side under cachegrind (${!bin}) ..." >&2
  if ! valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/$side.out" \
    "$work/fasterbench-$side" run faster -P "$workload" -p recordcount="$records" \
    -p operationcount="$ops" -p maxexecutiontime=0 -threads 1 --seed 7 >"$work/$side.log" 2>&1; then
    echo "instructions-ab.sh: the $side run failed; its output:" >&2
    tail -20 "$work/$side.log" >&2
    exit 1
  fi
done

python3 - "$work/a.out" "$work/b.out" "$records" "$ops" "$top" <<'EOF'
import re, subprocess, sys
a_path, b_path, records, ops, top = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def functions(path):
    out = subprocess.run(["cg_annotate", path], capture_output=True, text=True, check=True).stdout
    counts, listing = {}, False
    for line in out.splitlines():
        if "file:function" in line:
            listing = True
            continue
        match = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)", line) if listing else None
        if match:
            counts[match.group(2)] = counts.get(match.group(2), 0) + int(match.group(1).replace(",", ""))
        elif listing and counts and not line.strip():
            break
    return counts

a, b = functions(a_path), functions(b_path)
operations = records + ops
total_a, total_b = sum(a.values()), sum(b.values())
print(f"operations (load + run): {operations}")
print(f"instructions per operation: A {total_a / operations:.1f}  B {total_b / operations:.1f}  "
      f"change {100 * (total_b - total_a) / total_a:+.2f} %")
print(f"functions that moved most (instructions per operation, B - A):")
for name in sorted(set(a) | set(b), key=lambda n: -abs(b.get(n, 0) - a.get(n, 0)))[:top]:
    delta = (b.get(name, 0) - a.get(name, 0)) / operations
    print(f"  {delta:+8.2f}  A {a.get(name, 0) / operations:8.2f}  B {b.get(name, 0) / operations:8.2f}  {name[:110]}")
EOF
