#!/usr/bin/env python3
"""Writes the regression inputs of every fuzz target into Tests/FlamegenTests/Fixtures/crashers/TARGET/
(the test suite replays each file through FuzzBodies; crashers the fuzzers find go beside them).
Each is a small input that once crashed or hung flamegen, in the form its target reads.

usage: make_crashers.py [OUTDIR]
"""
import gzip
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gotrace import Trace, G_RUNNING, P_RUNNING, uvarint  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Tests/FlamegenTests/Fixtures/crashers")


def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)


NAMES = {1: "main.main", 2: "main.go", 5: "chan receive"}
STACK = {1: [(0x1000, 1, 2, 10)]}
running = [("ProcStatus", 1, 0, P_RUNNING), ("GoStatus", 1, 1, 1, G_RUNNING)]
MAX = (1 << 64) - 1
# FuzzTrace: the first byte is also the chunk size; these traces start with the header's "g".
t = Trace(22)
t.generation(MAX, {1: running})
t.generation(1, {1: running})
write("FuzzTrace", "generation-max", t.bytes())
t = Trace(26)
t.generation(1, {1: running + [("GCBegin", 10, MAX, 1), ("GCEnd", 20, 0)]}, strings=NAMES, stacks=STACK)
write("FuzzTrace", "gc-seq-max", t.bytes())
t = Trace(26)
t.generation(1, {1: running + [("GoSyscallBegin", 10, MAX, 1)], 2: [("ProcSteal", 20, 0, 0, 1)]}, strings=NAMES, stacks=STACK)
write("FuzzTrace", "proc-seq-max", t.bytes())
t = Trace(26)
t.generation(1, {1: [("ProcsChange", 10, 2, 1), ("ProcsChange", 8_500_000_000_000_000_000, 4, 1)]}, stacks=STACK)
write("FuzzTrace", "procs-far-apart", t.bytes())
t = Trace(26)
t.generation(1, {1: running + [("GoCreate", 2, 2, 1, 1), ("GoCreate", 3, 3, 1, 1), ("GoStop", 4, 5, 1),
                               ("GoStart", 5, 2, 1), ("GoBlock", 6, 5, 1), ("GoStart", 7, 3, 1), ("GoBlock", 8, 5, 1),
                               ("GoStart", 9, 1, 1), ("GoUnblock", 5 * 10**18 + 10, 2, 2, 1), ("GoUnblock", 5 * 10**18 + 11, 3, 2, 1)]},
             strings=NAMES, stacks=STACK)
write("FuzzTrace", "blocked-sum", t.bytes())


def field(n, payload):
    return uvarint(n << 3 | 2) + uvarint(len(payload)) + payload


def num(n, v):
    return uvarint(n << 3) + uvarint(v)


# FuzzPprof: a total of seconds that is huge in nanoseconds, with a duration (raw profile.proto).
strings = [b"", b"delay", b"seconds", b"main.main"]
pb = field(1, num(1, 1) + num(2, 2)) + field(5, num(1, 1) + num(2, 3)) + field(4, num(1, 1) + field(4, num(1, 1)))
pb += field(2, field(1, uvarint(1)) + field(2, uvarint(1 << 62))) + num(9, 1_700_000_000_000_000_000) + num(10, 5_000_000_000)
write("FuzzPprof", "huge-seconds", pb + b"".join(field(6, s) for s in strings))
# FuzzProfileShapes: choices from a fixed-seed generator.
rng = random.Random(30)
for i in range(4):
    write("FuzzProfileShapes", "choices-%d" % i, bytes(rng.getrandbits(8) for _ in range(600)))
# FuzzCollapse: a deep DTrace stack and perf samples of many event names.
write("FuzzCollapse", "dtrace-deep", b"\x00" + b"".join(b"  libc.so.1`f%d+0x12\n" % i for i in range(3000)) + b"  1\n")
write("FuzzCollapse", "perf-events", b"\x00" + b"".join(b"prog 1 [000] 1.%06d: 1 ev%d:\n\t401000 f (/bin/prog)\n\n" % (i, i) for i in range(300)))
# FuzzGoroutine: Go 1.26 label headers, with brackets and commas in quoted values.
write("FuzzGoroutine", "labels-in-bracket", b'goroutine 7 [chan receive, 2 minutes labels:{"a]b": "c, d]:", "k": "v"}]:\n'
      b"main.f()\n\t/x.go:1 +0x1\n\ngoroutine 8 [select labels:{\"broken\n")
# FuzzRegex: a pattern that backtracks elsewhere, and a label range.
write("FuzzRegex", "backtrack", b"(a+)+b\x00" + b"a" * 40 + b"!")
write("FuzzRegex", "range", b"bytes=1kb:64kb\x00x")
# FuzzTemplate: placeholders inside values.
write("FuzzTemplate", "nested", b"{{flame}}{{graph}}{{flame}}\x01{{graph}}{{flame}}\x01{{flame}}")
# FuzzGzip: two members, then one cut short.
member = gzip.compress(b"a;b 1\n", 9, mtime=0)
write("FuzzGzip", "members", member + member + member[:len(member) // 2])
# FuzzFolded: counts that add up past 2^63-1.
write("FuzzFolded", "sum-overflow", b"a;b 9223372036854775807\na;c 9223372036854775807\na 5\n")
print(root, sorted(os.listdir(root)))
