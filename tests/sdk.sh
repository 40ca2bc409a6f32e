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
    for f in bin/minios-link lib/minios/libminios.a lib/minios/libc.a lib/minios/libm.a \
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
            time.h signal.h sched.h stdio.h stdlib.h sys/wait.h reent.h sys/lock.h
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
    # and our patched malloc __malloc_corrupt (scripts/newlib-patches/).
    local extra hidden
    extra=$(comm -23 "$dir/exported" "$dir/declared" |
        grep -vxE '_start|hypercall_page|_init|_fini|__malloc_corrupt')
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
tls|external-no-tls|minios has no thread-local storage (__thread, _Thread_local): use pthread keys
LIST
    rm -rf "$dir"
}

