#!/usr/bin/env bash
# Render a flame graph for every profile in a folder, as a CI job would after a load test.
# usage: examples/pipeline.sh PROFILE_DIR OUT_DIR [flamegen binary]
# Exits non-zero (and names the file) as soon as a profile cannot be read; an earlier SVG is
# never half-written, because flamegen writes atomically.
set -euo pipefail
in=${1:?usage: pipeline.sh PROFILE_DIR OUT_DIR [flamegen]}
out=${2:?usage: pipeline.sh PROFILE_DIR OUT_DIR [flamegen]}
flamegen=${3:-flamegen}
mkdir -p "$out"
for profile in "$in"/*; do
  case "$profile" in *.pb.gz|*.pb|*.folded|*.txt) ;; *) continue ;; esac
  name=$(basename "$profile"); name=${name%%.*}
  "$flamegen" "$profile" -o "$out/$name.svg"
  "$flamegen" icicle "$profile" -o "$out/$name.icicle.svg"
  echo "rendered $out/$name.svg"
done
# Heap profiles hold several sample types: render the allocations too.
for heap in "$in"/heap*.pb.gz; do
  [ -e "$heap" ] || continue
  "$flamegen" "$heap" --sample-index alloc_space -o "$out/$(basename "${heap%%.*}").alloc_space.svg"
done
