#!/usr/bin/env python3
"""Print the benchmark table from the raw results of scripts/bench/run.sh."""

import glob
import json
import os
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(name):
    p = os.path.join(OUT, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def q(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def spread(xs, unit="ms", digits=1):
    f = "%%.%df" % digits
    return (f + " %s (IQR " + f + "–" + f + ", min–max " + f + "–" + f + ", n=%d)") % (
        q(xs, 0.5), unit, q(xs, 0.25), q(xs, 0.75), min(xs), max(xs), len(xs))


rows = []  # (what, figure, target, verdict)


def row(what, xs, target=None, unit="ms", digits=1, better="lower"):
    if not xs:
        rows.append((what, "not measured", target and "%s %s" % (target, unit) or "", ""))
        return None
    med = q(xs, 0.5)
    verdict = ""
    if target is not None:
        verdict = "meets" if med <= target else "MISSES"
    rows.append((what, spread(xs, unit, digits), "" if target is None else "≤ %s %s" % (target, unit), verdict))
    return med


hf = {}
for name in ["check.json", "export.json", "tui-start.json"]:
    d = load(name)
    if d:
        for r in d["results"]:
            hf[r["command"]] = [t * 1000 for t in r["times"]]

# criterion
crit = {}
for bj in glob.glob(os.path.join(ROOT, "target/criterion/**/new/benchmark.json"), recursive=True):
    d = os.path.dirname(bj)
    with open(bj) as f:
        b = json.load(f)
    try:
        with open(os.path.join(d, "sample.json")) as f:
            s = json.load(f)
    except OSError:
        continue
    per_iter = [t / n / 1000.0 for t, n in zip(s["times"], s["iters"])]  # µs
    crit[b.get("full_id") or b.get("title")] = per_iter

for name in sorted(crit):
    target = 1000 if "200x50" in name else None
    row(name, crit[name], target, "µs", 2)

print_rows_from = 0


def flush(title):
    global print_rows_from
    print("\n## %s\n" % title)
    print("| what | median (spread) | target | |")
    print("|---|---|---|---|")
    for r in rows[print_rows_from:]:
        print("| %s | %s | %s | %s |" % r)
    print_rows_from = len(rows)


flush("In-process (criterion; per iteration)")

lacks = row("`dockdojo check` image.lacks shell+compilers, ddt-perf-calc-large never seen, whole process",
            hf.get("check image.lacks ddt-perf-calc-large"), 30)
huge = row("`dockdojo check` image.lacks, ddt-perf-calc-huge (larger image) never seen",
           hf.get("check image.lacks ddt-perf-calc-huge"), 30)
row("`dockdojo check` image.lacks, ddt-perf-calc-large, first use (no cache file yet)",
    hf.get("check image.lacks ddt-perf-calc-large, first use (no cache file)"))
warm = row("`dockdojo check` image.lacks, ddt-perf-calc-large scanned before (fact cache)",
           hf.get("check image.lacks ddt-perf-calc-large, scanned before"), 8)
meta = row("`dockdojo check` metadata only (exists/size/user/layers)", hf.get("check metadata only"), 20)
insp = row("baseline: `docker image inspect` (CLI)", hf.get("docker image inspect (CLI)"))
exp = row("baseline: `docker create` + `docker export > /dev/null` + `docker rm`",
          hf.get("docker create + export + rm (content baseline)"))
flush("Whole process: check")
if lacks and exp:
    print("\nratio image.lacks / export baseline: %.3f (%.0fx faster)" % (lacks / exp, exp / lacks))
if lacks and huge:
    print("ratio larger image / 455 MB image: %.2f" % (huge / lacks))
if meta and insp:
    print("ratio metadata check / docker image inspect: %.2f" % (meta / insp))

for f, label in [("time-check.txt", "check image.lacks"), ("time-meta.txt", "check metadata")]:
    p = os.path.join(OUT, f)
    if os.path.exists(p):
        for line in open(p):
            if "Maximum resident" in line:
                print("%s max RSS: %s kB" % (label, line.split(":")[1].strip()))

fl = load("floors.json")
if fl:
    print("\n## Engine floors (one request over the socket, Python client)\n")
    print("| request | median (spread) |")
    print("|---|---|")
    for k, v in fl.items():
        print("| %s | %s |" % (k, spread(v, "ms", 2)))

ff_us = []
p = os.path.join(OUT, "tui-first-frame-us.txt")
if os.path.exists(p):
    ff_us = [int(x) / 1000.0 for x in open(p).read().split()]
row("TUI start to first full frame, in process (log)", ff_us, 50)
pty_floor = hf.get("script -c true (pty floor)")
whole = hf.get("dockdojo start to first frame, exit")
row("TUI start, first frame, exit: whole process under `script`", whole)
row("`script` alone (pty floor)", pty_floor)


def ff(name):
    p = os.path.join(OUT, "ff-%s.txt" % name)
    if not os.path.exists(p):
        return []
    return [float(x) for x in open(p).read().split()]


d_ff = row("dockdojo: `script` start to first frame on the pty (timing log)", ff("dockdojo"), 50)
o_ff = row("oxker: `script` start to first frame on the pty (timing log)", ff("oxker"))
flush("TUI start-up")
if d_ff and o_ff:
    print("\nratio dockdojo / oxker first frame: %.2f" % (d_ff / o_ff))

print("\n## TUI idle (nothing typed) and memory, console open\n")
print("| program | CPU main % | CPU with children % | resolution % | VmRSS main | VmHWM main | RSS with children | threads |")
print("|---|---|---|---|---|---|---|---|")
for name in ["dockdojo", "oxker"]:
    d = load("idle-%s.json" % name)
    if d:
        print("| %s | %.3f | %.3f | %.3f | %.1f MB | %.1f MB | %.1f MB | %d |" % (
            name, d["cpu_percent_main"], d["cpu_percent_tree"], d["tick_resolution_percent"],
            d["vmrss_kb_main"] / 1024, d["vmhwm_kb_main"] / 1024, d["vmrss_kb_tree"] / 1024,
            d["threads_main"]))
for name in ["dockdojo", "oxker"]:
    p = os.path.join(OUT, "idle-%s-engine-events.txt" % name)
    if os.path.exists(p):
        print("engine events from others during the %s window: %s" % (name, open(p).read().strip()))
print("targets: idle CPU ≤ 0.1 %, RSS with console ≤ 30 MB")
d = load("tour.json")
if d:
    print("\ndockdojo after opening all %d built-in lessons in turn (F7): VmRSS %.1f MB, VmHWM %.1f MB "
          "(anonymous %.1f MB, file-backed %.1f MB; target ≤ 15 MB)" % (
              d["lessons"], d["vmrss_kb_main"] / 1024, d["vmhwm_kb_main"] / 1024,
              d["rss_anon_kb_main"] / 1024, d["rss_file_kb_main"] / 1024))

p = os.path.join(OUT, "event-frames.txt")
if os.path.exists(p):
    frames = [tuple(int(x) for x in l.split()) for l in open(p) if l.strip()]
    inproc = [f[0] / 1000.0 for f in frames]
    cli = []
    pc = os.path.join(OUT, "event-cli.txt")
    if os.path.exists(pc):
        cl = sorted(int(x) for x in open(pc).read().split())
        for _, wall in frames:
            before = [c for c in cl if c <= wall + 2000000 and c >= wall - 2000000]
            if before:
                nearest = min(before, key=lambda c: abs(wall - c))
                cli.append((wall - nearest) / 1000.0)
    print("\n## Engine event -> checks pane\n")
    if inproc:
        print("event received -> frame with the new result: p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d; target p95 ≤ 10 ms: %s)" % (
            q(inproc, 0.5), q(inproc, 0.95), max(inproc), len(inproc),
            "meets" if q(inproc, 0.95) <= 10 else "MISSES"))
    if cli:
        print("`docker tag`/`rmi` returned -> frame: p50 %.1f ms, p95 %.1f ms (n=%d; negative: the frame came before the CLI exited)" % (
            q(cli, 0.5), q(cli, 0.95), len(cli)))

verify = [load("verify-jobs%d.json" % j) for j in (2, 1)]
if any(verify):
    print("\n## dev verify, built-in pack\n")
    for v in verify:
        if v:
            print("--jobs %d: %.1f s, exit %d, %s (target ≤ 45 s: %s)" % (
                v["jobs"], v["seconds"], v["exit"], v["summary"],
                "meets" if v["seconds"] <= 45 and v["exit"] == 0 else "MISSES"))
    print("per lesson: target/bench/verify-jobs2.log and verify-jobs1.log (the VERIFIED lines)")

m = os.path.join(OUT, "machine.txt")
if os.path.exists(m):
    print("\n## Machine\n")
    print(open(m).read())
