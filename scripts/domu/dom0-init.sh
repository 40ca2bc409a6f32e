#!/bin/busybox sh
# /init of the Linux dom0 that scripts/run-domu.sh boots under Xen in QEMU:
# bring up the Xen toolstack, run the guest in /guest/guest.cfg with
# `xl create -F`, report how it ended, and end QEMU; or run several guests
# one after another, each reported the same way (/guest/guests, from
# run-domu.sh --pvh-too).  Runs under busybox
# sh (not bash), as PID 1, from the initramfs scripts/domu/build-dom0.sh
# assembles.
#
# Every line of ours starts with "minios-domu:"; the host side reads:
#   minios-domu: guest console follows      the guest's lines come next
#   minios-domu: result: reason code R      xl's "Domain N has shut down,
#                                           reason code R" (0 poweroff,
#                                           1 reboot, 2 suspend, 3 crash,
#                                           4 watchdog)
#   minios-domu: result: none (...)         xl ended without one
#   minios-domu: FAILED: WHAT               a dom0 step failed
#   minios-domu: guest N of M: type T       with several guests, before
#                                           each one's section (the lines
#                                           above, from "guest console
#                                           follows" to its result)
# and QEMU's exit status, through isa-debug-exit at port 0xf4 (QEMU exits
# with (code << 1) | 1):
#   code 0x10 (QEMU 33)  the run is over: the result line says how
#   code 0x11 (QEMU 35)  dom0 failed before or around xl (FAILED line)
# If the port cannot be written, `poweroff -f` (QEMU exits 0) and the host
# goes by the lines alone.
#
# The guest's console is read from xenconsoled's log of it, not through
# `xl create -c`: xenconsoled throws away what it has not yet passed on
# when the domain is destroyed, so a console client loses the last output
# of a guest that ends quickly after printing much (docs/domu.md).  Input
# for the guest (/guest/input, from run-domu.sh --input) is written into
# the pty xenconsoled made for it.

DONE_CODE='\020'
FAILED_CODE='\021'

/bin/busybox --install -s /bin
export PATH=/bin
for d in /usr/lib/xen-*/bin; do
    PATH=$PATH:$d
done

say() { echo "minios-domu: $*"; }

# end_qemu CODE: QEMU's isa-debug-exit ends the machine at once.
end_qemu() {
    # Xen sends console output to the serial port from a buffer: give the
    # last lines time to leave before the machine disappears.
    sleep 0.2
    printf "$1" | dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc 2>/dev/null
    say "could not write the exit port; powering off"
    poweroff -f
    sleep 5
    say "poweroff failed too; waiting for the host's timeout"
    while :; do sleep 3600; done
}

fail() {
    say "FAILED: $*"
    [ -f /run/step.out ] && sed 's/^/minios-domu:   | /' /run/step.out
    end_qemu "$FAILED_CODE"
}

# step WHAT CMD...: runs CMD, its output kept for the failure report.
step() {
    what=$1
    shift
    "$@" > /run/step.out 2>&1 || fail "$what (exit status $?)"
}

# --- the guest's console: output from xenconsoled's log, input into its pty ---

CONSOLE_LOG_DIR=/run/console
# xenconsoled names it after the domain (guest.cfg: name = "minios").
CONSOLE_LOG=$CONSOLE_LOG_DIR/guest-minios.log

# Copies the log to our console as it grows, until /run/console.done
# appears; then what is left.  The log is written as xenconsoled takes
# bytes from the ring, and the guest waits for that before it ends.
console_follow() {
    off=0
    while :; do
        last=0
        [ -e /run/console.done ] && last=1
        size=$(stat -c %s "$CONSOLE_LOG" 2>/dev/null || echo 0)
        if [ "$size" -gt "$off" ]; then
            tail -c +$((off + 1)) "$CONSOLE_LOG" | head -c $((size - off))
            off=$size
        fi
        [ $last = 1 ] && return
        sleep 0.1
    done
}

# The guest's pty: xenconsoled keeps its slave side open, and makes no other.
console_pty() {
    for fd in /proc/$1/fd/*; do
        case $(readlink "$fd") in
        /dev/pts/[0-9]*) readlink "$fd"; return 0 ;;
        esac
    done
    return 1
}

# Writes /guest/input into the guest's pty (xenconsoled passes it on as
# the guest's ring has room), waiting up to 30 s for the pty to appear.
console_feed() {
    pid=$(cat /run/xenconsoled.pid)
    n=0
    until pty=$(console_pty "$pid"); do
        n=$((n + 1))
        if [ $n -gt 300 ]; then
            say "no pty for the guest's console after 30 s: its input is not sent"
            return
        fi
        sleep 0.1
    done
    cat /guest/input > "$pty"
}

console_start() {
    console_feeder=
    console_follow &
    console_follower=$!
    if [ -f /guest/input ]; then
        console_feed &
        console_feeder=$!
    fi
}

console_stop() {
    touch /run/console.done
    wait "$console_follower"
    [ -n "${console_feeder:-}" ] && kill "$console_feeder" 2>/dev/null
}

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
mount -t tmpfs -o mode=0755 tmpfs /run || fail "mount /run"
mkdir -p /dev/pts /run/xen /run/xenstored /var/lib/xen/dump /var/log/xen
mount -t devpts devpts /dev/pts || fail "mount /dev/pts"
# Keep the kernel's own messages off the console the guest shares.
dmesg -n 1

uptime_s() { cut -d ' ' -f 1 /proc/uptime; }
say "dom0 Linux up at $(uptime_s) s"

for m in /lib/modules/xen-evtchn.ko /lib/modules/xen-gntdev.ko \
         /lib/modules/xen-gntalloc.ko /lib/modules/xen-privcmd.ko \
         /lib/modules/xenfs.ko; do
    step "insmod $m" insmod "$m"
done
step "mount xenfs on /proc/xen" mount -t xenfs xenfs /proc/xen

export XENSTORED_ROOTDIR=/run/xenstored
step "start xenstored" xenstored --pid-file /run/xenstored.pid
n=0
until [ -S /run/xenstored/socket ]; do
    n=$((n + 1))
    [ $n -le 100 ] || fail "xenstored did not create /run/xenstored/socket within 10 s"
    sleep 0.1
done
step "xen-init-dom0" xen-init-dom0
mkdir -p "$CONSOLE_LOG_DIR"
step "start xenconsoled" xenconsoled --pid-file=/run/xenconsoled.pid --log=guest \
    --log-dir="$CONSOLE_LOG_DIR"
say "toolstack up at $(uptime_s) s"

# ---- The network, for a guest with a vif (run-domu.sh --net N) ----------
# netback, and a bridge xenbr0 with a fixed MAC and 10.0.0.1/24 that each
# vif joins (/etc/xen/scripts/vif-minios); no uplink: the guest talks to
# dom0 only.  docs/networking.md lists the addresses tests rely on.
BRIDGE_MAC=02:00:0a:00:00:01
BRIDGE_ADDR=10.0.0.1/24

net_up() {
    for m in llc stp bridge xen-netback; do
        step "insmod $m" insmod "/lib/modules/net/$m.ko"
    done
    step "create xenbr0" ip link add xenbr0 type bridge
    # Before any port joins: a bridge otherwise takes its lowest port's MAC.
    step "set xenbr0's MAC" ip link set dev xenbr0 address "$BRIDGE_MAC"
    # No spanning tree and no forwarding delay: a vif forwards at once.
    echo 0 > /sys/class/net/xenbr0/bridge/stp_state
    echo 0 > /sys/class/net/xenbr0/bridge/forward_delay
    step "address xenbr0" ip addr add "$BRIDGE_ADDR" dev xenbr0
    step "bring xenbr0 up" ip link set dev xenbr0 up
    step "bring lo up" ip link set dev lo up
    dhcp_up
    dns_up
    say "network up at $(uptime_s) s: xenbr0 $BRIDGE_ADDR ($BRIDGE_MAC), DHCP and $dns_what on it"
}

# A DHCP server on xenbr0 (busybox udhcpd): vif N (MAC 00:16:3e:00:01:0N,
# pack-guest.sh) always leases 10.0.0.(2+N), so dom0 hooks know where the
# guest is; other MACs get 10.0.0.100 and up.  The router and DNS server it
# names are dom0 (dns_up).
dhcp_up() {
    {
        echo "interface xenbr0"
        echo "start 10.0.0.100"
        echo "end 10.0.0.199"
        echo "lease_file /run/udhcpd.leases"
        echo "pidfile /run/udhcpd.pid"
        echo "option subnet 255.255.255.0"
        echo "option router 10.0.0.1"
        echo "option dns 10.0.0.1"
        echo "option lease 3600"
        for n in 0 1 2 3; do
            echo "static_lease 00:16:3e:00:01:0$n 10.0.0.$((2 + n))"
        done
    } > /run/udhcpd.conf
    : > /run/udhcpd.leases
    step "start udhcpd" udhcpd /run/udhcpd.conf
}

# A DNS server on 10.0.0.1 (dnsmasq, from the second archive net.cpio.gz
# that run-domu.sh adds for a guest with a vif; docs/networking.md): it
# knows dom0.minios.test (10.0.0.1) and guestN.minios.test (10.0.0.(2+N)),
# answers any other name under minios.test with NXDOMAIN (--local) and
# asks nobody else (no upstream, no /etc/hosts, no resolv.conf).  Its
# queries are logged to /run/dnsmasq.log for a dom0 hook to show.
DNS_DOMAIN=minios.test
dns_up() {
    dns_what="no DNS server (no dnsmasq in the initramfs)"
    [ -x /usr/sbin/dnsmasq ] || return 0
    {
        echo "10.0.0.1 dom0.$DNS_DOMAIN dom0"
        for n in 0 1 2 3; do
            echo "10.0.0.$((2 + n)) guest$n.$DNS_DOMAIN guest$n"
        done
    } > /run/dns.hosts
    step "start dnsmasq" /usr/sbin/dnsmasq --conf-file=/dev/null --no-resolv --no-hosts \
        --addn-hosts=/run/dns.hosts --local="/$DNS_DOMAIN/" --domain-needed \
        --listen-address=10.0.0.1 --bind-interfaces --port=53 --user=root --group=root \
        --pid-file=/run/dnsmasq.pid --log-queries --log-facility=/run/dnsmasq.log
    dns_what="DNS (dnsmasq, $DNS_DOMAIN)"
}

# The harness prints the guest's address: udhcpd's leases, as they are
# granted (udhcpd writes its lease file on SIGUSR1), until every vif of
# the guest has one or the guest is gone.
leases_follow() {
    want=$(grep -o 'mac=00:16:3e:00:01:0[0-9]' /guest/guest.cfg | wc -l)
    told=
    while [ ! -e /run/console.done ]; do
        sleep 0.5
        kill -USR1 "$(cat /run/udhcpd.pid 2>/dev/null)" 2>/dev/null || return
        for lease in $(dumpleases -f /run/udhcpd.leases 2>/dev/null |
                       awk 'NR > 1 { print $1 "=" $2 }'); do
            case " $told " in *" $lease "*) continue ;; esac
            told="$told $lease"
            say "address: the guest's ${lease%%=*} leased ${lease#*=} (DHCP)"
        done
        [ "$(echo $told | wc -w)" -ge "$want" ] && return
    done
}

if grep -q '^vif = ' /guest/guest.cfg 2>/dev/null; then
    net_up
fi

# ---- Disks, for a guest with a disk line (run-domu.sh --disk) ------------
# The host's files arrive as virtio disks /dev/vda, /dev/vdb... (QEMU's
# -drive, in order); blkback serves them through our block-minios script.
block_up() {
    for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
             virtio_blk loop xen-blkback; do
        step "insmod $m" insmod "/lib/modules/block/$m.ko"
    done
    for dev in $(grep -o 'target=/dev/vd[a-z]' /guest/guest.cfg | cut -d = -f 2); do
        n=0
        until [ -b "$dev" ]; do
            n=$((n + 1))
            [ $n -le 100 ] || fail "$dev did not appear within 10 s"
            sleep 0.1
        done
    done
    say "disks up at $(uptime_s) s: $(ls /sys/block | grep '^vd' | tr '\n' ' ')"
}

if grep -q '^disk = ' /guest/guest.cfg 2>/dev/null; then
    block_up
fi

# ---- The guest's dom0 hook (optional) ------------------------------------
# A run may bring /guest/dom0-hook.sh (scripts/run-domu.sh --dom0-hook): a
# script that plays dom0's part in a test, e.g. reading and writing the
# guest's xenstore keys and ending it with `xl shutdown`.  It starts next to
# `xl create`, with GUEST_NAME set to the config's name, and must find the
# domain itself (`xl domid`).  Its output is kept and shown once xl is done,
# each line as "dom0-hook: ...", then "dom0-hook: exit status N"; a hook
# still running 5 s after the guest is gone is killed.  A hook that finds
# the guest misbehaving should `xl destroy` it rather than leave it running.
HOOK=/guest/dom0-hook.sh
hook_pid=

hook_start() {
    hook_pid=
    [ -f "$HOOK" ] || return 0
    GUEST_NAME=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$1") \
        sh "$HOOK" > /run/hook.out 2>&1 &
    hook_pid=$!
}

hook_finish() {
    [ -n "$hook_pid" ] || return 0
    n=0
    while kill -0 "$hook_pid" 2>/dev/null && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    if kill -0 "$hook_pid" 2>/dev/null; then
        kill "$hook_pid" 2>/dev/null
        echo "still running 5 s after the guest ended: killed" >> /run/hook.out
    fi
    wait "$hook_pid"
    hook_status=$?
    sed 's/^/dom0-hook: /' /run/hook.out
    echo "dom0-hook: exit status $hook_status"
}

# ---- The guest's core (optional) -----------------------------------------
# With /guest/want-core (run-domu.sh --core) the config says
# on_crash = "coredump-destroy": xl writes the crashed guest's memory and
# vCPU state to /var/lib/xen/dump/ (Xen's dump-core format), and it goes
# out on the console, gzip'd and in base64 between two marker lines, for
# the harness to keep (Xen runs with sync_console then, so nothing is lost).
core_send() {
    [ -f /guest/want-core ] || return 0
    core=$(ls /var/lib/xen/dump/* 2>/dev/null | head -n 1)
    if [ -z "$core" ]; then
        say "core: none (the guest did not crash, or xl wrote none)"
        return 0
    fi
    if grep -q '^core dump failed' /run/xl.out; then
        say "core: none: xl could not write it ($(grep -m1 'libxl_domain_core_dump' /run/xl.out))"
        return 0
    fi
    say "core: $(wc -c < "$core") bytes from $core"
    echo "minios-domu: core begin"
    gzip -c "$core" | base64
    echo "minios-domu: core end"
}

# ---- The watchdog --------------------------------------------------------
# /guest/deadline (run-domu.sh sets it some seconds inside its own timeout):
# a guest still running that long is taken as hung.  Xen's 'q' debug key
# dumps every vCPU's state on Xen's console and raises VIRQ_DEBUG in the
# guest, whose own dump (threads, events, timers) comes on its console if
# its events still run; then the guest is destroyed, and the result line
# says why.
watchdog_pid=

watchdog_start() {
    [ -f /guest/deadline ] || return 0
    (
        secs=$(cat /guest/deadline)
        sleep "$secs"
        xl domid minios > /dev/null 2>&1 || exit 0
        say "watchdog: the guest still runs after $secs s: asking for its state (debug key q)"
        xl debug-keys q
        sleep 3
        # A guest spinning with events off never prints its own dump: its
        # vCPUs' registers (rip; rflags' "i" is IF) say where each one is.
        domid=$(xl domid minios 2> /dev/null) && xl pause minios && {
            say "watchdog: the guest's vCPUs, paused (xenctx)"
            xenctx -a -C "$domid" 2>&1
        }
        say "watchdog: destroying the guest"
        : > /run/watchdog.fired
        xl destroy minios
    ) &
    watchdog_pid=$!
}

watchdog_stop() {
    [ -n "$watchdog_pid" ] || return 0
    [ -e /run/watchdog.fired ] || kill "$watchdog_pid" 2>/dev/null
    wait "$watchdog_pid" 2>/dev/null
}

# ---- One guest ----------------------------------------------------------
# run_guest CFG: the guest's console section, from the marker to the
# result line.  Everything a guest leaves in /run is made anew for the
# next (run-domu.sh --pvh-too: several guests, one after another, all named
# "minios"; the console log goes first, or the next guest's follower would
# copy the previous guest's lines again).
run_guest() {
    cfg=$1
    rm -f "$CONSOLE_LOG" /run/console.done /run/watchdog.fired /run/xl.out /run/xl.status
    hook_start "$cfg"
    say "guest console follows"
    console_start
    if [ -f /run/udhcpd.pid ]; then
        leases_follow &
    fi
    # -F: stay in the foreground until the domain is gone and log its shutdown
    # reason.  xl's own exit status says nothing about the guest, so its output
    # is kept for the reason code, and shown after the guest's.
    watchdog_start
    { xl create -F "$cfg"; echo $? > /run/xl.status; } > /run/xl.out 2>&1
    watchdog_stop
    console_stop
    cat /run/xl.out
    say "xl exited with status $(cat /run/xl.status) at $(uptime_s) s"
    hook_finish
    core_send
    guest_result
}

guest_result() {
    reason=$(sed -n 's/.*Domain [0-9]* has shut down, reason code \([0-9]*\).*/\1/p' /run/xl.out | tail -n 1)
    if [ -e /run/watchdog.fired ]; then
        say "result: watchdog (the guest ran past its $(cat /guest/deadline) s and was destroyed)"
    elif [ -n "$reason" ]; then
        say "result: reason code $reason"
    else
        say "result: none (xl did not report the domain's shutdown)"
    fi
}

# The guests: /guest/guest.cfg alone, or those /guest/guests lists, in its
# order, each behind a line naming it (its number and xl type).
[ -f /guest/guest.cfg ] || fail "no /guest/guest.cfg in the initramfs"
if [ -f /guest/guests ]; then
    total=$(wc -l < /guest/guests)
    n=0
    for cfg in $(cat /guest/guests); do
        n=$((n + 1))
        [ -f "$cfg" ] || fail "no $cfg in the initramfs"
        say "guest $n of $total: type $(sed -n 's/^type = "\(.*\)"$/\1/p' "$cfg")"
        run_guest "$cfg"
    done
else
    run_guest /guest/guest.cfg
fi
end_qemu "$DONE_CODE"
