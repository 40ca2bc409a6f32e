#!/usr/bin/env bash
# Builds lwIP, the TCP/IP stack, from Debian's source package `lwip` (2.1.3
# with Debian's patches, its CVE fix among them) into one relocatable
# object that the kernel's link takes in (Makefile: $(LWIP_OBJ)):
#
#   scripts/build-lwip.sh OUT_DIR        (CC and LWIP_CFLAGS in the environment)
#
#   OUT_DIR/lwip.o        lwIP's core, IPv4, Ethernet/ARP, netconn and sockets
#   OUT_DIR/include/      lwIP's headers, for our port (runtime/net/)
#   OUT_DIR/.inputs       the stamp: what it was built from
#
# The source comes through scripts/fetch-source.sh --debian (a private apt
# configuration with deb-src; nothing of the system's changes) and is never
# copied into the repository.  Our configuration and OS layer are
# runtime/net/lwip/ and runtime/net/sys_arch.c: lwIP's contrib ports are not
# used (they are not even in Debian's source).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
out=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${CC:=gcc}" "${LWIP_CFLAGS:?LWIP_CFLAGS must be set (the Makefile does)}"

"$here/deps.sh" lwip
src=$("$here/fetch-source.sh" --debian lwip "$here/../build/deps/src") ||
    { echo "build-lwip: could not fetch Debian's lwip source" >&2; exit 1; }

# lwIP's own file lists (src/Filelists.mk): core, IPv4, the sequential API, Ethernet.
files=()
for f in "$src"/src/core/*.c "$src"/src/core/ipv4/*.c "$src"/src/api/*.c "$src"/src/netif/ethernet.c; do
    case "${f##*/}" in
        altcp_tls*) continue ;; # TLS needs mbedTLS: not here
    esac
    files+=("$f")
done

work=$(mktemp -d "${TMPDIR:-/tmp}/minios-lwip.XXXXXX")
trap 'rm -rf "$work"' EXIT
objs=()
for f in "${files[@]}"; do
    o=$work/$(basename "$(dirname "$f")")-$(basename "${f%.c}").o
    # shellcheck disable=SC2086  # LWIP_CFLAGS is a list of flags from the Makefile
    $CC $LWIP_CFLAGS -I"$src/src/include" -c "$f" -o "$o"
    objs+=("$o")
done
mkdir -p "$out"
ld -r -o "$out/lwip.o.tmp" "${objs[@]}"
mv "$out/lwip.o.tmp" "$out/lwip.o"
rm -rf "$out/include"
cp -r "$src/src/include" "$out/include"
{
    echo "lwip $(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)"
    echo "files ${#files[@]}"
    echo "cflags $LWIP_CFLAGS"
} > "$out/.inputs"
echo "build-lwip: ${#files[@]} files of lwIP $(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) into $out/lwip.o" >&2
