# dom0's half of the network figures (busybox sh), the same for minios
# (bench/net/main.c) and the Linux domU (bench/linux/init.sh): the guest is
# 10.0.0.2 and serves one connection each on 5001 (it reads BYTES, then
# closes) and 5002 (it sends BYTES, then closes), saying "bench: listening
# on PORT" first.  Timing is dom0's (/proc/uptime, 10 ms steps: each
# transfer is made to last seconds).  Prints "bench NAME VALUE UNIT" lines.
#
# With bench_http=1 in the guest's command line (BENCH_HTTP=1 in minios's
# environment words, bench_http=1 on Linux's kernel line) it then measures
# HTTP: the guest serves the same small page on port 80 (minios's
# apps/httpd, or busybox httpd in the Linux domU, which says "bench: httpd
# on port 80") to ab in dom0 (http_bench).  Requests per second count the
# right answers only; a request that fails or brings another body is
# counted in http_failed_requests, and ab's lines about it are shown.
# Without a byte count it does HTTP only.
BYTES=$(sed -n 's/.* \([0-9][0-9]*\)"$/\1/p' /guest/guest.cfg | head -n 1)
[ -n "$BYTES" ] || BYTES=$(sed -n 's/.*bench_bytes=\([0-9][0-9]*\).*/\1/p' /guest/guest.cfg | head -n 1)
LOG=/run/console/guest-$GUEST_NAME.log
fail() {
    echo "FAILED: $*"
    xl destroy "$GUEST_NAME" > /dev/null 2>&1 # not left waiting for the harness's timeout
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

HTTP=
grep -qi 'bench_http=1' /guest/guest.cfg && HTTP=1
[ -n "$BYTES" ] || [ -n "$HTTP" ] || fail "no byte count and no bench_http=1 in the guest's command line"
n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 300 ] || fail "10.0.0.2 did not answer within 300 tries"
done
# http_bench: requests per second against the guest's port 80, by ab
# (ApacheBench, from the bench archive: run-domu.sh --bench-tools): REQUESTS
# requests, CONCURRENCY at a time, a new connection for each (no
# keep-alive: busybox httpd closes after each answer anyway), each body's
# length checked against the first, and its status.  The rate counts only
# the right answers: ab's own "Requests per second" counts failed ones too.
REQUESTS=1000
CONCURRENCY=8
http_bench() {
    [ -x /usr/bin/ab ] || fail "no ab in dom0 (run-domu.sh --bench-tools)"
    wait_line 'httpd: serving on port 80\|bench: httpd on port 80'
    n=0
    until wget -q -O /tmp/page http://10.0.0.2/ 2> /tmp/page.err; do
        n=$((n + 1))
        [ $n -lt 30 ] || fail "wget of the page: $(cat /tmp/page.err)"
        sleep 0.5
    done
    [ -s /tmp/page ] || fail "an empty page"
    start=$(now)
    /usr/bin/ab -r -s 30 -n $REQUESTS -c $CONCURRENCY http://10.0.0.2/ > /tmp/ab.out 2>&1
    rc=$?
    end=$(now)
    field() { sed -n "s/^$1: *\([0-9.]*\).*/\1/p" /tmp/ab.out | head -n 1; }
    done_n=$(field 'Complete requests') failed=$(field 'Failed requests')
    non2xx=$(field 'Non-2xx responses') secs=$(field 'Time taken for tests')
    # ab gives up on the whole run when one request has had no answer for
    # -s seconds ("apr_pollset_poll: The timeout specified has expired"):
    # then the requests it completed count, the rest failed, and the time
    # is dom0's (with those 30 s in it).  -s 5 ended a minios run after 566
    # requests on the loaded TCG machine; Linux's stalled 2 of 1,000 at 20 s.
    if [ -z "$done_n" ]; then
        done_n=$(sed -n 's/^Total of \([0-9]*\) requests completed.*/\1/p' /tmp/ab.out | head -n 1)
        secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    fi
    if [ -z "$done_n" ] || [ -z "$secs" ]; then
        sed 's/^/ab: /' /tmp/ab.out | tail -n 15
        fail "ab ended with status $rc and no count"
    fi
    [ $rc -eq 0 ] || grep -v '^Completed [0-9]* requests$' /tmp/ab.out | tail -n 3 | sed 's/^/ab: /'
    # ab counts a request once per way it failed (a 500 with a body of
    # another length is a "Length" failure and a non-2xx response), so the
    # sum is an upper bound on the failed ones: the rate below a lower one.
    bad=$((${failed:-0} + ${non2xx:-0} + REQUESTS - done_n))
    [ "$bad" -le $REQUESTS ] || bad=$REQUESTS
    ok=$((REQUESTS - bad))
    [ "$bad" -eq 0 ] || grep -i 'fail\|non-2xx\|error\|length\|exception' /tmp/ab.out | sed 's/^/ab: /'
    echo "http: $ok of $REQUESTS requests right, $bad failed, $CONCURRENCY at a time," \
        "$(wc -c < /tmp/page)-byte page, $secs s"
    echo "bench http_requests_per_s $(awk -v n="$ok" -v s="$secs" \
        'BEGIN { if (s > 0) printf "%d", n / s; else print 0 }') req/s"
    echo "bench http_failed_requests $bad count"
}

# The guest's end after HTTP: minios's httpd runs until xl shutdown; the
# Linux domU's /init waits for a connection to port 5003.
http_end() {
    if grep -q 'bench_bytes=' /guest/guest.cfg; then
        echo end | nc 10.0.0.2 5003
    else
        xl shutdown "$GUEST_NAME" > /dev/null
    fi
}

if [ -z "$BYTES" ]; then
    http_bench
    http_end
    exit 0
fi

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

if [ -n "$HTTP" ]; then
    http_bench
    http_end
fi
