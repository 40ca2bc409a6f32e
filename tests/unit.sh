# Host unit tests (tests/unit/test_*.c, and test_*.py for the Python tools),
# each one a PASS or FAIL line.
# Sourced by tests/check.sh.

# Each test writes NAME.out and NAME.status; two run at once (in_lanes).
unit_run() {
    "$1" > "$TEST_OUT/$2.out" 2>&1
    echo $? > "$TEST_OUT/$2.status"
}
if make -s unit-build > "$TEST_OUT/unit-build.out" 2>&1; then
    for bin in build/unit/test_*; do
        [ -x "$bin" ] || continue
        rm -f "$TEST_OUT/unit-${bin##*/test_}.status"
        in_lanes unit_run "$bin" "unit-${bin##*/test_}"
    done
    wait
    for bin in build/unit/test_*; do
        [ -x "$bin" ] || continue
        name=unit-${bin##*/test_}
        if [ "$(cat "$TEST_OUT/$name.status" 2> /dev/null)" = 0 ]; then
            pass "$name ($(tail -n 1 "$TEST_OUT/$name.out" | sed 's/^[a-z_]*: //'))"
        else
            fail "$name" "see below" "$TEST_OUT/$name.out"
        fi
    done
else
    fail unit-build "host unit tests did not build" "$TEST_OUT/unit-build.out"
fi

# Host tests of the project's Python tools (tests/unit/test_*.py).
for py in tests/unit/test_*.py; do
    name=unit-$(basename "$py" .py | sed 's/^test_//')
    if python3 "$py" > "$TEST_OUT/$name.out" 2>&1; then
        pass "$name ($(tail -n 1 "$TEST_OUT/$name.out" | sed 's/^[a-z_]*: //'))"
    else
        fail "$name" "see below" "$TEST_OUT/$name.out"
    fi
done
