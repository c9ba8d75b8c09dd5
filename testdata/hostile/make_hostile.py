#!/usr/bin/env python3
"""Writes the hostile inputs of flamegen's hostile battery (HostileBatteryTests) into OUTDIR.

Usage: make_hostile.py OUTDIR

Each file is small on disk (a few KB to a few MB) and built to make a naive reader exhaust memory,
hang, crash or write huge output. The protobuf is encoded by hand, with extreme values.
"""
import gzip
import random
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gotrace import Trace, G_RUNNING, P_RUNNING, P_IDLE, uvarint as varint  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def field(n, payload):
    """A length-delimited field."""
    return varint(n << 3 | 2) + varint(len(payload)) + payload


def num(n, v):
    return varint(n << 3) + varint(v)


def packed(n, values):
    return field(n, b"".join(varint(v) for v in values))


class Proto:
    """profile.proto with a string table."""

    def __init__(self):
        self.strings = [""]
        self.index = {"": 0}
        self.body = b""

    def s(self, text):
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def sample_type(self, t, unit):
        self.body += field(1, num(1, self.s(t)) + num(2, self.s(unit)))

    def function(self, fid, name, file=""):
        self.body += field(5, num(1, fid) + num(2, self.s(name)) + num(3, self.s(name)) + (num(4, self.s(file)) if file else b""))

    def location(self, lid, functions):
        """`functions` leaf first: the first ones are inlined into the last."""
        self.body += field(4, num(1, lid) + b"".join(field(4, num(1, f)) for f in functions))

    def sample(self, locations, values, labels=b""):
        self.body += field(2, packed(1, locations) + packed(2, values) + labels)

    def label(self, key, text=None, number=None, unit=None):
        p = num(1, self.s(key))
        if text is not None:
            p += num(2, self.s(text))
        if number is not None:
            p += num(3, number)
        if unit is not None:
            p += num(4, self.s(unit))
        return field(3, p)

    def encode(self, extra=b""):
        data = self.body + extra + b"".join(field(6, s.encode("utf-8", "surrogatepass")) for s in self.strings)
        return gzip.compress(data, 9, mtime=0)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def simple(functions, samples, types=(("samples", "count"),), extra=b""):
    """A profile of named functions (one location each) and samples of (stack of names, values)."""
    p = Proto()
    for t, u in types:
        p.sample_type(t, u)
    ids = {}
    for name in functions:
        ids[name] = len(ids) + 1
        p.function(ids[name], name)
        p.location(ids[name], [ids[name]])
    for stack, values in samples:
        p.sample([ids[n] for n in reversed(stack)], values)
    return p.encode(extra)


# 1. Inline expansion: one location of 2,000 inlined lines, referred to a million times.
p = Proto()
p.sample_type("samples", "count")
for i in range(1, 2001):
    p.function(i, "f%d" % i)
p.location(1, list(range(1, 2001)))
p.sample([1] * 1_000_000, [1])
write("inline-bomb.pb.gz", p.encode())

# 2. Folded gzip bomb: 400 MB of one line repeated, and zeros.
def gzip_stream(name, chunk, total):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    parts = []
    block = chunk * (1 << 20 // len(chunk) or 1)
    written = 0
    while written < total:
        parts.append(c.compress(block))
        written += len(block)
    parts.append(c.flush())
    write(name, b"".join(parts))

gzip_stream("folded-bomb.txt.gz", b"x;y;z 1\n", 64 << 20)
gzip_stream("zero-bomb.gz", b"\0" * 4096, 256 << 20)

# 3. Regular expressions that backtrack: the profile's own drop_frames, and a long name.
long_a = "a" * 50_000 + "!"
p = Proto()
p.sample_type("samples", "count")
p.function(1, long_a)
p.function(2, "main.main")
p.location(1, [1])
p.location(2, [2])
p.sample([1, 2], [5])
write("regex-dos.pb.gz", p.encode(num(7, p.s("(a+)+b"))))

# 5. Output amplification: a 100 KB name on a 10,000-deep stack.
name = "N" * 100_000
p = Proto()
p.sample_type("samples", "count")
p.function(1, name)
p.location(1, [1])
p.sample([1] * 10_000, [1])
write("amplify.pb.gz", p.encode())

# 6. Template placeholders and markup in names; 11. Markdown breakers and NUL; 16. terminal codes.
names = ["{{flame}}" * 50, "{{graph}}{{top}}{{summary}}", "a|b\nc <img src=x onerror=alert(1)>", "nul\0byte",
         "\x1b[31mred\x1b[0m\x07", "</script><script>alert(1)</script>", "`code` *bold* [link](javascript:x)",
         "main.\u202eexe.txt"]
write("markup-names.pb.gz", simple(names + ["main.main"], [(["main.main", n], [10 + i]) for i, n in enumerate(names)]))

# 7/8. Values at the edges of 64 bits.
big = (1 << 63) - 1
write("max-values.pb.gz", simple(["a", "b", "c"], [(["a", "b"], [big]), (["a", "c"], [big]), (["a"], [5])]))
write("min-values.pb.gz", simple(["a", "b"], [(["a", "b"], [1 << 63]), (["a"], [-1])]))
write("mixed-values.pb.gz", simple(["a", "b"], [(["a", "b"], [big]), (["a"], [(1 << 64) - 1])]))
p = Proto()
p.function(1, "main.main")
p.location(1, [1])
p.body += field(2, packed(1, [1]))
write("no-sample-types.pb.gz", p.encode())
write("fixed-point.folded", b"a 0.000000001\nb 10000000000\n")
write("sum-overflow.folded", b"a;b 9223372036854775807\na;c 9223372036854775807\na 5\n")
write("bad-counts.folded", b"a;b 5\na;c -5\na;d 1e308\na;e NaN\n")

# 4. A dense call graph: 80 functions called in shuffled orders (a fixed-seed LCG), so that
# nearly every pair is an edge heavy enough to survive pprof's trimming.
funcs = ["f%02d" % i for i in range(80)]
samples = []
seed = 12345
for n in range(3000):
    order = list(funcs)
    for i in range(len(order) - 1, 0, -1):
        seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        j = (seed >> 33) % (i + 1)
        order[i], order[j] = order[j], order[i]
    samples.append((["main"] + order, [1]))
write("dense-graph.pb.gz", simple(["main"] + funcs, samples))

# 12. Strings that dot rejects: NUL bytes and names over 16 KiB, in names and comments.
write("dot-breakers.pb.gz", simple(["x" * 20_000, "n\0ul", "main"], [(["main", "x" * 20_000], [3]), (["main", "n\0ul"], [2])],
                                   extra=b""))

# 13. Folded names with separators.
write("separators.pb.gz", simple(["main", "a;b", "c 12", "d\te"], [(["main", "a;b"], [3]), (["main", "c 12"], [4]), (["main", "d\te"], [5])]))

# 14. Goroutine dumps past the limits: a 2,000,000-frame goroutine and a 2 MB name.
frame = b"main.f(...)\n\t/x.go:1 +0x1\n"
write("goroutine-deep.txt.gz", gzip.compress(b"goroutine 1 [running]:\n" + frame * 2_000_000, 9, mtime=0))
write("goroutine-longname.txt", b"goroutine 1 [running]:\n" + b"m" * (2 << 20) + b"()\n\t/x.go:1 +0x1\n")

# 17. Header fields at their edges: a total of seconds or hours that is huge in nanoseconds, with
# a duration (pprof's Duration: line scales the total to nanoseconds).
for unit in ("seconds", "hours"):
    p = Proto()
    p.sample_type("delay", unit)
    p.function(1, "main.main")
    p.location(1, [1])
    p.sample([1], [(1 << 62)])
    write("huge-%s.pb.gz" % unit, p.encode(num(9, 1_700_000_000_000_000_000) + num(10, 5_000_000_000)))
# 18. A label value of 20,000 characters (Graphviz refuses quoted strings of 16 KiB).
p = Proto()
p.sample_type("samples", "count")
p.function(1, "main.main")
p.location(1, [1])
p.sample([1], [5], p.label("request", "v" * 20_000))
p.sample([1], [3], p.label("request", "w" * 20_000 + "\"\\"))
write("long-tag.pb.gz", p.encode())
# 19. One location of 2,000 inlined lines under 1,000 roots: 19 KB that unfold into 2M frames.
p = Proto()
p.sample_type("samples", "count")
for i in range(1, 2001):
    p.function(i, "inl%d" % i)
p.location(1, list(range(1, 2001)))
for r in range(1000):
    p.function(3000 + r, "root%d" % r)
    p.location(3000 + r, [3000 + r])
    p.sample([1, 3000 + r], [1])
write("inline-roots.pb.gz", p.encode())
# 20. 200,000 distinct label keys, one per sample.
p = Proto()
p.sample_type("samples", "count")
p.function(1, "main.main")
p.location(1, [1])
for i in range(200_000):
    p.sample([1], [1], p.label("k%d" % i, "v"))
write("label-keys.pb.gz", p.encode())
# 21. A DTrace stack of 200,000 frames; perf script samples of 10^6 distinct event names.
write("dtrace-deep.txt.gz", gzip.compress(b"CPU     ID                    FUNCTION:NAME\n  0  64091                        :tick-1s\n\n\n"
                                         + b"".join(b"              libc.so.1`f%d+0x12\n" % i for i in range(200_000)) + b"                1\n\n", 1, mtime=0))
write("perf-events.txt.gz", gzip.compress(b"".join(b"prog 1 [000] 1.%06d: 1 ev%d:\n\t401000 f (/bin/prog)\n\t401100 main (/bin/prog)\n\n" % (i, i)
                                                  for i in range(1_000_000)), 1, mtime=0))

# 15. Text that ends in numbers but is no profile.
write("proc-status.txt", b"Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1234\nPid:\t1234\nVmPeak:\t 9000 kB\nThreads:\t1\n")
write("readme.md", b"# A project\n\nSome prose about it.\n\n## Install\n\nRun make install 2\n\nThat is all 3\n")
# Go execution traces: a valid header, then noise; a batch that claims more bytes than the file
# has; the old format; and a stack of 10 000 frames (over the format's limit of 128).
random.seed(7)
header = b"go 1.26 trace\x00\x00\x00"
write("trace-noise.trace", header + bytes(random.getrandbits(8) for _ in range(100_000)))
write("trace-short-batch.trace", header + bytes([1]) + varint(1) + varint(5) + varint(100) + varint(60_000) + b"\x10" * 100)
write("trace-go121.trace", b"go 1.21 trace\x00\x00\x00" + bytes(64))
deep = bytes([2, 3]) + varint(1) + varint(10_000) + b"".join(varint(i) + varint(1) + varint(1) + varint(1) for i in range(1, 10_001))
write("trace-deep-stack.trace", header + bytes([1]) + varint(1) + varint(0xFFFFFFFFFFFFFFFF) + varint(1) + varint(len(deep)) + deep)

# Go execution traces built event by event (gotrace.py), each at an edge the reader must hold.

NAMES = {1: "main.main", 2: "main.go", 3: "stop-the-world reason", 4: "GC sweep termination", 5: "chan receive", 6: "\u202eevil.txt"}
STACK = {1: [(0x1000, 1, 2, 10)]}


def running(m, p, g, t=1):
    """An M that holds P `p` and runs goroutine `g` from time t."""
    return [("ProcStatus", t, p, P_RUNNING), ("GoStatus", t, g, m, G_RUNNING)]


# A generation numbered 2^64-1 followed by generation 1 (Go 1.22: a new number starts a generation).
t = Trace(22)
t.generation((1 << 64) - 1, {1: running(1, 0, 1)})
t.generation(1, {1: running(1, 0, 1)})
write("trace-generation-max.trace", t.bytes())
# GC sequence numbers at 2^64-1: a cycle begins there, the next one ends it.
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GCBegin", 10, (1 << 64) - 1, 1), ("GCEnd", 20, 0)]}, strings=NAMES, stacks=STACK)
write("trace-gc-seq-max.trace", t.bytes())
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GCActive", 10, (1 << 64) - 1)]})
t.generation(2, {1: running(1, 0, 1) + [("GCActive", 10, 0)]})
write("trace-gcactive-seq-max.trace", t.bytes())
# A P whose sequence number is 2^64-1 (a syscall's), then stolen.
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GoSyscallBegin", 10, (1 << 64) - 1, 1)], 2: [("ProcSteal", 20, 0, 0, 1)]}, strings=NAMES, stacks=STACK)
write("trace-proc-seq-max.trace", t.bytes())
# GOMAXPROCS changed twice, 8.5e18 ns apart.
t = Trace(26)
t.generation(1, {1: [("ProcsChange", 10, 2, 1), ("ProcsChange", 8_500_000_000_000_000_000, 4, 1)]}, stacks=STACK)
write("trace-procs-far-apart.trace", t.bytes())
# Two goroutines blocked 5e18 ns each on one stack: sums of durations past 2^63.
ev = running(1, 0, 1) + [("GoCreate", 2, 2, 1, 1), ("GoCreate", 3, 3, 1, 1), ("GoStop", 4, 5, 1),
                         ("GoStart", 5, 2, 1), ("GoBlock", 6, 5, 1), ("GoStart", 7, 3, 1), ("GoBlock", 8, 5, 1),
                         ("GoStart", 9, 1, 1),
                         ("GoUnblock", 5_000_000_000_000_000_010, 2, 2, 1), ("GoUnblock", 5_000_000_000_000_000_011, 3, 2, 1),
                         ("GoStop", 5_000_000_000_000_000_020, 5, 1)]
t = Trace(26)
t.generation(1, {1: ev}, strings=NAMES, stacks=STACK)
write("trace-blocked-sum.trace", t.bytes())
# GOMAXPROCS 2^20-1, then 100k events (each one changes the utilization).
ev = [("ProcsChange", 1, (1 << 20) - 1, 1)] + running(1, 0, 1, 2)
ev += [("STWBegin", 10 + 2 * i + k, 4, 1) if k == 0 else ("STWEnd", 10 + 2 * i + k) for i in range(50_000) for k in (0, 1)]
t = Trace(26)
t.generation(1, {1: ev}, strings=NAMES, stacks=STACK)
write("trace-many-procs.trace", t.bytes())
# 500k stop-the-world pauses.
ev = [("ProcsChange", 1, 4, 1)] + running(1, 0, 1, 2)
ev += [("STWBegin", 10 + 20 * i, 4, 1) if k == 0 else ("STWEnd", 15 + 20 * i) for i in range(500_000) for k in (0, 1)]
t = Trace(26)
t.generation(1, {1: ev}, strings=NAMES, stacks=STACK)
write("trace-stw-pairs.trace", t.bytes())
# 40k Ms take P0 in turn, their batches' times in the reverse of the order P0's sequence allows.
ms = {1: [("ProcStatus", 1, 0, P_IDLE)]}
for i in range(1, 40_001):
    ms[1 + i] = [("ProcStart", 100_000_000 - 1000 * i, 0, i), ("ProcStop", 100_000_000 - 1000 * i + 1)]
t = Trace(26)
t.generation(1, ms)
write("trace-ms-take-turns.trace", t.bytes())
# A gzipped trace: a valid header, then 2 GB of zeros.
c = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [c.compress(b"go 1.26 trace\x00\x00\x00")]
zeros = bytes(1 << 20)
for _ in range(2048):
    parts.append(c.compress(zeros))
parts.append(c.flush())
write("trace-zeros.trace.gz", b"".join(parts))
# 100k Ps, idle.
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("ProcStatus", 2, p, P_IDLE) for p in range(1, 100_000)] + [("GoStop", 10, 5, 1)]},
             strings=NAMES, stacks=STACK)
write("trace-many-ps.trace", t.bytes())
# 600k goroutines created and started on one P, each still running or runnable at the end.
ev = running(1, 0, 1) + [("GoCreate", 2 + i, 2 + i, 1, 1) for i in range(600_000)]
t = Trace(26)
t.generation(1, {1: ev}, strings=NAMES, stacks=STACK)
write("trace-many-goroutines.trace", t.bytes())
# 100k Ps, each held by its own M running its own goroutine from start to end.
ms = {}
for i in range(100_000):
    ms[1 + i] = running(1 + i, i, 1 + i, 1 + i) + [("GoStop", 1_000_000 + i, 5, 1)]
t = Trace(26)
t.generation(1, ms, strings=NAMES, stacks=STACK)
write("trace-many-running-ps.trace", t.bytes())
# 600k goroutines running to the end of the trace (each said to run on an M of its own).
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GoStatus", 2 + i, 2 + i, 2 + i, G_RUNNING) for i in range(600_000)]}, strings=NAMES, stacks=STACK)
write("trace-running-goroutines.trace", t.bytes())
# 3M goroutines created (the goroutine analysis holds every one).
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GoCreate", 2 + i, 2 + i, 1, 1) for i in range(3_000_000)]}, strings=NAMES, stacks=STACK)
write("trace-3m-goroutines.trace", t.bytes())
# 100k goroutines, each with a start function of its own (the page's goroutine table).
strings = dict(NAMES)
stacks = dict(STACK)
for i in range(100_000):
    strings[100 + i] = "main.start%d" % i
    stacks[100 + i] = [(0x2000 + i, 100 + i, 2, 1)]
t = Trace(26)
t.generation(1, {1: running(1, 0, 1) + [("GoCreate", 2 + i, 2 + i, 100 + i, 1) for i in range(100_000)]
                  + [("GoBlock", 200_000, 5, 1), ("GoStart", 200_001, 2, 1), ("GoUnblock", 201_000, 1, 1, 1)]},
             strings=strings, stacks=stacks)
write("trace-start-functions.trace", t.bytes())
# A name with a right-to-left override, as a task and a region.
ev = running(1, 0, 1) + [("UserTaskBegin", 5, 1, 0, 6, 1), ("UserRegionBegin", 6, 1, 6, 1), ("UserRegionEnd", 7, 1, 6, 1),
                         ("UserTaskEnd", 8, 1, 1), ("GoStop", 9, 5, 1)]
t = Trace(26)
t.generation(1, {1: ev}, strings=NAMES, stacks=STACK)
write("trace-bidi-names.trace", t.bytes())

print(out, sorted(os.listdir(out)))

