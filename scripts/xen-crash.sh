# Explaining a crash that Xen itself detected (sourced by the run scripts).
#
# Some faults cannot reach the guest's own handler: with no IST, Xen writes
# the exception frame onto the very stack that overflowed, and when that
# write faults Xen kills the domain and prints the guest's registers.  This
# turns that dump into a report in the guest's terms: the function at %rip
# (from the image's debug information) and what the faulting address was.

# xen_crash_report LOG IMAGE: prints the report if LOG holds a Xen domain crash.
xen_crash_report() {
    local log=$1 image=$2 rip rsp cr2 walk why where
    grep -aq 'crashed on cpu#' "$log" || return 0
    rip=$(grep -a -m1 -o 'RIP: *[0-9a-f]*:\[<[0-9a-f]*>\]' "$log" | grep -o '<[0-9a-f]*>' | tr -d '<>')
    rsp=$(grep -a -m1 -o 'rsp: [0-9a-f]*' "$log" | awk '{print $2}')
    cr2=$(grep -a -m1 -o 'cr2: [0-9a-f]*' "$log" | awk '{print $2}')
    walk=$(grep -a -m1 -o 'Pagetable walk from [0-9a-f]*' "$log" | awk '{print $4}')
    if grep -aq 'domain_crash_page_fault' "$log"; then
        why="Xen could not write an exception frame onto the guest's stack"
    else
        why="$(grep -a -m1 -o 'domain_crash[a-z_]* called from [^ ]*' "$log" || echo 'see the log')"
    fi
    echo "run-xen: Xen killed the guest: $why" >&2
    if [ -n "$rip" ]; then
        where=$(addr2line -f -i -C -e "$image" "0x$rip" 2>/dev/null | paste -sd ' ' -)
        echo "run-xen:   rip $rip  ${where:-(no symbol)}" >&2
    fi
    [ -n "$rsp" ] && echo "run-xen:   rsp $rsp  fault address ${walk:-${cr2:-?}}" >&2
    if [ -n "$walk" ] && [ -n "$rsp" ] && [ $((0x$rsp - 0x$walk)) -ge 0 ] && [ $((0x$rsp - 0x$walk)) -lt 256 ] &&
       grep -aq "L1\[0x[0-9a-f]*\] = 0000000000000000" "$log"; then
        echo "run-xen:   the fault address lies just below rsp and is not mapped:" \
             "a stack overflow into a guard page" >&2
    fi
}

# xen_vcpu_report LOG IMAGE: where each vCPU was, from Xen's '0' debug key
# dump (the watchdog asks for it when a run hangs).
xen_vcpu_report() {
    local log=$1 image=$2
    grep -aq 'Dumping Dom0 vcpu' "$log" || { echo "run-xen: (Xen printed no vCPU dump)" >&2; return 0; }
    echo "run-xen: where each vCPU was when the run was stopped (Xen's register dump):" >&2
    awk '/Dumping Dom0 vcpu#/ { match($0, /vcpu#[0-9]+/); v = substr($0, RSTART + 5, RLENGTH - 5) }
         /RIP: *[0-9a-f]*:\[</ && v != "" { match($0, /<[0-9a-f]+>/); print v, substr($0, RSTART + 1, RLENGTH - 2); v = "" }' "$log" |
    while read -r vcpu rip; do
        local where
        where=$(addr2line -f -i -C -e "$image" "0x$rip" 2>/dev/null | paste -sd ' ' -)
        echo "run-xen:   vCPU $vcpu: rip $rip  ${where:-(no symbol)}" >&2
    done
}
