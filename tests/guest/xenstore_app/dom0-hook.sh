# The dom0 half of tests/domu.sh's xenstore test (main.c next to it is the
# domU half).  Run by dom0's /init next to `xl create` (busybox sh; see
# scripts/domu/dom0-init.sh), with GUEST_NAME set.  Each step prints one
# line; on a failure we say why and destroy the guest, so the run ends at
# once instead of waiting for the host's timeout.
#
#   1. find the domain; read data/hello, which must name its domid
#   2. write data/ping; the guest's watch answers with data/pong
#   3. write control/sysrq; the guest must clear it
#   4. write "suspend" to control/shutdown; the guest must leave it alone
#      (it cannot suspend); then withdraw it, as libxl does
#   5. check the feature keys: poweroff and reboot, not suspend
#   6. end the guest as data/want says: `xl shutdown` or `xl reboot`

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

key_is() { [ "$(xenstore-read "$home/$1" 2>/dev/null)" = "$2" ]; }

retry 30 xl domid "$GUEST_NAME" || fail "no domain '$GUEST_NAME' within 30 s"
dom=$(xl domid "$GUEST_NAME")
home=/local/domain/$dom
echo "domain '$GUEST_NAME' is $dom"

retry 60 xenstore-read "$home/data/hello" || fail "the guest wrote no data/hello within 60 s"
hello=$(xenstore-read "$home/data/hello")
echo "data/hello: $hello"
[ "$hello" = "hello from domU $dom" ] || fail "data/hello does not name domain $dom"

ping="ping-$dom-$(date +%s)"
xenstore-write "$home/data/ping" "$ping" || fail "writing data/ping"
retry 30 key_is data/pong "$ping" || fail "no data/pong = $ping within 30 s"
echo "data/pong answers data/ping"

xenstore-write "$home/control/sysrq" x || fail "writing control/sysrq"
retry 30 key_is control/sysrq "" || fail "control/sysrq was not cleared within 30 s"
echo "control/sysrq cleared"

xenstore-write "$home/control/shutdown" suspend || fail "writing control/shutdown"
sleep 2
key_is control/shutdown suspend || fail "control/shutdown 'suspend' was touched"
xenstore-write "$home/control/shutdown" "" || fail "withdrawing the suspend request"
echo "suspend left unacknowledged"

key_is control/feature-poweroff 1 || fail "control/feature-poweroff is not 1"
key_is control/feature-reboot 1 || fail "control/feature-reboot is not 1"
key_is control/feature-suspend 1 && fail "control/feature-suspend claims a suspend"
echo "feature keys: poweroff, reboot"

want=$(xenstore-read "$home/data/want")
case "$want" in
    poweroff) command=shutdown ;;
    reboot) command=reboot ;;
    *) fail "data/want is '$want'" ;;
esac
xl "$command" "$dom" || fail "xl $command"
echo "xl $command sent"
exit 0
