#!/usr/bin/env bash
# The import rule of ARCHITECTURE.md: every module of src/ has a layer, and a module may
# name (`crate::X`) only modules of a lower layer. Prints each forbidden import with its
# file and line, and exits 1 if there is one. Test code is held to the same rule.
set -euo pipefail
cd "$(dirname "$0")/../src"
declare -A LAYER=(
    [sanitize]=0 [paths]=0 [lang]=0 [theme]=0
    [lesson]=1 [markdown]=1 [console]=1 [cli]=1
    [engine]=2 [workspace]=2 [config]=2
    [check]=3
    [progress]=4 [map]=4
    [ui]=5 [context]=5 [class]=5
    [event]=6 [tui]=6
    [app]=7
    [commands]=8
    [lib]=9 [main]=9
)
bad=0
for file in $(find . -name '*.rs' | sort); do
    rel=${file#./}
    module=${rel%%/*}
    module=${module%.rs}
    own=${LAYER[$module]:-}
    if [[ -z "$own" ]]; then
        echo "src/$rel: module \`$module\` has no layer in scripts/check-layers.sh (add it)" >&2
        bad=1
        continue
    fi
    while read -r line target; do
        [[ "$target" == "$module" ]] && continue
        theirs=${LAYER[$target]:-}
        if [[ -z "$theirs" ]]; then
            echo "src/$rel:$line: \`crate::$target\` is not a module with a layer" >&2
            bad=1
        elif (( theirs >= own )); then
            echo "src/$rel:$line: $module (layer $own) must not use crate::$target (layer $theirs)" >&2
            bad=1
        fi
    done < <(grep -noE 'crate::[a-z_]+' "$file" | awk -F'crate::' '!seen[$2]++ { sub(/:$/, "", $1); print $1, $2 }')
done
if [[ $bad -eq 0 ]]; then
    echo "layers: every import points down"
fi
exit $bad
