#!/usr/bin/env python3
"""Records go tool trace's goroutine analysis for a trace (part of make fixtures).

usage: record_trace_goroutines.py TRACE OUT

Starts `go tool trace -http=127.0.0.1:PORT TRACE`, reads its /goroutines page and the
/goroutine?name=… page of every group, stops the server, and writes OUT with one line per value:
    group<TAB>NAME<TAB>COUNT<TAB>EXECUTION
    stat<TAB>GOROUTINE ID<TAB>STAT NAME<TAB>DURATION
where the stats are those of the pages' two tables (Total, Execution time, Block time (…),
Sched wait time, …, and the special ranges: GC mark assist, GC incremental sweep, …); and the
/usertasks and /userregions tables:
    task<TAB>TYPE<TAB>COUNT                      bucket<TAB>task<TAB>TYPE<TAB>BUCKET MIN<TAB>COUNT
    region<TAB>TYPE<TAB>FUNC<TAB>PC<TAB>COUNT     bucket<TAB>region<TAB>TYPE@PC<TAB>BUCKET MIN<TAB>COUNT
and the /mmu curves: mmu<TAB>WINDOW NS<TAB>UTILIZATION (STW, background workers, mark assists),
mmu-stw<TAB>… (STW only)
"""
import html, os, re, socket, subprocess, sys, time, urllib.parse, urllib.request

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def tables(page):
    """Every <table class="details">: (header names, rows of cell texts)."""
    out = []
    for body in re.findall(r'<table class="details">(.*?)</table>', page, re.S):
        heads = [html.unescape(re.sub(r"<[^>]*>", "", h)).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", body, re.S)]
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]:
            cells = [html.unescape(re.sub(r"<[^>]*>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            rows.append(cells)
        out.append((heads, rows))
    return out

def main():
    trace, out = sys.argv[1], sys.argv[2]
    port = free_port()
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off")
    server = subprocess.Popen(["go", "tool", "trace", f"-http=127.0.0.1:{port}", trace],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                index = urllib.request.urlopen(base + "/goroutines", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("go tool trace did not start")
        lines = []
        groups = re.findall(r'<a href="/goroutine\?name=([^"]*)">([^<]*)</a></code></td>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>', index)
        for query, shown, count, execution in groups:
            name = html.unescape(urllib.parse.unquote(html.unescape(query)))
            lines.append(f"group\t{name}\t{count}\t{execution.strip()}")
            page = urllib.request.urlopen(base + "/goroutine?name=" + urllib.parse.quote(name), timeout=30).read().decode()
            for heads, rows in tables(page):
                for cells in rows:
                    goid = cells[0]
                    values = [c for i, c in enumerate(cells) if i > 0]
                    names = [h for i, h in enumerate(heads) if i > 0]
                    # The first table has an empty header over its bar graph.
                    pairs = [(n, v) for n, v in zip(names, values) if n]
                    if len(names) != len(values):
                        pairs = [(n, v) for n, v in zip([h for h in names if h], [v for v in values if v])]
                    for n, v in pairs:
                        lines.append(f"stat\t{goid}\t{n}\t{v}")
        tasks = urllib.request.urlopen(base + "/usertasks", timeout=30).read().decode()
        for row in re.findall(r'<tr>\s*<td>([^<]*)</td>\s*<td><a href="/usertask\?type=[^"]*">(\d+)</a></td>\s*<td>(.*?)</td>\s*</tr>\s*(?=<tr>\s*<td>[^<]*</td>\s*<td><a|</table>\s*</body>)', tasks, re.S):
            kind = html.unescape(row[0])
            lines.append(f"task\t{kind}\t{row[1]}")
            for label, count in re.findall(r'<td class="histoTime" align="right">(?:<a [^>]*>)?([^<]*)(?:</a>)?</td><td><div [^>]*>&nbsp;</div></td><td align="right"><div [^>]*>(\d+)</div>', row[2]):
                lines.append(f"bucket\ttask\t{kind}\t{label}\t{count}")
        regions = urllib.request.urlopen(base + "/userregions", timeout=30).read().decode()
        for row in re.findall(r'<tr>\s*<td><pre>(.*?)</pre></td>\s*<td><a href="/userregion\?[^"]*">(\d+)</a></td>\s*<td>(.*?)</td>\s*</tr>\s*(?=<tr>\s*<td><pre>|</table>\s*</body>)', regions, re.S):
            head = html.unescape(re.sub(r"<br>", "\n", row[0])).split("\n")
            kind = head[0][1:-1]
            func, pc = head[1].rsplit(" @ ", 1)
            lines.append(f"region\t{kind}\t{func}\t{pc}\t{row[1]}")
            for label, count in re.findall(r'<td class="histoTime" align="right">(?:<a [^>]*>)?([^<]*)(?:</a>)?</td><td><div [^>]*>&nbsp;</div></td><td align="right"><div [^>]*>(\d+)</div>', row[2]):
                lines.append(f"bucket\tregion\t{kind}@{pc}\t{label}\t{count}")
        import json
        plot = json.loads(urllib.request.urlopen(base + "/mmu?mode=plot&flags=stw|background|assist", timeout=60).read().decode())
        for window, mmu in plot["curve"]:
            lines.append(f"mmu\t{window}\t{mmu}")
        plot = json.loads(urllib.request.urlopen(base + "/mmu?mode=plot&flags=stw", timeout=60).read().decode())
        for window, mmu in plot["curve"]:
            lines.append(f"mmu-stw\t{window}\t{mmu}")
        with open(out, "w") as f:
            f.write("\n".join(sorted(set(lines))) + "\n")
    finally:
        server.terminate()
        server.wait()

main()
