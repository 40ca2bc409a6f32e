# The dom0 half of tests/block.sh's detach (main.c next to it is the
# guest's half; busybox sh): waits for the guest to say xvdc is idle, then
# takes xvdc away with `xl block-detach`, as an administrator would.
LOG=/run/console/guest-$GUEST_NAME.log
n=0
until grep -q '^blk: xvdc: idle, waiting' "$LOG" 2>/dev/null; do
    n=$((n + 1))
    if [ $n -gt 3000 ]; then
        echo "FAILED: the guest never said xvdc is idle (5 min)"
        exit 1
    fi
    # The guest may end early (a failed step): nothing to detach then.  It
    # is created next to us: absent at first is not gone.
    if xl domid "$GUEST_NAME" > /dev/null 2>&1; then
        seen=1
    elif [ -n "${seen:-}" ]; then
        echo "the guest is gone"
        exit 1
    fi
    sleep 0.1
done
domid=$(xl domid "$GUEST_NAME") || exit 1
start=$(cut -d ' ' -f 1 /proc/uptime)
xl block-detach "$domid" xvdc
rc=$?
end=$(cut -d ' ' -f 1 /proc/uptime)
echo "xl block-detach $domid xvdc: exit status $rc in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
echo "disks left: $(xl block-list "$domid" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')"
# libxl removes both halves' directories once blkback is Closed.
for dir in /local/domain/0/backend/vbd/$domid/51744 /local/domain/$domid/device/vbd/51744; do
    if xenstore-read "$dir/state" > /dev/null 2>&1; then
        echo "$dir: still there"
    else
        echo "$dir: removed"
    fi
done
