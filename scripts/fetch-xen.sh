#!/usr/bin/env bash
# Fetch Debian's Xen hypervisor and unpack it into a cache, without installing
# it as this machine's hypervisor.  Prints the path of the multiboot ELF that
# QEMU boots with -kernel.
#
#   scripts/fetch-xen.sh [CACHE_DIR [VERSION]]   (default: build/deps 4.17)
#
# 4.17 is Debian 12's, from the machine's own apt sources.  4.20 is Debian
# 13's: apt runs with a private configuration (CACHE_DIR/apt-trixie) whose
# one source is the system's first Debian stanza with its suite changed, so
# nothing system-wide changes and no archive host is written here.
set -euo pipefail

cache=${1:-build/deps}
version=${2:-4.17}
case "$version" in
    4.17) pkg=xen-hypervisor-4.17-amd64 dir="$cache/xen" suite= ;;
    4.20) pkg=xen-hypervisor-4.20-amd64 dir="$cache/xen-4.20" suite=trixie ;;
    *) echo "fetch-xen.sh: Xen $version: only 4.17 (Debian 12) and 4.20 (Debian 13)" >&2; exit 1 ;;
esac
elf="$dir/xen.elf"

if [ -s "$elf" ]; then
    echo "$elf"
    exit 0
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# As root, apt would warn that its sandbox user cannot write into our cache.
opts=()
[ "$(id -u)" -eq 0 ] && opts+=(-o APT::Sandbox::User=root)
if [ -n "$suite" ]; then
    mapfile -t suite_opts < <("$(dirname "${BASH_SOURCE[0]}")/apt-suite.sh" "$cache" "$suite") &&
        [ ${#suite_opts[@]} -gt 0 ] || exit 1
    opts=("${suite_opts[@]}")
fi
download() { (cd "$tmp" && apt-get download -qq "${opts[@]}" "$pkg" >&2 2>&1); }
if ! download; then
    if [ -n "$suite" ]; then
        echo "fetch-xen.sh: 'apt-get download $pkg' from $suite failed" >&2
        exit 1
    fi
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
gz=$(ls "$tmp/root/boot/xen-$version-amd64.gz" 2>/dev/null || ls "$tmp"/root/boot/xen-*.gz | head -n 1)
gunzip -c "$gz" > "$tmp/xen.elf"
dpkg-deb -f "$deb" Version > "$dir/VERSION"
mv "$tmp/xen.elf" "$elf"
echo "$elf"
