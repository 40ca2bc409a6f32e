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
# with a line and give up on it (its state: Closing 5; nothing was shared,
# so there is no ordered close to wait for).  70-73 are the guest's to write, as a toolstack makes
# them (state 0 until the permissions are set); 74 stays dom0's, so the
# guest cannot even say it gave up: 74 stays Initialising while its
# directory fires the watch 100 times, and must not be offered again.
dom=$(xl domid "$GUEST_NAME")
vifs=/local/domain/$dom/device/vif
nowhere=/local/domain/0/backend/vif/$dom
offer() {
    id=$1
    shift
    xenstore-write $vifs/$id/state 0 "$@" && xenstore-chmod -r $vifs/$id n$dom &&
        xenstore-write $vifs/$id/state 1
}
offer 70
offer 71 $vifs/71/backend-id 0 $vifs/71/backend not/a/path
offer 72 $vifs/72/backend-id dom0 $vifs/72/backend $nowhere/72
offer 73 $vifs/73/backend-id 0 $vifs/73/backend $nowhere/73 $vifs/73/mac zz:16
xenstore-write $vifs/74/state 1 $vifs/junk/state 1
for want in 70=5 71=5 72=5 73=5; do
    id=${want%=*}
    n=0
    until [ "$(xenstore-read $vifs/$id/state 2> /dev/null)" = ${want#*=} ]; do
        n=$((n + 1))
        [ $n -lt 100 ] || break
        sleep 0.1
    done
    echo "hostile: device/vif/$id: the guest's state $(xenstore-read $vifs/$id/state 2> /dev/null)"
done
sleep 2
xenstore-write $(i=0; while [ $i -lt 100 ]; do echo $vifs/74/noise$i $i; i=$((i + 1)); done)
echo "one more line" | nc 10.0.0.2 7 > /tmp/last.back 2> /dev/null
echo "hostile: after 100 more watch events, the echo: '$(cat /tmp/last.back)'; device/vif/74's state $(xenstore-read $vifs/74/state)"
for id in 70 71 72 73 74 junk; do
    xenstore-rm $vifs/$id
done
xl shutdown "$GUEST_NAME" > /dev/null || fail "xl shutdown"
