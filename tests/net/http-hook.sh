# dom0's half of tests/net.sh's net-http (busybox sh): the guest runs
# apps/httpd at 10.0.0.2 (a static address); busybox wget fetches its page,
# its JSON status, a 404, then 100 requests at once for /seq/1../seq/100,
# each body compared with busybox seq's; then `xl shutdown`.
fail() {
    echo "FAILED: $*"
    xl shutdown "$GUEST_NAME" > /dev/null 2>&1
    exit 1
}
n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 90 ] || fail "10.0.0.2 did not answer within 90 tries"
done
# The server may answer ping before it listens.
n=0
until wget -q -O /tmp/index.html http://10.0.0.2/ 2> /tmp/wget.err; do
    n=$((n + 1))
    [ $n -lt 30 ] || fail "wget of the page: $(cat /tmp/wget.err)"
    sleep 0.5
done
echo "page: $(wc -c < /tmp/index.html) bytes, title '$(sed -n 's/.*<title>\(.*\)<\/title>.*/\1/p' /tmp/index.html)'"
wget -q -O /tmp/status.json http://10.0.0.2/status || fail "wget of /status"
echo "status: $(cat /tmp/status.json)"
if wget -q -O /tmp/none http://10.0.0.2/nothing-here 2> /tmp/wget.err; then
    echo "404: not refused"
else
    echo "404: $(grep -o 'HTTP/1.1 404 Not Found' /tmp/wget.err)"
fi
start=$(cut -d ' ' -f 1 /proc/uptime)
i=1
while [ $i -le 100 ]; do
    wget -q -O /tmp/seq.$i http://10.0.0.2/seq/$i 2> /tmp/seq.$i.err &
    i=$((i + 1))
done
wait
end=$(cut -d ' ' -f 1 /proc/uptime)
right=0
i=1
while [ $i -le 100 ]; do
    seq 1 $i > /tmp/want.$i
    if cmp -s /tmp/want.$i /tmp/seq.$i; then
        right=$((right + 1))
    else
        echo "seq $i: wrong body ($(wc -c < /tmp/seq.$i) bytes; $(cat /tmp/seq.$i.err))"
    fi
    i=$((i + 1))
done
echo "concurrent: $right of 100 bodies right in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
xl shutdown "$GUEST_NAME" > /dev/null || fail "xl shutdown"
