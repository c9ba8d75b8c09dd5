#!/usr/bin/env python3
"""Turns Go's text-format test traces (src/internal/trace/testdata/tests/*.test: an `-- expect --`
part and a `-- trace --` part written by internal/trace/raw) into binary traces.

usage: trace_text_to_binary.py EVENTS_GO TEST OUT

EVENTS_GO is $(go env GOROOT)/src/internal/trace/tracev2/events.go: the event numbers and
argument names are read from it. Prints the expectation (SUCCESS or FAILURE "...").
"""
import re, sys

def uvarint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def specs(path):
    text = open(path).read()
    consts = text[text.index("const (") : text.index("NumEvents")]
    names = [m for m in re.findall(r"^\s*(Ev\w+)", consts, re.M)]
    numbers = {n: i for i, n in enumerate(["EvNone"] + [n for n in names if n != "EvNone"])}
    # Experimental events are numbered from MaxEvent (127) + 1.
    table = {}
    for ev, body in re.findall(r"^\t(Ev\w+): \{(.*?)^\t\},", text, re.M | re.S):
        name = re.search(r'Name:\s*"(\w+)"', body).group(1)
        args = re.search(r"Args:\s*\[\]string\{([^}]*)\}", body)
        args = re.findall(r'"(\w+)"', args.group(1)) if args else []
        table[name] = (numbers.get(ev), args, "HasData: true" in body)
    return table

def main():
    events_go, test, out = sys.argv[1:4]
    table = specs(events_go)
    text = open(test).read()
    expect = text.split("-- expect --\n", 1)[1].split("-- trace --\n", 1)[0].strip()
    lines = text.split("-- trace --\n", 1)[1].splitlines()
    version = int(re.match(r"Trace Go1\.(\d+)", lines[0]).group(1))
    data = bytearray(b"go 1.%d trace\x00\x00\x00" % version)
    for line in lines[1:]:
        if not line.strip():
            continue
        if line.startswith("\t"):
            fields = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line))
            if "data" in fields:
                raw = fields["data"][1:-1].encode().decode("unicode_escape").encode("latin-1")
                data += uvarint(len(raw)) + raw
            else:
                for key in ("pc", "func", "file", "line"):
                    data += uvarint(int(fields[key]))
            continue
        name, *rest = line.split(" ", 1)
        number, args, has_data = table[name]
        data.append(number)
        values = dict(re.findall(r"(\w+)=(\S+)", rest[0] if rest else ""))
        for a in args:
            data += uvarint(int(values[a]))
    open(out, "wb").write(bytes(data))
    print(expect)

main()
