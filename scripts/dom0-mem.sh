# Too little memory for dom0: Xen's domain builder refuses, and that is the
# user's configuration, not a crash of the guest (sourced by run-xen.sh).
#
# Xen lays out a boot region from virtual address 0: the image, the p2m list
# (8 bytes per page), start_info, the bootstrap page tables and a boot
# stack, then pads it to a 4 MiB boundary with at least 512 KiB to spare
# (xen.h, "Start-of-day memory layout").  Xen 4.17 then wants the domain's
# pages to cover that region rounded up to a power of two, and panics with
# "Domain 0 allocation is too small for kernel image" when they do not.
# Measured: apps/hello boots at 4 MiB and not at 3; an image of 8.4 MiB
# (tests/guest/big_image, 8 MiB of data) at 16 and not at 12.

# The smallest MEM (MiB) that always fits any image.
DOM0_MIN_MEM=4

# dom0_min_mem IMAGE MEM: an estimate of the smallest MEM (MiB) for IMAGE.
dom0_min_mem() {
    local image=$1 mem=$2 end=0 e region need=$DOM0_MIN_MEM
    while read -r e; do
        [ $((e)) -gt "$end" ] && end=$((e))
    done < <(readelf -lW "$image" 2>/dev/null | awk '$1 == "LOAD" { print $3 " + " $6 }')
    # p2m list, start_info, page tables (one per 2 MiB, three above) and stack.
    region=$((end + mem * 256 * 8 + (2 + end / (2 << 20) + 8) * 4096))
    region=$(( (region + (512 << 10) + (4 << 20) - 1) / (4 << 20) * (4 << 20) ))
    while [ $((need << 20)) -lt "$region" ]; do
        need=$((need * 2))
    done
    echo "$need"
}

# xen_refusal_report LOG IMAGE MEM: if Xen refused to build dom0, says why
# in words and what MEM would do; status 0 if it did, 1 if not.
xen_refusal_report() {
    local log=$1 image=$2 mem=$3 why
    local what='Domain 0 allocation is too small[^.]*|Could not (construct|set up) (domain 0|DOM0)[^.]*'
    what+='|Not enough RAM for (DOM0|domain 0)[^.]*'
    why=$(grep -a -A1 'Panic on CPU' "$log" | grep -a -o -m1 -E "$what")
    [ -n "$why" ] || return 1
    echo "run-xen: Xen refused to build the guest: \"$why\"" >&2
    if [[ $why == *'too small'* || $why == *'Not enough RAM'* ]]; then
        echo "run-xen: MEM=${mem:-(all)} MiB is too little for this image: Xen wants the" \
             "boot region (image, p2m list, start_info, page tables, boot stack, 512 KiB; whole 4 MiB)" \
             "rounded up to a power of two; try MEM=$(dom0_min_mem "$image" "${mem:-0}") or more" \
             "($DOM0_MIN_MEM MiB for a small image such as apps/hello)" >&2
    fi
    return 0
}
