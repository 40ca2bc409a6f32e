# The dom0 half of tests/domu.sh's netfront test (main.c next to it is the
# guest's half).  Run by dom0's /init next to `xl create` (busybox sh).
# Waits for the guest to answer on 10.0.0.2, then pings it 3 times with
# 1000-byte payloads (the guest counts exactly those), and shows the bridge;
# then raises the vif's and the bridge's MTU to 9000 (netback allows it
# only to a frontend with feature-sg) and pings with 8000-byte payloads:
# frames over a page, several ring slots each way.
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
vif=$(ls /sys/class/net/xenbr0/brif/)
ip link set dev "$vif" mtu 9000 || fail "$vif refused MTU 9000 (no feature-sg?)"
ip link set dev xenbr0 mtu 9000 || fail "xenbr0 refused MTU 9000"
echo "mtu: $vif $(cat /sys/class/net/$vif/mtu), xenbr0 $(cat /sys/class/net/xenbr0/mtu)"
ping -c 3 -s 8000 10.0.0.2 | grep -E 'packets transmitted|round-trip' | sed 's/^/big: /'
