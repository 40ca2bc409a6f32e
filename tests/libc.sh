# Applications on minios (issue: newlib, POSIX threads, linking): the C
# library and pthreads checked from inside the guest, the ways a program
# ends, a print storm across vCPUs, the examples in apps/, and an
# application built outside the tree.  Boots under real Xen (dom0 in QEMU).
# Sourced by tests/check.sh.

test_libc() {
    build_app libc tests/guest/libc || return
    # The leading NAME=VALUE word is the environment (getenv checks it).  Two
    # vCPUs: the fd and file tests run threads on both (min_cpus = 2).
    boot libc build/libc/minios.elf --vcpus 2 --timeout 300 -- MINIOS_TEST_ENV=yes
    suite_results libc "libc/"
}

# At 4 vCPUs as PV, and the same image as a PVH dom0 (docs/pvh.md).
test_pthread() {
    build_app pthread tests/guest/pthread || return
    boot pthread-4 build/pthread/minios.elf --vcpus 4 --timeout 300
    suite_results pthread-4 "pthread/vcpus=4/"
    boot pthread-pvh-4 build/pthread/minios.elf --pvh --vcpus 4 --timeout 300
    suite_results pthread-pvh-4 "pthread/pvh/vcpus=4/"
}

# Thread-local storage (tests/guest/tls): at 1 and 4 vCPUs with the CPU's
# wrfsbase, and at 2 on a CPU without FSGSBASE, where only Xen's
# set_segment_base hypercall can set the thread pointer.  The banner must
# name the means each configuration expects.
test_tls() {
    build_app tls tests/guest/tls || return
    local config v method flags t
    for config in "1 wrfsbase" "4 wrfsbase" "2 set_segment_base -fsgsbase"; do
        read -r v method flags <<< "$config"
        t=tls-$v-$method
        boot $t build/tls/minios.elf --vcpus $v ${flags:+--cpu-flags $flags} --timeout 300
        suite_results $t "tls/vcpus=$v/$method/"
        expect_out $t "^  tls: [0-9]+ bytes above each thread's stack, thread pointer set by $method\$" \
            "the thread pointer set by $method" && pass "tls/vcpus=$v/$method/banner"
    done
}

test_libc_exit() {
    build_app libc-exit tests/guest/libc_exit || return
    # A handler's line completes what the program left unterminated.
    local handlers=('atexit handler 3$' '^atexit handler 2$' '^atexit handler 1$'
                    '^minios: exit status')
    local t=libc-exit-return
    boot $t build/libc_exit/minios.elf --timeout 60 -- return 5
    expect_status $t 5 &&
    expect_in_order $t "unterminated line, atexit handlers in reverse order, exit line" \
        '^main: returning 5 with this line unterminatedatexit handler 3$' "${handlers[@]:1}" &&
    pass $t

    t=libc-exit-from-thread
    boot $t build/libc_exit/minios.elf --timeout 60 -- thread-exit 7
    expect_status $t 7 &&
    expect_in_order $t "the thread's unterminated line, the handlers, exit line" \
        '^thread: calling exit\(7\) with this line unterminatedatexit handler 3$' "${handlers[@]:1}" &&
    expect_no_out $t '^main: the join returned' "main running on after exit()" &&
    pass $t

    # exit() while main sleeps in fgets(stdin) holding stdin's lock, and a
    # thread holds its own stream's lock over an unterminated line: the
    # program ends all the same, the held bytes are counted as dropped.
    # (An empty --input: no input and no end of file, unlike /dev/null.)
    t=libc-exit-while-fgets
    : > "$TEST_OUT/$t.in"
    boot $t build/libc_exit/minios.elf --input "$TEST_OUT/$t.in" --timeout 60 -- fgets-exit 6
    expect_status $t 6 &&
    expect_in_order $t "exit() from a thread, the handlers, the dropped bytes, the exit line" \
        '^thread: calling exit\(6\) while main waits in fgets \(holder left 53 bytes\)$' \
        "${handlers[@]:0:3}" \
        '^minios: 53 bytes buffered for a stream on fd 1 dropped: another thread holds its lock$' \
        '^minios: exit status 6$' &&
    expect_no_out $t 'holder: this line stays' "bytes written from under a lock another thread holds" &&
    expect_no_out $t '^main: fgets returned' "main running on after exit()" &&
    pass $t

    t=libc-exit-pthread-exit
    boot $t build/libc_exit/minios.elf --timeout 60 -- pthread-exit
    expect_status $t 0 &&
    expect_in_order $t "main's pthread_exit, the worker outliving it, the handlers" \
        '^main: calling pthread_exit$' '^worker: still running after' "${handlers[@]}" &&
    pass $t

    t=libc-exit-partial-line
    boot $t build/libc_exit/minios.elf --timeout 60 -- partial
    expect_status $t 0 &&
    expect_out $t '^main: the last words, unterminated$' "the unterminated last line, whole" &&
    expect_out $t '^minios: exit status 0$' "the exit line on a line of its own" &&
    pass $t

    t=libc-exit-abort
    boot $t build/libc_exit/minios.elf --timeout 60 -- abort
    expect_status $t 126 &&
    expect_out $t '^minios: PANIC: killed by signal 6 \(SIGABRT\): abort\(\) was called$' \
        "the crash report naming SIGABRT" &&
    expect_out $t '^  \[ *[0-9]+\] [0-9a-f]{16} <main\+0x' "main in the backtrace" &&
    expect_no_out $t '^atexit handler' "atexit handlers run by abort()" &&
    pass $t

    # A CPU without RDRAND or RDSEED: getentropy fails with ENOSYS, the
    # console says why once, and arc4random's SIGKILL is a crash report.
    t=libc-no-entropy
    local why="the CPU has neither RDRAND nor RDSEED \\(Xen's CPUID\\)"
    boot $t build/libc_exit/minios.elf --cpu-flags -rdrand,-rdseed --timeout 60 -- no-entropy
    expect_status $t 126 &&
    expect_in_order $t "the reason, ENOSYS, then the crash from arc4random" \
        "^minios: no entropy: $why; getentropy/getrandom fail and arc4random\\(\\) ends the program$" \
        '^main: getentropy returned -1, errno 88 \(ENOSYS\)$' \
        '^minios: PANIC: killed by signal 9 \(SIGKILL\)$' &&
    expect_out $t '^  \[ *[0-9]+\] [0-9a-f]{16} <arc4random\+0x' "arc4random in the backtrace" &&
    expect_no_out $t 'it should have ended the program' "arc4random returning" &&
    pass $t

    # The heap takes all it can before the first printf: the kernel keeps
    # its reserve, so stdio, a thread and a memory stream still work.
    t=libc-oom-printf
    boot $t build/libc_exit/minios.elf --mem 32 --timeout 60 -- oom-printf
    expect_status $t 0 &&
    expect_out $t '^main: malloc took [0-9]+ KiB, then failed with errno [0-9]+ \(ENOMEM\)$' \
        "the first printf after malloc failed" &&
    expect_out $t '^main: fmemopen (worked|failed \(errno [1-9][0-9]*\))$' \
        "fmemopen working or failing" &&
    expect_out $t '^main: pthread_create returned (0|11)$' "pthread_create working or EAGAIN" &&
    expect_out $t '^main: after freeing it all, malloc\(1 MiB\) works$' "malloc recovering" &&
    expect_no_out $t 'PANIC' "a panic" &&
    pass "$t ($(grep -aoE 'took [0-9]+ KiB' "$TEST_OUT/$t.out") of 32 MiB)"

    # Heap misuse found by newlib's patched free(): a crash naming the bug
    # and the function that called free(), with a backtrace through main.
    local c kind bug fn
    for c in 'double-free|double free|free_twice' 'bad-free stack|invalid pointer|free_bad' \
             'bad-free inside|invalid pointer|free_bad' \
             'overrun|corrupted header after the block|overrun_and_free'; do
        IFS='|' read -r kind bug fn <<< "$c"
        t=libc-heap-${kind// /-}
        boot $t build/libc_exit/minios.elf --timeout 60 -- $kind
        expect_status $t 126 &&
        expect_out $t "^minios: PANIC: heap: $bug.*: free\\(0x[0-9a-f]+\\) called from $fn\\+0x" \
            "the report naming the bug and the caller" &&
        expect_out $t '^  \[ *[0-9]+\] [0-9a-f]{16} <main\+0x' "main in the backtrace" &&
        expect_no_out $t 'not caught' "the program going on" &&
        pass $t
    done
}

test_print_storm() {
    local t=print-storm
    build_app $t tests/guest/print_storm || return
    boot $t build/print_storm/minios.elf --vcpus 4 --timeout 300
    expect_status $t 0 && expect_out $t '^print storm: done$' "the end of the storm" || return
    local report
    if report=$(awk -f tests/print-storm.awk "$TEST_OUT/$t.out"); then
        pass "$t (8 threads x 1000 lines on 4 vCPUs, all whole and in order; ${report#ok } thread switches between lines)"
    else
        fail $t "$(echo $report)" "$TEST_OUT/$t.out"
    fi
}

# The examples do what their comments say.
test_examples() {
    local t=example-smp-demo
    build_app $t apps/smp_demo || return
    boot $t build/smp_demo/minios.elf --vcpus 4 --timeout 300
    expect_status $t 0 &&
    expect_out $t '^283146 primes below 4000000 \(expected 283146\) in [0-9.]+ s$' "the right count" &&
    expect_out $t '^ +[0-9]+ +[0-9]+ +[0-9]+   ([0-3] )*[1-3] ' "a worker on a vCPU other than 0" &&
    pass "$t ($(grep -aoE 'in [0-9.]+ s$' "$TEST_OUT/$t.out") on 4 vCPUs; stripped image $(stripped_size build/smp_demo/minios.elf) bytes)"

    t=example-options
    build_app $t apps/options || return
    boot $t build/options/minios.elf --timeout 60 -- GREETING=Hi NAME=Xen --count=2 --shout extra words
    expect_status $t 0 &&
    expect_out $t '^  GREETING=Hi$' "the environment" &&
    expect_in_order $t "two shouted greetings, then the arguments" '^Hi, Xen!$' '^Hi, Xen!$' \
        '^argument: extra$' '^argument: words$' &&
    pass $t

    t=example-options-usage
    boot $t build/options/minios.elf --timeout 60 -- --bogus
    expect_status $t 2 && expect_out $t '^usage: ' "the usage line" && pass $t
}

# An app.mk adding a define, a source in a subdirectory and a library.
test_app_mk() {
    local t=app-mk
    build_app $t tests/guest/app_mk || return
    boot $t build/app_mk/minios.elf --timeout 60
    expect_status $t 0 &&
    expect_out $t '^app.mk: define set by app.mk, part says 42, library says 7$' \
        "the define, the extra source and the library at work" &&
    pass $t
}

