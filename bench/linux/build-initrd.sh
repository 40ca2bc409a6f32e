#!/usr/bin/env bash
# The Linux domU of make bench's baseline (bench/baseline.sh): Debian's
# kernel image (the harness's dom0 kernel, xz-compressed bzImage, which xl
# loads for a PV guest) and a busybox initramfs with its blkfront and
# netfront modules, bench/linux/init.sh as /init, and our random reader
# (bench/linux/randread.c, built static with the host's compiler) as
# /bin/randread.  The rest comes from the packages scripts/domu/build-dom0.sh
# fetched.
#
#   bench/linux/build-initrd.sh OUTDIR    -> OUTDIR/vmlinuz OUTDIR/initrd.cpio.gz
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "linux-domu: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: build-initrd.sh OUTDIR"
out=$1
debs=${MINIOS_DEPS:-build/deps}/domu/debs
kernel_deb=$(ls "$debs"/linux-image-[0-9]*-amd64_*.deb 2> /dev/null | head -n 1)
busybox_deb=$(ls "$debs"/busybox-static_*.deb 2> /dev/null | head -n 1)
[ -n "$kernel_deb" ] && [ -n "$busybox_deb" ] ||
    die "no kernel or busybox package in $debs (run scripts/run-domu.sh once first)"

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dpkg-deb --fsys-tarfile "$kernel_deb" | tar -x -C "$stage" --wildcards './boot/vmlinuz-*' \
    './lib/modules/*/kernel/drivers/block/xen-blkfront.ko' \
    './lib/modules/*/kernel/drivers/net/xen-netfront.ko' ||
    die "cannot unpack $kernel_deb"
dpkg-deb -x "$busybox_deb" "$stage/bb" || die "cannot unpack $busybox_deb"

root=$stage/root
mkdir -p "$root"/{bin,dev,proc,sys,lib,tmp}
cp "$stage/bb/bin/busybox" "$root/bin/busybox"
find "$stage/lib/modules" -name 'xen-*front.ko' -exec cp {} "$root/lib/" \;
install -m 0755 bench/linux/init.sh "$root/init"
gcc -O2 -Wall -static -o "$root/bin/randread" bench/linux/randread.c || die "cannot build randread"
(cd "$root" && find . | sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$out/initrd.cpio.gz"
cp "$stage"/boot/vmlinuz-* "$out/vmlinuz"
echo "$out/vmlinuz $out/initrd.cpio.gz ($(basename "$kernel_deb"))"
