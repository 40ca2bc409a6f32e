# The dom0 half of tests/net.sh's TCP test (main.c next to it is the
# guest's half; busybox sh).  Starts a listener for the guest's client on
# 10.0.0.1:9000, waits for the guest to answer ping, sends BYTES random
# bytes through its echo on port 7 and compares what comes back, then 4
# connections at once to port 8, then checks the 10,000 lines the guest sent.
BYTES=$(sed -n 's/^cmdline = "\(.* \)\{0,1\}\([0-9][0-9]*\)"$/\2/p' /guest/guest.cfg)
fail() {
    echo "FAILED: $*"
    exit 1
}

nc -l -p 9000 > /tmp/from-guest &
listener=$!
n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 90 ] || fail "10.0.0.2 did not answer within 90 tries"
done
head -c "$BYTES" /dev/urandom > /tmp/to-guest
start=$(cut -d ' ' -f 1 /proc/uptime)
nc 10.0.0.2 7 < /tmp/to-guest > /tmp/echoed
end=$(cut -d ' ' -f 1 /proc/uptime)
got=$(wc -c < /tmp/echoed)
if cmp -s /tmp/to-guest /tmp/echoed; then
    echo "echo: $got bytes back, identical ($(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s)"
else
    echo "echo: $got of $BYTES bytes back, different"
fi
# Four connections at once to port 8, each with its own 256 KiB.
pids=
for i in 1 2 3 4; do
    head -c 262144 /dev/urandom > /tmp/par-$i
    nc 10.0.0.2 8 < /tmp/par-$i > /tmp/par-$i.back &
    pids="$pids $!"
done
wait $pids
same=0
for i in 1 2 3 4; do
    cmp -s /tmp/par-$i /tmp/par-$i.back && same=$((same + 1))
done
echo "parallel: $same of 4 connections identical"
n=0
while kill -0 $listener 2>/dev/null && [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
kill $listener 2>/dev/null
echo "from guest: $(wc -l < /tmp/from-guest) lines, last '$(tail -n 1 /tmp/from-guest)'"
awk '$0 != "line " NR - 1 { bad++ } END { print "from guest: " (bad ? bad " lines out of order" : "every line in order") }' /tmp/from-guest
