#!/bin/busybox sh
# The vif hotplug script of the test dom0 (scripts/domu/build-dom0.sh puts
# it in /etc/xen/scripts/vif-minios; pack-guest.sh names it in each vif
# line).  libxl runs it as `vif-minios online|offline` (or add|remove) once
# netback has created the interface, with XENBUS_PATH=backend/vif/<dom>/<id>
# and vif=vif<dom>.<id> in the environment.  Online: the vif joins xenbr0
# and goes up, and `hotplug-status = connected` tells netback it may
# connect (it waits for that key).  Offline: the reverse.  Debian's own
# vif-bridge does the same in bash, at 6x the cost under TCG.
export PATH=/bin
BRIDGE=xenbr0

log() { echo "vif-minios: $*" >&2; }

case "${vif:-}" in
    vif[0-9]*.[0-9]*) ;;
    *) log "no vif name in the environment ('${vif:-}')"; exit 1 ;;
esac
case "${XENBUS_PATH:-}" in
    backend/vif/[0-9]*/[0-9]*) ;;
    *) log "no backend path in the environment ('${XENBUS_PATH:-}')"; exit 1 ;;
esac

case "${1:-}" in
    online | add)
        brctl addif "$BRIDGE" "$vif" || { log "cannot add $vif to $BRIDGE"; exit 1; }
        ip link set dev "$vif" up || { log "cannot bring $vif up"; exit 1; }
        xenstore-write "$XENBUS_PATH/hotplug-status" connected
        ;;
    offline | remove)
        # The interface may already be gone: nothing left to undo then.
        brctl delif "$BRIDGE" "$vif" 2>/dev/null
        ip link set dev "$vif" down 2>/dev/null
        xenstore-rm "$XENBUS_PATH/hotplug-status" 2>/dev/null
        exit 0
        ;;
    *)
        log "unknown action '${1:-}'"
        exit 1
        ;;
esac
