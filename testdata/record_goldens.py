#!/usr/bin/env python3
"""Records the reference outputs of `go tool pprof` for a folder of profiles.

Usage: record_goldens.py PROFILE_DIR GOLDEN_DIR [--source-path DIR --trim-path PREFIX --list RE]

For every *.pb.gz in PROFILE_DIR and every sample type it holds, runs pprof's top (all nodes and
default trimming), traces, peek, dot and tags reports (plus list when --list is given, and the
--base/--diff-base pairs named in PROFILE_DIR/pairs.txt), writes each output to GOLDEN_DIR and
writes GOLDEN_DIR/manifest.tsv: one line per golden with the golden's file name, the flamegen
arguments that must print the same bytes, and the pprof arguments that printed it, the two
argument lists separated by a tab and their words by the unit separator (0x1f). Profile paths
are written relative to PROFILE_DIR as `@/NAME`.

Runs Go's pprof with TZ=UTC, GOTOOLCHAIN=local and GOPROXY=off.
"""
import argparse
import os
import re
import subprocess
import sys

ENV = dict(os.environ, TZ="UTC", GOTOOLCHAIN="local", GOPROXY="off")
SEP = "\x1f"


def pprof(args, cwd):
    """Runs `go tool pprof -symbolize=none ARGS` and returns its stdout, or None on failure."""
    run = subprocess.run(["go", "tool", "pprof", "-symbolize=none"] + args, cwd=cwd, env=ENV,
                         capture_output=True)
    if run.returncode != 0:
        sys.stderr.write(f"pprof {' '.join(args)}: {run.stderr.decode(errors='replace').strip()}\n")
        return None
    return run.stdout


def sample_types(path, cwd):
    """The sample type names of a profile, read off `pprof -raw`."""
    out = pprof(["-raw", path], cwd) or b""
    lines = out.decode(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Samples:") and i + 1 < len(lines):
            return [t.split("/")[0] for t in lines[i + 1].split()]
    return []


def top_function(top_text):
    """The first function row of an all-nodes top report: the peek target for corpus profiles."""
    rows = False
    for line in top_text.decode(errors="replace").splitlines():
        if line.lstrip().startswith("flat  flat%"):
            rows = True
        elif rows and line.strip():
            name = line.split(None, 5)[5]
            return re.sub(r" \((partial-)?inline\)$", "", name)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profiles")
    ap.add_argument("goldens")
    ap.add_argument("--source-path")
    ap.add_argument("--trim-path")
    ap.add_argument("--list")
    ap.add_argument("--peek", help="peek regex (default: the top function of each profile)")
    ap.add_argument("--extra", help="file of more goldens: NAME | FLAMEGEN ARGS | PPROF ARGS (words split on spaces)")
    o = ap.parse_args()
    pdir = os.path.abspath(o.profiles)
    os.makedirs(o.goldens, exist_ok=True)
    manifest = []

    def record(golden, flamegen_args, pprof_args):
        out = pprof(pprof_args, pdir)
        if out is None:
            return
        with open(os.path.join(o.goldens, golden), "wb") as f:
            f.write(out)
        manifest.append(golden + "\t" + SEP.join(flamegen_args) + "\t" + SEP.join(pprof_args))

    names = sorted(f for f in os.listdir(pdir) if f.endswith(".pb.gz"))
    for f in names:
        n = f[: -len(".pb.gz")]
        types = sample_types(f, pdir)
        for si in types:
            tag = f"{n}@{si}"
            p, fp = f, "@/" + f
            s, fs = [f"-sample_index={si}"], ["--sample-index", si]
            everything = ["-nodecount=1000000", "-nodefraction=0", "-edgefraction=0"]
            every_fl = ["--nodecount", "1000000", "--nodefraction", "0", "--edgefraction", "0"]
            record(f"{tag}.top.txt", ["top", fp] + fs + every_fl, ["-top"] + everything + s + [p])
            record(f"{tag}.default.top.txt", ["top", fp] + fs, ["-top"] + s + [p])
            record(f"{tag}.traces.txt", ["traces", fp] + fs, ["-traces"] + s + [p])
            record(f"{tag}.dot", ["graph", fp, "-o", "-"] + fs, ["-dot"] + s + [p])
            record(f"{tag}.tags.txt", ["tags", fp] + fs, ["-tags"] + s + [p])
            regex = o.peek
            if regex is None:
                path = os.path.join(o.goldens, f"{tag}.top.txt")
                top = open(path, "rb").read() if os.path.exists(path) else b""
                fn = top_function(top)
                regex = "^" + re.escape(fn) + "$" if fn else None
            if regex:
                record(f"{tag}.peek.txt", ["peek", fp, regex] + fs, ["-peek", regex] + s + [p])
            if o.list:
                src = ["--source-path", o.source_path, "--trim-path", o.trim_path]
                psrc = [f"-source_path={o.source_path}", f"-trim_path={o.trim_path}"]
                record(f"{tag}.list.txt", ["list", fp, o.list] + fs + src, ["-list", o.list] + psrc + s + [p])

    pairs = os.path.join(pdir, "pairs.txt")
    if os.path.exists(pairs):
        for line in open(pairs):
            if not line.strip() or line.startswith("#"):
                continue
            new, base = line.split()
            n, b = new[: -len(".pb.gz")], base[: -len(".pb.gz")]
            for si in sample_types(new, pdir):
                s, fs = [f"-sample_index={si}"], ["--sample-index", si]
                for flag in ["base", "diff_base"]:
                    fl = "--" + flag.replace("_", "-")
                    tag = f"{n}@{si}@{flag}-{b}"
                    record(f"{tag}.top.txt", ["top", "@/" + new, fl, "@/" + base] + fs, ["-top", f"-{flag}={base}"] + s + [new])
                    record(f"{tag}.traces.txt", ["traces", "@/" + new, fl, "@/" + base] + fs, ["-traces", f"-{flag}={base}"] + s + [new])
                    record(f"{tag}.dot", ["graph", "@/" + new, fl, "@/" + base, "-o", "-"] + fs, ["-dot", f"-{flag}={base}"] + s + [new])

    if o.extra:
        for line in open(o.extra, encoding="utf-8"):
            if not line.strip() or line.startswith("#"):
                continue
            name, fl, pp = (part.strip() for part in line.split(" | "))
            record(name, fl.split(), pp.split())

    with open(os.path.join(o.goldens, "manifest.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print(f"{o.goldens}: {len(manifest)} goldens")


if __name__ == "__main__":
    main()
