# Checks of the source itself, before anything is built: the layering rule
# (docs/layout.md), the formatter, and the docs' references to the code.
# Sourced by tests/check.sh.

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

# Docs cannot rot silently: every file, file:function and make target
# they name in backquotes exists (scripts/check-doc-refs.py).
test_doc_refs() {
    local t=doc-refs out="$TEST_OUT/doc-refs.out"
    if scripts/check-doc-refs.py > "$out" 2>&1; then
        pass "$t ($(tail -n 1 "$out" | sed 's/^doc-refs: //'))"
    else
        fail $t "the docs name files, functions or make targets that do not exist" "$out"
    fi
}

# A merge's conflict markers left in a file (a doc went out with one once):
# no tracked text file has a line that is one.
test_no_conflict_markers() {
    local t=conflict-markers out="$TEST_OUT/conflict-markers.out"
    if git grep -n -I -E '^(<<<<<<<|>>>>>>>)( |$)' > "$out" 2>&1; then
        fail $t "a merge's conflict markers left in" "$out"
    else
        pass "$t ($(git ls-files | wc -l) files)"
    fi
}
