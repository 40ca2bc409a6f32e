#!/usr/bin/env bash
# make bench: performance and memory figures, measured in one run and shown
# side by side.  Each benchmark image prints "bench NAME VALUE UNIT" lines;
# this boots it under each configuration, keeps the median of RUNS boots,
# and writes build/bench/results.tsv (config, name, value, unit) plus a
# table.  Figures, not pass/fail: the targets are in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
out=build/bench
mkdir -p "$out"
results=$out/results.tsv
printf 'config\tname\tvalue\tunit\n' > "$results"

make -s APP=bench/boot >/dev/null
make -s APP=apps/hello >/dev/null

# Median of the values of one metric over the runs.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

run_config() {
    local config=$1; shift
    local i
    : > "$out/$config.raw"
    for i in $(seq "$RUNS"); do
        scripts/run-xen.sh --log "$out/$config.$i.log" "$@" -- build/boot/minios.elf \
            2>/dev/null | grep '^bench ' >> "$out/$config.raw" || {
            echo "bench: the $config run $i failed (log: $out/$config.$i.log)" >&2; exit 1; }
    done
    awk '{ print $2, $4 }' "$out/$config.raw" | sort -u | while read -r name unit; do
        value=$(awk -v n="$name" '$2 == n { print $3 }' "$out/$config.raw" | median)
        printf '%s\t%s\t%s\t%s\n' "$config" "$name" "$value" "$unit" >> "$results"
    done
}

run_config mem4 --mem 4
run_config mem32 --mem 32
run_config mem470

# Image sizes (stripped), the same in every config.
for app in hello boot; do
    strip -o "$out/$app.stripped" "build/$app/minios.elf"
    printf 'image\t%s_stripped_bytes\t%s\tbytes\n' "$app" "$(stat -c %s "$out/$app.stripped")" >> "$results"
done

# Side by side: one row per metric, one column per config.
awk -F'\t' 'NR > 1 { key = $2 " (" $4 ")"; v[key, $1] = $3; keys[key] = 1; cfgs[$1] = 1 }
    END {
        n = split("mem4 mem32 mem470 image", order, " ")
        printf "%-40s", "metric"
        for (i = 1; i <= n; i++) if (order[i] in cfgs) printf "%14s", order[i]
        printf "\n"
        for (k in keys) {
            printf "%-40s", k
            for (i = 1; i <= n; i++) if (order[i] in cfgs) printf "%14s", ((k, order[i]) in v) ? v[k, order[i]] : "-"
            printf "\n"
        }
    }' "$results" | { read -r header; echo "$header"; sort; }
echo "(medians of $RUNS boots; all values in $results)"
