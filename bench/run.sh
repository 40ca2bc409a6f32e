#!/usr/bin/env bash
# make bench: performance and memory figures, measured in one run and shown
# side by side.  Each benchmark image prints "bench NAME VALUE UNIT" lines;
# this boots it under each configuration, keeps the median of RUNS boots,
# and writes build/bench/results.tsv (config, name, value, unit) plus a
# table.  Figures, not pass/fail: what they mean is in docs/smp.md (switches
# with and without thread-local storage, events, IPIs, calls, speed-up) and
# docs/applications.md (image sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
out=build/bench
mkdir -p "$out"
results=$out/results.tsv
printf 'config\tname\tvalue\tunit\n' > "$results"

make -s APP=bench/boot >/dev/null
make -s APP=bench/smp >/dev/null
make -s APP=bench/tls_switch >/dev/null
make -s APP=apps/hello >/dev/null
make -s APP=apps/smp_demo >/dev/null
make -s APP=bench/disk >/dev/null

# Median of the values of one metric over the runs.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# run_config NAME IMAGE [run-xen options]: RUNS boots, medians into results.
run_config() {
    local config=$1 image=$2; shift 2
    local i
    : > "$out/$config.raw"
    for i in $(seq "$RUNS"); do
        scripts/run-xen.sh --log "$out/$config.$i.log" "$@" -- "$image" \
            2>/dev/null | grep '^bench ' >> "$out/$config.raw" || {
            echo "bench: the $config run $i failed (log: $out/$config.$i.log)" >&2; exit 1; }
    done
    awk '{ print $2, $4 }' "$out/$config.raw" | sort -u | while read -r name unit; do
        value=$(awk -v n="$name" '$2 == n { print $3 }' "$out/$config.raw" | median)
        printf '%s\t%s\t%s\t%s\n' "$config" "$name" "$value" "$unit" >> "$results"
    done
}

run_config mem4 build/boot/minios.elf --mem 4
run_config mem32 build/boot/minios.elf --mem 32
run_config mem470 build/boot/minios.elf
run_config vcpus1 build/smp/minios.elf --vcpus 1
run_config vcpus2 build/smp/minios.elf --vcpus 2
run_config vcpus4 build/smp/minios.elf --vcpus 4
# The switch with TLS (bench/tls_switch), next to vcpus1's switch_ns without:
# the thread pointer set by wrfsbase, then on a CPU without FSGSBASE, where
# only Xen's set_segment_base hypercall can set it.
run_config tls_wrfsbase build/tls_switch/minios.elf --vcpus 1
run_config tls_hypercall build/tls_switch/minios.elf --vcpus 1 --cpu-flags -fsgsbase

# Disks (bench/disk, docs/storage.md): one domU boot (they cost 20-30 s) with
# a 64 MiB file through blkback; its figures are that run's, not medians.
disk_img=$out/disk.img
truncate -s 0 "$disk_img" && truncate -s 64M "$disk_img"
: > "$out/disk.raw"
scripts/run-domu.sh --log "$out/disk.log" --mem 64 --timeout 300 --disk "$disk_img" \
    -- build/disk/minios.elf 2>/dev/null | grep '^bench ' >> "$out/disk.raw" || {
    echo "bench: the disk run failed (log: $out/disk.log)" >&2; exit 1; }
awk '{ printf "disk\t%s\t%s\t%s\n", $2, $3, $4 }' "$out/disk.raw" >> "$results"
rm -f "$disk_img"
# minios's network, and the Linux domU beside minios (bench/baseline.sh).
bench/baseline.sh "$out" "$results" | tee "$out/baseline.txt"

# Derived: the CPU-bound speed-up from 1 to 2 vCPUs, and IPI cost in sends.
value() { awk -F'\t' -v c="$1" -v n="$2" '$1 == c && $2 == n { print $3 }' "$results"; }
one=$(value vcpus1 cpu_bound_8x4M_ns) two=$(value vcpus2 cpu_bound_8x4M_ns)
[ -n "$one" ] && [ -n "$two" ] &&
    printf 'derived\tspeedup_1_to_2_vcpus_x100\t%s\tratio\n' $((one * 100 / two)) >> "$results"
ipi=$(value vcpus2 ipi_roundtrip_ns) send=$(value vcpus2 evtchn_send_ns)
[ -n "$ipi" ] && [ -n "$send" ] && [ "$send" -gt 0 ] &&
    printf 'derived\tipi_roundtrip_in_sends_x100\t%s\tratio\n' $((ipi * 100 / send)) >> "$results"

# Derived: a switch with TLS against one without, by each means.
plain=$(value vcpus1 switch_ns)
for tls in tls_wrfsbase:wrfsbase tls_hypercall:set_segment_base; do
    with=$(value "${tls%:*}" "switch_tls_${tls#*:}_ns")
    [ -n "$plain" ] && [ -n "$with" ] && [ "$plain" -gt 0 ] &&
        printf 'derived\tswitch_tls_%s_over_none_x100\t%s\tratio\n' "${tls#*:}" $((with * 100 / plain)) >> "$results"
done

# Image sizes (stripped), the same in every config: hello (printf), the
# SMP demo (pthreads, printf of doubles), and the bench image.
for app in hello smp_demo boot; do
    strip -o "$out/$app.stripped" "build/$app/minios.elf"
    printf 'image\t%s_stripped_bytes\t%s\tbytes\n' "$app" "$(stat -c %s "$out/$app.stripped")" >> "$results"
done
# What building newlib took, when it was built (scripts/build-newlib.sh).
[ -f build/newlib/build-seconds ] &&
    printf 'image\tnewlib_build_seconds\t%s\ts\n' "$(cat build/newlib/build-seconds)" >> "$results"

# Side by side: one row per metric, one column per config.
awk -F'\t' 'NR > 1 { key = $2 " (" $4 ")"; v[key, $1] = $3; keys[key] = 1; cfgs[$1] = 1 }
    END {
        n = split("mem4 mem32 mem470 vcpus1 vcpus2 vcpus4 tls_wrfsbase tls_hypercall disk net linux vs_linux image derived", order, " ")
        printf "%-58s", "metric"
        for (i = 1; i <= n; i++) if (order[i] in cfgs) printf "%14s", order[i]
        printf "\n"
        for (k in keys) {
            printf "%-58s", k
            for (i = 1; i <= n; i++) if (order[i] in cfgs) printf "%14s", ((k, order[i]) in v) ? v[k, order[i]] : "-"
            printf "\n"
        }
    }' "$results" | { read -r header; echo "$header"; sort; }
echo "(medians of $RUNS boots; all values in $results)"
