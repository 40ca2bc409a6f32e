#!/bin/busybox sh
# The disk hotplug script of the test dom0 (scripts/domu/build-dom0.sh puts
# it in /etc/xen/scripts/block-minios; pack-guest.sh names it in each disk
# line).  libxl runs it as `block-minios add|remove` once blkback has made
# the backend directory, with XENBUS_PATH=backend/vbd/<dom>/<vdev> in the
# environment.  Add: the target (the backend's `params`) is a block device
# (the harness's virtio disks) used as it is, or a regular file put on a
# loop device (read-only for a read-only disk); blkback opens it once
# `physical-device` (hex major:minor) appears, and `hotplug-status =
# connected` says we are done.  Remove: the loop device we made is freed.
# Debian's bash `block` script does the same at several times the cost.
export PATH=/bin

log() { echo "block-minios: $*" >&2; }

case "${XENBUS_PATH:-}" in
    backend/vbd/[0-9]*/[0-9]*) ;;
    *) log "no backend path in the environment ('${XENBUS_PATH:-}')"; exit 1 ;;
esac

case "${1:-}" in
    add)
        target=$(xenstore-read "$XENBUS_PATH/params") || { log "no params"; exit 1; }
        mode=$(xenstore-read "$XENBUS_PATH/mode") || mode=w
        if [ -b "$target" ]; then
            dev=$target
        elif [ -f "$target" ]; then
            ro=
            [ "$mode" = r ] && ro=-r
            dev=$(losetup -f) || { log "no free loop device"; exit 1; }
            losetup $ro "$dev" "$target" || { log "losetup $dev $target failed"; exit 1; }
            xenstore-write "$XENBUS_PATH/minios-loop" "$dev"
        else
            log "'$target' is neither a block device nor a file"
            exit 1
        fi
        number=$(stat -L -c '%t:%T' "$dev") || { log "cannot stat $dev"; exit 1; }
        xenstore-write "$XENBUS_PATH/physical-device" "$number" \
            "$XENBUS_PATH/physical-device-path" "$dev" \
            "$XENBUS_PATH/hotplug-status" connected
        ;;
    remove)
        loop=$(xenstore-read "$XENBUS_PATH/minios-loop" 2>/dev/null) && losetup -d "$loop"
        xenstore-rm "$XENBUS_PATH/hotplug-status" 2>/dev/null
        exit 0
        ;;
    *)
        log "unknown action '${1:-}'"
        exit 1
        ;;
esac
