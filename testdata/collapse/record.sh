#!/bin/sh
# Records the reference collapses of the small captures in this folder with the reference tools:
# stackcollapse-perf.pl (FLAMEGRAPH_DIR, default ../shared/tools/flamegraph beside the repository)
# for perf script, stackcollapse.pl for DTrace. Run by `make fixtures`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=${FLAMEGRAPH_DIR:-$here/../../../shared/tools/flamegraph}
if [ ! -f "$tools/stackcollapse-perf.pl" ]; then echo "stackcollapse-perf.pl not found in $tools: references kept" >&2; exit 0; fi
for opt in "" pid tid kernel jit all addrs; do
  name=small.perf${opt:+-$opt}.folded
  perl "$tools/stackcollapse-perf.pl" ${opt:+--$opt} "$here/small.perf.txt" 2>/dev/null | tr -d "\"'" > "$here/$name"
done
perl "$tools/stackcollapse.pl" "$here/small.dtrace.txt" > "$here/small.dtrace.folded"
echo "recorded $(ls "$here"/*.folded | wc -l) references"
