#!/usr/bin/env bash
# flamegen benchmark: wall time and peak memory on the largest corpus profile and on a
# generated 100 MB folded file, with go tool pprof alongside when it is installed.
# usage: bench/run.sh [path/to/flamegen]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/flamegen}
corpus=../shared/corpus
work=.build/bench
mkdir -p "$work"
[ -d "$corpus" ] || { echo "bench: $corpus is absent; nothing to measure"; exit 0; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)"; exit 1; }

# measure NAME COMMAND...: best wall time of 3 runs, and the peak RSS of that run.
measure() {
  local name=$1; shift
  local best="" mem=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; return 1; }
    read -r t m <"$work/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf '%-52s %7.2f s %8.1f MB\n' "$name" "$best" "$(awk "BEGIN{print $mem/1024}")"
  echo "$best" >"$work/last.txt"
}

largest=$(ls -S "$corpus"/pprof/*.pb.gz "$corpus"/go/*.pb.gz | head -1)
big="$work/big-100M.folded"
[ -s "$big" ] || python3 "$corpus/gen-big-folded.py" 100M "$big"

echo "flamegen benchmark ($(nproc) cores), best of 3"
measure "flame SVG: $(basename "$largest") ($(du -h "$largest" | cut -f1))" "$bin" "$largest" -o "$work/largest.svg"
ours=$(cat "$work/last.txt")
measure "flame SVG: 100 MB folded ($(wc -l <"$big") lines)" "$bin" "$big" -o "$work/big.svg"
measure "icicle SVG: 100 MB folded" "$bin" icicle "$big" -o "$work/big-icicle.svg"

measure "flame PNG: $(basename "$largest") (1200 px)" "$bin" "$largest" -o "$work/largest.png"
ours_png=$(cat "$work/last.txt")
if command -v rsvg-convert >/dev/null 2>&1; then
  measure "reference: flamegen SVG + rsvg-convert" sh -c "'$bin' '$largest' -o '$work/largest.svg' && rsvg-convert '$work/largest.svg' -o '$work/largest-rsvg.png'"
  theirs=$(cat "$work/last.txt")
  awk "BEGIN{printf \"flamegen PNG vs SVG + rsvg-convert: %.1fx faster\n\", $theirs/$ours_png}"
else
  echo "reference: rsvg-convert not installed (apt-get install librsvg2-bin); skipped"
fi
measure "call graph SVG: $(basename "$largest")" "$bin" graph "$largest" -o "$work/largest-graph.svg"
ours_graph=$(cat "$work/last.txt")
measure "top: $(basename "$largest")" "$bin" top "$largest"
ours_top=$(cat "$work/last.txt")

if command -v go >/dev/null 2>&1; then
  measure "reference: go tool pprof -top $(basename "$largest")" go tool pprof -symbolize=none -top "$largest"
  theirs=$(cat "$work/last.txt")
  awk "BEGIN{printf \"flamegen flame SVG vs go tool pprof -top: %.1fx faster\n\", $theirs/$ours}"
  awk "BEGIN{printf \"flamegen top vs go tool pprof -top: %.1fx faster\n\", $theirs/$ours_top}"
  if command -v dot >/dev/null 2>&1; then
    measure "reference: go tool pprof -svg $(basename "$largest")" go tool pprof -symbolize=none -svg -output "$work/pprof.svg" "$largest"
    theirs=$(cat "$work/last.txt")
    awk "BEGIN{printf \"flamegen graph vs go tool pprof -svg: %.1fx faster\n\", $theirs/$ours_graph}"
  else
    echo "reference: dot not installed (apt-get install graphviz); go tool pprof -svg skipped"
  fi
else
  echo "reference: go tool pprof not installed (apt-get install golang-go); skipped"
fi
if command -v flamegraph.pl >/dev/null 2>&1; then
  measure "flame SVG: 100 MB folded (again, for the ratio)" "$bin" "$big" -o "$work/big.svg"
  ours_big=$(cat "$work/last.txt")
  measure "reference: flamegraph.pl 100 MB folded" flamegraph.pl "$big"
  theirs=$(cat "$work/last.txt")
  awk "BEGIN{printf \"flamegen vs flamegraph.pl: %.1fx faster\n\", $theirs/$ours_big}"
else
  echo "reference: flamegraph.pl not installed (not in Debian's packages); skipped"
fi

# perf script: collapsing, and straight to a flame graph, against FlameGraph's Perl scripts
# (FLAMEGRAPH_DIR: a FlameGraph checkout; default ../shared/tools/flamegraph).
fg=${FLAMEGRAPH_DIR:-../shared/tools/flamegraph}
perf_in="$work/big-200M.perf"
[ -s "$perf_in" ] || python3 "$corpus/stacks-raw/gen-big-perf.py" "$perf_in" 200M >/dev/null
measure "collapse: 200 MB perf script" "$bin" collapse "$perf_in"
ours_collapse=$(cat "$work/last.txt")
awk "BEGIN{printf \"flamegen collapse: %.0f MB/s\n\", 200/$ours_collapse}"
measure "perf script -> flame SVG: 200 MB" "$bin" "$perf_in" -o "$work/perf.svg"
ours_perf_svg=$(cat "$work/last.txt")
if [ -f "$fg/stackcollapse-perf.pl" ] && [ -f "$fg/flamegraph.pl" ]; then
  measure "reference: stackcollapse-perf.pl 200 MB" perl "$fg/stackcollapse-perf.pl" "$perf_in"
  theirs=$(cat "$work/last.txt")
  awk "BEGIN{printf \"flamegen collapse vs stackcollapse-perf.pl: %.1fx faster\n\", $theirs/$ours_collapse}"
  measure "reference: stackcollapse-perf.pl | flamegraph.pl" sh -c "perl '$fg/stackcollapse-perf.pl' '$perf_in' | perl '$fg/flamegraph.pl' > '$work/perf-pl.svg'"
  theirs=$(cat "$work/last.txt")
  awk "BEGIN{printf \"flamegen perf script -> SVG vs the Perl pipeline: %.1fx faster\n\", $theirs/$ours_perf_svg}"
else
  echo "reference: FlameGraph's scripts not found in $fg (set FLAMEGRAPH_DIR to a FlameGraph checkout); skipped"
fi

# Scaling: time and memory against input size (BENCH_1G=0 skips the 1 GB file).
for size in 10M 100M 1G; do
  [ "$size" = 1G ] && [ "${BENCH_1G:-1}" = 0 ] && continue
  file="$work/big-$size.folded"
  [ -s "$file" ] || python3 "$corpus/gen-big-folded.py" "$size" "$file"
  measure "scaling: $size folded ($(wc -l <"$file") lines)" "$bin" "$file" -o "$work/scale.svg"
done

# A pprof profile with over a million samples and 100k+ locations, made from the 1 GB folded file.
if [ "${BENCH_1G:-1}" != 0 ]; then
  big_pprof="$work/big-1G.pb.gz"
  [ -s "$big_pprof" ] || "$bin" convert "$work/big-1G.folded" --to pprof -o "$big_pprof"
  measure "top: 1.2M-sample pprof profile" "$bin" top "$big_pprof"
  ours_top=$(cat "$work/last.txt")
  measure "flame SVG: 1.2M-sample pprof profile" "$bin" "$big_pprof" -o "$work/big-pprof.svg"
  if command -v go >/dev/null 2>&1; then
    measure "reference: go tool pprof -top 1.2M-sample profile" go tool pprof -top "$big_pprof"
    theirs=$(cat "$work/last.txt")
    awk "BEGIN{printf \"flamegen top vs go tool pprof -top (1.2M samples): %.1fx faster\n\", $theirs/$ours_top}"
  fi
fi
