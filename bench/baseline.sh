#!/usr/bin/env bash
# make bench's Linux-domU baseline (docs/storage.md, docs/networking.md):
# the network figures of minios (bench/net) and, in one more boot, the disk
# and network figures of Debian's Linux kernel booted as a domU under the
# same dom0 with a busybox initramfs (bench/linux/), each next to minios's
# and the ratio; HTTP requests per second of minios's apps/httpd next to the
# Linux domU's busybox httpd (bench/net/dom0-hook.sh, bench_http=1), and the
# smallest MEM in which apps/httpd serves its page.  Called by bench/run.sh
# after its own disk run:
#
#   bench/baseline.sh OUT RESULTS
#
# appends rows to RESULTS (bench/run.sh's columns; config net: minios's
# network; linux: the Linux domU) and gives each minios figure that Linux
# has too its baseline (linux/NAME) and ratio (minios / Linux), and prints
# the side-by-side table.  One boot each (domU boots cost 20-60 s under TCG):
# figures of that run, not medians.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1 results=$2
BYTES=4194304 # per TCP transfer: seconds under TCG (about 1 MB/s), far above /proc/uptime's 10 ms

make -s APP=bench/net > /dev/null
make -s APP=apps/httpd > /dev/null
bench/linux/build-initrd.sh "$out/linux" > /dev/null

# rows CONFIG < lines: "bench NAME VALUE UNIT" (also after "dom0-hook: ") as rows
# (Linux's console ends its lines with \r\n).
rows() {
    tr -d '\r' | sed -n 's/^\(dom0-hook: \)\{0,1\}bench \([A-Za-z0-9_]*\) \([0-9][0-9]*\) \(.*\)$/\2 \3 \4/p' |
        awk -v c="$1" '{ printf "%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\n", c, $1, $2, $3 }'
}

# minios: the network (its disk figures are bench/run.sh's "disk" config).
scripts/run-domu.sh --log "$out/net.log" --mem 64 --timeout 300 --net 1 \
    --dom0-hook bench/net/dom0-hook.sh -- build/net/minios.elf NET_IP=10.0.0.2/24 "$BYTES" \
    2> /dev/null > "$out/net.out" || true
rows net < "$out/net.out" >> "$results"
grep -q '^dom0-hook: bench net_tcp_from_guest ' "$out/net.out" ||
    echo "bench: the minios network run gave no full set of figures (log: $out/net.log)" >&2

# minios's HTTP: apps/httpd (64 MiB, 2 vCPUs, a static address) under
# dom0's wget loops.
scripts/run-domu.sh --log "$out/http.log" --mem 64 --vcpus 2 --timeout 300 --net 1 \
    --bench-tools --dom0-hook bench/net/dom0-hook.sh -- build/httpd/minios.elf NET_IP=10.0.0.2/24 \
    NET_GW=10.0.0.1 BENCH_HTTP=1 2> /dev/null > "$out/http.out" || true
rows net < "$out/http.out" >> "$results"
grep -q '^dom0-hook: bench http_requests_per_s ' "$out/http.out" ||
    echo "bench: the minios HTTP run gave no figure (log: $out/http.log)" >&2

# The smallest MEM (MiB) in which apps/httpd serves its page to dom0's
# wget (bench/net/http-mem-hook.sh): 4 (run-domu.sh's lower limit) first,
# then bisected up to 32, each a domU boot (20-60 s under TCG).
http_serves() {
    http_boots=$((http_boots + 1))
    scripts/run-domu.sh --log "$out/http_mem.$1.log" --mem "$1" --timeout 180 --net 1 \
        --dom0-hook bench/net/http-mem-hook.sh -- build/httpd/minios.elf NET_IP=10.0.0.2/24 \
        2> /dev/null > "$out/http_mem.$1.out" &&
        grep -q '^dom0-hook: http-mem: served$' "$out/http_mem.$1.out"
}
http_boots=0 lo=4 hi=32
if http_serves "$lo"; then
    hi=$lo
    printf 'image\thttpd_min_mem_mib\t%s\tMiB\t-\t-\t-\t-\t-\n' "$hi" >> "$results"
    printf 'image\thttpd_min_mem_boots\t%s\tcount\t-\t-\t-\t-\t-\n' "$http_boots" >> "$results"
elif http_serves "$hi"; then
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if http_serves "$mid"; then hi=$mid; else lo=$mid; fi
    done
    printf 'image\thttpd_min_mem_mib\t%s\tMiB\t-\t-\t-\t-\t-\n' "$hi" >> "$results"
    printf 'image\thttpd_min_mem_boots\t%s\tcount\t-\t-\t-\t-\t-\n' "$http_boots" >> "$results"
else
    echo "bench: apps/httpd does not serve in $hi MiB (log: $out/http_mem.$hi.log)" >&2
fi

# Linux: one boot, disk then network, on the same kind of disk (a 64 MiB
# host file through blkback) and the same bridge.
disk_img=$out/linux-disk.img
truncate -s 0 "$disk_img" && truncate -s 64M "$disk_img"
"$out/randread" fill "$disk_img" # the pattern randread checks (bench/run.sh built it)
scripts/run-domu.sh --log "$out/linux.log" --mem 128 --timeout 400 --net 1 --disk "$disk_img" \
    --ramdisk "$out/linux/initrd.cpio.gz" --bench-tools --dom0-hook bench/net/dom0-hook.sh -- \
    "$out/linux/vmlinuz" console=hvc0 quiet bench_bytes="$BYTES" bench_http=1 2> /dev/null \
    > "$out/linux.out" || true
rm -f "$disk_img"
rows linux < "$out/linux.out" >> "$results"
grep -q '^bench disk_seq4k_read_qd1 ' "$out/linux.out" &&
    grep -q '^bench disk_rand4k_read_qd32 ' "$out/linux.out" &&
    grep -q '^dom0-hook: bench net_tcp_from_guest ' "$out/linux.out" &&
    grep -q '^dom0-hook: bench http_requests_per_s ' "$out/linux.out" ||
    echo "bench: the Linux domU run gave no full set of figures (log: $out/linux.log)" >&2

# Side by side: minios's figure, Linux's, minios / Linux x 100.  Disk:
# minios's largest requests with 32 in flight against dd's 1 MiB direct
# calls (Linux keeps several requests in flight for each); 4 KiB reads one
# at a time on both; random 4 KiB reads, the same offsets on both sides,
# with 1 and 32 in flight (Linux: bench/linux/randread.c).  Round trip: lower is better (a ratio above 100 means
# minios is slower); the rest: higher is better.  Failed HTTP requests are
# shown too, and any is reported: a rate over fewer answers is no rate.
value() { awk -F'\t' -v c="$1" -v n="$2" '$1 == c && $2 == n { print $3; exit }' "$results"; }
printf '%-44s %12s %12s %8s\n' "minios vs Linux domU" minios linux "x100"
for pair in disk:disk_seq_write_big_qd32:disk_seq_write_dd1M:KB/s \
            disk:disk_seq_read_big_qd32:disk_seq_read_dd1M:KB/s \
            disk:disk_seq4k_read_qd1:disk_seq4k_read_qd1:reads/s \
            disk:disk_rand4k_read_qd1:disk_rand4k_read_qd1:reads/s \
            disk:disk_rand4k_read_qd32:disk_rand4k_read_qd32:reads/s \
            net:net_tcp_to_guest:net_tcp_to_guest:KB/s \
            net:net_tcp_from_guest:net_tcp_from_guest:KB/s \
            net:net_ping_rtt_us:net_ping_rtt_us:us \
            net:http_requests_per_s:http_requests_per_s:req/s \
            net:http_failed_requests:http_failed_requests:count; do
    IFS=: read -r config mine theirs unit <<< "$pair"
    m=$(value "$config" "$mine") l=$(value linux "$theirs")
    ratio=-
    for who in "minios:$m" "Linux:$l"; do
        [ "$mine" = http_failed_requests ] && [ -n "${who#*:}" ] && [ "${who#*:}" -gt 0 ] &&
            echo "bench: ${who%%:*}: ${who#*:} HTTP requests failed (see $out/http.out, $out/linux.out)" >&2
    done
    if [ -n "$m" ] && [ -n "$l" ] && [ "$l" -gt 0 ]; then
        ratio=$((m * 100 / l))
        # The minios row's baseline is Linux's figure: results.json's ratio.
        awk -F'\t' -v OFS='\t' -v c="$config" -v n="$mine" -v b="linux/$theirs" -v r="$m/$l" \
            '$1 == c && $2 == n { split(r, q, "/"); $8 = b; $9 = sprintf("%.2f", q[1] / q[2]) } { print }' \
            "$results" > "$results.tmp" && mv "$results.tmp" "$results"
    fi
    printf '%-44s %12s %12s %8s\n' "$mine ($unit)" "${m:--}" "${l:--}" "$ratio"
done
echo "(Linux: $(tr -d '\r' < "$out/linux.out" | sed -n 's/^linux-bench: \(xvda: .*\)/\1/p');" \
    "$(tr -d '\r' < "$out/linux.out" | sed -n 's/^linux-bench: randread \(.*\)/\1/p' | paste -sd ';' -))"
hm=$(value image httpd_min_mem_mib)
echo "smallest MEM serving HTTP (apps/httpd): ${hm:--} MiB"
