# dom0's half of tests/net.sh's net-apps-echo (busybox sh): the guest runs
# apps/echod (at 10.0.0.2, from xenstore); 1 MiB through its TCP echo, then three
# connections at once (its one thread serves them all through select()),
# each compared byte for byte; then a hostile toolstack's device
# directories (the guest's hotplug watch); then `xl shutdown`.
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

# A hostile toolstack (the guest's hotplug watch on device/vif): device
# directories that say Initialising but whose keys are missing or
# nonsense, and a name that is no number.  The guest must refuse each
# with a line and give up on it (its state: Closing 5, or Closed 6 after
# an ordered close), then stay unmoved while the watch fires 100 times.
dom=$(xl domid "$GUEST_NAME")
vifs=/local/domain/$dom/device/vif
nowhere=/local/domain/0/backend/vif/$dom
xenstore-write $vifs/70/state 1
xenstore-write $vifs/71/backend-id 0 $vifs/71/backend not/a/path $vifs/71/state 1
xenstore-write $vifs/72/backend-id dom0 $vifs/72/backend $nowhere/72 $vifs/72/state 1
xenstore-write $vifs/73/backend-id 0 $vifs/73/backend $nowhere/73 $vifs/73/mac zz:16 $vifs/73/state 1
xenstore-write $vifs/junk/state 1
for id in 70 71 72 73; do
    n=0
    until [ "$(xenstore-read $vifs/$id/state 2> /dev/null)" -ge 5 ] 2> /dev/null; do
        n=$((n + 1))
        [ $n -lt 300 ] || break
        sleep 0.1
    done
    echo "hostile: device/vif/$id: the guest's state $(xenstore-read $vifs/$id/state 2> /dev/null)"
done
i=0
while [ $i -lt 100 ]; do
    xenstore-write $vifs/70/noise $i
    i=$((i + 1))
done
xenstore-rm $vifs/70
xenstore-rm $vifs/71
xenstore-rm $vifs/72
xenstore-rm $vifs/73
xenstore-rm $vifs/junk
echo "one more line" | nc 10.0.0.2 7 > /tmp/last.back 2> /dev/null
echo "hostile: after 100 watch events, the echo: '$(cat /tmp/last.back)'"
xl shutdown "$GUEST_NAME" > /dev/null || fail "xl shutdown"
