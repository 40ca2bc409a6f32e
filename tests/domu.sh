# Boots as a domU: Xen and a Debian Linux dom0 in QEMU, the guest started
# by the real `xl create` (scripts/run-domu.sh, docs/domu.md).  Each boot
# takes 7-15 s, so there are few: one clean exit (with arguments through
# the xl config), one non-zero status, and the grant-table tests (what a
# domU's table looks like differs from dom0's).  Sourced by tests/check.sh.

test_domu_hello() {
    local t=domu-hello
    build_app $t apps/hello || return
    boot_domu $t build/hello/minios.elf -- "two words" "it's"
    expect_status $t 0 &&
    expect_out $t '^minios [0-9.]+ \(x86_64 PV\) on Xen 4\.17' "the banner's version line" &&
    expect_out $t '^  domU, [1-9][0-9]* pages \([0-9]+ MiB\), 1 vCPUs \(1 up\)$' "the banner's domU line" &&
    expect_out $t '^  grants: table v1, 4 of [0-9]+ frames \(2048 refs, 8 reserved\)$' "the banner's grant-table line" &&
    expect_out $t "^  cmdline: \"'two words' 'it'\\\\''s'\"\$" "the command line from the xl config" &&
    expect_out $t '^Hello from minios!$' "the greeting" &&
    expect_out $t '^  argv\[1\] = "two words"$' "argv[1]" &&
    expect_out $t "^  argv\\[2\\] = \"it's\"\$" "argv[2]" &&
    expect_out $t '^minios: exit status 0$' "the exit line" &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    pass $t
}

# A non-zero status crashes the domU by design (kernel/shutdown.c): xl says
# reason code 3, and the status itself comes from the console.
test_domu_exit_status() {
    local t=domu-exit-status-3
    build_app $t tests/guest/exit_status || return
    boot_domu $t build/exit_status/minios.elf -- 3
    expect_status $t 3 &&
    expect_out $t '^  domU, ' "the banner's domU line" &&
    expect_out $t '^minios: exit status 3$' "the exit line" &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 3 ' "xl seeing a crash" &&
    pass $t
}

# Grant tables as a domU: the toolstack has filled entries 0 and 1, the
# table's limit is xl's, and our domain id is not 0.  The suite's grant
# tests, in one boot.
test_domu_gnttab() {
    build_app domu-gnttab tests/guest/suite || return
    boot_domu domu-gnttab build/suite/minios.elf --timeout 300 -- test_gnttab_self_map \
        test_gnttab_readonly test_gnttab_copy test_gnttab_reserved test_gnttab_exhaustion
    suite_results domu-gnttab "domu/"
}

# Console input as a domU: the input is written into the guest's console
# pty in dom0 (run-domu.sh --input), goes through xenconsoled and the ring,
# and comes back through fgets(stdin); ^D ends it as end of file.
test_domu_console_input() {
    local t=domu-console-input
    build_app $t tests/guest/echo || return
    echo_input "$TEST_OUT/$t.in" eof
    boot_domu $t build/echo/minios.elf --input "$TEST_OUT/$t.in"
    expect_status $t 0 && expect_out $t '^echo: ready$' "the prompt" &&
    expect_echoes $t "$TEST_OUT/$t.in" && pass "$t ($(wc -c < "$TEST_OUT/$t.in") bytes)"
}

# Output as a domU, far more than the 2 KiB ring: every line arrives once,
# whole and in order, and the exit line comes last (the guest waits for
# xenconsoled to take the ring before it ends).
test_domu_flood() {
    local t=domu-flood lines=3000
    build_app $t tests/guest/flood || return
    boot_domu $t build/flood/minios.elf -- $lines
    expect_status $t 0 || return
    local report
    report=$(awk -v want=$lines '
        BEGIN { a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"; aa = a a a }
        /^flood [0-9]+ / {
            n = $2 + 0
            if (n != next_n) { print "line " next_n " missing or out of order (got " n ")"; exit }
            if ($3 != substr(aa, n % 62 + 1, 64) || NF != 3) { print "line " n " damaged: " $0; exit }
            next_n++
        }
        END { if (next_n + 0 != want) print "only " next_n + 0 " of " want " lines" }
    ' "$TEST_OUT/$t.out")
    if [ -n "$report" ]; then
        fail $t "$report" "$TEST_OUT/$t.out"
        return
    fi
    local last rate
    last=$(grep -av '^run-domu: ' "$TEST_OUT/$t.out" | tail -n 1)
    rate=$(sed -n 's/^flood: done: .* bytes in \([0-9]* ms (.*)\)$/\1/p' "$TEST_OUT/$t.out")
    if [ "$last" != "minios: exit status 0" ]; then
        fail $t "the last line is '$last', not the exit line" "$TEST_OUT/$t.out"
    elif [ -z "$rate" ]; then
        fail $t "no 'flood: done' line" "$TEST_OUT/$t.out"
    else
        pass "$t ($lines lines, $(grep -a '^flood: done' "$TEST_OUT/$t.out" | sed 's/.*lines, //'))"
    fi
}

# A console backend that stops reading (dom0 stops xenconsoled for 7 s,
# run-domu.sh --stall-console): the guest waits 5 s, then drops and counts
# until the backend is back, says how many bytes it dropped, and carries
# on.  The lines missing must add up to that count, the rest arrive whole
# and in order, and the run ends normally.
test_domu_console_stall() {
    local t=domu-console-stall lines=800
    build_app $t tests/guest/flood || return
    boot_domu $t build/flood/minios.elf --stall-console 7 -- $lines 4
    expect_status $t 0 &&
    expect_out $t '^console: [0-9]+ bytes of output dropped: the console backend made no room for 5000 ms$' \
        "the note about the dropped bytes" || return
    local report
    report=$(awk -v want=$lines '
        BEGIN { a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"; aa = a a a }
        function expect(n) { return sprintf("flood %06d %s", n, substr(aa, n % 62 + 1, 64)) }
        /^console: [0-9]+ bytes of output dropped/ { notes++; dropped = $2; after_note = 1; next }
        /^flood [0-9]+ / {
            n = $2 + 0
            if (n < next_n) { print "line " n " out of order"; exit }
            if (n > next_n && !(after_note && !gap)) { print "line " next_n " missing"; exit }
            if (n > next_n) gap = 1
            if ($0 != expect(n)) {
                # Only the last line before the note may be cut short.
                if (partial || gap || index(expect(n), $0) != 1) { print "line " n " damaged: " $0; exit }
                partial = 1
                got += length($0)
            } else {
                got += length($0) + 1
            }
            next_n = n + 1
        }
        /^flood: done: / { total = $5 + 0 }
        END {
            if (notes != 1) print notes + 0 " notes about dropped bytes"
            else if (next_n != want) print "the last line is " next_n - 1 ", not " want - 1
            else if (!gap) print "no line is missing, yet " dropped " bytes were dropped"
            # A CR may have gone in without its LF: the LF is counted dropped, the line looks whole.
            else if (got + dropped != total && got + dropped != total + 1)
                print got " bytes arrived and " dropped " were dropped, but " total " were written"
            else print "ok " dropped
        }
    ' "$TEST_OUT/$t.out")
    case "$report" in
        ok*) ;;
        *) fail $t "$report" "$TEST_OUT/$t.out"; return ;;
    esac
    local last
    last=$(grep -av '^run-domu: ' "$TEST_OUT/$t.out" | tail -n 1)
    if [ "$last" != "minios: exit status 0" ]; then
        fail $t "the last line is '$last', not the exit line" "$TEST_OUT/$t.out"
    else
        pass "$t (${report#ok } bytes dropped and counted)"
    fi
}

if scripts/deps.sh domu > "$TEST_OUT/domu-deps.out" 2>&1; then
    test_domu_hello
    test_domu_exit_status
    test_domu_gnttab
    test_domu_console_input
    test_domu_flood
    test_domu_console_stall
else
    fail domu "missing Debian packages for the domU harness" "$TEST_OUT/domu-deps.out"
fi
