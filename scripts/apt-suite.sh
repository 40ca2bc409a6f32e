#!/usr/bin/env bash
# apt options for another Debian release through a private configuration
# (CACHE_DIR/apt-SUITE), derived from the first stanza of the system's own
# debian.sources with its Suites: line changed; the package lists are
# fetched into it once.  Nothing system-wide changes, no root needed.
# Prints the options one per line, for `mapfile`:
#
#   scripts/apt-suite.sh CACHE_DIR SUITE
#
# (scripts/fetch-xen.sh builds the same configuration for Xen 4.20.)
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: apt-suite.sh CACHE_DIR SUITE" >&2; exit 2; }
cache=$1 suite=$2
[[ $suite =~ ^[a-z]+$ ]] || { echo "apt-suite.sh: '$suite' is not a Debian suite name" >&2; exit 2; }
sources=/etc/apt/sources.list.d/debian.sources
[ -r "$sources" ] || { echo "apt-suite.sh: no $sources to derive Debian $suite's source from" >&2; exit 1; }
mkdir -p "$cache"
apt_dir=$(cd "$cache" && pwd)/apt-$suite
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR == 1' "$sources" |
    sed "s/^Suites: .*/Suites: $suite/" > "$apt_dir/parts/$suite.sources"
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/parts"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
if ! ls "$apt_dir/lists/"*Packages* > /dev/null 2>&1; then
    sandbox=()
    [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
    echo "apt-suite.sh: fetching Debian $suite's package lists (private to $apt_dir)" >&2
    apt-get "${sandbox[@]}" "${opts[@]}" update -q >&2 ||
        { echo "apt-suite.sh: apt-get update for $suite failed" >&2; exit 1; }
fi
printf '%s\n' "${opts[@]}"
