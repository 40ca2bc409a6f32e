# Boots as a domU: Xen and a Debian Linux dom0 in QEMU, the guest started
# by the real `xl create` (scripts/run-domu.sh, docs/domu.md).  Each boot
# takes 7-15 s, so there are few: one clean exit (with arguments through
# the xl config), one non-zero status, thread-local storage on 4 vCPUs,
# the suite's xenstore and grant-table tests (what a domU's table looks
# like differs from dom0's) on two vCPUs, each of hello, TLS and xenstore
# followed by the same image as a PVH domU in the same dom0 boot
# (run-domu.sh --pvh-too; docs/pvh.md), and an application driven by a
# dom0 script to a poweroff and, as PVH, to a reboot; then programs stuck
# in fgets, in a deadlock and spinning, ended by `xl shutdown` or `xl
# reboot` within the stated bound, and the one that cannot be (a spinning
# thread on the only vCPU).  Sourced by tests/check.sh.

# hello as a PV domU, then the same image as a PVH domU in the same dom0
# boot (run-domu.sh --pvh-too; xl's type = "pvh"; docs/pvh.md): console
# and xenstore rings from HVM parameters, the identity from xenstore.
test_domu_hello() {
    local t=domu-hello
    build_app $t apps/hello || return
    boot_domu $t build/hello/minios.elf --pvh-too -- "two words" "it's"
    expect_status $t 0 &&
    expect_out $t '^minios [0-9.]+ \(x86_64 PV\) on Xen 4\.17' "the banner's version line" &&
    expect_out $t '^  domU, [1-9][0-9]* pages \([0-9]+ MiB\), 1 vCPUs \(1 up\)$' "the banner's domU line" &&
    expect_out $t '^  grants: the table is set up at its first use$' "the banner's grant-table line" &&
    expect_out $t "^  cmdline: \"'two words' 'it'\\\\''s'\"\$" "the command line from the xl config" &&
    expect_out $t '^Hello from minios!$' "the greeting" &&
    expect_out $t '^  argv\[1\] = "two words"$' "argv[1]" &&
    expect_out $t "^  argv\\[2\\] = \"it's\"\$" "argv[2]" &&
    expect_out $t '^minios: exit status 0$' "the exit line" &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    pass $t
    t=domu-hello-pvh status=$status_pvh
    expect_status $t 0 &&
    expect_out $t '^minios [0-9.]+ \(x86_64 PVH\) on Xen 4\.17' "the banner's PVH version line" &&
    expect_out $t '^  domU, [1-9][0-9]* pages \([0-9]+ MiB\), 1 vCPUs \(1 up\)$' "the banner's domU line" &&
    expect_out $t '^  domU [0-9]+ "minios", vm /vm/' "who xenstore says we are" &&
    expect_out $t '^  argv\[1\] = "two words"$' "argv[1] from the xl config" &&
    expect_out $t '^minios: exit status 0$' "the exit line" &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    pass "$t (console ring, xenstore; after domu-hello in the same dom0)"
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

# A crash leaves a core (run-domu.sh --core: xl's coredump-destroy, sent
# out by dom0, converted by scripts/xen-core-to-elf.py), and gdb reads it:
# each vCPU a thread, the crashed one's backtrace, and the minios commands
# on the dead guest's memory (the other thread, asleep, with its frames).
test_domu_core() {
    local t=domu-core core=build/fault/core
    build_app $t tests/guest/fault || return
    rm -f "$core"
    core_layout_matches_headers $t || return
    boot_domu $t build/fault/minios.elf --vcpus 2 --core "$core" -- ud2
    expect_status $t 126 &&
    expect_out $t '^minios threads at the crash:$' "the crash report's thread list" &&
    expect_out $t "^run-domu: the guest's core: build/fault/core " "the harness saying where the core is" ||
        return
    gdb -nx -batch -x scripts/gdb/minios.py -x tests/gdb/core.gdb build/fault/minios.elf "$core" \
        > "$TEST_OUT/$t-gdb.out" 2>&1
    local g=$t-gdb
    expect_out $g '^\* 1 +(LWP|process|Thread) 1 ' "vCPU 0 as the core's first thread" &&
    expect_out $g '^  2 +(LWP|process|Thread) 2 ' "vCPU 1 as the second" &&
    expect_out $g '^#[0-9]+ +(0x[0-9a-f]+ in )?shutdown_domain ' "the crashed vCPU stopped in its shutdown hypercall" &&
    expect_out $g '^#[0-9]+ +0x[0-9a-f]+ in crash_report_end ' "... called by the crash report" &&
    expect_out $g '^#[0-9]+ +<signal handler called>' "the trap frame (entry.S's unwind information)" &&
    expect_out $g '^#[0-9]+ +(0x[0-9a-f]+ in )?fault_ud2 \(\) at .*main\.c:[0-9]+' "through it, the faulting function" &&
    expect_out $g '^#[0-9]+ +0x[0-9a-f]+ in main \(' "... and its caller" &&
    expect_out $g '^ +[0-9]+\* +main +running ' "minios threads: main, running" &&
    expect_out $g '^ +[0-9]+ +bystander +blocked +[01] +waits for semaphore 0x' "minios threads: the sleeping thread" &&
    expect_out $g '^#3  0x[0-9a-f]+ in bystander_waits\+0x[0-9a-f]+ at ' "minios bt from the core" &&
    pass $t
}

# The converter's view of struct vcpu_guest_context is the installed
# headers' (a Xen whose layout changed would give garbage registers).
core_layout_matches_headers() {
    local prog=$TEST_OUT/$1-layout
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' '#include <stdio.h>' '#include <xen/xen.h>' \
        'int main(void) { printf("%zu %zu %zu %zu %zu %zu\n", sizeof(struct vcpu_guest_context),' \
        '  offsetof(struct vcpu_guest_context, user_regs), offsetof(struct vcpu_guest_context, ctrlreg),' \
        '  offsetof(struct vcpu_guest_context, fs_base), offsetof(struct vcpu_guest_context, gs_base_kernel),' \
        '  offsetof(struct cpu_user_regs, rip)); return 0; }' > "$prog.c"
    local want got
    want=$(gcc -o "$prog" "$prog.c" && "$prog") || { fail "$1" "cannot build the layout probe"; return 1; }
    got=$(python3 -c 'import runpy; m = runpy.run_path("scripts/xen-core-to-elf.py")
print(m["CTX_SIZE"], m["CTX_USER_REGS"], m["CTX_CTRLREG"], m["CTX_FS_BASE"], m["CTX_GS_BASE_KERNEL"], m["REGS_RIP"])')
    [ "$want" = "$got" ] ||
        { fail "$1" "xen-core-to-elf.py's vcpu_guest_context offsets ($got) are not the headers' ($want)"; return 1; }
}

# Big images (tests/guest.sh, test_big_image) as a domU: xl's domain
# builder lays the boot region out as Xen's dom0 builder does, with the
# console and xenstore rings in it too.  1 MiB at 440 MiB puts the kernel's
# reserved table frames across the end of that region (the case that
# panicked); 8 MiB, the largest, at xl's 32, as PV and then as PVH in the
# same dom0 boot (--pvh-too), where the image reaches past what
# pvh/head.S once mapped at entry (4 MiB: it triple-faulted) and Xen's
# hvm_start_info follows it.
test_domu_big_image() {
    local t=domu-big-image-1M-mem-440
    build_app $t tests/guest/big_image BIG_IMAGE_MB=1 || return
    boot_domu $t build/big_image/minios.elf --mem 440
    big_image_results $t 1 PV
    t=domu-big-image-8M-mem-32
    build_app $t tests/guest/big_image BIG_IMAGE_MB=8 || return
    boot_domu $t build/big_image/minios.elf --mem 32 --pvh-too
    big_image_results $t 8 PV
    status=$status_pvh
    big_image_results $t-pvh 8 PVH
}

# big_image_results NAME MIB PV|PVH
big_image_results() {
    expect_status $1 0 &&
        expect_out $1 "^minios [0-9.]+ \\(x86_64 $3\\) on Xen " "the banner's $3 line" &&
        expect_out $1 '^  domU, ' "the banner's domU line" &&
        expect_out $1 "^big image: $2 MiB of rodata at 0x[0-9a-f]+, sum 255\$" "the data read back" &&
        pass $1
}

# Thread-local storage as a domU on 4 vCPUs: the TLS tests in one boot,
# as PV, then as PVH in the same dom0 (--pvh-too).  The domU machine's CPU
# (qemu64) has no FSGSBASE, so Xen's set_segment_base hypercall sets the
# thread pointer as PV, and wrmsr (ring 0) as PVH.
test_domu_tls() {
    local t=domu-tls
    build_app $t tests/guest/tls || return
    boot_domu $t build/tls/minios.elf --vcpus 4 --timeout 300 --pvh-too
    suite_results $t "domu/tls/"
    expect_out $t "^  tls: [0-9]+ bytes above each thread's stack, thread pointer set by set_segment_base\$" \
        "the thread pointer set by set_segment_base" && pass "domu/tls/banner"
    t=domu-tls-pvh status=$status_pvh
    suite_results $t "domu/pvh/tls/"
    expect_out $t "^  tls: [0-9]+ bytes above each thread's stack, thread pointer set by wrmsr\$" \
        "the thread pointer set by wrmsr" && pass "domu/pvh/tls/banner"
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

# A console backend that stops reading (a dom0 hook stops xenconsoled for
# 7 s: tests/guest/flood/dom0-stall.sh): the guest waits 5 s, then drops and counts
# until the backend is back, says how many bytes it dropped, and carries
# on.  The lines missing must add up to that count, the rest arrive whole
# and in order, and the run ends normally.
test_domu_console_stall() {
    local t=domu-console-stall lines=800
    build_app $t tests/guest/flood || return
    boot_domu $t build/flood/minios.elf --dom0-hook tests/guest/flood/dom0-stall.sh -- $lines 4
    expect_status $t 0 && expect_out $t '^dom0-hook: xenconsoled goes on$' "the stall's end" &&
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
    last=$(grep -av -e '^run-domu: ' -e '^dom0-hook: ' "$TEST_OUT/$t.out" | tail -n 1)
    if [ "$last" != "minios: exit status 0" ]; then
        fail $t "the last line is '$last', not the exit line" "$TEST_OUT/$t.out"
    else
        pass "$t (${report#ok } bytes dropped and counted)"
    fi
}

# ---- xenstore (docs/domu.md, "xenstore") ----------------------------------

# The suite's xenstore tests as a domU on two vCPUs: requests from threads
# on both, watches, transactions, permissions, errors; and its grant-table
# tests (the toolstack has filled entries 0 and 1, the table's limit is
# xl's, and our domain id is not 0).  Also the banner's identity line,
# which only a domU has, and the test names through the xl config.  Then
# the same as a PVH domU in the same dom0 boot (--pvh-too).
XS_SUITE_TESTS=(test_xs_identity test_xs_read_write test_xs_directory_rm test_xs_permissions
    test_xs_transaction test_xs_concurrent test_xs_watch test_xs_watch_flood test_xs_lying_peer
    test_gnttab_self_map test_gnttab_readonly test_gnttab_copy test_gnttab_reserved
    test_gnttab_exhaustion)

test_domu_xenstore_suite() {
    local t=domu-xenstore
    build_app $t tests/guest/suite || return
    boot_domu $t build/suite/minios.elf --vcpus 2 --timeout 300 --pvh-too -- \
        "${XS_SUITE_TESTS[@]}"
    xenstore_suite_results $t "domu/" PV 2
    status=$status_pvh
    xenstore_suite_results $t-pvh "domu/pvh/" PVH 2
}

# xenstore_suite_results NAME PREFIX PV|PVH VCPUS: the banner, each lie's
# refusal, and the suite's results.
xenstore_suite_results() {
    local t=$1 prefix=$2 banner=$3 v=$4
    expect_out $t "^minios [0-9.]+ \\(x86_64 $banner\\) on Xen 4\\.17" "the banner's $banner version line" &&
    expect_out $t "^  domU, [1-9][0-9]* pages \\([0-9]+ MiB\\), $v vCPUs \\($v up\\)\$" \
        "the banner's domU line with $v vCPUs" &&
    expect_out $t '^  domU [1-9][0-9]* "minios", vm /vm/[0-9a-f-]{36}$' \
        "the banner's identity line" &&
    expect_out $t '^  cmdline: "test_xs_identity test_xs_read_write ' "the test names from the xl config" &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    pass $t-banner
    # test_xs_lying_peer's refusals, each one line (drivers/xenstore/xenstore*.c).
    expect_out $t '^xenstore: dropped a READ reply \(req 2147483647\): no request is waiting for it$' \
        "a stray reply dropped" &&
    expect_out $t '^xenstore: the reply to READ \(req [0-9]+\) is a WRITE: rejected$' \
        "a reply of the wrong type refused" &&
    expect_out $t '^xenstore: READ \(req [0-9]+\) failed with "EWHATEVER"$' \
        "an unknown error name reported" &&
    expect_out $t '^xenstore: a watch event has a token we never gave \("somebody-else"\): dropped$' \
        "a foreign watch token dropped" &&
    expect_out $t '^xenstore: a watch event is not "path NUL token NUL": dropped$' \
        "a torn watch event dropped" &&
    expect_out $t '^xenstore: connection lost: a reply header claims more than 4096 bytes; every call now fails with EIO$' \
        "the framing error ending the connection" &&
    pass $t-lies
    suite_results $t "$prefix"
}

# A guest and a dom0 script talking through xenstore, then `xl shutdown`
# (or, with "reboot", `xl reboot`) ending the guest through its
# control/shutdown watch, after the application's hook
# (tests/guest/xenstore_app/: main.c in the guest, dom0-hook.sh in dom0).
# The reboot runs the guest as PVH (docs/pvh.md): the same steps with the
# rings from HVM parameters and events through the callback vector, and a
# PVH domain's reboot as xl sees it (reason code 1); PV keeps `xl reboot`
# in domu-stuck-spin.
test_domu_xenstore_app() {
    local t=domu-xenstore-app ending=${1:-poweroff}
    build_app $t tests/guest/xenstore_app || return
    if [ "$ending" = reboot ]; then
        t=domu-pvh-xenstore-reboot
        boot_domu $t build/xenstore_app/minios.elf --pvh \
            --dom0-hook tests/guest/xenstore_app/dom0-hook.sh -- reboot
        # A reboot is not an exit status: run-domu.sh reports it as a crash.
        expect_status $t 126 &&
        expect_out $t '^minios [0-9.]+ \(x86_64 PVH\) on Xen 4\.17' "the banner's PVH version line" &&
        expect_xenstore_app_steps $t &&
        expect_log $t '^Domain [0-9]+ has shut down, reason code 1 ' "xl seeing a reboot" &&
        expect_out $t '^minios: the toolstack asks for a reboot$' "the reboot request" &&
        expect_out $t '^xenstore-app: shutdown hook: reboot$' "the application's hook" &&
        expect_out $t '^minios: rebooting$' "the reboot" &&
        expect_out $t '^dom0-hook: xl reboot sent$' "dom0 sending xl reboot" &&
        pass "$t (rings from HVM parameters, xl reboot)"
        return
    fi
    boot_domu $t build/xenstore_app/minios.elf --dom0-hook tests/guest/xenstore_app/dom0-hook.sh
    expect_status $t 0 &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    expect_xenstore_app_steps $t &&
    expect_out $t '^minios: the toolstack asks for poweroff$' "the shutdown request" || return
    # The hook runs before the exit, which comes last.
    local hook exit
    hook=$(grep -an '^xenstore-app: shutdown hook: poweroff$' "$TEST_OUT/$t.out" | cut -d: -f1)
    exit=$(grep -an '^minios: exit status 0$' "$TEST_OUT/$t.out" | cut -d: -f1)
    if [ -z "$hook" ] || [ -z "$exit" ] || [ "$hook" -ge "$exit" ]; then
        fail $t "the shutdown hook's line (${hook:-none}) does not come before the exit line (${exit:-none})" \
            "$TEST_OUT/$t.out"
        return
    fi
    pass $t
}

# What the guest and dom0-hook.sh say before the ending, in either mode.
expect_xenstore_app_steps() {
    local t=$1
    expect_out $t '^  domU [1-9][0-9]* "minios", vm /vm/' "the banner's identity line" &&
    expect_out $t '^xenstore-app: domid ([1-9][0-9]*) \(Xen says \1\), name "minios"$' \
        "the domid and name from xenstore" &&
    expect_out $t '^dom0-hook: data/hello: hello from domU [1-9][0-9]*$' "dom0 reading the guest's key" &&
    expect_out $t '^xenstore-app: ping "ping-[0-9]+-[0-9]+" answered$' "the guest's watch firing" &&
    expect_out $t '^dom0-hook: data/pong answers data/ping$' "dom0 seeing the answer" &&
    expect_out $t '^minios: sysrq x not supported$' "the sysrq request answered" &&
    expect_out $t '^dom0-hook: control/sysrq cleared$' "the sysrq key cleared" &&
    expect_out $t '^minios: suspend not supported; the request is left unanswered$' \
        "the suspend request declined" &&
    expect_out $t '^dom0-hook: suspend left unacknowledged$' "control/shutdown left alone" &&
    expect_out $t '^dom0-hook: feature keys: poweroff, reboot$' "the feature keys" &&
    expect_out $t '^dom0-hook: exit status 0$' "the dom0 hook ending well" &&
    expect_no_out $t '^xenstore: .*(connection lost|dropped|rejected|failed|no reply)' "xenstore error"
}

test_domu_xenstore_reboot() {
    test_domu_xenstore_app reboot
}

# ---- ending a stuck program (docs/domu.md, "When the toolstack asks") ------
# tests/guest/stuck/ with its dom0 hook: the guest gets itself stuck, says
# so on its console, and dom0 sends `xl shutdown` or `xl reboot` and times
# the domain's end.  Within the bound docs/domu.md states (5 s for the
# application's hook and exit, then at most 5 s for the console's last
# drain, counted from the request), with xl's reason code saying poweroff
# (0) or reboot (1).

# stuck_times NAME: from the hook's "the domain shut down A s after the
# guest took the request (B s after xl X started)", sets $after_taken and
# $after_start.
stuck_times() {
    local line
    line=$(grep -a '^dom0-hook: the domain shut down ' "$TEST_OUT/$1.out")
    after_taken=$(echo "$line" | sed -n 's/.* down \([0-9.]*\) s after the guest took the request .*/\1/p')
    after_start=$(echo "$line" | sed -n 's/.* (\([0-9.]*\) s after xl [a-z]* started)$/\1/p')
    if [ -z "$after_taken" ] || [ -z "$after_start" ]; then
        fail "$1" "no timing from the dom0 hook" "$TEST_OUT/$1.out"
        return 1
    fi
}

# at_most NAME SECONDS LIMIT WHAT / at_least ...: compares decimal seconds.
at_most() {
    awk -v s="$2" -v l="$3" 'BEGIN { exit !(s <= l) }' && return 0
    fail "$1" "$4 took $2 s, more than $3 s" "$TEST_OUT/$1.out"
    return 1
}
at_least() {
    awk -v s="$2" -v l="$3" 'BEGIN { exit !(s >= l) }' && return 0
    fail "$1" "$4 took $2 s, less than $3 s" "$TEST_OUT/$1.out"
    return 1
}

# Main asleep in fgets(stdin), holding stdin's lock (the first report of
# this: exit(0) then waited for that lock forever).  Nothing here needs the
# time limit: the hook and the whole exit(0) run, at once.
test_domu_stuck_fgets() {
    local t=domu-stuck-fgets
    build_app $t tests/guest/stuck || return
    boot_domu $t build/stuck/minios.elf --timeout 120 \
        --dom0-hook tests/guest/stuck/dom0-hook.sh -- fgets shutdown
    expect_status $t 0 &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    expect_in_order $t "the request, the hook, the atexit handler, the exit line" \
        '^minios: the toolstack asks for poweroff$' '^stuck: shutdown hook: poweroff, on vCPU 0$' \
        '^stuck: atexit handler ran$' '^minios: exit status 0$' &&
    expect_no_out $t '^minios: .* after 5 s: ending without it$' "end by the time limit" &&
    stuck_times $t && at_most $t "$after_taken" 5 "the end" || return
    pass "$t (ended ${after_taken} s after taking the request)"
}

# Threads deadlocked on two mutexes, one holding its stdout's lock over an
# unterminated line, and a hook that waits for one of the mutexes: after
# 5 s the kernel ends the domain without the hook, writes the line whose
# lock is free and counts the held one as dropped.
test_domu_stuck_deadlock() {
    local t=domu-stuck-deadlock
    build_app $t tests/guest/stuck || return
    boot_domu $t build/stuck/minios.elf --timeout 120 \
        --dom0-hook tests/guest/stuck/dom0-hook.sh -- deadlock shutdown
    expect_status $t 0 &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 0 ' "xl seeing a poweroff" &&
    expect_in_order $t "the hook stuck, the time limit, the end" \
        '^stuck: deadlock: the holder left 60 bytes under its lock$' \
        '^minios: the toolstack asks for poweroff$' \
        '^stuck: shutdown hook: waiting for mutex a, which a deadlocked thread holds$' \
        '^minios: minios_on_shutdown\(\) has not returned after 5 s: ending without it$' \
        '^minios: exit status 0$' &&
    expect_out $t '^minios: 60 bytes buffered for a stream on fd 1 dropped: another thread holds its lock$' \
        "the held line counted as dropped" &&
    expect_out $t '^stuck: loose: this unterminated line must still come out$' \
        "the unlocked line written, whole" &&
    expect_no_out $t 'this line stays in a buffer whose lock I hold' "bytes taken from under a held lock" &&
    expect_no_out $t '^stuck: atexit handler ran$' "atexit handlers after the time limit" &&
    stuck_times $t && at_least $t "$after_start" 5 "the end (the hook's 5 s)" &&
    at_most $t "$after_taken" 10 "the end" || return
    pass "$t (ended ${after_taken} s after taking the request)"
}

# A thread pinned to vCPU 0 spins and never yields; the xenstore event
# arrives on vCPU 0, but the work it wakes runs on vCPU 1; `xl reboot`.
test_domu_stuck_spin() {
    local t=domu-stuck-spin
    build_app $t tests/guest/stuck || return
    boot_domu $t build/stuck/minios.elf --vcpus 2 --timeout 120 \
        --dom0-hook tests/guest/stuck/dom0-hook.sh -- spin reboot
    # A reboot is not an exit status: run-domu.sh reports it as a crash.
    expect_status $t 126 &&
    expect_log $t '^Domain [0-9]+ has shut down, reason code 1 ' "xl seeing a reboot" &&
    expect_in_order $t "the spinner, the request, the hook on the other vCPU, the reboot" \
        '^stuck: spin: spinning on vCPU 0, never yielding$' \
        '^minios: the toolstack asks for a reboot$' '^stuck: shutdown hook: reboot, on vCPU 1$' \
        '^minios: rebooting$' &&
    expect_no_out $t '^minios: .* after 5 s: ending without it$' "end by the time limit" &&
    stuck_times $t && at_most $t "$after_taken" 5 "the end" || return
    pass "$t (2 vCPUs; ended ${after_taken} s after taking the request)"
}

# The limit (docs/domu.md): with one vCPU, a thread that never yields keeps
# every kernel thread off it, the request is never even read, and xl waits
# for an acknowledgement that does not come; the hook destroys the domain.
test_domu_stuck_spin_one_vcpu() {
    local t=domu-stuck-spin-1-vcpu
    build_app $t tests/guest/stuck || return
    boot_domu $t build/stuck/minios.elf --timeout 120 \
        --dom0-hook tests/guest/stuck/dom0-hook.sh -- spin shutdown
    # Destroyed, the domain has no reason code: run-domu.sh's harness error.
    expect_status $t 128 &&
    expect_out $t '^stuck: spin: ready for xl shutdown$' "the spinner" &&
    expect_out $t '^dom0-hook: still running 12 s after xl shutdown started, the request not taken: destroying it$' \
        "dom0 giving up and destroying the guest" &&
    expect_no_out $t '^minios: the toolstack asks' "the request read" &&
    pass "$t (a limit: not ended from inside; xl destroy ends it)"
}

# The domU harness's packages; without them nothing here can run.
gate() {
    scripts/deps.sh domu > "$TEST_OUT/domu-deps.out" 2>&1 ||
        { fail domu "missing Debian packages for the domU harness" "$TEST_OUT/domu-deps.out"; return 1; }
}
