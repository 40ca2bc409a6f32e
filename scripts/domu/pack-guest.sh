#!/usr/bin/env bash
# Make one run's initramfs: the base from scripts/domu/build-dom0.sh with a
# second, uncompressed cpio archive after it holding the guest image and the
# xl config that boots it (/guest/minios.elf, /guest/guest.cfg), which the
# dom0's /init hands to `xl create`.
#
#   scripts/domu/pack-guest.sh BASE OUT IMAGE MEM_MIB VCPUS CMDLINE [HOOK [INPUT [VIFS [DISKS]]]]
#
# CMDLINE is the guest's command line as it should arrive (already quoted
# for the guest's own splitter); here it is only escaped for xl's config
# syntax.  HOOK, if given, is a shell script that dom0's /init runs next to
# `xl create` (/guest/dom0-hook.sh; docs/domu.md, "A dom0 hook").  INPUT,
# if given, is the guest's console input (/guest/input, which /init writes
# into the guest's console).  An empty HOOK or INPUT means none.  VIFS
# (0..4, default 0) network interfaces join dom0's bridge xenbr0 through our
# vif script, vif N with MAC 00:16:3e:00:01:0N (docs/networking.md); then
# the network's archive (PACK_NET_ARCHIVE, build-dom0.sh's net.cpio.gz:
# the DNS server) follows the base, so only such a guest's boot carries it;
# PACK_BENCH_ARCHIVE (run-domu.sh --bench-tools: make bench's ab) after it.
# DISKS is a word per disk, rw or ro: disk N is dom0's /dev/vd<N's letter>
# (run-domu.sh attaches the host's files as QEMU virtio disks in that
# order), the guest's xvd<same letter>, served by blkback through our
# block-minios script (docs/storage.md).
set -euo pipefail
# PACK_TYPE=pvh (run-domu.sh --pvh): the xl config's type; pv otherwise.
# PACK_TYPE="pv pvh:N" (run-domu.sh --pvh-too [--pvh-vcpus N]): one config
# per type, the same but for its type line (and, after a ':', its vcpus
# line), run one after another in the same dom0 boot (/guest/guests lists
# them in order; dom0-init.sh).
read -ra types <<< "${PACK_TYPE:-pv}"
[ "${#types[@]}" -ge 1 ] || { echo "pack-guest: PACK_TYPE is empty" >&2; exit 1; }
for t in "${types[@]}"; do
    [[ "$t" =~ ^pvh?(:[1-9][0-9]?)?$ ]] ||
        { echo "pack-guest: PACK_TYPE pv or pvh, each with an optional :VCPUS, not '$t'" >&2; exit 1; }
done

die() { echo "pack-guest: $*" >&2; exit 1; }

[ $# -ge 6 ] && [ $# -le 10 ] ||
    die "usage: pack-guest.sh BASE OUT IMAGE MEM_MIB VCPUS CMDLINE [HOOK [INPUT [VIFS [DISKS]]]]"
base=$1 out=$2 image=$3 mem=$4 vcpus=$5 cmdline=$6 hook=${7:-} input=${8:-} vifs=${9:-0}
read -ra disks <<< "${10:-}"
[ "${#disks[@]}" -le 4 ] || die "at most 4 disks"
for d in "${disks[@]}"; do
    case "$d" in rw | ro) ;; *) die "a disk is rw or ro, not '$d'" ;; esac
done
case "$vifs" in [0-4]) ;; *) die "VIFS must be 0..4, not '$vifs'" ;; esac
[ -z "$hook" ] || [ -f "$hook" ] || die "dom0 hook '$hook' not found"
[ -z "$input" ] || [ -f "$input" ] || die "input file '$input' not found"
[ -f "$base" ] || die "base initramfs '$base' not found"
[ -f "$image" ] || die "image '$image' not found"
# Linux looks for the next archive only at a 4-byte boundary.
[ $(( $(stat -c %s "$base") % 4 )) -eq 0 ] || die "'$base' is not padded to 4 bytes"
net_archive=
if [ "$vifs" -gt 0 ] && [ -n "${PACK_NET_ARCHIVE:-}" ]; then
    net_archive=$PACK_NET_ARCHIVE
    [ -f "$net_archive" ] || die "network archive '$net_archive' not found"
    [ $(( $(stat -c %s "$net_archive") % 4 )) -eq 0 ] || die "'$net_archive' is not padded to 4 bytes"
fi
bench_archive=${PACK_BENCH_ARCHIVE:-}
if [ -n "$bench_archive" ]; then
    [ -f "$bench_archive" ] || die "bench archive '$bench_archive' not found"
    [ $(( $(stat -c %s "$bench_archive") % 4 )) -eq 0 ] || die "'$bench_archive' is not padded to 4 bytes"
fi

# In a "..." string xl's config parser takes \\ \" \n and friends.
xl_string() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    printf '"%s"' "$s"
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/guest"
cp "$image" "$stage/guest/minios.elf"
cat > "$stage/guest/guest.cfg" <<CFG
# Written by scripts/domu/pack-guest.sh for one run of scripts/run-domu.sh.
name = "minios"
type = "${types[0]%%:*}"
kernel = "/guest/minios.elf"
memory = $mem
vcpus = $vcpus
cmdline = $(xl_string "$cmdline")
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
CFG
# PACK_VIF0_IP (run-domu.sh --net-ip, checked there and again here): vif
# 0's ip=, which libxl writes into its backend's xenstore directory.
vif0_ip=${PACK_VIF0_IP:-}
[[ "$vif0_ip" =~ ^([0-9./]*)$ ]] || die "PACK_VIF0_IP '$vif0_ip' is not an address"
if [ "$vifs" -gt 0 ]; then
    spec=
    for ((i = 0; i < vifs; i++)); do
        ip=
        [ "$i" = 0 ] && [ -n "$vif0_ip" ] && ip=",ip=$vif0_ip"
        spec+="${spec:+, }'bridge=xenbr0,mac=00:16:3e:00:01:0$i$ip,script=/etc/xen/scripts/vif-minios'"
    done
    echo "vif = [ $spec ]" >> "$stage/guest/guest.cfg"
fi

if [ "${#disks[@]}" -gt 0 ]; then
    spec=
    letters=abcd
    for ((i = 0; i < ${#disks[@]}; i++)); do
        l=${letters:i:1}
        spec+="${spec:+, }'format=raw,vdev=xvd$l,access=${disks[i]},script=/etc/xen/scripts/block-minios,target=/dev/vd$l'"
    done
    echo "disk = [ $spec ]" >> "$stage/guest/guest.cfg"
fi

files=(guest/minios.elf guest/guest.cfg)
# PACK_CORE=1 (run-domu.sh --core): a crash leaves a core for the harness.
if [ "${PACK_CORE:-0}" = 1 ]; then
    sed -i 's/^on_crash = "destroy"$/on_crash = "coredump-destroy"/' "$stage/guest/guest.cfg"
    : > "$stage/guest/want-core"
    files+=(guest/want-core)
fi
# PACK_RAMDISK=FILE (run-domu.sh --ramdisk): the guest's initramfs, for a
# Linux kernel as the image (make bench's Linux domU, bench/linux/).
if [ -n "${PACK_RAMDISK:-}" ]; then
    [ -f "$PACK_RAMDISK" ] || die "ramdisk '$PACK_RAMDISK' not found"
    cp "$PACK_RAMDISK" "$stage/guest/ramdisk.img"
    echo 'ramdisk = "/guest/ramdisk.img"' >> "$stage/guest/guest.cfg"
    files+=(guest/ramdisk.img)
fi
# PACK_GUEST_DEADLINE=S (run-domu.sh, from its --timeout): dom0's watchdog
# asks Xen for the guest's state dump after S seconds of running and then
# destroys it, so a hung guest leaves its threads in the log.
if [ -n "${PACK_GUEST_DEADLINE:-}" ]; then
    [[ "$PACK_GUEST_DEADLINE" =~ ^[1-9][0-9]{0,4}$ ]] ||
        die "PACK_GUEST_DEADLINE '$PACK_GUEST_DEADLINE' is not a number of seconds"
    echo "$PACK_GUEST_DEADLINE" > "$stage/guest/deadline"
    files+=(guest/deadline)
fi
# Further guests (PACK_TYPE with several types): guest.cfg with another type.
if [ "${#types[@]}" -gt 1 ]; then
    echo /guest/guest.cfg > "$stage/guest/guests"
    for ((i = 1; i < ${#types[@]}; i++)); do
        t=${types[i]} v=$vcpus
        [[ "$t" == *:* ]] && v=${t#*:}
        sed -e "s/^type = .*/type = \"${t%%:*}\"/" -e "s/^vcpus = .*/vcpus = $v/" "$stage/guest/guest.cfg" \
            > "$stage/guest/guest-$i.cfg"
        echo "/guest/guest-$i.cfg" >> "$stage/guest/guests"
        files+=("guest/guest-$i.cfg")
    done
    files+=(guest/guests)
fi
if [ -n "$hook" ]; then
    install -m 0755 "$hook" "$stage/guest/dom0-hook.sh"
    files+=(guest/dom0-hook.sh)
fi
if [ -n "$input" ]; then
    cp "$input" "$stage/guest/input"
    files+=(guest/input)
fi

{
    cat "$base" ${net_archive:+"$net_archive"} ${bench_archive:+"$bench_archive"}
    (cd "$stage" && printf '%s\n' "${files[@]}" | cpio -o -H newc --quiet -R 0:0)
} > "$out.tmp"
mv "$out.tmp" "$out"
