# Checks of the source itself, before anything is built: the layering rule
# (docs/layout.md) and the formatter.  Sourced by tests/check.sh.

test_layers() {
    local t=layers out="$TEST_OUT/layers.out"
    if scripts/check-layers.sh > "$out" 2>&1; then
        pass "$t ($(tail -n 1 "$out" | sed 's/^layers: //'))"
    else
        fail $t "dependencies pointing up (docs/layout.md)" "$out"
    fi
}


test_format() {
    local t=format out="$TEST_OUT/format.out"
    if ! scripts/deps.sh format > "$out" 2>&1; then
        fail $t "missing Debian packages for the formatter" "$out"
    elif scripts/check-format.sh >> "$out" 2>&1; then
        pass "$t ($(tail -n 1 "$out" | sed 's/^format: //'))"
    else
        fail $t "files not formatted as .clang-format says (scripts/check-format.sh --fix)" "$out"
    fi
}
