# The dom0 half of tests/domu.sh's netfront test (main.c next to it is the
# guest's half).  Run by dom0's /init next to `xl create` (busybox sh).
# Waits for the guest to answer on 10.0.0.2, then pings it 3 times with
# 1000-byte payloads (the guest counts exactly those), and shows the bridge.
fail() {
    echo "FAILED: $*"
    exit 1
}

n=0
until ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 90 ] || fail "10.0.0.2 did not answer within 90 tries"
done
echo "10.0.0.2 answers after $n unanswered probes"
echo "bridge ports: $(ls /sys/class/net/xenbr0/brif/)"
ping -c 3 -s 1000 10.0.0.2 | grep -E 'packets transmitted|round-trip'
