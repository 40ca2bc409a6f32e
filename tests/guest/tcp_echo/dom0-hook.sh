# The dom0 half of tests/net.sh's TCP test (main.c and more.c next to it
# are the guest's half; busybox sh).  Starts a listener for the guest's
# client on 10.0.0.1:9000, waits for the guest to answer ping, sends BYTES
# random bytes through its echo on port 7 and compares what comes back,
# then 4 connections at once to port 8, then checks the 10,000 lines the
# guest sent.  Then, in more.c's order: a TFTP read from the guest (UDP),
# the listeners for its errno tests (9004 silent; 9002 accepts, never
# reads, and dies: a reset), a connection to eth1's address,
# `xl network-detach` of eth1, then `xl network-attach` of a new vif, a
# ping and a connection to it, and its detach (hotplug.c).
BYTES=$(sed -n 's/^cmdline = "\(.* \)\{0,1\}\([0-9][0-9]*\)"$/\2/p' /guest/guest.cfg)
fail() {
    echo "FAILED: $*"
    exit 1
}

nc -l -p 9000 > /tmp/from-guest &
listener=$!
# Listeners that accept and then only wait, each recording its pid.
for port in 9002 9004; do
    printf '#!/bin/sh\necho $$ > /tmp/hold-%s.pid\nexec sleep 120\n' $port > /tmp/hold-$port.sh
    chmod +x /tmp/hold-$port.sh
    nc -l -p $port -e /tmp/hold-$port.sh &
done
# The guest's last connection: it writes a line, we answer "bye" (which
# ends it) once xl network-detach has returned.
(while [ ! -e /tmp/detach.done ]; do sleep 0.1; done; echo bye) | nc -l -p 9005 > /tmp/after-detach &
after_detach=$!
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

# UDP: busybox tftp reads minios.txt from the guest (more.c answers).
n=0
until tftp -g -r minios.txt -l /tmp/tftp.out 10.0.0.2 > /tmp/tftp.err 2>&1; do
    n=$((n + 1))
    [ $n -lt 30 ] || break
    sleep 0.5
done
echo "udp: tftp got '$(cat /tmp/tftp.out 2> /dev/null)' ($(cat /tmp/tftp.err))"

# The reset: once the guest's connection to 9002 is up and its bytes are
# in, the holder dies with them unread: Linux answers with a reset.
n=0
until [ -s /tmp/hold-9002.pid ] && netstat -tn 2> /dev/null | grep -q ':9002 .*ESTABLISHED'; do
    n=$((n + 1))
    [ $n -lt 600 ] || break
    sleep 0.1
done
sleep 1
kill "$(cat /tmp/hold-9002.pid 2> /dev/null)" 2> /dev/null && echo "reset: the holder of 9002 killed"

# eth1: the guest's second address answers, and echoes a line on port 10.
n=0
until ping -c 1 -W 1 10.0.0.3 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 30 ] || break
done
n=0
until echo "through eth1" | nc 10.0.0.3 10 > /tmp/eth1.back 2> /dev/null && [ -s /tmp/eth1.back ]; do
    n=$((n + 1))
    [ $n -lt 60 ] || break
    sleep 0.5
done
echo "eth1: '$(cat /tmp/eth1.back)' back from 10.0.0.3"

# The detach of the idle eth1; the guest then writes to 9005 over eth0.
sleep 1
if xl network-detach "$GUEST_NAME" 1 > /tmp/detach.out 2>&1; then
    echo "detach: xl network-detach done; vifs left: $(xl network-list "$GUEST_NAME" | tail -n +2 | wc -l)"
else
    echo "detach: xl network-detach failed: $(cat /tmp/detach.out)"
fi
touch /tmp/detach.done
n=0
while kill -0 $after_detach 2> /dev/null && [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
echo "after detach: '$(cat /tmp/after-detach)'"
kill "$(cat /tmp/hold-9004.pid 2> /dev/null)" $after_detach 2> /dev/null

# Hotplug (hotplug.c): a new vif on the running guest; udhcpd keeps
# 10.0.0.4 for its MAC.  Ping it, connect to it, detach it again; the
# guest's last words go to 9006 over eth0, answered once the detach is done.
NEW_MAC=00:16:3e:00:01:02
(while [ ! -e /tmp/detach2.done ]; do sleep 0.1; done; echo bye) | nc -l -p 9006 > /tmp/after-detach2 &
after_detach2=$!
if xl network-attach "$GUEST_NAME" bridge=xenbr0 mac=$NEW_MAC script=/etc/xen/scripts/vif-minios > /tmp/attach.out 2>&1; then
    echo "attach: xl network-attach done; vifs (devid mac): $(xl network-list "$GUEST_NAME" | awk 'NR > 1 { printf "%s%s %s", sep, $1, $3; sep = ", " }')"
else
    echo "attach: xl network-attach failed: $(cat /tmp/attach.out)"
fi
n=0
until ping -c 1 -W 1 10.0.0.4 > /dev/null 2>&1; do
    n=$((n + 1))
    [ $n -lt 90 ] || break
done
echo "hotplug: ping: $(ping -c 3 -W 2 10.0.0.4 2>&1 | grep 'packets transmitted')"
n=0
until echo "through the new vif" | nc 10.0.0.4 11 > /tmp/new.back 2> /dev/null && [ -s /tmp/new.back ]; do
    n=$((n + 1))
    [ $n -lt 60 ] || break
    sleep 0.5
done
echo "hotplug: '$(cat /tmp/new.back)' back from 10.0.0.4"
devid=$(xl network-list "$GUEST_NAME" | awk -v mac=$NEW_MAC 'NR > 1 && $3 == mac { print $1 }')
if [ -n "$devid" ] && xl network-detach "$GUEST_NAME" "$devid" > /tmp/detach2.out 2>&1; then
    echo "hotplug: xl network-detach of devid $devid done; vifs left: $(xl network-list "$GUEST_NAME" | tail -n +2 | wc -l)"
else
    echo "hotplug: xl network-detach of devid '$devid' failed: $(cat /tmp/detach2.out 2> /dev/null)"
fi
touch /tmp/detach2.done
n=0
while kill -0 $after_detach2 2> /dev/null && [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
echo "after second detach: '$(cat /tmp/after-detach2)'"
kill $after_detach2 2> /dev/null
exit 0
