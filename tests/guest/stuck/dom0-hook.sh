# The dom0 half of tests/domu.sh's shutdown tests (main.c next to it is the
# domU half).  Run by dom0's /init next to `xl create` (busybox sh; see
# scripts/domu/dom0-init.sh), with GUEST_NAME set.
#
#   1. find the domain; wait for the guest's console line
#      "stuck: MODE: ready for xl COMMAND" (COMMAND: shutdown or reboot)
#   2. start `xl COMMAND`, in the background: it writes the request into
#      the guest's control/shutdown and waits for the guest to acknowledge
#      it (clear the key), up to 60 s;
#   3. time, from dom0's /proc/uptime, when the guest took the request (its
#      console says "minios: the toolstack asks for ...", printed as it
#      starts carrying it out) and when the domain has shut down (or is
#      gone), the latter to about 0.7 s (one `xl list` takes 0.6 s under
#      TCG):
#        the guest took the request 0.41 s after xl shutdown started
#        the domain shut down 0.62 s after the guest took the request (1.03 s after xl shutdown started)
#        xl shutdown returned with status 0
#   4. a domain still running LIMIT s after xl started is destroyed, and
#      the hook exits 1:
#        still running 12 s after xl shutdown started, the request not taken: destroying it
#
# LIMIT is above the bound docs/domu.md states (the hook's 5 s, then at
# most 5 s for the console), so only a guest that broke it is destroyed.

LIMIT=12
log=/run/console/guest-$GUEST_NAME.log

dom=
fail() {
    echo "FAILED: $*"
    [ -n "$dom" ] && xl destroy "$dom"
    exit 1
}

# retry SECONDS CMD...: runs CMD every 0.1 s until it succeeds or time is up.
retry() {
    n=$(($1 * 10))
    shift
    until "$@" > /dev/null 2>&1; do
        n=$((n - 1))
        [ $n -gt 0 ] || return 1
        sleep 0.1
    done
}

uptime_s() { cut -d ' ' -f 1 /proc/uptime; }

# seconds FROM [TO]: the seconds from uptime FROM to TO (default: now), to 0.01 s.
seconds() { awk -v a="$1" -v b="${2:-$(uptime_s)}" 'BEGIN { printf "%.2f", b - a }'; }

# Shut down (xl list's state has an s) or gone: either way the guest is over.
ended() {
    state=$(xl list "$dom" 2> /dev/null | awk 'NR == 2 { print $5 }')
    case "$state" in
        "" | *s*) return 0 ;;
    esac
    return 1
}

taken() { grep -aq 'minios: the toolstack asks for ' "$log"; }

# give_up WHAT: the guest is still running LIMIT s after xl started.
give_up() {
    echo "still running $LIMIT s after xl $command started, $1: destroying it"
    xl destroy "$dom"
    exit 1
}

out_of_time() { [ "$(seconds "$started" | cut -d . -f 1)" -ge $LIMIT ]; }

retry 30 xl domid "$GUEST_NAME" || fail "no domain '$GUEST_NAME' within 30 s"
dom=$(xl domid "$GUEST_NAME")
echo "domain '$GUEST_NAME' is $dom"

retry 60 grep -aq 'stuck: [a-z]*: ready for xl ' "$log" ||
    fail "the guest did not say it was ready within 60 s"
command=$(grep -ao 'stuck: [a-z]*: ready for xl [a-z]*' "$log" | head -n 1 | sed 's/.* xl //')
case "$command" in
    shutdown | reboot) ;;
    *) fail "the guest asks for 'xl $command'" ;;
esac
taken && fail "the guest took a request before xl $command"

started=$(uptime_s)
(
    xl "$command" "$dom" > /run/hook-xl.out 2>&1
    echo $? > /run/hook-xl.status
) &
until taken; do
    out_of_time && give_up "the request not taken"
    sleep 0.05
done
took=$(uptime_s)
echo "the guest took the request $(seconds "$started" "$took") s after xl $command started"
until ended; do
    out_of_time && give_up "the request taken $(seconds "$took") s ago"
    sleep 0.1
done
now=$(uptime_s)
echo "the domain shut down $(seconds "$took" "$now") s after the guest took the request ($(seconds "$started" "$now") s after xl $command started)"
retry 5 test -f /run/hook-xl.status || fail "xl $command did not return within 5 s of the guest's end"
sed 's/^/xl: /' /run/hook-xl.out
echo "xl $command returned with status $(cat /run/hook-xl.status)"
exit 0
