#!/usr/bin/env bash
# dockdojo benchmarks, one command:   scripts/bench/run.sh
#
# Builds --release, runs the criterion benches (frame render, markdown, check
# evaluation), then the whole-process measurements against the real engine:
# `dockdojo check` (image.lacks on a ~455 MB and a ~1.2 GB image, metadata
# only) beside `docker image inspect` and `docker export`, TUI start to first
# frame, idle CPU, memory, and engine event -> checks pane latency; oxker too
# when it is installed (OXKER=/path/to/oxker, default /tmp/oxker/bin/oxker).
# Prints a table; raw results go to target/bench/.
#
# Needs: docker (engine reachable), hyperfine, /usr/bin/time, script, tmux,
# python3, and the stand-in images of pack.toml's `go` (golang:1.25-trixie) and busybox:1.36.
# It creates only ddt-perf-* images and dockdojo's own labelled scan
# containers, and removes the containers it creates. Last, it times
# `dockdojo dev verify` of the built-in pack (two lessons at once, then one at
# a time), which runs each lesson's solve.sh and then resets that lesson's
# objects: the names in the lessons' `creates` (SKIP_VERIFY=1 leaves it out).
#
# Environment: RUNS (hyperfine runs, default 30), IDLE_SECONDS (default 40),
# EVENTS (default 50), SKIP_CRITERION=1, SKIP_TUI=1, SKIP_VERIFY=1, CLASS=1 (a class server
# runs on loopback and the benchmark home has joined it: the TUI figures with a
# class joined).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
RUNS="${RUNS:-30}"
IDLE_SECONDS="${IDLE_SECONDS:-40}"
EVENTS="${EVENTS:-50}"
OXKER="${OXKER:-/tmp/oxker/bin/oxker}"
BIN="$ROOT/target/release/dockdojo"
PACK="$ROOT/benches/packs"
LARGE=ddt-perf-calc-large
HUGE=ddt-perf-calc-huge
EVENT_IMAGE=ddt-perf-event
TMUX_SOCKET="ddt-perf-bench-$$"
export DOCKDOJO_HOME="$OUT/home"
export DOCKDOJO_WORKSPACE="$OUT/workspace"
# `script` is not a terminal emulator and answers no query, so `--theme auto` would wait
# its whole OSC 11 timeout (1 s) there; a terminal answers in about 1 ms (tmux: 0-1 ms).
# The start-up figures are of dockdojo itself: the theme is named.
export DOCKDOJO_THEME=dark
rm -rf "$DOCKDOJO_HOME" "$DOCKDOJO_WORKSPACE"
mkdir -p "$DOCKDOJO_HOME" "$DOCKDOJO_WORKSPACE"

say() { printf '\n== %s\n' "$*" >&2; }
CLASS_PID=""
cleanup() {
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    [ -n "$CLASS_PID" ] && kill "$CLASS_PID" 2>/dev/null || true
    docker rmi "$EVENT_IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for tool in docker hyperfine /usr/bin/time script tmux python3 bc; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

say "machine"
{
    echo "date: $(date -u +%FT%TZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "kernel: $(uname -r)"
    echo "engine: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

say "build (release)"
cargo build --release --bins

if [ "${CLASS:-0}" = 1 ]; then
    say "class: a server on loopback, the benchmark home joined"
    "$BIN" class serve --bind 127.0.0.1:0 --db "$OUT/class.db" --join-token bench-join \
        --instructor-token bench-instructor >"$OUT/class-serve.txt" 2>&1 &
    CLASS_PID=$!
    for _ in $(seq 1 100); do
        grep -q '^Only check results' "$OUT/class-serve.txt" && break
        sleep 0.1
    done
    url=$(sed -n 's|.*is serving at \(http://[^ ]*\)/$|\1|p' "$OUT/class-serve.txt")
    [ -n "$url" ] || { cat "$OUT/class-serve.txt" >&2; exit 2; }
    "$BIN" class join "$url" --token bench-join --name bench >&2
    echo "class: joined $url" >>"$OUT/machine.txt"
fi

if [ "${SKIP_CRITERION:-0}" != 1 ]; then
    say "criterion: render, markdown, check_eval"
    cargo bench --bench render --bench markdown --bench check_eval 2>&1 | tee "$OUT/criterion.txt" >&2
fi

say "images"
if ! docker image inspect "$LARGE" >/dev/null 2>&1; then
    # The starter names its base as {{image.go}}: fill it in from pack.toml.
    go_image=$(sed -n 's/^go = "\(.*\)"/\1/p' lessons/pack.toml)
    starter=$(mktemp -d)
    cp -r lessons/02-multi-stage/starter/. "$starter"
    sed -i "s|{{image.go}}|$go_image|" "$starter/Dockerfile"
    docker build -q -t "$LARGE" "$starter" >&2
    rm -rf "$starter"
fi
if ! docker image inspect "$HUGE" >/dev/null 2>&1; then
    docker build -q -t "$HUGE" benches/packs/_images/huge >&2
fi
docker image inspect "$LARGE" "$HUGE" --format '{{index .RepoTags 0}} {{.Size}} bytes, {{len .RootFS.Layers}} layers' | tee "$OUT/images.txt" >&2
docker rmi "$EVENT_IMAGE" >/dev/null 2>&1 || true

say "whole process: check, and the engine baselines"
# Cold: the image fact cache forgets the two images before every run (the
# file stays, as on a learner's machine after the first check), so each run
# scans the image; "first use" removes the whole cache file. Warm: the image
# was scanned once by an earlier process. -i: a failing check exits 1.
CONTENT_BASELINE="sh -c 'c=\$(docker create $LARGE) && docker export \$c > /dev/null; docker rm \$c > /dev/null'"
NO_CACHE="rm -rf $DOCKDOJO_HOME/cache"
"$BIN" --lessons "$PACK" check lacks-large >/dev/null || true
FORGET="python3 $ROOT/scripts/bench/forget.py $DOCKDOJO_HOME/cache/image-facts.sqlite $(docker image inspect -f '{{.Id}}' "$LARGE") $(docker image inspect -f '{{.Id}}' "$HUGE")"
hyperfine -N -i -w 3 -r "$RUNS" --export-json "$OUT/check.json" \
    --prepare "$FORGET" -n "check image.lacks $LARGE" "$BIN --lessons $PACK check lacks-large" \
    --prepare "$FORGET" -n "check image.lacks $HUGE" "$BIN --lessons $PACK check lacks-huge" \
    --prepare "$NO_CACHE" -n "check image.lacks $LARGE, first use (no cache file)" "$BIN --lessons $PACK check lacks-large" \
    --prepare "true" -n "check image.lacks $LARGE, scanned before" "$BIN --lessons $PACK check lacks-large" \
    --prepare "true" -n "check metadata only" "$BIN --lessons $PACK check metadata" \
    --prepare "true" -n "docker image inspect (CLI)" "docker image inspect $LARGE" >&2
hyperfine -i -w 1 -r 5 --export-json "$OUT/export.json" \
    -n "docker create + export + rm (content baseline)" "$CONTENT_BASELINE" >&2
/usr/bin/time -v "$BIN" --lessons "$PACK" check lacks-large >/dev/null 2>"$OUT/time-check.txt" || true
/usr/bin/time -v "$BIN" --lessons "$PACK" check metadata >/dev/null 2>"$OUT/time-meta.txt" || true

# Engine floors for the figures above, over the socket, one request each.
say "engine floors (curl --unix-socket)"
python3 - "$LARGE" >"$OUT/floors.json" <<'PY'
import http.client, json, socket, statistics, sys, time
img = sys.argv[1]
class C(http.client.HTTPConnection):
    def __init__(s): super().__init__("engine")
    def connect(s):
        s.sock = socket.socket(socket.AF_UNIX); s.sock.connect("/var/run/docker.sock")
def req(conn, method, path, body=None):
    h = {"Content-Type": "application/json"} if body is not None else {}
    t = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = conn.getresponse(); d = r.read()
    return (time.perf_counter() - t) * 1000, r.status, d
out = {k: [] for k in ["ping", "version", "image inspect", "container create", "stat (unmounted)", "stat (mount held)", "container remove"]}
c = C()
for i in range(15):
    out["ping"].append(req(c, "GET", "/_ping")[0])
    out["version"].append(req(c, "GET", "/version")[0])
    out["image inspect"].append(req(c, "GET", "/images/%s/json" % img)[0])
    ms, st, d = req(c, "POST", "/containers/create?name=ddt-perf-floor-%d" % i,
                    {"Image": img, "Entrypoint": ["/nonexistent"], "Cmd": [], "NetworkDisabled": True,
                     "Labels": {"dev.dockdojo.managed": "true"}, "HostConfig": {"NetworkMode": "none"}})
    out["container create"].append(ms)
    cid = json.loads(d)["Id"]
    for p in ["/bin/sh", "/usr/bin/gcc", "/usr/local/go"]:
        out["stat (unmounted)"].append(req(c, "HEAD", "/containers/%s/archive?path=%s" % (cid, p))[0])
    hold = C(); hold.connect(); hold.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    hold.sock.sendall(("GET /containers/%s/export HTTP/1.1\r\nHost: engine\r\n\r\n" % cid).encode())
    time.sleep(0.05)
    for p in ["/bin/sh", "/usr/bin/gcc", "/usr/local/go"]:
        out["stat (mount held)"].append(req(c, "HEAD", "/containers/%s/archive?path=%s" % (cid, p))[0])
    hold.sock.close(); time.sleep(0.02)
    out["container remove"].append(req(c, "DELETE", "/containers/%s?force=1&v=1" % cid)[0])
print(json.dumps(out))
PY

if [ "${SKIP_TUI:-0}" != 1 ]; then
    say "TUI: start to first frame"
    # In-process figure from the log (first frame flushed), and the whole
    # process under `script` (a pty), minus `script` itself.
    rm -f "$DOCKDOJO_HOME/dockdojo.log"
    hyperfine -w 3 -r "$RUNS" --export-json "$OUT/tui-start.json" \
        -n "script -c true (pty floor)" "script -qfc 'stty cols 200 rows 50' /dev/null > /dev/null" \
        -n "dockdojo start to first frame, exit" \
        "script -qfc 'stty cols 200 rows 50; DOCKDOJO_EXIT_AFTER_FIRST_FRAME=1 $BIN --lessons $PACK tui' /dev/null > /dev/null" >&2
    grep -o 'first frame after [0-9]* us' "$DOCKDOJO_HOME/dockdojo.log" | awk '{print $4}' >"$OUT/tui-first-frame-us.txt"

    # The same for both programs: the time from the start of `script` until
    # the first output chunk that completes a frame (script's timing log).
    first_frame_by_timing() { # name command...
        local name="$1"; shift
        : >"$OUT/ff-$name.txt"
        for i in $(seq 1 "$((RUNS / 3 + 1))"); do
            rm -f "$OUT/ff-timing"
            # Inside a tmux pane, so that a program asking the terminal for
            # its cursor position (oxker does) gets an answer.
            tmux -L "$TMUX_SOCKET" new-session -d -s ff -x 200 -y 50 \
                "script -qf --timing=$OUT/ff-timing -c 'timeout -s TERM 1.5 $*' /dev/null"
            while tmux -L "$TMUX_SOCKET" has-session -t ff 2>/dev/null; do sleep 0.2; done
            python3 - "$OUT/ff-timing" >>"$OUT/ff-$name.txt" <<'PY'
import sys
t = 0.0; total = 0
for line in open(sys.argv[1]):
    d, n = line.split()[:2]
    t += float(d); total += int(n)
    if total >= 6000:   # a 200x50 frame is well over 6 kB of output
        print("%.1f" % (t * 1000)); break
PY
        done
    }
    first_frame_by_timing dockdojo "$BIN --lessons $PACK tui"
    if [ -x "$OXKER" ]; then first_frame_by_timing oxker "$OXKER"; fi

    # Idle CPU and memory: the program in a 200x50 tmux pane, nothing typed.
    idle_measure() { # name command...
        local name="$1"; shift
        tmux -L "$TMUX_SOCKET" new-session -d -s "$name" -x 200 -y 50 "$*"
        # Let the start-up work (first check run, grammar loading) finish.
        sleep 10
        local pid since
        pid=$(tmux -L "$TMUX_SOCKET" list-panes -t "$name" -F '#{pane_pid}')
        since=$(date +%s)
        python3 - "$pid" "$IDLE_SECONDS" >"$OUT/idle-$name.json" <<'PY'
import json, os, sys, time
pid, secs = int(sys.argv[1]), float(sys.argv[2])
tck = os.sysconf("SC_CLK_TCK")
def tree(p):
    out = [p]
    try:
        for t in os.listdir("/proc/%d/task" % p):
            for c in open("/proc/%d/task/%s/children" % (p, t)).read().split():
                out += tree(int(c))
    except OSError:
        pass
    return out
def ticks(p):
    try:
        f = open("/proc/%d/stat" % p).read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])   # utime + stime
    except OSError:
        return 0
def status(p):
    d = {}
    try:
        for l in open("/proc/%d/status" % p):
            k, v = l.split(":", 1); d[k] = v.strip()
    except OSError:
        pass
    return d
procs = tree(pid)
a = {p: ticks(p) for p in procs}; t0 = time.time()
time.sleep(secs)
b = {p: ticks(p) for p in procs}; dt = time.time() - t0
main = procs[0]
res = {
    "seconds": dt,
    "cpu_percent_main": 100.0 * (b[main] - a[main]) / tck / dt,
    "cpu_percent_tree": 100.0 * sum(b[p] - a[p] for p in procs) / tck / dt,
    "tick_resolution_percent": 100.0 / tck / dt,
    "processes": {p: open("/proc/%d/comm" % p).read().strip() for p in procs if os.path.exists("/proc/%d" % p)},
    "vmrss_kb_main": int(status(main).get("VmRSS", "0 kB").split()[0]),
    "vmhwm_kb_main": int(status(main).get("VmHWM", "0 kB").split()[0]),
    "vmrss_kb_tree": sum(int(status(p).get("VmRSS", "0 kB").split()[0]) for p in procs),
    "threads_main": int(status(main).get("Threads", "0")),
}
print(json.dumps(res))
PY
        # Others share this engine: how many events it sent meanwhile.
        docker events --since "$since" --until "$(date +%s)" 2>/dev/null | wc -l >"$OUT/idle-$name-engine-events.txt" || true
        tmux -L "$TMUX_SOCKET" kill-session -t "$name" 2>/dev/null || true
    }
    say "TUI: idle CPU and memory over ${IDLE_SECONDS}s (console open)"
    idle_measure dockdojo "exec $BIN --lessons $PACK tui"
    if [ -x "$OXKER" ]; then
        say "oxker: idle CPU and memory over ${IDLE_SECONDS}s"
        idle_measure oxker "exec $OXKER"
    fi

    # Memory after a whole course: the built-in pack, every lesson opened in
    # turn (F7), so every code language of the lessons has been highlighted.
    say "TUI: memory after opening all built-in lessons"
    tmux -L "$TMUX_SOCKET" new-session -d -s tour -x 200 -y 50 "exec $BIN"
    sleep 5
    lessons=$("$BIN" list 2>/dev/null | grep -cE '^[^0-9]*[0-9]+\. ' || true)
    for _ in $(seq 2 "${lessons:-12}"); do
        tmux -L "$TMUX_SOCKET" send-keys -t tour F7
        sleep 1.5
    done
    sleep 5
    pid=$(tmux -L "$TMUX_SOCKET" list-panes -t tour -F '#{pane_pid}')
    tmux -L "$TMUX_SOCKET" capture-pane -p -t tour >"$OUT/tour-screen.txt"
    python3 - "$pid" "${lessons:-12}" >"$OUT/tour.json" <<'PY'
import json, sys
pid, lessons = int(sys.argv[1]), int(sys.argv[2])
def status(p):
    d = {}
    for l in open("/proc/%d/status" % p):
        k, v = l.split(":", 1); d[k] = v.strip()
    return d
s = status(pid)
print(json.dumps({
    "lessons": lessons,
    "vmrss_kb_main": int(s["VmRSS"].split()[0]),
    "vmhwm_kb_main": int(s["VmHWM"].split()[0]),
    "rss_anon_kb_main": int(s["RssAnon"].split()[0]),
    "rss_file_kb_main": int(s["RssFile"].split()[0]),
}))
PY
    tmux -L "$TMUX_SOCKET" kill-session -t tour 2>/dev/null || true

    say "TUI: engine event -> checks pane ($EVENTS events)"
    rm -f "$DOCKDOJO_HOME/dockdojo.log"
    tmux -L "$TMUX_SOCKET" new-session -d -s events -x 200 -y 50 \
        "DOCKDOJO_BENCH=1 exec $BIN --lessons $PACK tui"
    sleep 6
    : >"$OUT/event-cli.txt"
    for i in $(seq 1 "$EVENTS"); do
        if [ $((i % 2)) = 1 ]; then
            docker tag busybox:1.36 "$EVENT_IMAGE"
        else
            docker rmi "$EVENT_IMAGE" >/dev/null   # untags: busybox:1.36 keeps the image
        fi
        date +%s%6N >>"$OUT/event-cli.txt"
        sleep 0.5
    done
    sleep 1
    tmux -L "$TMUX_SOCKET" kill-session -t events 2>/dev/null || true
    grep -o 'event_to_frame_us=[0-9]* frame_unix_us=[0-9]*' "$DOCKDOJO_HOME/dockdojo.log" \
        | sed 's/[a-z_]*=//g' >"$OUT/event-frames.txt" || true
fi

if [ "${SKIP_VERIFY:-}" != 1 ]; then
    say "dev verify of the built-in pack (--jobs 2, then --jobs 1)"
    for jobs in 2 1; do
        v_home=$(mktemp -d) v_ws=$(mktemp -d)
        start=$(date +%s%N)
        rc=0
        DOCKDOJO_HOME="$v_home" DOCKDOJO_WORKSPACE="$v_ws" "$BIN" dev verify --jobs "$jobs" \
            >"$OUT/verify-jobs$jobs.log" 2>&1 || rc=$?
        end=$(date +%s%N)
        rm -rf "$v_home" "$v_ws"
        summary=$(grep -E '^Summary' "$OUT/verify-jobs$jobs.log" | sed 's/Summary: //')
        printf '{"jobs": %d, "seconds": %.3f, "exit": %d, "summary": "%s"}\n' \
            "$jobs" "$(echo "($end - $start) / 1000000000" | bc -l)" "$rc" "$summary" \
            >"$OUT/verify-jobs$jobs.json"
    done
fi

say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

python3 "$ROOT/scripts/bench/table.py" "$OUT"
