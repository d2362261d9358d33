#!/usr/bin/env bash
# Per-engine figures for the engine matrix (README, BENCHMARKS.md): on each engine of
# scripts/engines.sh (which must be built, started and loaded with the stand-ins), solve the
# multi-stage lesson with its solve.sh, then run `dockdojo check multi-stage` 20 times (each a
# fresh process: every scan is new) and report the median time, the spread and how many runs
# gave an `error`; and `dev verify` of the whole pack, timed. Needs root and a debug build.
#   scripts/bench/matrix.sh [ENGINE...]     default: every engine of scripts/engines.sh list
#
# SCAN_ONLY=1: instead, on the host engine and on each engine, `dockdojo check lacks-go` of
# benches/packs (image.lacks, shell + compilers, on golang:1.25-trixie) SCAN_RUNS times (default
# 100), the image's facts forgotten by the fact cache before each run (an image never seen, the
# cache file in place): median, spread, the ratio to the host (the engines take turns, one scan
# each per round, and the ratio is the median of each round's), and runs that gave an `error`.
# BIN=... picks the binary
# (default the debug build; the BENCHMARKS.md figures use target/release/dockdojo).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-$PWD/target/debug/dockdojo}
RUNS=${RUNS:-20}
engines=("$@")
[[ ${#engines[@]} -gt 0 ]] || mapfile -t engines < <(scripts/engines.sh list)

if [[ ${SCAN_ONLY:-0} == 1 ]]; then
    SCAN_RUNS=${SCAN_RUNS:-100}
    GO=golang:1.25-trixie
    # The engines take turns, one scan each per round, so a change in the machine's load
    # (it is shared) falls on all of them alike and the ratios stay comparable.
    all=(host "${engines[@]}")
    declare -A work sock id
    for e in "${all[@]}"; do
        work[$e]=$(mktemp -d /tmp/dockdojo-bench-scan.XXXXXX)
        mkdir -p "${work[$e]}/home" "${work[$e]}/ws"
        # From the host, through the engine's socket (a scan needs no port of the namespace).
        if [[ $e == host ]]; then sock[$e]=unix:///var/run/docker.sock; else sock[$e]=unix://$(scripts/engines.sh sock "$e"); fi
        DOCKER_HOST=${sock[$e]} DOCKDOJO_HOME=${work[$e]}/home \
            "$BIN" --lessons "$PWD/benches/packs" --workspace "${work[$e]}/ws" check lacks-go >/dev/null 2>&1 || true
        # The image's id on that engine (the containerd store's is its manifest's digest).
        id[$e]=$(DOCKER_HOST=${sock[$e]} docker image inspect -f '{{.Id}}' "$GO")
    done
    for i in $(seq "$SCAN_RUNS"); do
        for e in "${all[@]}"; do
            w=${work[$e]}
            python3 scripts/bench/forget.py "$w/home/cache/image-facts.sqlite" "${id[$e]}"
            t0=$(date +%s%N)
            DOCKER_HOST=${sock[$e]} DOCKDOJO_HOME=$w/home \
                "$BIN" --lessons "$PWD/benches/packs" --workspace "$w/ws" check lacks-go --json >"$w/out.$i" 2>&1 || true
            echo $(( ($(date +%s%N) - t0) / 100000 )) >>"$w/times"
        done
    done
    printf '| engine | check lacks-go, never seen: median (IQR; min-max) of %s | ratio to the host, run by run (median) | runs with an error |\n|---|---|---|---|\n' "$SCAN_RUNS"
    for e in "${all[@]}"; do
        w=${work[$e]}
        errors=0
        for i in $(seq "$SCAN_RUNS"); do
            if grep -q '"status": *"error"' "$w/out.$i" || ! grep -q '"status": *"fail"' "$w/out.$i"; then
                errors=$((errors + 1))
            fi
        done
        python3 - "$e" "$errors" "$w/times" "${work[host]}/times" <<'PY'
import statistics, sys
name, errors, path, host = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = [int(x) / 10.0 for x in open(path).read().split()]
hosts = [int(x) / 10.0 for x in open(host).read().split()]
xs = sorted(runs)
q = lambda p: xs[min(len(xs) - 1, int(p * (len(xs) - 1) + 0.5))]
ratio = statistics.median(r / h for r, h in zip(runs, hosts))
print("| %s | %.1f ms (IQR %.1f-%.1f; %.1f-%.1f) | %.2f | %s |" % (
    name, statistics.median(xs), q(0.25), q(0.75), xs[0], xs[-1], ratio, errors))
PY
    done
    for e in "${all[@]}"; do rm -rf "${work[$e]}"; done
    exit 0
fi
printf '| engine | dev verify | check multi-stage, median (min-max) of %s | runs with an error |\n|---|---|---|---|\n' "$RUNS"
for e in "${engines[@]}"; do
    work=$(mktemp -d /tmp/dockdojo-bench-matrix.XXXXXX)
    mkdir -p "$work/home" "$work/ws" "$work/sol"
    t0=$(date +%s%N)
    DOCKDOJO_HOME=$work/home DOCKDOJO_WORKSPACE=$work/ws scripts/engines.sh exec "$e" "$BIN" dev verify \
        >"$work/verify.log" 2>&1 || true
    verify_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
    verdict=$(grep -E '^Summary' "$work/verify.log" | sed 's/Summary: //')
    # the solved state of multi-stage, then the checks, timed inside the engine's namespace
    mkdir -p "$work/ws/02-multi-stage"
    cp -r lessons/02-multi-stage/starter/. "$work/ws/02-multi-stage/"
    cp -r lessons/02-multi-stage/solution/. "$work/sol/"
    scripts/engines.sh exec "$e" sh -c "cd $work/ws/02-multi-stage && DOCKDOJO_SOLUTION_DIR=$work/sol sh $work/sol/solve.sh" \
        >"$work/solve.log" 2>&1
    scripts/engines.sh exec "$e" bash -c "
        for i in \$(seq $RUNS); do
            t0=\$(date +%s%N)
            DOCKDOJO_HOME=$work/home $BIN check multi-stage --json --workspace $work/ws >$work/out.\$i 2>&1
            echo \$(( (\$(date +%s%N) - t0) / 1000000 ))
        done" >"$work/times"
    mapfile -t times <"$work/times"
    errors=0
    for i in $(seq "$RUNS"); do
        if grep -q '"status": *"error"' "$work/out.$i" || ! grep -q '"passed": *true' "$work/out.$i"; then
            errors=$((errors + 1))
        fi
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    printf '| %s | %s s (%s) | %s ms (%s-%s) | %s |\n' "$e" "$verify_s" "$verdict" \
        "${sorted[$((RUNS / 2))]}" "${sorted[0]}" "${sorted[$((RUNS - 1))]}" "$errors"
    scripts/engines.sh exec "$e" sh -c 'docker rmi -f calc-app-small calc-app-large' >/dev/null 2>&1 || true
    rm -rf "$work"
done
