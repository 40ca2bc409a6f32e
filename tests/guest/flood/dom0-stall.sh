# dom0 hook of the domu-console-stall test (run-domu.sh --dom0-hook): a
# console backend that stops reading.  Once the guest has printed its
# "boot:" line (xl create waits for xenconsoled, so not before), dom0 stops
# xenconsoled for 7 s with SIGSTOP, then lets it go on.
log=/run/console/guest-$GUEST_NAME.log  # xenconsoled's log of the guest (dom0-init.sh)
pid=$(cat /run/xenconsoled.pid)
n=0
until grep -q '^  boot: ' "$log" 2>/dev/null; do
    n=$((n + 1))
    if [ $n -gt 1200 ]; then
        echo "the guest's boot line never came"
        exit 1
    fi
    sleep 0.05
done
kill -STOP "$pid" || exit 1
echo "xenconsoled stopped"
sleep 7
kill -CONT "$pid" || exit 1
echo "xenconsoled goes on"
