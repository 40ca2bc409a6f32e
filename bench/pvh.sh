# make bench's PV/PVH part (docs/pvh.md "What it costs"), sourced by
# bench/run.sh, whose helpers it uses (run_config, span_figures, summarize,
# ratio, value, row).  The same images booted both ways in the same run:
#
# - boot_pv_1vcpu / boot_pvh_1vcpu: hello (MINIOS_PROFILE=1) as a PV and as
#   a PVH dom0, alternately, RUNS times each, 1 vCPU, 32 MiB: time and
#   hypercalls from entry to main(), the span on Xen's clock;
# - pvh_vcpus2: bench/smp as a PVH dom0 at 2 vCPUs, beside the rest part's
#   vcpus2 (PV; booted here when that part does not run): null hypercall,
#   event-channel send, IPI round trip, call to all, TLB shootdown (one
#   page, whole flush), context switch, CPU-bound work (one boot mode at
#   2 vCPUs serves all: 1 vCPU would add 5 boots for the same rows);
# - net_pvh: bench/net as a PVH domU under the Linux dom0 (one boot),
#   beside the domu part's net (PV; booted here when that part does not run).
#
# Every PVH row carries its PV counterpart as baseline and the ratio
# PVH / PV; pvh_table prints them side by side.

pvh_spans() { # RUNS boots of hello each way, alternating
    local i mode args
    : > "$out/boot_pv_1vcpu.raw"
    : > "$out/boot_pvh_1vcpu.raw"
    for i in $(seq "$RUNS"); do
        for mode in pv pvh; do
            args=()
            [ "$mode" = pvh ] && args=(--pvh)
            scripts/run-xen.sh --log "$out/boot_${mode}_1vcpu.$i.log" --vcpus 1 --mem 32 "${args[@]}" \
                --args MINIOS_PROFILE=1 -- build/hello/minios.elf > /dev/null 2>&1 &&
                span_figures "$out/boot_${mode}_1vcpu.$i.log" hello >> "$out/boot_${mode}_1vcpu.raw" || {
                echo "bench: hello as $mode, run $i, failed (log: $out/boot_${mode}_1vcpu.$i.log)" >&2
                exit 1; }
        done
    done
    summarize boot_pv_1vcpu
    summarize boot_pvh_1vcpu
}

# net_run CONFIG [run-domu options]: bench/net as a domU, dom0's figures as rows.
net_run() {
    local config=$1; shift
    scripts/run-domu.sh --log "$out/$config.log" --mem 64 --timeout 300 --net 1 "$@" \
        --dom0-hook bench/net/dom0-hook.sh -- build/net/minios.elf NET_IP=10.0.0.2/24 4194304 \
        2> /dev/null > "$out/$config.out" || true
    tr -d '\r' < "$out/$config.out" | sed -n 's/^dom0-hook: bench \([a-z0-9_]*\) \([0-9]*\) \(.*\)$/\1 \2 \3/p' |
        awk -v c="$config" '{ printf "%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\n", c, $1, $2, $3 }' >> "$results"
    grep -q '^dom0-hook: bench net_tcp_from_guest ' "$out/$config.out" ||
        echo "bench: the $config network run gave no full set of figures (log: $out/$config.log)" >&2
}

# The rows of the comparison: PV config, PVH config, figure.
PVH_ROWS="boot_pv_1vcpu:boot_pvh_1vcpu:hello_to_main_us
boot_pv_1vcpu:boot_pvh_1vcpu:hello_hypercalls_before_main
boot_pv_1vcpu:boot_pvh_1vcpu:hello_span_us
vcpus2:pvh_vcpus2:null_hypercall_ns
vcpus2:pvh_vcpus2:evtchn_send_ns
vcpus2:pvh_vcpus2:switch_ns
vcpus2:pvh_vcpus2:ipi_roundtrip_ns
vcpus2:pvh_vcpus2:call_all_ns
vcpus2:pvh_vcpus2:tlb_shootdown_page_ns
vcpus2:pvh_vcpus2:tlb_flush_all_ns
vcpus2:pvh_vcpus2:cpu_bound_8x16M_ns
net:net_pvh:net_tcp_to_guest
net:net_pvh:net_tcp_from_guest
net:net_pvh:net_ping_rtt_us"

pvh_part() {
    make -s APP=bench/net > /dev/null
    pvh_spans
    # the PV side, when the rest part did not boot it
    want rest || run_config vcpus2 build/smp/minios.elf --vcpus 2
    run_config pvh_vcpus2 build/smp/minios.elf --vcpus 2 --pvh
    want domu || net_run net
    net_run net_pvh --pvh
    local pv pvh name
    while IFS=: read -r pv pvh name; do
        ratio "$pvh" "$name" "$name" "$pv"
    done <<< "$PVH_ROWS"
}

pvh_table() {
    local pv pvh name a b unit
    printf '%-44s %14s %12s %12s %8s\n' "PV vs PVH" "PV config" PV PVH "x100"
    while IFS=: read -r pv pvh name; do
        a=$(value "$pv" "$name") b=$(value "$pvh" "$name")
        [ -n "$a" ] || [ -n "$b" ] || continue
        unit=$(awk -F'\t' -v c="$pvh" -v n="$name" '$1 == c && $2 == n { print $4 }' "$results")
        printf '%-44s %14s %12s %12s %8s\n' "$name (${unit:-?})" "$pv" "${a:--}" "${b:--}" \
            "$([ -n "$a" ] && [ -n "$b" ] && [ "$a" -gt 0 ] && echo $((b * 100 / a)) || echo -)"
    done <<< "$PVH_ROWS"
    echo "(x100 = PVH / PV x 100: above 100, PVH takes longer or moves more; boots: medians of $RUNS,"
    echo " hello at 1 vCPU, 32 MiB, MINIOS_PROFILE=1; bench/smp at 2 vCPUs; network: one domU boot each)"
}
