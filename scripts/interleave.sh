#!/usr/bin/env bash
# CPU time (user + system) of the floor, `check` and `fix` over one folder of workbooks, run in
# turn N times so that a machine whose speed changes from minute to minute slows each alike;
# prints each one's runs sorted (take the best and the median). `fix` writes once to tmpfs
# (/dev/shm: its own work) and once to a new folder on the disk (with the file system's work of
# creating and flushing each output). How docs/performance.md's interleaved series were taken.
#
#   cargo build --release --bin goalsheet --example floor
#   bash scripts/interleave.sh [N] [FOLDER]      # default 7 runs, the benchmark's corpus
#   DISK=/mnt/other bash scripts/interleave.sh     # "fix-disk" on another file system
#   PIN=1 bash scripts/interleave.sh               # every command on CPU 0, CPU 1 kept busy
#
# PIN=1 is for a virtual machine whose speed depends on whether its other vCPU is idle (this
# one's: the same run takes 0.8 s or 1.2 s): with a spinning loop on CPU 1 every command runs
# in the same, slower mode, and a disk write's interrupts no longer decide the mode.
#
# On ext4 without a journal, creating a file walks past every inode freed in the last 1–6
# minutes (`recently_deleted`): start a series at least 6 minutes after deleting many files.
# KEEP=1 leaves the disk outputs behind (in a new folder per series) for the next series not to
# pay for deleting them; delete them once the last series is over.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-7}
corpus=${2:-target/bench/corpus-v2-1000-s1}
bin=target/release
[ -d "$corpus" ] || { echo "no folder $corpus (cargo run --release --example bench writes it)" >&2; exit 2; }
disk=${DISK:-target/bench/interleave}/goalsheet-interleave${KEEP:+-$$}
shm=/dev/shm/goalsheet-interleave
times=$(mktemp)
run=()
spin=
if [ "${PIN:-}" = 1 ]; then
  taskset -c 1 sh -c 'while :; do :; done' &
  spin=$!
  run=(taskset -c 0)
fi
trap 'rm -rf "$shm" "$times"; [ -n "${KEEP:-}" ] || rm -rf "$disk"; [ -z "$spin" ] || kill "$spin"' EXIT
rm -rf "$disk" "$shm"
mkdir -p "$disk"
for i in $(seq "$n"); do
  /usr/bin/time -f "floor %U %S" "${run[@]}" "$bin/examples/floor" "$corpus" >/dev/null 2>>"$times"
  /usr/bin/time -f "check %U %S" "${run[@]}" "$bin/goalsheet" check --jobs 1 --format short "$corpus" >/dev/null 2>>"$times" || true
  rm -rf "$shm" && mkdir "$shm"
  /usr/bin/time -f "fix-tmpfs %U %S" "${run[@]}" "$bin/goalsheet" fix --jobs 1 --out-dir "$shm" "$corpus" >/dev/null 2>>"$times" || true
  # A new folder each run: deleting the last run's files first would slow creating these.
  mkdir "$disk/$i"
  /usr/bin/time -f "fix-disk %U %S" "${run[@]}" "$bin/goalsheet" fix --jobs 1 --out-dir "$disk/$i" "$corpus" >/dev/null 2>>"$times" || true
done
for k in floor check fix-tmpfs fix-disk; do
  printf '%-10s CPU s: %s\n' "$k" "$(awk -v k="$k" '$1 == k {printf "%.2f\n", $2 + $3}' "$times" | sort -n | tr '\n' ' ')"
  printf '%-10s sys s: %s\n' "" "$(awk -v k="$k" '$1 == k {printf "%.2f\n", $3}' "$times" | sort -n | tr '\n' ' ')"
done
# Each run's fix beside the check run just before it: the machine's speed drifts less between
# the two than over the whole series.
for k in fix-tmpfs fix-disk; do
  ratios=$(awk -v k="$k" '$1 == "check" {c[++nc] = $2 + $3} $1 == k {f[++nf] = $2 + $3}
    END {for (i = 1; i <= nf && i <= nc; i++) if (c[i] > 0) printf "%.2f\n", f[i] / c[i]}' "$times" | sort -n)
  median=$(echo "$ratios" | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  printf '%-10s ÷ check, run by run: %s(median %s)\n' "$k" "$(echo "$ratios" | tr '\n' ' ')" "$median"
done
