# newlib (build/newlib/): built once with `make newlib` (about a minute the
# first time, then reused), then checked on the host without booting
# anything.  The expected symbol lists are docs/newlib-glue.md's contract:
# change both together.  Sourced by tests/check.sh.

NEWLIB=build/newlib
NEWLIB_PROBE=$TEST_OUT/newlib
GCC_INC=$(gcc -print-file-name=include)

# What tests/newlib/probe.c (stdio, malloc, strtod, qsort, errno) leaves
# undefined: the system calls the kernel must provide.
NEWLIB_UNDEFINED="__malloc_corrupt _exit close fstat getpid isatty kill lseek read sbrk write"

# What the kernel replaces newlib's single-threaded placeholders with: all of
# them, or the link fails with duplicate definitions.
NEWLIB_OVERRIDES="__getreent
__lock___arc4random_mutex __lock___at_quick_exit_mutex __lock___atexit_recursive_mutex
__lock___dd_hash_mutex __lock___env_recursive_mutex __lock___malloc_recursive_mutex
__lock___sfp_recursive_mutex __lock___tz_mutex
__retarget_lock_acquire __retarget_lock_acquire_recursive __retarget_lock_close
__retarget_lock_close_recursive __retarget_lock_init __retarget_lock_init_recursive
__retarget_lock_release __retarget_lock_release_recursive __retarget_lock_try_acquire
__retarget_lock_try_acquire_recursive"

# A budget for what printf + malloc pull in (text + data): the image target
# is 256 KiB with newlib's printf, 64 KiB of which for the kernel.
NEWLIB_PRINTF_BUDGET=$((192 * 1024))

words() { tr ' ' '\n' | grep -v '^$' | sort; }

# The build, its headers and libraries, and the configure options in effect.
# The build the other checks read; they run only if it worked.
gate() {
    local t=newlib-build started=$SECONDS
    if ! make -s newlib > "$TEST_OUT/$t.out" 2>&1; then
        fail $t "make newlib failed" "$TEST_OUT/$t.out"
        return 1
    fi
    local f missing=""
    for f in include/stdio.h include/stdlib.h include/math.h include/sys/reent.h \
        include/sys/lock.h include/newlib.h lib/libc.a lib/libm.a; do
        [ -s "$NEWLIB/$f" ] || missing+=" $f"
    done
    if [ -n "$missing" ]; then
        fail $t "missing from $NEWLIB:$missing"
        return 1
    fi
    local m
    for m in _WANT_IO_LONG_LONG _WANT_IO_C99_FORMATS _RETARGETABLE_LOCKING; do
        grep -q "^#define $m 1" "$NEWLIB/include/newlib.h" ||
            { fail $t "newlib.h does not define $m: configure option lost"; return 1; }
    done
    local how="cached: built in $(cat $NEWLIB/build-seconds 2>/dev/null || echo '?') s"
    grep -q '^newlib: built in' "$TEST_OUT/$t.out" && how="built in $((SECONDS - started)) s"
    pass "$t ($how; libc.a $(($(stat -c %s $NEWLIB/lib/libc.a) / 1024)) KiB, libm.a $(($(stat -c %s $NEWLIB/lib/libm.a) / 1024)) KiB)"
}

# Every C file of the library was compiled with the flags Xen needs: gcc
# records them in each compilation unit's DW_AT_producer.
test_newlib_flags() {
    local t=newlib-flags
    readelf --debug-dump=info --dwarf-depth=1 $NEWLIB/lib/libc.a $NEWLIB/lib/libm.a 2>/dev/null |
        sed -n 's/.*DW_AT_producer *: *(.*): //p' | grep '^GNU C' > "$TEST_OUT/$t.out"
    local n bad flag
    n=$(wc -l < "$TEST_OUT/$t.out")
    if [ "$n" -lt 900 ]; then
        fail $t "only $n C compilation units with debug info in libc.a + libm.a" "$TEST_OUT/$t.out"
        return 1
    fi
    for flag in -mno-red-zone -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-pie \
        -fno-stack-protector; do
        bad=$(grep -cv -- " $flag\( \|$\)" "$TEST_OUT/$t.out")
        [ "$bad" -eq 0 ] || { fail $t "$bad of $n units compiled without $flag" "$TEST_OUT/$t.out"; return 1; }
    done
    local what="no red zone, frame pointers (leaf functions too), no PIE, no stack protector"
    pass "$t ($n units: $what)"
}

# No host C library header went into the library or into a program compiled
# against it: the library's debug line tables name only newlib's own tree
# (mapped to /usr/src/newlib) and gcc's freestanding headers, and the probe
# includes nothing else but ours (<sys/types.h> brings in our pthread types).
test_newlib_headers() {
    local t=newlib-headers
    readelf --debug-dump=line $NEWLIB/lib/libc.a $NEWLIB/lib/libm.a 2>/dev/null | awk '
        /The Directory Table/ { d = 1; next }
        /The File Name Table/ { d = 0; f = 1; next }
        /^ *$/ { f = 0 }
        d && $1 ~ /^[0-9]+$/ { print $NF }
        f && $1 ~ /^[0-9]+$/ && $NF ~ /^\// { print $NF }' | sort -u |
        xargs -r realpath -ms -- | sort -u > "$TEST_OUT/$t.out"   # resolve "a/../b"
    local n leaked
    n=$(wc -l < "$TEST_OUT/$t.out")
    leaked=$(grep -v -e '^/usr/src/newlib/' -e "^$GCC_INC\$" "$TEST_OUT/$t.out" | head -n 3)
    if [ "$n" -lt 20 ]; then
        fail $t "only $n directories in libc.a's line tables: no debug info?" "$TEST_OUT/$t.out"
    elif [ -n "$leaked" ]; then
        fail $t "libc.a/libm.a built with headers from: $(echo $leaked)" "$TEST_OUT/$t.out"
    elif ! make -s newlib-check > "$TEST_OUT/newlib-check.out" 2>&1; then
        fail $t "make newlib-check failed" "$TEST_OUT/newlib-check.out"
    elif leaked=$(grep -v -e "^$NEWLIB/include/" -e "^$GCC_INC/" -e "^build/sysroot/include/" \
            -e "^$PWD/include/minios/" -e "^$PWD/include/posix/" "$NEWLIB_PROBE/headers"); then
        fail $t "the probe included: $(echo $leaked)" "$NEWLIB_PROBE/headers"
    elif ! grep -q "^$NEWLIB/include/stdio.h\$" "$NEWLIB_PROBE/headers"; then
        fail $t "the probe did not include newlib's stdio.h" "$NEWLIB_PROBE/headers"
    else
        pass "$t ($n header directories, all newlib's or gcc's; probe: $(wc -l < "$NEWLIB_PROBE/headers") headers)"
    fi
}

# The contract with the kernel (docs/newlib-glue.md) still holds.
test_newlib_symbols() {
    local t=newlib-symbols
    if [ ! -f "$NEWLIB_PROBE/undefined" ]; then
        fail $t "no probe result (make newlib-check)" "$TEST_OUT/newlib-check.out"
        return 1
    fi
    local got want extra
    got=$(words < "$NEWLIB_PROBE/undefined")
    want=$(echo "$NEWLIB_UNDEFINED" | words)
    if [ "$got" != "$want" ]; then
        fail $t "undefined symbols changed: got '$(echo $got)', expected '$(echo $want)'" \
            "$TEST_OUT/newlib-check.out"
        return 1
    fi
    extra=$(comm -23 <(words < "$NEWLIB_PROBE/defaults") <(echo "$NEWLIB_OVERRIDES" | tr ' ' '\n' | words))
    if [ -n "$extra" ]; then
        fail $t "newlib placeholders the contract does not list: $(echo $extra)" \
            "$TEST_OUT/newlib-check.out"
        return 1
    fi
    # The placeholders define exactly the documented set (all-or-nothing).
    got=$(nm --defined-only $NEWLIB/lib/libc.a 2>/dev/null | awk '
        /^libc_a-(lock|getreent)\.o:$/ { m = 1; next } /:$/ { m = 0 } m && NF == 3 { print $3 }' | words)
    want=$(echo "$NEWLIB_OVERRIDES" | tr ' ' '\n' | words)
    if [ "$got" != "$want" ]; then
        fail $t "lock.o + getreent.o define '$(echo $got)', contract lists '$(echo $want)'"
        return 1
    fi
    pass "$t (kernel provides: $(echo $NEWLIB_UNDEFINED); overrides $(echo "$want" | wc -l) placeholders)"
}

# What a printf("%d\n") + malloc program costs.
test_newlib_size() {
    local t=newlib-size
    local text data
    read -r text data _ < <(awk '$1 == "printf_malloc.elf" {print $2, $3, $4}' "$NEWLIB_PROBE/sizes" 2>/dev/null)
    if [ -z "${text:-}" ]; then
        fail $t "no size for printf_malloc.elf" "$TEST_OUT/newlib-check.out"
    elif [ $((text + data)) -gt $NEWLIB_PRINTF_BUDGET ]; then
        fail $t "printf + malloc pull in $((text + data)) bytes, budget $NEWLIB_PRINTF_BUDGET" \
            "$TEST_OUT/newlib-check.out"
    else
        pass "$t (printf + malloc: $text text + $data data bytes, budget $((NEWLIB_PRINTF_BUDGET / 1024)) KiB)"
    fi
}


# The application's namespace: after every C library header, a program may
# define the kernel's names itself (tests/newlib/namespace.c), in C89 too.
test_newlib_namespace() {
    local t=newlib-namespace
    if make -s header-check > "$TEST_OUT/$t.out" 2>&1; then
        pass "$t (-std=$(sed -n 's/^header-check: //p' "$TEST_OUT/$t.out" | sed 's/ /, /g'))"
    else
        fail $t "a C library header defines a name the program may use" "$TEST_OUT/$t.out"
    fi
}
