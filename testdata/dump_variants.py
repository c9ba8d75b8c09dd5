#!/usr/bin/env python3
"""Writes goroutine-dump variants of a real debug=2 dump that a short run cannot produce.

Usage: dump_variants.py DEBUG2_DUMP OUTDIR

- goroutine_minutes.txt: the dump with waits of minutes in some headers, as the runtime prints
  them for goroutines blocked a minute or more (`[chan receive, 12 minutes]`, and before
  `, locked to thread` where that is present).
- goroutine_unparsed.txt: the dump with one block whose frames are not a traceback, which must
  be counted (under `<unparsed goroutine>`), never dropped.
- goroutine_crlf.txt: the dump with CRLF line ends and a UTF-8 byte-order mark, as saved by
  some editors and browsers on Windows.
"""
import os
import re
import sys

src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()

count = 0


def add_minutes(m):
    global count
    count += 1
    if count % 3:
        return m.group(0)
    minutes = 4 * count
    state, rest = m.group(1), m.group(2) or ""
    return f"[{state}, {minutes} minutes{rest}]"


minutes = re.sub(r"\[([^,\]]+)(, locked to thread)?\]", add_minutes, text)
open(os.path.join(out, "goroutine_minutes.txt"), "w", encoding="utf-8").write(minutes)

broken = text.rstrip("\n") + "\n\ngoroutine 999999 [chan receive]:\nthis is not a frame\n\tnor is this\n"
open(os.path.join(out, "goroutine_unparsed.txt"), "w", encoding="utf-8").write(broken)

crlf = "\ufeff" + text.replace("\n", "\r\n")
open(os.path.join(out, "goroutine_crlf.txt"), "w", encoding="utf-8", newline="").write(crlf)
