#!/usr/bin/env bash
# Assemble, once, the Linux dom0 that scripts/run-domu.sh boots under Xen:
# Debian's kernel as an ELF vmlinux, and a base initramfs holding busybox,
# the xl toolstack with its shared-library closure, the Xen kernel modules
# and the /init script (scripts/domu/dom0-init.sh).  Prints the directory
# that holds them:
#
#   scripts/domu/build-dom0.sh [CACHE_DIR [XEN]]   (default: build/deps 4.17)
#
# XEN is the hypervisor the dom0's toolstack must drive: 4.17 takes
# xen-utils-4.17 from the system's Debian 12; 4.20 takes xen-utils-4.20,
# xenstore-utils, busybox and the whole library closure (Debian 13's C
# library and loader) from Debian 13 through a private apt configuration
# (scripts/apt-suite.sh): xl and libxenctrl speak domctl/sysctl versions
# that change with every Xen release.  The kernel is Debian 12's for both.
#
#   CACHE_DIR/domu/dom0-KEY/vmlinux          the kernel Xen loads as dom0
#   CACHE_DIR/domu/dom0-KEY/initrd.cpio.gz   gzip'd newc cpio, padded to a
#                                            multiple of 4 bytes so another
#                                            archive can follow it
#   CACHE_DIR/domu/dom0-KEY/net.cpio.gz      a second archive, the same
#                                            way padded, that run-domu.sh
#                                            adds only for a guest with a
#                                            vif: the DNS server dnsmasq
#                                            and its libraries (3.5 MiB
#                                            other boots do not carry)
#   CACHE_DIR/domu/dom0-KEY/bench.cpio.gz    a third, for make bench's
#                                            network runs (run-domu.sh
#                                            --bench-tools): ApacheBench
#                                            (ab) and its libraries
#   CACHE_DIR/domu/dom0-KEY/manifest         "PACKAGE VERSION", every
#                                            package used
#   CACHE_DIR/domu/debs/                     the downloaded .debs
#
# KEY hashes the candidate versions of the top packages and this directory's
# scripts; the assembly is reused while KEY and every version in the
# manifest still match what apt would fetch, and redone otherwise.  Packages
# come only through `apt-get download` and are unpacked with dpkg-deb, never
# installed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/debs.sh"
. "$here/closure.sh"

die() { echo "build-dom0: $*" >&2; exit 1; }

cache=${1:-build/deps}
xen_version=${2:-4.17}
mkdir -p "$cache/domu"
cache=$(cd "$cache" && pwd)
case "$xen_version" in
    4.17) flavour= ;;
    4.20) flavour=-xen4.20
          mapfile -t DEBS_APT_OPTS < <("$here/../apt-suite.sh" "$cache" trixie) ||
              die "no private apt configuration for Debian 13" ;;
    *) die "XEN '$xen_version': 4.17 or 4.20" ;;
esac
DEBDIR=$cache/domu/debs$flavour
# Two runs at once (make -j, two terminals) take turns: one assembles, the
# other then finds the result.
exec 9> "$cache/domu/lock"
flock 9 || die "cannot lock $cache/domu/lock"

# The programs dom0 runs, from xen-utils-4.17's private bin directory, and
# the modules they need (xenfs needs xen-privcmd: order matters).
XEN_UTILS=xen-utils-$xen_version
# xenctx: the watchdog's register dump of a hung guest's vCPUs (dom0-init.sh).
XEN_PROGRAMS=(xl xenstored xenconsoled xenconsole xen-init-dom0 xenctx)
# xenstore-read & co, for the dom0 side of guest tests (a guest's dom0 hook,
# docs/domu.md): one binary that acts on the name it is called by.
XENSTORE_UTILS=xenstore-utils
XENSTORE_COMMANDS=(read write rm ls exists list watch chmod)
MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs)
# The network backend and the bridge it plugs into, loaded by /init only for
# a guest with a vif (docs/networking.md), dependencies first: bridge needs
# stp, stp needs llc.  Their paths under lib/modules/<version>/kernel/.
NET_MODULES=(net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko
    drivers/net/xen-netback/xen-netback.ko)
# The block backend, loop devices, and the virtio disks through which the
# host's files reach dom0 (run-domu.sh --disk), loaded by /init only for a
# guest with a disk (docs/storage.md), dependencies first.
BLOCK_MODULES=(drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko
    drivers/virtio/virtio_pci_legacy_dev.ko drivers/virtio/virtio_pci_modern_dev.ko
    drivers/virtio/virtio_pci.ko drivers/block/virtio_blk.ko drivers/block/loop.ko
    drivers/block/xen-blkback/xen-blkback.ko)

DEBS_MEMO=$(mktemp)
DEBS_PKGCACHE=$cache/domu/apt
mkdir -p "$DEBS_PKGCACHE"
work=
trap 'rm -rf "$DEBS_MEMO" ${work:+"$work"}' EXIT

# One question to apt for everything the reuse check needs: the top
# packages, and every package of the last assembly (there is at most one).
last_manifest=$(ls "$cache"/domu/dom0$flavour-[0-9a-f]*/manifest 2>/dev/null | head -n 1 || true)
last_used=()
[ -n "$last_manifest" ] && mapfile -t last_used < <(awk '{ print $1 }' "$last_manifest")
# dnsmasq answers the guests' DNS questions on xenbr0 (dom0-init.sh); it
# goes into net.cpio.gz, not the base archive.
DNS_SERVER=dnsmasq-base
# ab (ApacheBench) drives make bench's HTTP figures from dom0: one process,
# many connections, where busybox wget would fork per request.
BENCH_TOOLS=apache2-utils
debs_query linux-image-amd64 "$XEN_UTILS" "$XENSTORE_UTILS" busybox-static libgcc-s1 "$DNS_SERVER" \
    "$BENCH_TOOLS" \
    "${last_used[@]}"

# linux-image-amd64 is a metapackage: its one dependency is the kernel of
# the day (linux-image-6.1.0-NN-amd64), which security updates rename.
kernel_pkg=$(debs_first_depend linux-image-amd64)
case "$kernel_pkg" in
    linux-image-[0-9]*-amd64) ;;
    *) die "apt cannot resolve linux-image-amd64 to a kernel package (got '$kernel_pkg'); try 'apt-get update'" ;;
esac
roots=("$kernel_pkg" "$XEN_UTILS" "$XENSTORE_UTILS" busybox-static libgcc-s1 "$DNS_SERVER"
    "$BENCH_TOOLS")

root_versions=$(debs_versions "${roots[@]}") || die "try 'apt-get update'"
inputs=(build-dom0.sh debs.sh closure.sh extract-vmlinux.sh dom0-init.sh vif-minios.sh block-minios.sh)
key=$( { echo "$root_versions"; (cd "$here" && cat "${inputs[@]}"); } | sha256sum | cut -c 1-16)
out=$cache/domu/dom0$flavour-$key

# Reuse: every package in the manifest still at the version apt would fetch.
if [ -f "$out/manifest" ] && [ -f "$out/vmlinux" ] && [ -f "$out/initrd.cpio.gz" ] &&
    [ -f "$out/net.cpio.gz" ] && [ -f "$out/bench.cpio.gz" ]; then
    mapfile -t used < <(awk '{ print $1 }' "$out/manifest")
    if [ "$(debs_versions "${used[@]}" 2>/dev/null)" = "$(sort "$out/manifest")" ]; then
        echo "$out"
        exit 0
    fi
    echo "build-dom0: a package changed version since the last assembly; redoing it" >&2
fi

started=$EPOCHREALTIME
echo "build-dom0: assembling dom0 ($kernel_pkg, $XEN_UTILS) in $out" >&2
work=$(mktemp -d "$cache/domu/work.XXXXXX")
PKGDIR=$work/pkgs
ROOT=$work/root
mkdir -p "$PKGDIR" "$ROOT"

# The kernel package holds 400 MB of modules: take only the image and ours.
# The libraries the closure will want come in the same download (apt
# fetches them in parallel; asked one need at a time, 20 apt runs).
mapfile -t libs < <(debs_lib_depends "${roots[@]:1}" | grep -vxF -f <(printf '%s\n' "${roots[@]}"))
debs_fetch "$DEBDIR" "${roots[@]}" "${libs[@]}" || die "could not download ${roots[*]}"
kernel_deb=$(debs_file "$DEBDIR" "$kernel_pkg")
mkdir -p "$PKGDIR/$kernel_pkg"
dpkg-deb --fsys-tarfile "$kernel_deb" |
    tar -x -C "$PKGDIR/$kernel_pkg" --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/xen/*' \
        "${NET_MODULES[@]/#/./lib/modules/*/kernel/}" "${BLOCK_MODULES[@]/#/./lib/modules/*/kernel/}" ||
    die "cannot unpack $kernel_deb"
closure_unpack "$XEN_UTILS" "$XENSTORE_UTILS" busybox-static libgcc-s1 ||
    die "cannot unpack the packages"

# The kernel, decompressed ahead of time.
vmlinuz=$(ls "$PKGDIR/$kernel_pkg"/boot/vmlinuz-*)
"$here/extract-vmlinux.sh" "$vmlinuz" "$work/vmlinux" || die "cannot extract vmlinux from $vmlinuz"

# The skeleton; /var/run is where the Xen tools look for xenstored's socket.
mkdir -p "$ROOT"/{bin,dev,proc,sys,run,tmp,guest,etc/xen,lib/modules,var/lib/xen,var/log/xen,var/lock}
ln -s /run "$ROOT/var/run"
# Debian 13 is merged-/usr: busybox is in usr/bin there.
busybox=
for b in "$PKGDIR"/busybox-static/{bin,usr/bin}/busybox; do
    [ -f "$b" ] && busybox=$b
done
[ -n "$busybox" ] || die "busybox-static has no bin/busybox"
cp "$busybox" "$ROOT/bin/busybox"
install -m 0755 "$here/dom0-init.sh" "$ROOT/init"
# Ballooning dom0 down to make room would only cost time: Xen has room.
echo 'autoballoon="off"' > "$ROOT/etc/xen/xl.conf"

for m in "${MODULES[@]}"; do
    ko=$(find "$PKGDIR/$kernel_pkg/lib/modules" -name "$m.ko" -print -quit)
    [ -n "$ko" ] || die "$kernel_pkg has no $m.ko"
    cp "$ko" "$ROOT/lib/modules/"
done

mkdir -p "$ROOT/lib/modules/net"
for m in "${NET_MODULES[@]}"; do
    ko=$(ls "$PKGDIR/$kernel_pkg"/lib/modules/*/kernel/"$m" 2>/dev/null | head -n 1)
    [ -n "$ko" ] || die "$kernel_pkg has no $m"
    cp "$ko" "$ROOT/lib/modules/net/"
done
# Our own vif hotplug script (busybox sh), not Debian's bash one: ~2 s per
# guest instead of 12-14 s under TCG (docs/networking.md).
mkdir -p "$ROOT/etc/xen/scripts"
install -m 0755 "$here/vif-minios.sh" "$ROOT/etc/xen/scripts/vif-minios"
mkdir -p "$ROOT/lib/modules/block"
for m in "${BLOCK_MODULES[@]}"; do
    ko=$(ls "$PKGDIR/$kernel_pkg"/lib/modules/*/kernel/"$m" 2>/dev/null | head -n 1)
    [ -n "$ko" ] || die "$kernel_pkg has no $m"
    cp "$ko" "$ROOT/lib/modules/block/"
done
# Our disk hotplug script (busybox sh) instead of Debian's bash `block`.
install -m 0755 "$here/block-minios.sh" "$ROOT/etc/xen/scripts/block-minios"

# The Xen programs stay where xl expects them (it runs xenconsole by path).
bindir=$(cd "$PKGDIR/$XEN_UTILS" && ls -d usr/lib/xen-*/bin | head -n 1)
[ -n "$bindir" ] || die "$XEN_UTILS has no usr/lib/xen-*/bin"
mkdir -p "$ROOT/$bindir"
for p in "${XEN_PROGRAMS[@]}"; do
    [ -f "$PKGDIR/$XEN_UTILS/$bindir/$p" ] || die "$XEN_UTILS has no $bindir/$p"
    cp "$PKGDIR/$XEN_UTILS/$bindir/$p" "$ROOT/$bindir/$p"
    closure_add "$ROOT/$bindir/$p" "$XEN_UTILS" || die "cannot complete the libraries of $p"
done
[ -f "$PKGDIR/$XENSTORE_UTILS/usr/bin/xenstore" ] || die "$XENSTORE_UTILS has no usr/bin/xenstore"
cp "$PKGDIR/$XENSTORE_UTILS/usr/bin/xenstore" "$ROOT/bin/xenstore"
for c in "${XENSTORE_COMMANDS[@]}"; do
    ln -s xenstore "$ROOT/bin/xenstore-$c"
done
closure_add "$ROOT/bin/xenstore" "$XENSTORE_UTILS" || die "cannot complete the libraries of xenstore"
# glibc dlopen()s libgcc_s for thread cancellation and backtraces; without
# it `xl create -c` aborts.
closure_add_lib libgcc_s.so.1 libgcc-s1 || die "cannot add libgcc_s.so.1"

closure_pkgs["$kernel_pkg"]=1
closure_pkgs["busybox-static"]=1

# pack_archive LIST OUT: the files LIST names (relative to ROOT, sorted,
# directories before what they hold) as a gzip'd newc cpio, padded: Linux
# finds a following archive only at a 4-byte boundary.
pack_archive() {
    (cd "$ROOT" && cpio -o -H newc --quiet -R 0:0 < "$1") | gzip -1 > "$2"
    local size pad
    size=$(stat -c %s "$2")
    pad=$(( (4 - size % 4) % 4 ))
    [ "$pad" -gt 0 ] && head -c "$pad" /dev/zero >> "$2"
    return 0
}
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort) > "$work/base.list"
pack_archive "$work/base.list" "$work/initrd.cpio.gz"

# The network's archive: dnsmasq and the libraries the base lacks (what
# ROOT gains from here on).  /etc/passwd and /etc/group give it the users
# it looks up (it runs as root: --user=root --group=root).
closure_unpack "$DNS_SERVER" || die "cannot unpack $DNS_SERVER"
[ -f "$PKGDIR/$DNS_SERVER/usr/sbin/dnsmasq" ] || die "$DNS_SERVER has no usr/sbin/dnsmasq"
mkdir -p "$ROOT/usr/sbin"
cp "$PKGDIR/$DNS_SERVER/usr/sbin/dnsmasq" "$ROOT/usr/sbin/dnsmasq"
closure_add "$ROOT/usr/sbin/dnsmasq" "$DNS_SERVER" || die "cannot complete the libraries of dnsmasq"
echo 'root:x:0:0:root:/:/bin/sh' > "$ROOT/etc/passwd"
echo 'root:x:0:' > "$ROOT/etc/group"
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort) | LC_ALL=C comm -13 "$work/base.list" - \
    > "$work/net.list"
pack_archive "$work/net.list" "$work/net.cpio.gz"

# The bench archive: ab and what neither archive before it has.
closure_unpack "$BENCH_TOOLS" || die "cannot unpack $BENCH_TOOLS"
[ -f "$PKGDIR/$BENCH_TOOLS/usr/bin/ab" ] || die "$BENCH_TOOLS has no usr/bin/ab"
mkdir -p "$ROOT/usr/bin"
cp "$PKGDIR/$BENCH_TOOLS/usr/bin/ab" "$ROOT/usr/bin/ab"
closure_add "$ROOT/usr/bin/ab" "$BENCH_TOOLS" || die "cannot complete the libraries of ab"
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort) |
    LC_ALL=C comm -13 <(LC_ALL=C sort -m "$work/base.list" "$work/net.list") - > "$work/bench.list"
pack_archive "$work/bench.list" "$work/bench.cpio.gz"

mapfile -t used < <(closure_used)
debs_versions "${used[@]}" > "$work/manifest" || die "lost track of a package version"

rm -rf "$out"
mkdir -p "$out"
mv "$work/vmlinux" "$work/initrd.cpio.gz" "$work/net.cpio.gz" "$work/bench.cpio.gz" \
    "$work/manifest" "$out/"
# Old assemblies and superseded .debs only take room.
for d in "$cache"/domu/dom0$flavour-[0-9a-f]*; do
    [ "$d" = "$out" ] || rm -rf "$d"
done
for f in "$DEBDIR"/*.deb; do
    name=${f##*/} && name=${name%.deb}
    pkg=${name%%_*} version=${name#*_} && version=${version%_*}
    [ "$(debs_version "$pkg")" = "${version//%3a/:}" ] || rm -f "$f"
done

echo "build-dom0: done in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s:" \
     "initramfs $(( $(stat -c %s "$out/initrd.cpio.gz") / 1024 )) KiB" \
     "+ $(( $(stat -c %s "$out/net.cpio.gz") / 1024 )) KiB for the network" \
     "+ $(( $(stat -c %s "$out/bench.cpio.gz") / 1024 )) KiB for make bench," \
     "${#used[@]} packages" >&2
echo "$out"
