#!/usr/bin/env bash
# Records the edge traces of testdata/edge_traces.py (part of make fixtures) and, for each,
# go tool pprof -top of go tool trace -pprof=TYPE (net, sync, syscall, sched) by Go 1.27.3,
# into Tests/FlamegenTests/Fixtures/trace/edge/NAME.trace and NAME.TYPE.top.txt.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/Tests/FlamegenTests/Fixtures/trace/edge"
make -C "$repo" --no-print-directory go-1.27.3 >/dev/null
export PATH="$repo/.build/go-1.27.3/bin:$PATH" GOTOOLCHAIN=local GOPROXY=off TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out" && mkdir -p "$out"
python3 "$repo/testdata/edge_traces.py" "$out"
for t in "$out"/*.trace; do
  name=$(basename "$t" .trace)
  for type in net sync syscall sched; do
    go tool trace -pprof="$type" "$t" > "$tmp/p.pb"
    go tool pprof -top "$tmp/p.pb" > "$out/$name.$type.top.txt" 2>/dev/null
  done
done
ls -l "$out"
