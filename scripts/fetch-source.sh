#!/usr/bin/env bash
# Fetches a Debian source package and unpacks its upstream tarball, for the
# ported-program tests (tests/ported.sh): real programs nobody here wrote,
# built unmodified through the kit.
#
#   scripts/fetch-source.sh PACKAGE DIR     prints the unpacked source's path
#   scripts/fetch-source.sh --debian PACKAGE DIR
#                                           the same, unpacked by dpkg-source
#                                           with Debian's patches applied
#
# The machine's apt sources list binary packages only; a private apt
# configuration under DIR/apt (the system's first source stanza with
# Types: deb-src) fetches the source without changing the system's apt
# setup.  Downloads are kept in DIR and reused; the source is unpacked
# afresh into DIR/PACKAGE/ each time.
set -euo pipefail

debian=0
[ "${1:-}" = --debian ] && { debian=1; shift; }
[ $# -eq 2 ] || { echo "usage: $0 [--debian] PACKAGE DIR" >&2; exit 2; }
pkg=$1
case "$pkg" in
    *[!a-z0-9.+-]* | "") echo "fetch-source: '$pkg' is not a Debian package name" >&2; exit 2 ;;
esac
mkdir -p "$2"
dir=$(cd "$2" && pwd)
mkdir -p "$dir/$pkg.dl"
. "$(dirname "${BASH_SOURCE[0]}")/private-apt.sh"
private_apt fetch-source "$dir/apt" src 's/^Types: .*/Types: deb-src/'

orig() { compgen -G "$dir/$pkg.dl/${pkg}_*.orig.tar.*" | head -n 1; }
if [ -z "$(orig)" ]; then
    apt-get "${apt_opts[@]}" -qq update >&2 ||
        { echo "fetch-source: apt-get update of the source index failed" >&2; exit 1; }
    (cd "$dir/$pkg.dl" && apt-get "${apt_opts[@]}" -qq source --download-only "$pkg" >&2) ||
        { echo "fetch-source: apt-get source $pkg failed" >&2; exit 1; }
fi
tarball=$(orig)
[ -n "$tarball" ] || { echo "fetch-source: no upstream tarball for $pkg" >&2; exit 1; }

rm -rf "${dir:?}/$pkg"
mkdir -p "$dir/$pkg"
if [ "$debian" = 1 ]; then
    dsc=$(compgen -G "$dir/$pkg.dl/${pkg}_*.dsc" | head -n 1)
    [ -n "$dsc" ] || { echo "fetch-source: no .dsc for $pkg" >&2; exit 1; }
    # The files came through apt's signed indexes and their hashes; there is
    # no keyring here to check the .dsc's own signature against.
    dpkg-source --no-check -x "$dsc" "$dir/$pkg/${pkg}-debian" > "$dir/$pkg.dpkg-source.log" 2>&1 ||
        { echo "fetch-source: dpkg-source -x $dsc failed:" >&2; cat "$dir/$pkg.dpkg-source.log" >&2; exit 1; }
    echo "$dir/$pkg/${pkg}-debian"
    exit 0
fi
tar -xf "$tarball" -C "$dir/$pkg"
src=$(find "$dir/$pkg" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -n "$src" ] || { echo "fetch-source: $tarball unpacked to nothing" >&2; exit 1; }
echo "$src"
