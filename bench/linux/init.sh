#!/bin/busybox sh
# /init of the Linux domU that make bench measures minios against
# (bench/baseline.sh, docs/storage.md "Benchmarks"): Debian's kernel, the
# harness's dom0 kernel, booted as a PV domU with this busybox initramfs
# (bench/linux/build-initrd.sh).  Disk (a 64 MiB host file through the same
# blkback as minios's, holding randread's pattern): random 4 KiB reads with
# 1 and 32 in flight (bench/linux/randread.c, checked against the pattern),
# then dd with direct I/O on xvda; network: busybox nc on
# 10.0.0.2, the same ports as bench/net/main.c, timed by dom0
# (bench/net/dom0-hook.sh).  Prints "bench NAME VALUE UNIT" lines, then
# powers off.  Timing here is /proc/uptime (10 ms steps).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
dmesg -n 1

say() { echo "linux-bench: $*"; }
now() { cut -d ' ' -f 1 /proc/uptime; }
# per_s AMOUNT START END: AMOUNT per second.
per_s() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { if (e > s) printf "%d", b / (e - s); else print 0 }'; }
bytes=$(sed -n 's/.*bench_bytes=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)

insmod /lib/xen-blkfront.ko || say "insmod xen-blkfront failed"
insmod /lib/xen-netfront.ko || say "insmod xen-netfront failed"
n=0
until [ -b /dev/xvda ] || [ $n -ge 100 ]; do
    sleep 0.1
    n=$((n + 1))
done

if [ -b /dev/xvda ]; then
    size=$(cat /sys/block/xvda/size)
    mib=$((size / 2048))
    say "xvda: $mib MiB, max request $(cat /sys/block/xvda/queue/max_sectors_kb) KiB"
    # Random 4 KiB reads first, while the disk still holds the pattern
    # they are checked against (dd's write below replaces it): minios's
    # count (bench/disk/main.c) and offsets.
    for qd in 1 32; do
        randread /dev/xvda 2000 $qd > /tmp/randread.out || say "randread at $qd in flight failed"
        sed 's/^randread: /linux-bench: randread /' /tmp/randread.out
    done
    # Sequential, 1 MiB per call: Linux splits each into requests of its
    # blkfront's size and keeps several in flight.
    t0=$(now)
    dd if=/dev/zero of=/dev/xvda bs=1M count=$mib oflag=direct conv=fsync 2> /dev/null
    t1=$(now)
    echo "bench disk_seq_write_dd1M $(per_s $((mib * 1024)) "$t0" "$t1") KB/s"
    t0=$(now)
    dd if=/dev/xvda of=/dev/null bs=1M count=$mib iflag=direct 2> /dev/null
    t1=$(now)
    echo "bench disk_seq_read_dd1M $(per_s $((mib * 1024)) "$t0" "$t1") KB/s"
    # 4 KiB reads one at a time (dd waits for each): sequential offsets,
    # as busybox dd cannot pick random ones within one process.
    t0=$(now)
    dd if=/dev/xvda of=/dev/null bs=4k count=4000 iflag=direct 2> /dev/null
    t1=$(now)
    echo "bench disk_seq4k_read_qd1 $(per_s 4000 "$t0" "$t1") reads/s"
else
    say "no /dev/xvda after 10 s"
fi

n=0
until [ -e /sys/class/net/eth0 ] || [ $n -ge 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
if ip link set dev eth0 up 2> /dev/null; then
    ip link set dev lo up
    ip addr add 10.0.0.2/24 dev eth0
    printf '#!/bin/sh\nexec head -c %s > /dev/null\n' "$bytes" > /bin/bench-sink
    printf '#!/bin/sh\nexec head -c %s /dev/zero\n' "$bytes" > /bin/bench-source
    chmod +x /bin/bench-sink /bin/bench-source
    echo "bench: listening on 5001"
    nc -l -p 5001 -e /bin/bench-sink
    echo "bench: listening on 5002"
    nc -l -p 5002 -e /bin/bench-source
    # HTTP (bench_http=1): busybox httpd serves apps/httpd's page (the
    # same bytes) until dom0's hook connects to port 5003.
    if grep -q 'bench_http=1' /proc/cmdline; then
        mkdir -p /www
        printf '%s\n' '<!DOCTYPE html>' '<html><head><title>minios</title></head>' \
            '<body><h1>Hello from minios</h1>' \
            '<p>This page comes from a Xen PV unikernel: lwIP over netfront.</p>' \
            '<p><a href="/status">/status</a> has its counters.</p>' '</body></html>' > /www/index.html
        httpd -p 80 -h /www
        echo "bench: httpd on port 80"
        nc -l -p 5003 > /dev/null
    fi
    # What the kernel still holds for dom0 leaves before the domain ends.
    sleep 2
else
    say "no eth0"
fi
say "done"
poweroff -f
