"""A small writer of Go execution traces (format v2, Go 1.22 and later), for hostile inputs.

Events are given with absolute times in ticks (one tick a nanosecond: the frequency is 1e9 per
second); the writer splits an M's events into batches under the format's 64 KiB limit and
writes each event's time as a delta from the one before it in its batch.

Event numbers and argument counts are those of Go's internal/trace/tracev2 (events.go).
"""

EV = dict(
    EventBatch=1, Stacks=2, Stack=3, Strings=4, String=5, CPUSamples=6, CPUSample=7, Frequency=8,
    ProcsChange=9, ProcStart=10, ProcStop=11, ProcSteal=12, ProcStatus=13,
    GoCreate=14, GoCreateSyscall=15, GoStart=16, GoDestroy=17, GoDestroySyscall=18, GoStop=19,
    GoBlock=20, GoUnblock=21, GoSyscallBegin=22, GoSyscallEnd=23, GoSyscallEndBlocked=24, GoStatus=25,
    STWBegin=26, STWEnd=27, GCActive=28, GCBegin=29, GCEnd=30,
    GCSweepActive=31, GCSweepBegin=32, GCSweepEnd=33, GCMarkAssistActive=34, GCMarkAssistBegin=35,
    GCMarkAssistEnd=36, HeapAlloc=37, HeapGoal=38, GoLabel=39,
    UserTaskBegin=40, UserTaskEnd=41, UserRegionBegin=42, UserRegionEnd=43, UserLog=44,
    GoSwitch=45, GoSwitchDestroy=46, GoCreateBlocked=47, GoStatusStack=48,
    Sync=50, ClockSnapshot=51, EndOfGeneration=52,
)
NO_M = (1 << 64) - 1
# Goroutine and P states of GoStatus / ProcStatus.
G_RUNNABLE, G_RUNNING, G_SYSCALL, G_WAITING = 1, 2, 3, 4
P_RUNNING, P_IDLE, P_SYSCALL = 1, 2, 3
MAX_BATCH = 60_000


def uvarint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def batch(gen, m, time, data):
    return bytes([EV["EventBatch"]]) + uvarint(gen) + uvarint(m) + uvarint(time) + uvarint(len(data)) + data


class Trace:
    """Generations of a trace, written with `generation` in order; `bytes()` is the file."""

    def __init__(self, version=26):
        self.version = version
        self.out = bytearray(b"go 1.%d trace\x00\x00\x00" % version)

    def generation(self, gen, ms, strings=None, stacks=None, start=1, end_mark=None):
        """`ms` maps an M to its events [(name, time, *args)], times ascending; `strings` maps ids
        to text, `stacks` ids to [(pc, func string id, file string id, line)] leaf first."""
        if self.version >= 25:
            sync = bytes([EV["Sync"], EV["Frequency"]]) + uvarint(1_000_000_000)
            sync += bytes([EV["ClockSnapshot"]]) + uvarint(0) + uvarint(start) + uvarint(0) + uvarint(0)
        else:
            sync = bytes([EV["Frequency"]]) + uvarint(1_000_000_000)
        self.out += batch(gen, NO_M, start, sync)
        if strings:
            data = bytearray([EV["Strings"]])
            for sid, text in strings.items():
                raw = text.encode("utf-8", "surrogatepass")
                piece = bytes([EV["String"]]) + uvarint(sid) + uvarint(len(raw)) + raw
                if len(data) + len(piece) > MAX_BATCH:
                    self.out += batch(gen, NO_M, start, bytes(data))
                    data = bytearray([EV["Strings"]])
                data += piece
            self.out += batch(gen, NO_M, start, bytes(data))
        if stacks:
            data = bytearray([EV["Stacks"]])
            for sid, frames in stacks.items():
                piece = bytes([EV["Stack"]]) + uvarint(sid) + uvarint(len(frames))
                piece += b"".join(uvarint(pc) + uvarint(f) + uvarint(fl) + uvarint(ln) for pc, f, fl, ln in frames)
                if len(data) + len(piece) > MAX_BATCH:
                    self.out += batch(gen, NO_M, start, bytes(data))
                    data = bytearray([EV["Stacks"]])
                data += piece
            self.out += batch(gen, NO_M, start, bytes(data))
        for m, events in ms.items():
            data, base, last = bytearray(), None, None
            for name, time, *args in events:
                if base is None:
                    base = last = time
                piece = bytes([EV[name]]) + uvarint(time - last) + b"".join(uvarint(a) for a in args)
                last = time
                if len(data) + len(piece) > MAX_BATCH:
                    self.out += batch(gen, m, base, bytes(data))
                    data, base = bytearray(), time
                    piece = bytes([EV[name]]) + uvarint(0) + b"".join(uvarint(a) for a in args)
                data += piece
            if data:
                self.out += batch(gen, m, base, bytes(data))
        if end_mark if end_mark is not None else self.version >= 26:
            self.out.append(EV["EndOfGeneration"])

    def bytes(self):
        return bytes(self.out)
