# The hypervisor regression catalogue (regress/, docs/regress.md): the
# framework's self-test, the catalogue as dom0 at 1 and 4 vCPUs and as a
# domU, under Debian 12's Xen 4.17, through scripts/regress.sh (what
# `make regress` runs): one boot per configuration.  Sourced by
# tests/check.sh.

gate() {
    build_app regress regress || return 1
    build_app regress-selftest regress/selftest || return 1
}

# regress_run NAME [regress.sh options]: runs the catalogue into
# $TEST_OUT/NAME/, leaving the report in $TEST_OUT/NAME.out, the status in $status.
regress_run() {
    local name=$1 image=$2
    shift 2
    scripts/regress.sh --out "$TEST_OUT/$name" "$@" "$image" > "$TEST_OUT/$name.out" 2>&1 < /dev/null
    status=$?
}

# regress_lines_match WANT GOT: each line of GOT matches the extended regex
# on the same line of WANT, and there are as many; else says which does not.
regress_lines_match() {
    local -a want got
    local i
    mapfile -t want <<< "$1"
    mapfile -t got <<< "$2"
    [ ${#want[@]} -eq ${#got[@]} ] || { echo "${#got[@]} lines, expected ${#want[@]}"; return 1; }
    for i in "${!want[@]}"; do
        [[ ${got[$i]} =~ ^${want[$i]}$ ]] || { echo "'${got[$i]}' does not match /${want[$i]}/"; return 1; }
    done
}

# The framework proven able to fail: each deliberate mistake gets exactly
# its verdict and reason, the run goes on after each, and the runner turns
# the whole into FAILURE, exit code 5, and the same verdicts in JSON and JUnit.
test_regress_selftest() {
    local t=regress-selftest
    regress_run $t build/selftest/minios.elf
    local tsv="$TEST_OUT/$t/results.tsv" got want why
    want=$(printf '%s\n' \
        'selftest_pass SUCCESS' \
        'selftest_wrong_expectation FAILURE XENVER_version is 0x4[0-9a-f]{4}, the test wanted 0' \
        'selftest_error ERROR set-up deliberately failed' \
        'selftest_fault FAILURE fault: #PF page fault \(vector 14\), error code 0x2, address 0xdead000, at rip 0x[0-9a-f]+ <selftest_fault\+0x[0-9a-f]+>' \
        'selftest_hang FAILURE timeout: still running after 1000 ms, stopped at rip 0x[0-9a-f]+ <selftest_hang\+0x[0-9a-f]+>' \
        'selftest_block_masked FAILURE timeout: still running after 1000 ms, stopped at rip 0x[0-9a-f]+ <hypercall_page\+0x[0-9a-f]+>' \
        'selftest_poll_masked FAILURE timeout: still running after 1000 ms, stopped at rip 0x[0-9a-f]+ <selftest_poll_masked\+0x[0-9a-f]+>' \
        'selftest_fault_holding_locks FAILURE fault: #PF page fault \(vector 14\), error code 0x2, address 0xdead000, at rip 0x[0-9a-f]+ <selftest_fault_holding_locks\+0x[0-9a-f]+>' \
        'selftest_hang_holding_locks FAILURE timeout: still running after 1000 ms, stopped at rip 0x[0-9a-f]+ <selftest_hang_holding_locks\+0x[0-9a-f]+>' \
        'selftest_locks_released SUCCESS' \
        'selftest_needs_vcpus SKIP needs 64 vCPUs; 1 online' \
        'selftest_after SUCCESS')
    got=$(cut -f1-3 "$tsv" 2>/dev/null | tr '\t' ' ' | sed 's/ $//')
    if [ "$status" -ne 5 ]; then
        fail $t "exit code $status, expected 5 (FAILURE)" "$TEST_OUT/$t.out"
    elif ! why=$(regress_lines_match "$want" "$got"); then
        fail $t "verdicts differ: $why" "$TEST_OUT/$t.out"
    elif ! grep -q '"name": "selftest_fault", "category": "functional", "verdict": "FAILURE", "reason": "fault: #PF' "$TEST_OUT/$t/results.json"; then
        fail $t "results.json lacks the fault's verdict" "$TEST_OUT/$t/results.json"
    elif ! grep -q 'tests="12" failures="7" errors="1" skipped="1"' "$TEST_OUT/$t/junit.xml"; then
        fail $t "junit.xml's counts are not 12 tests, 7 failures, 1 error, 1 skipped" "$TEST_OUT/$t/junit.xml"
    elif [ "$(grep -c 'released what it held: 1 spinlock(s), 1 mutex acquisition(s)' "$TEST_OUT/$t/console.log")" -ne 2 ]; then
        fail $t "the runner did not say it released the lock and mutex of each test ended early" "$TEST_OUT/$t/console.log"
    else
        pass "$t (FAILURE, a fault verdict, timeout verdicts for a spin and for blocking with events masked, locks left held released, ERROR, SKIP; exit code 5)"
    fi
}

# No result line at all: a crash, exit code 6.
test_regress_crash() {
    local t=regress-crash
    build_app $t tests/guest/panic || return
    regress_run $t build/panic/minios.elf
    [ "$status" -eq 6 ] && grep -qx 'Test result: CRASH' "$TEST_OUT/$t.out" &&
        grep -q '"result": "CRASH", "exit_code": 6' "$TEST_OUT/$t/results.json" && pass "$t (exit code 6)" ||
        fail $t "exit code $status, expected 6 and 'Test result: CRASH'" "$TEST_OUT/$t.out"
}

# regress_expect NAME MIN_RUN: exit code 0 or 3 (SUCCESS, or SKIP where a
# test does not apply), no FAILURE or ERROR, every SKIP with its reason,
# and at least MIN_RUN tests run; one PASS/FAIL line per test that ran.  A
# SKIP verdict (a dom0 test in a domU, a PV test as PVH, an SMP test at one
# vCPU) is the catalogue's answer for this configuration, not a test make
# check could not run: NAME's own line counts them, results.tsv says why.
regress_expect() {
    local t=$1 min=$2 tsv="$TEST_OUT/$1/results.tsv" line name verdict reason ran
    while IFS=$'\037' read -r name verdict reason _; do
        case "$verdict" in
            SUCCESS) pass "$t/$name" ;;
            SKIP) ;; # not for this configuration (another runs it): counted in $t's line
            *) fail "$t/$name" "$verdict: $reason" ;;
        esac
    done < <(tr '\t' '\037' < "$tsv" 2>/dev/null)
    ran=$(grep -c $'\tSUCCESS\t' "$tsv" 2>/dev/null)
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
        fail $t "exit code $status, expected 0 or 3" "$TEST_OUT/$t.out"
    elif [ "${ran:-0}" -lt "$min" ]; then
        fail $t "only ${ran:-0} tests succeeded, expected at least $min" "$TEST_OUT/$t.out"
    elif grep -q $'\tSKIP\t\t' "$tsv"; then
        fail $t "a SKIP without a reason" "$tsv"
    else
        pass "$t ($(grep '^regress: Xen' "$TEST_OUT/$t.out" | sed 's/^regress: //'))"
    fi
}

test_regress_dom0() {
    local v
    for v in 1 4; do
        regress_run regress-dom0-$v build/regress/minios.elf --vcpus $v
        regress_expect regress-dom0-$v 100
    done
}

# As a PV domU, then as a PVH domU in the same dom0 boot (--pvh-too): one
# report each; regress.sh's exit code is the higher, so each report's own
# (results.json) is the status checked, and the two reports printed one
# after the other are split at the first's "Test result:" line.
test_regress_domu() {
    local t
    regress_run regress-domu build/regress/minios.elf --domu --pvh-too --vcpus 2
    awk -v pv="$TEST_OUT/regress-domu.out.pv" -v pvh="$TEST_OUT/regress-domu-pvh.out" '
        BEGIN { printf "" > pvh } { print > (done ? pvh : pv) } /^Test result: / { done = 1 }' "$TEST_OUT/regress-domu.out"
    mv "$TEST_OUT/regress-domu.out.pv" "$TEST_OUT/regress-domu.out"
    for t in regress-domu:100 regress-domu-pvh:70; do
        status=$(sed -n 's/.*"exit_code": \([0-9]*\).*/\1/p' "$TEST_OUT/${t%:*}/results.json" 2>/dev/null)
        status=${status:-6}
        regress_expect ${t%:*} ${t#*:}
    done
}

# make's variables are data: hostile ones are refused before anything boots.
test_regress_variables() {
    local t=regress-variables m=$PWD/$TEST_OUT/regress-marker v st
    rm -f "$m"
    local -a cases=("FILTER=\$(touch $m)" "XEN_ARGS=\`touch $m\`" "XEN_ARGS=a;touch $m" "VCPUS=1;touch $m"
        "XEN=\$(touch $m)" "DOMU=\$(touch $m)" "DOMU=1|XEN_ARGS=sched=credit")
    for v in "${cases[@]}"; do
        IFS='|' read -r -a words <<< "$v"
        make -s regress "${words[@]}" > "$TEST_OUT/$t.out" 2>&1 < /dev/null
        st=$?
        if [ -e "$m" ]; then
            fail $t "'$v' was run by a shell" "$TEST_OUT/$t.out"
            return
        elif [ $st -eq 0 ] || ! grep -q '^regress: ' "$TEST_OUT/$t.out" || grep -q '^Test result' "$TEST_OUT/$t.out"; then
            fail $t "'$v': not refused before booting (make status $st)" "$TEST_OUT/$t.out"
            return
        fi
    done
    pass "$t (7 hostile or impossible settings refused, nothing booted)"
}

# The same image as a PVH dom0 at 1 vCPU (make regress MODE=pvh): tests of
# what only a PV guest has say SKIP with the reason (pv_only()).
test_regress_pvh() {
    regress_run regress-pvh-1 build/regress/minios.elf --pvh --vcpus 1
    regress_expect regress-pvh-1 70
}
