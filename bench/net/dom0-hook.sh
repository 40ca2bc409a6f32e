# dom0's half of the network figures (busybox sh), the same for minios
# (bench/net/main.c) and the Linux domU (bench/linux/init.sh): the guest is
# 10.0.0.2 and serves one connection each on 5001 (it reads BYTES, then
# closes) and 5002 (it sends BYTES, then closes), saying "bench: listening
# on PORT" first.  Timing is dom0's (/proc/uptime, 10 ms steps: each
# transfer is made to last seconds).  Prints "bench NAME VALUE UNIT" lines.
BYTES=$(sed -n 's/.* \([0-9][0-9]*\)"$/\1/p' /guest/guest.cfg | head -n 1)
[ -n "$BYTES" ] || BYTES=$(sed -n 's/.*bench_bytes=\([0-9][0-9]*\).*/\1/p' /guest/guest.cfg | head -n 1)
LOG=/run/console/guest-$GUEST_NAME.log
fail() {
    echo "FAILED: $*"
    exit 1
}
now() { cut -d ' ' -f 1 /proc/uptime; }
# KB/s from bytes and two uptimes.
rate() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { if (e > s) printf "%d", b / 1024 / (e - s); else print 0 }'; }

# wait_line PATTERN: the guest's console says it (up to 5 min).
wait_line() {
    n=0
    until grep -q "$1" "$LOG" 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt 3000 ] || fail "the guest never said '$1'"
        sleep 0.1
    done
}

[ -n "$BYTES" ] || fail "no byte count in the guest's command line"
n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 300 ] || fail "10.0.0.2 did not answer within 300 tries"
done
# The small round trip: 50 echo requests, each sent as the last reply came.
rtt=$(ping -A -c 50 10.0.0.2 | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')
[ -n "$rtt" ] || fail "ping gave no round-trip summary"
echo "bench net_ping_rtt_us $(awk -v ms="$rtt" 'BEGIN { printf "%d", ms * 1000 }') us"

# dom0 -> guest: nc's input stays open (a sleeping writer) so that nc ends
# only when the guest closes after the last byte.
mkfifo /tmp/bench-in
wait_line '^bench: listening on 5001'
tries=0
while :; do
    { head -c "$BYTES" /dev/zero; sleep 60; } > /tmp/bench-in &
    writer=$!
    start=$(now)
    nc 10.0.0.2 5001 < /tmp/bench-in > /dev/null
    rc=$?
    end=$(now)
    kill $writer 2>/dev/null
    wait $writer 2>/dev/null
    [ $rc -eq 0 ] && break
    tries=$((tries + 1))
    [ $tries -lt 20 ] || fail "nc to 10.0.0.2:5001 failed 20 times"
    sleep 0.2
done
echo "bench net_tcp_to_guest $(rate "$BYTES" "$start" "$end") KB/s"

wait_line '^bench: listening on 5002'
tries=0
while :; do
    sleep 60 > /tmp/bench-in &
    writer=$!
    start=$(now)
    got=$(nc 10.0.0.2 5002 < /tmp/bench-in | wc -c)
    end=$(now)
    kill $writer 2>/dev/null
    wait $writer 2>/dev/null
    [ "$got" -gt 0 ] && break
    tries=$((tries + 1))
    [ $tries -lt 20 ] || fail "nc from 10.0.0.2:5002 got nothing 20 times"
    sleep 0.2
done
[ "$got" -eq "$BYTES" ] || fail "from the guest: $got of $BYTES bytes"
echo "bench net_tcp_from_guest $(rate "$BYTES" "$start" "$end") KB/s"
