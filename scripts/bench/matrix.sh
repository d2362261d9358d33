#!/usr/bin/env bash
# Per-engine figures for the engine matrix (README, BENCHMARKS.md): on each engine of
# scripts/engines.sh (which must be built, started and loaded with the stand-ins), solve the
# multi-stage lesson with its solve.sh, then run `dockdojo check multi-stage` 20 times (each a
# fresh process: every scan is new) and report the median time, the spread and how many runs
# gave an `error`; and `dev verify` of the whole pack, timed. Needs root and a debug build.
#   scripts/bench/matrix.sh [ENGINE...]     default: every engine of scripts/engines.sh list
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$PWD/target/debug/dockdojo
RUNS=${RUNS:-20}
engines=("$@")
[[ ${#engines[@]} -gt 0 ]] || mapfile -t engines < <(scripts/engines.sh list)
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
