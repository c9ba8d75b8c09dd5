#!/usr/bin/env python3
"""Writes small Go execution traces, event by event (hostile/gotrace.py), at the edges where
flamegen once differed from go tool trace; make-trace-fixtures.sh records Go's outputs for them.

usage: edge_traces.py OUTDIR

  syscall-before-run.trace  a goroutine in a syscall when the trace begins leaves it, waits for
                            a P, then runs (go tool trace counts its syscall only after it ran)
  syscall-never-runs.trace  the same goroutine never runs in the trace (the whole syscall counts)
  sched-pc0.trace           one goroutine waits for a P under a one-frame stack at PC 0, another
                            under no stack (go tool trace tells stacks apart by their PCs)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))
from gotrace import Trace, G_RUNNING, G_SYSCALL, P_RUNNING  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
NAMES = {1: "main.main", 2: "main.go", 3: "runtime.notetsleepg", 5: "chan receive", 6: "preempted"}
STACKS = {1: [(0x1000, 1, 2, 10)], 2: [(0x2000, 3, 2, 20), (0x1000, 1, 2, 10)], 3: [(0, 0, 0, 0)]}


def write(name, ms):
    t = Trace(26)
    t.generation(1, ms, strings=NAMES, stacks=STACKS)
    with open(os.path.join(out, name), "wb") as f:
        f.write(t.bytes())


main = [("ProcStatus", 1, 0, P_RUNNING), ("GoStatus", 1, 1, 1, G_RUNNING)]
syscalling = [("GoStatusStack", 2, 2, 2, G_SYSCALL, 2), ("GoSyscallEndBlocked", 200_000_000)]
write("syscall-before-run.trace", {
    1: main + [("GoStop", 300_000_000, 6, 1), ("GoStart", 300_000_100, 2, 1), ("GoBlock", 300_000_200, 5, 1),
               ("GoStart", 300_000_300, 1, 1), ("GoStop", 400_000_000, 6, 1)],
    2: syscalling})
write("syscall-never-runs.trace", {1: main + [("GoStop", 400_000_000, 6, 1)], 2: syscalling})
write("sched-pc0.trace", {1: main + [
    ("GoCreate", 2, 2, 1, 1), ("GoCreate", 3, 3, 1, 1), ("GoStop", 4, 6, 1),
    ("GoStart", 5, 2, 1), ("GoStop", 6, 6, 3),          # G2 waits under the stack [PC 0]
    ("GoStart", 7, 3, 1), ("GoStop", 8, 6, 0),          # G3 waits under no stack
    ("GoStart", 9, 1, 1), ("GoStop", 1000, 6, 1),
    ("GoStart", 1001, 2, 2), ("GoBlock", 1002, 5, 1),
    ("GoStart", 2001, 3, 2), ("GoBlock", 2002, 5, 1),
    ("GoStart", 3000, 1, 2), ("GoBlock", 3001, 5, 1)]})
