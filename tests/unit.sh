# Host unit tests (tests/unit/test_*.c), each one a PASS or FAIL line.
# Sourced by tests/check.sh.

if make -s unit-build > "$TEST_OUT/unit-build.out" 2>&1; then
    for bin in build/unit/test_*; do
        [ -x "$bin" ] || continue
        name=unit-${bin##*/test_}
        if "$bin" > "$TEST_OUT/$name.out" 2>&1; then
            pass "$name ($(tail -n 1 "$TEST_OUT/$name.out" | sed 's/^[a-z_]*: //'))"
        else
            fail "$name" "see below" "$TEST_OUT/$name.out"
        fi
    done
else
    fail unit-build "host unit tests did not build" "$TEST_OUT/unit-build.out"
fi
