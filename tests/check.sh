#!/usr/bin/env bash
# make check: every test of minios, in one run.
#
# Host unit tests of pure logic first, short fuzzing runs of the code that
# reads another domain's data, then the checks of newlib (built once
# into build/newlib/), then boots under the real Xen hypervisor in QEMU (as
# dom0, then as a domU under a Linux dom0), each
# checking what the guest printed and how it ended.
# One line per test (PASS/FAIL/SKIP), and last exactly one summary line:
#   N passed, N failed[, N skipped]
# The exit status is non-zero if anything failed.  Logs: build/tests/.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
: > "$TEST_OUT/times.tsv"

if ! scripts/deps.sh build run newlib sdk; then
    fail dependencies "missing Debian packages (see above)"
    summary
    exit 1
fi
if ! xen_elf=$(scripts/fetch-xen.sh build/deps); then
    fail dependencies "could not fetch Debian's Xen hypervisor"
    summary
    exit 1
fi
echo "Xen: $(cat build/deps/xen/VERSION) ($xen_elf)"

run_tests tests/static.sh
. tests/unit.sh
. tests/fuzz.sh
run_tests tests/newlib.sh
run_tests tests/harness.sh
run_tests tests/guest.sh
run_tests tests/libc.sh
run_tests tests/sdk.sh
run_tests tests/domu.sh
run_tests tests/regress.sh
run_tests tests/net.sh
run_tests tests/block.sh

summary
