#!/usr/bin/env bash
# Fetch Debian's Xen hypervisor and unpack it into a cache, without installing
# it as this machine's hypervisor.  Prints the path of the multiboot ELF that
# QEMU boots with -kernel.
#
#   scripts/fetch-xen.sh [CACHE_DIR]      (default: build/deps)
set -euo pipefail

pkg=xen-hypervisor-4.17-amd64
cache=${1:-build/deps}
dir="$cache/xen"
elf="$dir/xen.elf"

if [ -s "$elf" ]; then
    echo "$elf"
    exit 0
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# As root, apt would warn that its sandbox user cannot write into our cache.
sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
download() { (cd "$tmp" && apt-get download -qq "${sandbox[@]}" "$pkg" >&2 2>&1); }
if ! download; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "fetch-xen.sh: 'apt-get download $pkg' failed." >&2
        echo "The package index may be stale; refresh it with:" >&2
        echo "    sudo apt-get update" >&2
        exit 1
    fi
    echo "fetch-xen.sh: refreshing the package index" >&2
    apt-get update -q >&2
    download
fi

deb=$(ls "$tmp"/*.deb)
dpkg-deb -x "$deb" "$tmp/root"
gz=$(ls "$tmp"/root/boot/xen-4.17-amd64.gz 2>/dev/null || ls "$tmp"/root/boot/xen-*.gz | head -n 1)
gunzip -c "$gz" > "$tmp/xen.elf"
dpkg-deb -f "$deb" Version > "$dir/VERSION"
mv "$tmp/xen.elf" "$elf"
echo "$elf"
