#!/usr/bin/env bash
# Fetches one binary package from another Debian release than the machine's
# (e.g. newlib-source or xen-hypervisor-4.20-amd64 from Debian 13) and
# unpacks it, without touching the system's apt setup or installing it.
#
#   scripts/fetch-deb.sh SUITE PACKAGE DIR   prints the unpacked tree's path
#
# A private apt configuration under DIR/apt-SUITE (the system's first source
# stanza with its Suites: line replaced) lists that suite only.  The .deb is
# kept in DIR/SUITE/ and reused; it is unpacked afresh into DIR/SUITE/PACKAGE/.
# What the caller builds from must still be pinned by the caller (a checksum
# of the file it uses): the suite moves on.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 SUITE PACKAGE DIR" >&2; exit 2; }
suite=$1
pkg=$2
case "$suite" in
    *[!a-z0-9-]* | "") echo "fetch-deb: '$suite' is not a Debian suite name" >&2; exit 2 ;;
esac
case "$pkg" in
    *[!a-z0-9.+-]* | "") echo "fetch-deb: '$pkg' is not a Debian package name" >&2; exit 2 ;;
esac
mkdir -p "$3"
dir=$(cd "$3" && pwd)
mkdir -p "$dir/$suite"
. "$(dirname "${BASH_SOURCE[0]}")/private-apt.sh"
private_apt fetch-deb "$dir/apt-$suite" "$suite" "s/^Suites: .*/Suites: $suite/"

deb() { compgen -G "$dir/$suite/${pkg}_*.deb" | head -n 1; }
if [ -z "$(deb)" ]; then
    apt-get "${apt_opts[@]}" -qq update >&2 ||
        { echo "fetch-deb: apt-get update of $suite's index failed" >&2; exit 1; }
    (cd "$dir/$suite" && apt-get "${apt_opts[@]}" -qq download "$pkg" >&2) ||
        { echo "fetch-deb: apt-get download $pkg from $suite failed" >&2; exit 1; }
fi
file=$(deb)
[ -n "$file" ] || { echo "fetch-deb: no .deb for $pkg in $dir/$suite" >&2; exit 1; }

rm -rf "${dir:?}/$suite/$pkg"
dpkg-deb -x "$file" "$dir/$suite/$pkg"
echo "$dir/$suite/$pkg"
