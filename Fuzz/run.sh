#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS, seeded from the fixtures and ../shared/corpus; fails if one crashes.
# usage: Fuzz/run.sh SECONDS TARGET...   (after `make fuzz-build`)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: Fuzz/run.sh SECONDS TARGET...}; shift
corpus=../shared/corpus
status=0
for t in "$@"; do
  seeds=.build-fuzz/seeds/$t; work=.build-fuzz/corpus-$t
  mkdir -p "$seeds" "$work" "Fuzz/crashers/$t"
  case $t in
    FuzzPprof) for f in "$corpus"/pprof/*.pb.gz "$corpus"/go/*.pb.gz; do [ -e "$f" ] && gzip -dc "$f" >"$seeds/$(basename "$f" .gz)"; done ;;
    FuzzGzip) cp "$corpus"/go/*.pb.gz "$seeds"/ 2>/dev/null ;;
    FuzzFolded) cp "$corpus"/folded/flamegraph/*/*.txt "$seeds"/ 2>/dev/null ;;
    FuzzGoroutine) cp "$corpus"/go/goroutine_debug*.txt "$corpus"/pprof-outputs/goroutine/*.txt Tests/FlamegenTests/Fixtures/go/goroutine_*.txt "$seeds"/ 2>/dev/null ;;
    FuzzRegex) printf '(a+)+b\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' >"$seeds/backtrack"; printf 'bytes=1kb:64kb\0x' >"$seeds/range" ;;
    FuzzTemplate) cp templates/viewer.html "$seeds"/ 2>/dev/null ;;
    FuzzTrace) cp Tests/FlamegenTests/Fixtures/trace/pipeline.trace "$seeds"/; head -c 30000 Tests/FlamegenTests/Fixtures/trace/http.trace >"$seeds/http-head.trace" ;;
    FuzzProfileShapes) head -c 512 /dev/urandom >"$seeds/random" ;;
    FuzzCollapse) for f in testdata/collapse/*.txt "$corpus"/stacks-raw/inferno-perf/*.txt "$corpus"/stacks-raw/inferno-dtrace/*.txt; do
        [ -e "$f" ] && { printf '\005'; head -c 60000 "$f"; } >"$seeds/$(basename "$f")"; done ;;
  esac
  echo "== $t for $seconds s"
  if ! .build-fuzz/release/$t -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix="Fuzz/crashers/$t/" "$work" "$seeds" >".build-fuzz/$t.log" 2>&1; then
    echo "$t: crash, see .build-fuzz/$t.log and Fuzz/crashers/$t/"; tail -20 ".build-fuzz/$t.log"; status=1
  else
    grep -E '^Done' ".build-fuzz/$t.log"
  fi
done
exit $status
