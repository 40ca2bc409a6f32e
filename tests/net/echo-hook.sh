# dom0's half of tests/net.sh's net-apps-echo (busybox sh): the guest runs
# apps/echod (at 10.0.0.2, from xenstore); 1 MiB through its TCP echo, then three
# connections at once (its one thread serves them all through select()),
# each compared byte for byte; then `xl shutdown`.
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
head -c 1048576 /dev/urandom > /tmp/big
n=0
until nc 10.0.0.2 7 < /tmp/big > /tmp/big.back 2> /dev/null && [ -s /tmp/big.back ]; do
    n=$((n + 1))
    [ $n -lt 20 ] || fail "no echo on port 7"
    sleep 0.5
done
cmp -s /tmp/big /tmp/big.back && echo "echo: 1048576 bytes back, identical" ||
    echo "echo: $(wc -c < /tmp/big.back) bytes back, different"
for i in 1 2 3; do
    head -c 65536 /dev/urandom > /tmp/p.$i
    nc 10.0.0.2 7 < /tmp/p.$i > /tmp/p.$i.back &
done
wait
same=0
for i in 1 2 3; do
    cmp -s /tmp/p.$i /tmp/p.$i.back && same=$((same + 1))
done
echo "at once: $same of 3 connections identical"
xl shutdown "$GUEST_NAME" > /dev/null || fail "xl shutdown"
