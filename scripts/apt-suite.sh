#!/usr/bin/env bash
# apt options for another Debian release through a private configuration
# (CACHE_DIR/apt-SUITE), derived from the first stanza of the system's own
# debian.sources with its Suites: line changed; the package lists are
# fetched into it once (scripts/private-apt.sh).  Nothing system-wide
# changes, no root needed.
# Prints the options one per line, for `mapfile`:
#
#   scripts/apt-suite.sh CACHE_DIR SUITE
#
# (scripts/fetch-xen.sh uses it for Xen 4.20, scripts/domu/build-dom0.sh for
# Debian 13's toolstack.)
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: apt-suite.sh CACHE_DIR SUITE" >&2; exit 2; }
cache=$1 suite=$2
[[ $suite =~ ^[a-z]+$ ]] || { echo "apt-suite.sh: '$suite' is not a Debian suite name" >&2; exit 2; }
mkdir -p "$cache"
apt_dir=$(cd "$cache" && pwd)/apt-$suite
. "$(dirname "${BASH_SOURCE[0]}")/private-apt.sh"
private_apt apt-suite.sh "$apt_dir" "$suite" "s/^Suites: .*/Suites: $suite/"
if ! ls "$apt_dir/lists/"*Packages* > /dev/null 2>&1; then
    echo "apt-suite.sh: fetching Debian $suite's package lists (private to $apt_dir)" >&2
    apt-get "${apt_opts[@]}" update -q >&2 ||
        { echo "apt-suite.sh: apt-get update for $suite failed" >&2; exit 1; }
fi
printf '%s\n' "${apt_opts[@]}"
