#!/usr/bin/env bash
# make bench: performance and memory figures, measured in one run and shown
# side by side.  Each benchmark image prints "bench NAME VALUE UNIT" lines;
# this boots it under each configuration, keeps the median of RUNS boots,
# and writes build/bench/results.tsv (config, name, median, unit, runs, min,
# max, baseline, ratio) and the same as JSON, build/bench/results.json (one
# object per figure), plus a table.  Figures, not pass/fail: what they mean
# is in docs/performance.md, docs/smp.md (switches with and without
# thread-local storage, events, IPIs, calls, speed-up) and
# docs/applications.md (image sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
# PARTS: which parts run (all by default): "boot" (the boot spans), "rest"
# (memory, SMP, TLS, allocators, the smallest MEM), "disk" (minios's disk
# domU), "domu" (bench/baseline.sh: minios's network and HTTP, the Linux
# domU), "pvh" (PV and PVH side by side).  Each part's seconds are printed
# at the end.
PARTS=${PARTS:-boot rest disk domu pvh}
want() { [[ " $PARTS " == *" $1 "* ]]; }
for part in $PARTS; do
    [[ " boot rest disk domu pvh " == *" $part "* ]] ||
        { echo "bench: PARTS: no part '$part' (boot rest disk domu pvh)" >&2; exit 2; }
done
part_times=()
# timed PART: records the seconds since the last call as PART's.
part_start=$SECONDS
timed() { part_times+=("$1 $((SECONDS - part_start)) s"); part_start=$SECONDS; }
out=build/bench
mkdir -p "$out"
results=$out/results.tsv
printf 'config\tname\tvalue\tunit\truns\tmin\tmax\tbaseline\tratio\n' > "$results"

make -s APP=bench/boot >/dev/null
make -s APP=bench/smp >/dev/null
make -s APP=bench/tls_switch >/dev/null
make -s APP=apps/hello >/dev/null
make -s APP=bench/hello_nolibc >/dev/null
make -s APP=apps/smp_demo >/dev/null
make -s APP=bench/disk >/dev/null
make -s floor >/dev/null
# The disks' known pattern (each 8-byte word holds its own offset) is
# written by the Linux domU's random reader, built here for the host.
gcc -O2 -Wall -static -o "$out/randread" bench/linux/randread.c

# summarize CONFIG: each metric of $out/CONFIG.raw ("bench NAME VALUE UNIT"
# lines, one per metric per run) as one row: median, runs, min, max.
summarize() {
    sort -k2,2 -k3,3n "$out/$1.raw" | awk -v c="$1" '
        function flush() {
            if (n) printf "%s\t%s\t%s\t%s\t%d\t%s\t%s\t-\t-\n", c, name, v[int((n + 1) / 2)], unit, n, v[1], v[n]
        }
        $2 != name { flush(); name = $2; unit = $4; n = 0 }
        { v[++n] = $3 }
        END { flush() }' >> "$results"
}

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
    summarize "$config"
}

# Boot spans, on Xen's clock: from Xen's hand-over (its "Freed ... init
# memory" line, the last before dom0 runs) to the guest's decision to exit,
# read from the span line that bench/floor prints and the kernel prints with
# MINIOS_PROFILE=1; for hello, also its boot profile (phases, hypercalls
# before main() by type).  Floor and hello boots alternate, so that a busy
# moment of the machine falls on both.
span_figures() { # LOG PREFIX: "bench NAME VALUE UNIT" lines from one boot's log
    awk -v p="$2" '
        /^\(XEN\) \[ *[0-9.]+\] Freed [0-9]+kB init memory/ {
            t = $0; sub(/^\(XEN\) \[ */, "", t); sub(/\].*/, "", t)
            split(t, st, "."); freed = st[1] * 1000000 + st[2] }
        /^minios: span: entry at [0-9]+ ns, exit at [0-9]+ ns/ {
            entry = int($5 / 1000); exit_us = int($9 / 1000) }
        /^  boot: [0-9]+ us and [0-9]+ hypercalls from entry to main/ {
            printf "bench %s_to_main_us %d us\n", p, $2
            printf "bench %s_hypercalls_before_main %d count\n", p, $5 }
        /^Boot profile/ { phases = 1; next }
        phases && /^  [a-z]+ +[0-9]+ us +[0-9]+$/ {
            if ($1 == "total") { phases = 0; next }
            printf "bench %s_phase_%s_us %d us\n", p, $1, $2
            printf "bench %s_phase_%s_hypercalls %d count\n", p, $1, $4 }
        /^Hypercalls before main\(\) on vCPU 0, by type:/ {
            sub(/.*by type: */, "")
            for (i = 1; i < NF; i += 2) printf "bench %s_before_main_%s %d count\n", p, $i, $(i + 1) }
        END {
            if (!freed || !exit_us) exit 1
            printf "bench %s_span_us %d us\n", p, exit_us - freed
            printf "bench %s_guest_us %d us\n", p, exit_us - entry
            printf "bench %s_handover_us %d us\n", p, entry - freed }' "$1"
}
run_spans() { # CONFIG [run-xen options]
    local config=$1; shift
    local i name image args
    : > "$out/$config.raw"
    for i in $(seq "$RUNS"); do
        for name in floor hello; do
            image=build/bench/floor/minios.elf args=
            [ "$name" = hello ] && image=build/hello/minios.elf args=MINIOS_PROFILE=1
            scripts/run-xen.sh --log "$out/$config.$name.$i.log" "$@" ${args:+--args "$args"} \
                -- "$image" > /dev/null 2>&1 &&
                span_figures "$out/$config.$name.$i.log" "$name" >> "$out/$config.raw" || {
                echo "bench: the $config $name run $i failed (log: $out/$config.$name.$i.log)" >&2
                exit 1; }
        done
    done
    summarize "$config"
}

# ratio CONFIG NAME BASELINE [BASELINE_CONFIG]: sets NAME's baseline and
# ratio (2 decimals); the baseline is BASELINE of the same config, or of
# BASELINE_CONFIG (then named BASELINE_CONFIG/BASELINE).
ratio() {
    awk -F'\t' -v OFS='\t' -v c="$1" -v n="$2" -v b="$3" -v bc="${4:-$1}" '
        NR == FNR { if ($1 == bc && $2 == b) base = $3; next }
        $1 == c && $2 == n && base > 0 {
            $8 = (bc == c ? b : bc "/" b); $9 = sprintf("%.2f", $3 / base) }
        { print }' "$results" "$results" > "$results.tmp" && mv "$results.tmp" "$results"
}

# row CONFIG NAME VALUE UNIT: a figure computed here, not booted RUNS times.
row() { printf '%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\n' "$@" >> "$results"; }
value() { awk -F'\t' -v c="$1" -v n="$2" '$1 == c && $2 == n { print $3 }' "$results"; }

part_start=$SECONDS
if want boot; then
    for v in 1 2 4; do
        run_spans "boot_${v}vcpu_32M" --vcpus "$v" --mem 32
        run_spans "boot_${v}vcpu_all" --vcpus "$v"
        for m in 32M all; do
            ratio "boot_${v}vcpu_$m" hello_span_us floor_span_us
            ratio "boot_${v}vcpu_$m" hello_guest_us floor_guest_us
        done
    done
    timed boot
fi

if want rest; then
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

    # The host's glibc on bench/boot's malloc workload, natively, as the
    # baseline of newlib's malloc/free in the guest.
    gcc -O2 -o "$out/host_malloc" bench/host_malloc.c -lpthread
    : > "$out/host_glibc.raw"
    for i in $(seq "$RUNS"); do "$out/host_malloc" >> "$out/host_glibc.raw"; done
    summarize host_glibc
    for c in mem4 mem32 mem470; do
        ratio "$c" malloc_free_64_ns malloc_free_64_ns host_glibc
        ratio "$c" malloc_free_mixed_ns malloc_free_mixed_ns host_glibc
    done
    # bench/smp's allocators under load (one thread per vCPU, ops/s) beside
    # glibc on the same workloads with as many threads (host_glibc_Nt).
    for v in 1 2 4; do
        : > "$out/host_glibc_${v}t.raw"
        for i in $(seq "$RUNS"); do "$out/host_malloc" "$v" >> "$out/host_glibc_${v}t.raw"; done
        summarize "host_glibc_${v}t"
        ratio "vcpus$v" alloc_page_ops_s alloc_page_ops_s "host_glibc_${v}t"
        ratio "vcpus$v" kmalloc_mixed_ops_s malloc_mixed_ops_s "host_glibc_${v}t"
        ratio "vcpus$v" malloc_mixed_ops_s malloc_mixed_ops_s "host_glibc_${v}t"
    done

    # The smallest MEM (MiB) that runs hello to exit 0: bisected between the
    # harness's lower limit (below it Xen builds no dom0) and 32 MiB.
    . scripts/dom0-mem.sh
    lo=$DOM0_MIN_MEM hi=32 boots=0
    hello_runs() {
        boots=$((boots + 1))
        scripts/run-xen.sh --mem "$1" --log "$out/min_mem.$1.log" build/hello/minios.elf >/dev/null 2>&1
    }
    if hello_runs "$lo"; then
        hi=$lo
    elif ! hello_runs "$hi"; then
        echo "bench: hello does not run in $hi MiB (log: $out/min_mem.$hi.log)" >&2
        exit 1
    else
        while [ $((hi - lo)) -gt 1 ]; do
            mid=$(((lo + hi) / 2))
            if hello_runs "$mid"; then hi=$mid; else lo=$mid; fi
        done
    fi
    row image hello_min_mem_mib "$hi" MiB
    row image hello_min_mem_boots "$boots" count
    timed rest
fi

# Disks (bench/disk, docs/storage.md): one domU boot (they cost 20-30 s) with
# a 64 MiB file through blkback, holding the same known pattern as the
# Linux domU's disk; its figures are that run's, not medians.
if want disk; then
    disk_img=$out/disk.img
    truncate -s 0 "$disk_img" && truncate -s 64M "$disk_img"
    "$out/randread" fill "$disk_img"
    : > "$out/disk.raw"
    scripts/run-domu.sh --log "$out/disk.log" --mem 64 --timeout 300 --disk "$disk_img" \
        -- build/disk/minios.elf 2>/dev/null | grep '^bench ' >> "$out/disk.raw" || {
        echo "bench: the disk run failed (log: $out/disk.log)" >&2; exit 1; }
    awk '{ printf "disk\t%s\t%s\t%s\t-\t-\t-\t-\t-\n", $2, $3, $4 }' "$out/disk.raw" >> "$results"
    rm -f "$disk_img"
    timed disk
fi
# minios's network, and the Linux domU beside minios (bench/baseline.sh).
if want domu; then
    bench/baseline.sh "$out" "$results" | tee "$out/baseline.txt"
    timed domu
fi
# PV and PVH side by side (bench/pvh.sh).
. bench/pvh.sh
if want pvh; then
    pvh_part
    timed pvh
fi

# Derived: the CPU-bound speed-up from 1 to 2 vCPUs, and IPI cost in sends.
one=$(value vcpus1 cpu_bound_8x16M_ns) two=$(value vcpus2 cpu_bound_8x16M_ns)
[ -n "$one" ] && [ -n "$two" ] && row derived speedup_1_to_2_vcpus_x100 $((one * 100 / two)) ratio
ipi=$(value vcpus2 ipi_roundtrip_ns) send=$(value vcpus2 evtchn_send_ns)
[ -n "$ipi" ] && [ -n "$send" ] && [ "$send" -gt 0 ] &&
    row derived ipi_roundtrip_in_sends_x100 $((ipi * 100 / send)) ratio

# The null hypercall (xen_version) as the unit of event-channel send, IPI
# round trip and smp_call_function to all, in the same boot; a switch next
# to a plain function call.
for c in vcpus1 vcpus2 vcpus4; do
    for n in evtchn_send_ns ipi_roundtrip_ns call_all_ns; do
        [ -n "$(value "$c" "$n")" ] && ratio "$c" "$n" null_hypercall_ns
    done
    sw=$(value "$c" switch_ns) call=$(value "$c" function_call_ps)
    [ -n "$sw" ] && [ -n "$call" ] && [ "$call" -gt 0 ] &&
        row "$c" switch_in_function_calls $((sw * 1000 / call)) ratio
done

# Derived: a switch with TLS against one without, by each means.
plain=$(value vcpus1 switch_ns)
for tls in tls_wrfsbase:wrfsbase tls_hypercall:set_segment_base; do
    with=$(value "${tls%:*}" "switch_tls_${tls#*:}_ns")
    [ -n "$plain" ] && [ -n "$with" ] && [ "$plain" -gt 0 ] &&
        row derived "switch_tls_${tls#*:}_over_none_x100" $((with * 100 / plain)) ratio
done

# Image sizes (stripped, and the loaded parts), the same in every config:
# the floor, hello (printf), the SMP demo (pthreads, printf of doubles), and
# the bench image.
for app in bench/floor hello_nolibc hello smp_demo boot; do
    name=${app##*/}
    strip -o "$out/$name.stripped" "build/$app/minios.elf"
    row image "${name}_stripped_bytes" "$(stat -c %s "$out/$name.stripped")" bytes
    read -r text data bss _ < <(size "build/$app/minios.elf" | tail -n 1)
    row image "${name}_text_bytes" "$text" bytes
    row image "${name}_data_bytes" "$data" bytes
    row image "${name}_bss_bytes" "$bss" bytes
done
for app in hello_nolibc hello smp_demo boot; do
    ratio image "${app}_stripped_bytes" floor_stripped_bytes
done
# What building newlib took, when it was built (scripts/build-newlib.sh).
[ -f build/newlib/build-seconds ] &&
    row image newlib_build_seconds "$(cat build/newlib/build-seconds)" s

# The same figures as JSON: one object per figure.
awk -F'\t' '
    function num(x) { return x == "-" ? "null" : x }
    NR > 1 {
        printf "%s\n  {\"name\": \"%s\", \"value\": %s, \"unit\": \"%s\", \"config\": \"%s\", ", \
            (NR > 2 ? "," : "["), $2, $3, $4, $1
        printf "\"runs\": %s, \"min\": %s, \"median\": %s, \"max\": %s", \
            $5 == "-" ? 1 : $5, num($6), $5 == "-" ? "null" : $3, num($7)
        if ($8 != "-") printf ", \"baseline\": \"%s\", \"ratio\": %s", $8, $9
        printf "}"
    }
    END { if (NR > 1) print "\n]"; else print "[]" }' "$results" > "$out/results.json"

# Side by side: one row per metric, one column per config, two tables
# (boot spans; the rest).
table() {
    awk -F'\t' -v order="$1" '
        BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) want[o[i]] = 1 }
        NR > 1 && ($1 in want) {
            key = $2 " (" $4 ")"; v[key, $1] = $3 ($9 != "-" ? " x" $9 : ""); keys[key] = 1; cfgs[$1] = 1 }
        END {
            printf "%-46s", "metric"
            for (i = 1; i <= n; i++) if (o[i] in cfgs) printf "%16s", o[i]
            printf "\n"
            for (k in keys) {
                printf "%-46s", k
                for (i = 1; i <= n; i++) if (o[i] in cfgs) printf "%16s", ((k, o[i]) in v) ? v[k, o[i]] : "-"
                printf "\n"
            }
        }' "$results" | { read -r header; echo "$header"; sort; }
}
table "boot_1vcpu_32M boot_1vcpu_all boot_2vcpu_32M boot_2vcpu_all boot_4vcpu_32M boot_4vcpu_all"
echo
table "mem4 mem32 mem470 host_glibc host_glibc_1t host_glibc_2t host_glibc_4t vcpus1 vcpus2 vcpus4 tls_wrfsbase tls_hypercall disk net linux image derived"
echo "(medians of $RUNS boots, xR = ratio to the figure's floor; all values in $results"
echo " and $out/results.json)"
if want pvh; then
    echo
    pvh_table
fi
echo "(seconds by part: ${part_times[*]}; in all $SECONDS s)"
