# The kit for applications built elsewhere (make install; docs/applications.md):
# it installs, it exports exactly the public API, and an application built
# outside the tree with its Makefile or with pkg-config boots and passes.
# Sourced by tests/check.sh.

SDK_PREFIX=$PWD/$TEST_OUT/prefix

# The install the other checks use; they run only if it worked.
gate() {
    local t=sdk-install
    rm -rf "$SDK_PREFIX"
    if ! make -s install PREFIX="$SDK_PREFIX" > "$TEST_OUT/$t.out" 2>&1; then
        fail $t "make install failed" "$TEST_OUT/$t.out"
        return 1
    fi
    local f missing=""
    for f in bin/minios-link bin/minios-cc lib/minios/cflags lib/minios/libminios.a lib/minios/libc.a lib/minios/libm.a \
        lib/minios/minios.lds lib/minios/minios.mk lib/pkgconfig/minios.pc \
        lib/minios/include/minios/thread.h lib/minios/include/xen/xen.h \
        lib/minios/include/pthread.h lib/minios/libc-include/stdio.h; do
        [ -e "$SDK_PREFIX/$f" ] || missing+=" $f"
    done
    if [ -n "$missing" ]; then
        fail $t "missing from the installed kit:$missing"
        return 1
    fi
    if find "$SDK_PREFIX" -type l | grep -q .; then
        fail $t "the installed kit has symbolic links into the build: $(find "$SDK_PREFIX" -type l | head -n 3)"
        return 1
    fi
    pass "$t ($(du -sk "$SDK_PREFIX" | cut -f1) KiB)"
}

# Function symbols libminios.a exports, against what the installed headers
# declare: every exported function is declared (public API, pthreads, or the
# C library's system calls), and every public function defined is exported.
test_sdk_exports() {
    local t=sdk-exports
    local dir=$TEST_OUT/$t
    rm -rf "$dir" && mkdir -p "$dir"
    local inc=$SDK_PREFIX/lib/minios h
    {
        for h in "$inc"/include/minios/*.h; do echo "#include <minios/${h##*/}>"; done
        printf '#include <%s>\n' pthread.h semaphore.h sys/mman.h sys/utsname.h unistd.h fcntl.h \
            sys/stat.h sys/time.h sys/times.h \
            time.h signal.h sched.h stdio.h stdlib.h sys/wait.h reent.h sys/lock.h sys/random.h \
            threads.h dirent.h termios.h sys/socket.h netinet/in.h netinet/tcp.h arpa/inet.h poll.h \
            netdb.h sys/select.h assert.h
    } > "$dir/all.c"
    if ! gcc -nostdinc -isystem "$inc/include" -isystem "$inc/libc-include" \
        -isystem "$(gcc -print-file-name=include)" \
        $(PKG_CONFIG_PATH=$SDK_PREFIX/lib/pkgconfig pkg-config --cflags-only-other minios) \
        -aux-info "$dir/aux" -c "$dir/all.c" -o "$dir/all.o" > "$dir/cc.out" 2>&1; then
        fail $t "the installed headers do not compile together" "$dir/cc.out"
        return 1
    fi
    # aux-info: "/* FILE:LINE:NC */ extern TYPE NAME (ARGS);" per declaration.
    sed -nE 's|^/\* ([^:]*):[0-9]+:[^*]*\*/ extern [^(]*[ *]([A-Za-z_][A-Za-z_0-9]*) \(.*|\1 \2|p' \
        "$dir/aux" > "$dir/declared-where"
    cut -d' ' -f2 "$dir/declared-where" | sort -u > "$dir/declared"
    grep -E "^$inc/include/" "$dir/declared-where" | cut -d' ' -f2 | sort -u > "$dir/public"
    readelf -sW "$inc/libminios.a" | awk '$4 == "FUNC" && $7 != "UND" && $5 == "GLOBAL" { print $8 }' |
        sort -u > "$dir/exported"
    readelf -sW "$inc/libminios.a" | awk '$4 == "FUNC" && $7 != "UND" && $5 == "LOCAL" { print $8 }' |
        sort -u > "$dir/local"
    # The linker script names _start and hypercall_page; newlib calls _init/_fini,
    # and our patched malloc __malloc_corrupt (scripts/newlib-patches/);
    # minios-link's object of an image's files, __minios_unpack_initial_files;
    # <signal.h> declares sigpause as __xpg_sigpause for X/Open programs.
    local extra hidden
    extra=$(comm -23 "$dir/exported" "$dir/declared" |
        grep -vxE '_start|hypercall_page|_init|_fini|__malloc_corrupt|__minios_unpack_initial_files|__xpg_sigpause')
    hidden=$(comm -12 "$dir/public" "$dir/local")
    if [ -n "$extra" ]; then
        fail $t "kernel internals exported to applications: $(echo $extra | cut -c1-300)"
    elif [ -n "$hidden" ]; then
        fail $t "public functions hidden from applications: $(echo $hidden | cut -c1-300)"
    elif [ "$(wc -l < "$dir/public")" -lt 100 ]; then
        fail $t "only $(wc -l < "$dir/public") public functions declared: the check is blind" "$dir/aux"
    else
        pass "$t ($(wc -l < "$dir/exported") functions exported, all declared; $(wc -l < "$dir/local") internal ones local)"
    fi
}

# Nothing declared that does not link: a program taking the address of every
# function the kit's C and POSIX headers declare is linked with minios-link;
# what stays undefined must be exactly tests/newlib/declared-not-linked.txt
# (the known gaps, each a function newlib declares and nobody provides).
DECLARING_HEADERS="assert.h ctype.h errno.h inttypes.h locale.h math.h setjmp.h signal.h stdio.h
    stdlib.h string.h strings.h time.h unistd.h wchar.h wctype.h fcntl.h sched.h pthread.h
    sys/stat.h sys/time.h sys/times.h sys/random.h getopt.h malloc.h semaphore.h sys/mman.h
    sys/utsname.h threads.h dirent.h termios.h sys/socket.h netinet/in.h netinet/tcp.h arpa/inet.h poll.h"
test_sdk_declared_links() {
    local t=sdk-declared-links dir=$TEST_OUT/sdk-declared-links cflags h
    rm -rf "$dir" && mkdir -p "$dir"
    cflags=$(PKG_CONFIG_PATH=$SDK_PREFIX/lib/pkgconfig pkg-config --cflags minios)
    for h in $DECLARING_HEADERS; do echo "#include <$h>"; done > "$dir/all.c"
    if ! gcc $cflags -aux-info "$dir/aux" -c "$dir/all.c" -o "$dir/all.o" > "$dir/cc.out" 2>&1; then
        fail $t "the headers do not compile together" "$dir/cc.out"
        return 1
    fi
    # Declarations from the kit's headers (not gcc's own), one name each.
    sed -nE 's|^/\* ([^:]*):[0-9]+:[^*]*\*/ extern [^(]*[ *]([A-Za-z_][A-Za-z_0-9]*) \(.*|\1 \2|p' \
        "$dir/aux" | grep "^$SDK_PREFIX/" | cut -d' ' -f2 | sort -u > "$dir/declared"
    {
        cat "$dir/all.c"
        echo 'typedef void (*fn_t)(void);'
        echo 'static volatile fn_t every[] = {'
        sed 's/.*/    (fn_t)&, /' "$dir/declared"
        echo '};'
        echo 'int main(void) { return every[0] == 0; }'
    } > "$dir/link.c"
    if ! gcc $cflags -w -fno-builtin -c "$dir/link.c" -o "$dir/link.o" > "$dir/cc.out" 2>&1; then
        fail $t "the program naming every declared function does not compile" "$dir/cc.out"
        return 1
    fi
    "$SDK_PREFIX/bin/minios-link" -o "$dir/link.elf" "$dir/link.o" > "$dir/link.out" 2>&1
    grep -o "undefined reference to \`[^']*'" "$dir/link.out" | sed "s/.*\`//; s/'\$//" |
        sort -u > "$dir/undefined"
    grep -v '^#' tests/newlib/declared-not-linked.txt | sort -u > "$dir/known"
    local new gone
    new=$(comm -23 "$dir/undefined" "$dir/known")
    gone=$(comm -13 "$dir/undefined" "$dir/known")
    if [ "$(wc -l < "$dir/declared")" -lt 500 ]; then
        fail $t "only $(wc -l < "$dir/declared") declared functions found: the check is blind"
    elif [ -n "$new" ]; then
        fail $t "declared but not linking: $(echo $new | cut -c1-300)" "$dir/link.out"
    elif [ -n "$gone" ]; then
        fail $t "linking now, strike off tests/newlib/declared-not-linked.txt: $(echo $gone)"
    elif ! [ -s "$dir/link.elf" ] && [ ! -s "$dir/undefined" ]; then
        fail $t "the link failed for another reason" "$dir/link.out"
    else
        pass "$t ($(wc -l < "$dir/declared") functions declared, $(wc -l < "$dir/known") known not to link)"
    fi
}

# A copy of tests/external outside the tree, built like any other project.
external_copy() {
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/minios-external.XXXXXX") || return 1
    cp tests/external/*.c tests/external/Makefile "$dir/"
    echo "$dir"
}

test_external_make() {
    local t=external-make dir
    dir=$(external_copy) || { fail $t "mktemp failed"; return 1; }
    if ! make -C "$dir" MINIOS="$SDK_PREFIX" > "$TEST_OUT/$t.build" 2>&1; then
        fail $t "the external Makefile (minios.mk) failed" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    if ! grep -q "^kernel *= \"$dir/external.elf\"" "$dir/external.cfg" 2>/dev/null; then
        fail $t "no xl config naming the image beside it ($dir/external.cfg)"
        rm -rf "$dir"
        return 1
    fi
    cp "$dir/external.elf" "$TEST_OUT/external-make.elf"
    rm -rf "$dir"
    boot $t "$TEST_OUT/external-make.elf" --timeout 120
    expect_out $t '^external app external: built outside the tree$' "the app's greeting" &&
    suite_results $t "external-make/"
}

# The documented line: cc $(pkg-config --cflags minios) -c app.c; minios-link -o app.elf app.o
test_external_pkgconfig() {
    local t=external-pkgconfig dir cflags
    dir=$(external_copy) || { fail $t "mktemp failed"; return 1; }
    if ! cflags=$(PKG_CONFIG_PATH=$SDK_PREFIX/lib/pkgconfig pkg-config --cflags minios 2> "$TEST_OUT/$t.build"); then
        fail $t "pkg-config --cflags minios failed" "$TEST_OUT/$t.build"
    elif ! (cd "$dir" && cc $cflags -O2 -Wall -Werror -c app.c &&
            "$SDK_PREFIX/bin/minios-link" -o app.elf app.o) >> "$TEST_OUT/$t.build" 2>&1; then
        fail $t "compile or link failed" "$TEST_OUT/$t.build"
    else
        cp "$dir/app.elf" "$TEST_OUT/external-pkgconfig.elf"
        rm -rf "$dir"
        boot $t "$TEST_OUT/external-pkgconfig.elf" --timeout 120
        expect_out $t '^external app app: built outside the tree$' "the app's greeting" &&
        suite_results $t "external-pkgconfig/"
        return
    fi
    rm -rf "$dir"
}

# A portable program with _Thread_local and __thread variables, unmodified,
# through the documented line: each thread sees its own fresh copy.
test_external_tls() {
    local t=external-tls dir cflags
    dir=$(external_copy) || { fail $t "mktemp failed"; return 1; }
    cflags=$(PKG_CONFIG_PATH=$SDK_PREFIX/lib/pkgconfig pkg-config --cflags minios)
    if ! (cd "$dir" && cc $cflags -O2 -Wall -Werror -c tls.c &&
            "$SDK_PREFIX/bin/minios-link" -o tls.elf tls.o) > "$TEST_OUT/$t.build" 2>&1; then
        fail $t "compile or link failed" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    cp "$dir/tls.elf" "$TEST_OUT/$t.elf"
    rm -rf "$dir"
    boot $t "$TEST_OUT/$t.elf" --vcpus 2 --timeout 60
    expect_status $t 0 &&
        expect_out $t '^external-tls: thread 4 counted to 4005 from a fresh copy$' "a thread's own count" &&
        expect_out $t '^external-tls: 4 of 4 threads had their own copy; main still has main, 1$' \
            "main's copy untouched" && pass $t
}

# What must not link, must not link, and say why.
test_external_refusals() {
    local dir cflags
    dir=$(external_copy) || { fail external-refusals "mktemp failed"; return 1; }
    cflags=$(PKG_CONFIG_PATH=$SDK_PREFIX/lib/pkgconfig pkg-config --cflags minios)
    local src t why
    while IFS='|' read -r src t why; do
        if (cd "$dir" && cc $cflags -c $src.c && "$SDK_PREFIX/bin/minios-link" -o $src.elf $src.o) \
                > "$TEST_OUT/$t.build" 2>&1; then
            fail $t "$src.c linked, but must not"
        elif ! grep -qF -- "$why" "$TEST_OUT/$t.build"; then
            fail $t "the link failed, but without saying: $why" "$TEST_OUT/$t.build"
        else
            pass $t
        fi
    done <<'LIST'
leak|external-no-internals|undefined reference to `sched_mark_exited'
LIST
    rm -rf "$dir"
}


# minios-cc as a build system's CC: a configure-style probe links only what
# the kit has (vsnprintf yes, a made-up function no, never the host's libc),
# preprocessing sees the kit's headers, and two sources on one line become
# an image that boots.
test_minios_cc() {
    local t=minios-cc dir cc=$SDK_PREFIX/bin/minios-cc
    dir=$(mktemp -d "${TMPDIR:-/tmp}/minios-cc-test.XXXXXX") || { fail $t "mktemp failed"; return 1; }
    printf '#include <stdio.h>\n#include <stdarg.h>\nint probe(char *b, va_list ap) { return vsnprintf(b, 4, "%%d", ap); }\nint main(void) { return 0; }\n' \
        > "$dir/has.c"
    printf 'char no_such_function_in_minios(void);\nint main(void) { return no_such_function_in_minios(); }\n' \
        > "$dir/hasnot.c"
    printf '#include <stdio.h>\nint helper(int);\nint main(int argc, char **argv)\n{\n    printf("minios-cc: %%s says %%d\\n", argv[0], helper(20));\n    return argc - 1;\n}\n' \
        > "$dir/prog.c"
    printf 'int helper(int x) { return x + 22; }\n' > "$dir/helper.c"
    local why=""
    (cd "$dir" && "$cc" -O2 -o conftest has.c) > "$TEST_OUT/$t.build" 2>&1 ||
        why="a probe for vsnprintf did not link"
    [ -z "$why" ] && (cd "$dir" && "$cc" -o conftest hasnot.c) >> "$TEST_OUT/$t.build" 2>&1 &&
        why="a probe for a function nobody defines linked"
    [ -z "$why" ] && ! "$cc" -E -dM -x c - < /dev/null 2>> "$TEST_OUT/$t.build" | grep -q __DYNAMIC_REENT__ &&
        why="preprocessing does not see the kit's defines"
    [ -z "$why" ] && ! echo '#include <pthread.h>' | "$cc" -E -x c - 2>> "$TEST_OUT/$t.build" |
        grep -q "$SDK_PREFIX/lib/minios/include/pthread.h" && why="<pthread.h> is not the kit's"
    [ -z "$why" ] && "$cc" -fPIC -c -o "$dir/x.o" "$dir/helper.c" >> "$TEST_OUT/$t.build" 2>&1 &&
        why="-fPIC accepted"
    [ -z "$why" ] && ! (cd "$dir" && "$cc" -O2 -Wall -Wextra -Werror -o prog.elf prog.c helper.c) \
        >> "$TEST_OUT/$t.build" 2>&1 && why="two sources did not build into an image"
    if [ -n "$why" ]; then
        fail $t "$why" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    cp "$dir/prog.elf" "$TEST_OUT/$t.elf"
    rm -rf "$dir"
    boot $t "$TEST_OUT/$t.elf" --timeout 60
    expect_status $t 0 && expect_out $t '^minios-cc: prog says 42$' "the program's line" && pass $t
}

# ./configure --host=x86_64-minios as autoconf does it: the tool set
# x86_64-minios-gcc/-ar/-ranlib from PATH, probes that link against the kit
# (vsnprintf, timespec_get, tcgetattr yes; fork yes: a stub failing with
# ENOSYS; epoll_create no, which the host's C library has: every function
# the kit declares links now, popen too), a static
# library made with the kit's ar and ranlib, out of tree; the image boots.
test_autoconf_host() {
    local t=autoconf-host dir src=$PWD/tests/external/autoconf
    dir=$(mktemp -d "${TMPDIR:-/tmp}/autoconf-host.XXXXXX") || { fail $t "mktemp failed"; return 1; }
    if ! (cd "$dir" && PATH=$SDK_PREFIX/bin:$PATH "$src/configure" \
            --host=x86_64-minios && PATH=$SDK_PREFIX/bin:$PATH make) > "$TEST_OUT/$t.build" 2>&1; then
        fail $t "configure or make failed" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    local why=""
    grep -q '^checking for C compiler... x86_64-minios-gcc$' "$TEST_OUT/$t.build" ||
        why="configure did not pick x86_64-minios-gcc"
    grep -q 'x86_64-minios-ranlib libgreet.a' "$TEST_OUT/$t.build" || why="ranlib was not the tool set's"
    grep -q 'WARNING: using cross tools not prefixed' "$TEST_OUT/$t.build" && why="a tool is missing"
    if [ -n "$why" ]; then
        fail $t "$why" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    cp "$dir/hello.elf" "$TEST_OUT/$t.elf"
    rm -rf "$dir"
    boot $t "$TEST_OUT/$t.elf" --timeout 60
    expect_status $t 0 &&
    expect_out $t '^autoconf-host: built with x86_64-minios-gcc; found vsnprintf=yes timespec_get=yes tcgetattr=yes fork=yes epoll_create=no termios.h=yes sys/utsname.h=yes sys/wait.h=yes$' \
        "what configure found, as the kit has it" &&
    expect_out $t '^autoconf-host: vsnprintf in use: 13$' "vsnprintf, not a fallback" &&
    pass "$t (./configure --host=x86_64-minios && make, booted)"
}

# CMake with the kit's toolchain file: its compiler checks, try_compile
# probes (vsnprintf yes, epoll_create no), a static library and NAME.elf, booted.
test_cmake_toolchain() {
    local t=cmake-toolchain dir
    if ! command -v cmake > /dev/null; then
        skip $t "no cmake on this machine (Debian package cmake)"
        return
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/cmake-toolchain.XXXXXX") || { fail $t "mktemp failed"; return 1; }
    if ! cmake -S tests/external/cmake -B "$dir" \
            -DCMAKE_TOOLCHAIN_FILE="$SDK_PREFIX/lib/minios/minios.cmake" > "$TEST_OUT/$t.build" 2>&1 ||
        ! cmake --build "$dir" >> "$TEST_OUT/$t.build" 2>&1; then
        fail $t "cmake or the build failed" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    if [ ! -f "$dir/hello.elf" ] || [ ! -f "$dir/hello.cfg" ]; then
        fail $t "no hello.elf with its xl config hello.cfg" "$TEST_OUT/$t.build"
        rm -rf "$dir"
        return 1
    fi
    cp "$dir/hello.elf" "$TEST_OUT/$t.elf"
    rm -rf "$dir"
    boot $t "$TEST_OUT/$t.elf" --timeout 60
    expect_status $t 0 &&
    expect_in_order $t "CMake's checks as the kit answers them" '^cmake-toolchain: vsnprintf yes$' \
        '^cmake-toolchain: epoll_create no$' '^cmake-toolchain: termios.h yes$' \
        '^cmake-toolchain: sys/wait.h yes$' '^cmake-toolchain: done$' &&
    pass "$t ($(cmake --version | head -n 1))"
}

# A real program nobody here wrote, unmodified: Debian's zlib source built
# by its own ./configure and Makefile with CC=minios-cc (configure must find
# vsnprintf, not fall back to the unsafe vsprintf), and its test program
# run in the guest next to the same source built for the host: it writes
# and reads back a gzip file (the RAM file system), and every line it
# prints must be the host's.
test_zlib_ported() {
    local t=zlib-ported src work=$PWD/$TEST_OUT/zlib-ported
    if ! scripts/deps.sh ported > "$TEST_OUT/$t.build" 2>&1 ||
        ! src=$(scripts/fetch-source.sh zlib build/deps/src 2>> "$TEST_OUT/$t.build"); then
        fail $t "could not fetch Debian's zlib source" "$TEST_OUT/$t.build"
        return 1
    fi
    rm -rf "$work" && mkdir -p "$work" && cp -r "$src" "$work/host" && cp -r "$src" "$work/guest"
    if ! (cd "$work/host" && ./configure --static && make example) >> "$TEST_OUT/$t.build" 2>&1 ||
        ! (cd "$work" && host/example > host.out 2> host.err); then
        fail $t "zlib for the host did not build or pass" "$TEST_OUT/$t.build"
        return 1
    fi
    if ! (cd "$work/guest" && CC="$SDK_PREFIX/bin/minios-cc" ./configure --static &&
        make libz.a example) >> "$TEST_OUT/$t.build" 2>&1; then
        fail $t "zlib did not build with CC=minios-cc" "$TEST_OUT/$t.build"
        return 1
    fi
    if ! grep -q '^Checking for vsnprintf() in stdio.h... Yes.$' "$work/guest/configure.log"; then
        fail $t "zlib's configure did not find vsnprintf" "$work/guest/configure.log"
        return 1
    fi
    boot $t "$work/guest/example" --timeout 120
    expect_status $t 0 || return
    local got
    got=$(sed -n '/^zlib version/,$p' "$TEST_OUT/$t.out" | grep -av '^minios: exit status' | tr -d '\r')
    if [ "$(wc -l < "$work/host.out")" -lt 8 ] || ! grep -q '^gzread(): hello, hello!$' "$work/host.out"; then
        fail $t "the host's example printed too little to compare" "$work/host.out"
    elif [ "$got" != "$(cat "$work/host.out")" ]; then
        diff <(echo "$got") "$work/host.out" > "$TEST_OUT/$t.diff"
        fail $t "the guest's lines differ from the host's" "$TEST_OUT/$t.diff"
    else
        pass "$t (configure finds vsnprintf; all $(echo "$got" | wc -l) lines as on the host, gzip file included)"
    fi
}

# Lua 5.4 from Debian's source, unmodified: its own Makefile builds the
# interpreter with CC=minios-cc under -Wall -Wextra -Werror, with
# tests/ported/lua/ shipped in the image (--files); the source has no test
# suite of its own, so those scripts exercise every standard library
# (base, string, table, math, utf8, coroutine, io on files, os, errors and
# debug) and print what they compute.  The same source built for the host
# runs them in the same run; every line must match.
test_lua_ported() {
    local t=lua-ported src work=$PWD/$TEST_OUT/lua-ported scripts=$PWD/tests/ported/lua
    if ! src=$(scripts/fetch-source.sh lua5.4 build/deps/src 2>> "$TEST_OUT/$t.build"); then
        fail $t "could not fetch Debian's lua5.4 source" "$TEST_OUT/$t.build"
        return 1
    fi
    rm -rf "$work" && mkdir -p "$work" && cp -r "$src" "$work/host" && cp -r "$src" "$work/guest" &&
        cp -r "$scripts" "$work/run"
    if ! make -C "$work/host/src" -j2 lua CC="gcc -std=gnu99" MYCFLAGS=-Werror >> "$TEST_OUT/$t.build" 2>&1 ||
        ! (cd "$work/run" && ../host/src/lua all.lua > ../host.out 2>&1); then
        fail $t "Lua for the host did not build or pass its scripts" "$work/host.out"
        return 1
    fi
    if ! make -C "$work/guest/src" -j2 lua CC="$SDK_PREFIX/bin/minios-cc -std=gnu99" MYCFLAGS=-Werror \
        MYLDFLAGS="--files=$scripts" >> "$TEST_OUT/$t.build" 2>&1; then
        fail $t "Lua did not build with CC=minios-cc -Werror" "$TEST_OUT/$t.build"
        return 1
    fi
    boot $t "$work/guest/src/lua" --timeout 300 -- all.lua
    expect_status $t 0 || return
    local got
    got=$(sed -n '/^base: /,/^all [0-9]* scripts passed$/p' "$TEST_OUT/$t.out" | tr -d '\r')
    if ! grep -q '^all 9 scripts passed$' "$work/host.out"; then
        fail $t "the host's run did not finish its scripts" "$work/host.out"
    elif [ "$got" != "$(cat "$work/host.out")" ]; then
        diff <(echo "$got") "$work/host.out" > "$TEST_OUT/$t.diff"
        fail $t "the guest's lines differ from the host's" "$TEST_OUT/$t.diff"
    else
        pass "$t (built -Werror, unmodified; 9 library scripts, all $(echo "$got" | wc -l) lines as on the host)"
    fi
}
