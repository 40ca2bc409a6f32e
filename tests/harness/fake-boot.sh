#!/usr/bin/env bash
# A stand-in for run-xen.sh / run-domu.sh in tests/harness.sh's
# test_boot_retry: --log FILE -- IMAGE COUNTFILE.  While COUNTFILE holds a
# number above 0, the boot "triple-faults": it writes Xen's line to the
# log, takes one off and exits 1; then it exits 0.  Prints "boot N".
set -eu
log=$2 count=$5
n=$(cat "$count")
boots=$(($(cat "$count.boots" 2> /dev/null || echo 0) + 1))
echo $boots > "$count.boots"
echo "boot $boots"
if [ "$n" -gt 0 ]; then
    echo $((n - 1)) > "$count"
    echo "(XEN) [   17.854218] d1v1 Triple fault - invoking HVM shutdown action 1" > "$log"
    exit 1
fi
echo "(XEN) all well" > "$log"
