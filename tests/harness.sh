# The harness's handling of what a user types (host-side: no boot): make's
# variables reach scripts/run-xen.sh and run-domu.sh as data, byte for byte,
# and a mistake is the harness's own error (128), never a shell's, never a
# success.  Each case uses the harnesses' --dry-run (MINIOS_DRY_RUN=1 for
# make): every check, then the guest's command line, no boot.  Sourced by
# tests/check.sh.

# harness_case NAME WANT_STATUS WANT_LINE [make arguments...]: runs make
# with a dry run; checks its status (0, or non-zero for "failed") and that
# WANT_LINE (a fixed string) is among its output lines; and that the marker
# file, which every hostile value tries to create, does not exist.
harness_case() {
    local t=$1 want=$2 line=$3 st
    shift 3
    rm -f "$harness_marker"
    MINIOS_DRY_RUN=1 make -s "$@" > "$TEST_OUT/$t.out" 2>&1 < /dev/null
    st=$?
    if [ -e "$harness_marker" ]; then
        fail $t "a value was run by a shell: $harness_marker was created" "$TEST_OUT/$t.out"
    elif [ "$want" = 0 ] && [ $st -ne 0 ]; then
        fail $t "make exited $st, expected 0" "$TEST_OUT/$t.out"
    elif [ "$want" != 0 ] && [ $st -eq 0 ]; then
        fail $t "make exited 0 for a failed run" "$TEST_OUT/$t.out"
    elif ! grep -aqxF -- "$line" "$TEST_OUT/$t.out"; then
        fail $t "no line '$line'" "$TEST_OUT/$t.out"
    else
        pass $t
    fi
}

test_harness() {
    harness_marker=$PWD/$TEST_OUT/harness-marker
    build_app harness tests/guest/args || return
    local m=$harness_marker dry='dry run: the guest'\''s command line would be:'
    local hostile="\`touch $m\` \$(touch $m) \$(shell touch $m) ; touch $m"
    local target h
    for target in run run-domu; do
        h=${target/#run/run-xen}; h=${h/run-xen-domu/run-domu}
        # Nothing of it runs (backquotes, $( ), make's $(shell), a ';'): the
        # guest gets it as words (the guest's splitter expands nothing).
        harness_case harness-$target-args-data 0 "$h: $dry $hostile" \
            $target APP=tests/guest/args ARGS="$hostile"
        # The guest's quoting rules, and nothing else.
        harness_case harness-$target-args-split 0 \
            "$h: $dry 'a b' 'c \"d' 'e f' 'g\\h' '' \$HOME" \
            $target APP=tests/guest/args ARGS="'a b' \"c \\\"d\" e\\ f 'g\\h' '' \$HOME"
        # An unclosed quote: the harness's message and status 128.
        harness_case harness-$target-unclosed-quote 2 \
            "$h: the guest's arguments leave a \" quote open: it\"s $hostile" \
            $target APP=tests/guest/args ARGS="it\"s $hostile"
        harness_case harness-$target-status 2 \
            "make $target: scripts/$h.sh exited with status 128 (docs/exit-status.md)" \
            $target APP=tests/guest/args VCPUS=abc ARGS='x; true'
        harness_case harness-$target-vcpus-data 2 \
            "$h: --vcpus wants a number, not '\$(shell touch $m)'" \
            $target APP=tests/guest/args VCPUS="\$(shell touch $m)"
    done
    # NET (run-domu's --net): a number of vifs 0..4, as data.
    harness_case harness-run-domu-net-data 2 \
        "run-domu: --net wants a number of interfaces 0..4, not '\$(shell touch $m)'" \
        run-domu APP=tests/guest/args NET="\$(shell touch $m)"
    harness_case harness-run-domu-net-5 2 "run-domu: --net wants a number of interfaces 0..4, not '5'" \
        run-domu APP=tests/guest/args NET=5
    # NET_IP (run-domu's --net-ip, the vif's ip= in xenstore): an address, as data.
    harness_case harness-run-domu-net-ip-data 2 \
        "run-domu: --net-ip wants A.B.C.D or A.B.C.D/N, not '10.0.0.2/24,\$(shell touch $m)'" \
        run-domu APP=tests/guest/args NET=1 NET_IP="10.0.0.2/24,\$(shell touch $m)"
    # DISK (run-domu's --disk): words, each a file; nothing expanded, and a
    # name QEMU would split (a comma) refused.
    harness_case harness-run-domu-disk-data 2 \
        "run-domu: --disk: '\$(shell' is not a file" \
        run-domu APP=tests/guest/args DISK="\$(shell touch $m)"
    : > "$TEST_OUT/harness,disk.img"
    harness_case harness-run-domu-disk-comma 2 \
        "run-domu: --disk '$TEST_OUT/harness,disk.img': a disk file's name may not hold ',', ':' or blanks" \
        run-domu APP=tests/guest/args DISK="$TEST_OUT/harness,disk.img"
    truncate -s 1000 "$TEST_OUT/harness-disk.img"
    harness_case harness-run-domu-disk-size 2 \
        "run-domu: --disk: '$TEST_OUT/harness-disk.img' is 1000 bytes, not a whole number of 512-byte sectors" \
        run-domu APP=tests/guest/args DISK="$TEST_OUT/harness-disk.img:ro"
    truncate -s 4096 "$TEST_OUT/harness-disk.img"
    harness_case harness-run-domu-disk-ok 0 "run-domu: $dry " \
        run-domu APP=tests/guest/args DISK="$TEST_OUT/harness-disk.img:ro $TEST_OUT/harness-disk.img"
    rm -f "$TEST_OUT/harness,disk.img" "$TEST_OUT/harness-disk.img"
    # Less than Xen's smallest boot region: refused before booting.
    local mem
    for mem in 1 3; do
        harness_case harness-mem-$mem 2 \
            "run-xen: --mem $mem: too little: Xen builds no guest in less than 4 MiB (its boot region alone is 4 MiB); the smallest that works is 4 MiB for a small image such as apps/hello, about 4 MiB for this one" \
            run APP=tests/guest/args MEM=$mem
    done
    harness_case harness-app-path 2 \
        "Makefile:$(grep -n '^$(call safe_path,APP,' Makefile | cut -d: -f1): *** APP='tests/guest/args;touch $m': a path here may hold only letters, digits and . _ - / +.  Stop." \
        run APP="tests/guest/args;touch $m"
    local line
    line=$(grep -n '^$(call safe_path,APP_FILES' Makefile | cut -d: -f1)
    harness_case harness-app-files-shell 2 \
        "Makefile:$line: *** APP_FILES='\$(shell touch $m)': a path here may hold only letters, digits and . _ - / +.  Stop." \
        APP=tests/guest/args APP_FILES="\$(shell touch $m)"
    harness_case harness-app-files-dotdot 2 \
        "Makefile:$((line + 1)): *** APP_FILES='tests/../..': no .. in it, please.  Stop." \
        APP=tests/guest/args APP_FILES=tests/../..
    harness_case harness-app-files-outside 2 \
        "Makefile:$((line + 3)): *** APP_FILES='/etc': a directory inside the tree, please.  Stop." \
        APP=tests/guest/args APP_FILES=/etc
    rm -f "$harness_marker"
}

# MODE=pv|pvh (docs/pvh.md) reaches run-xen.sh and run-domu.sh as --pvh;
# anything else is make's error, run by nothing.
test_harness_mode() {
    harness_marker=$PWD/$TEST_OUT/harness-marker
    build_app harness tests/guest/args || return
    local dry='dry run: the guest'\''s command line would be:'
    harness_case harness-mode-pvh 0 "run-xen: $dry x" run APP=tests/guest/args MODE=pvh ARGS=x
    harness_case harness-mode-pv 0 "run-xen: $dry x" run APP=tests/guest/args MODE=pv ARGS=x
    harness_case harness-mode-bad 2 "make: MODE wants pv or pvh" \
        run APP=tests/guest/args MODE="\$(shell touch $harness_marker)"
    harness_case harness-mode-pvh-domu 0 "run-domu: $dry x" run-domu APP=tests/guest/args MODE=pvh ARGS=x
    rm -f "$harness_marker"
}

# minios-link --files packs only files and directories: a symbolic link
# (which could point anywhere on the build machine) stops the link, naming it.
test_files_link_refused() {
    local t=files-link-refused dir=$TEST_OUT/files-link-refused
    rm -rf "$dir" && mkdir -p "$dir/files/sub" && echo data > "$dir/files/sub/ok.txt" &&
        ln -s /etc/passwd "$dir/files/sub/passwd"
    if make -s APP=tests/guest/args APP_FILES="$dir/files" > "$TEST_OUT/$t.out" 2>&1; then
        fail $t "an image was linked with a symbolic link in APP_FILES" "$TEST_OUT/$t.out"
    elif ! grep -q 'only files and directories can be packed, not: sub/passwd' "$TEST_OUT/$t.out"; then
        fail $t "the refusal does not name the link" "$TEST_OUT/$t.out"
    else
        pass $t
    fi
    rm -rf "$dir"
}


# An APP_EXTRA_SRCS path that climbs out of the app's directory
# (../../../x.c): the object lands under build/<app>/obj/_outside/, not
# where the name as written pointed (three levels above obj/: the tree's
# root).  Host-side: built and linked, not booted.
test_app_src_outside() {
    local t=app-src-outside base=$TEST_OUT/app-src-outside
    local app=$base/a/b/srcout_app stray=srcout_shared.o
    rm -rf "$base" build/srcout_app "$stray" "${stray%.o}.d" && mkdir -p "$app"
    printf 'int shared_part(void)\n{\n    return 42;\n}\n' > "$base/srcout_shared.c"
    printf '%s\n' 'int shared_part(void);' 'int main(void)' '{' \
        '    return shared_part() == 42 ? 0 : 1;' '}' > "$app/main.c"
    echo 'APP_EXTRA_SRCS += ../../../srcout_shared.c' > "$app/app.mk"
    build_app $t "$app" || { rm -f "$stray" "${stray%.o}.d"; return; }
    local obj=build/srcout_app/obj/_outside$(cd "$base" && pwd)/srcout_shared.o
    if [ -e "$stray" ]; then
        fail $t "the object was written outside build/: $stray"
        rm -f "$stray" "${stray%.o}.d"
    elif [ ! -f "$obj" ]; then
        fail $t "no object at $obj" "$TEST_OUT/$t.build"
    elif ! nm build/srcout_app/minios.elf | grep -q ' T shared_part$'; then
        fail $t "the source outside the app's directory is not in the image"
    else
        pass $t
    fi
}

# Two APP folders with one name share build/NAME: building the second, whose
# source is older than the first's objects, must recompile, not link them.
test_app_same_name() {
    local t=app-same-name base=$TEST_OUT/app-same-name
    rm -rf "$base" build/samename_app && mkdir -p "$base/one/samename_app" "$base/two/samename_app"
    printf '%s\n' '__attribute__((noinline)) int which_app(void) { return 1; }' 'int main(void) { return which_app(); }' \
        > "$base/one/samename_app/main.c"
    printf '%s\n' '__attribute__((noinline)) int other_app(void) { return 2; }' 'int main(void) { return other_app(); }' \
        > "$base/two/samename_app/main.c"
    touch -d '2001-01-01' "$base/two/samename_app/main.c"
    build_app $t "$base/one/samename_app" && build_app $t "$base/two/samename_app" || return
    if nm build/samename_app/minios.elf | grep -q ' T other_app$'; then
        pass $t
    else
        fail $t "the second app's image holds the first one's objects" "$TEST_OUT/$t.build"
    fi
    rm -rf "$base" build/samename_app
}

# boot_with's new boots after a triple fault (tests/lib.sh), with a fake
# harness (tests/harness/fake-boot.sh) that writes Xen's triple-fault line
# for its first N boots: up to two such boots are booted again, with the
# caller's retry_prepare run before each new one and the last such boot's
# files kept; three in a row are the third's result, not a fourth boot.
test_boot_retry() {
    local t=boot-retry fake=tests/harness/fake-boot.sh count=$TEST_OUT/boot-retry.count
    local saved=("${retried_boots[@]}") out
    echo 2 > "$count"
    rm -f "$count.boots"
    local retry_prepare=(touch "$TEST_OUT/boot-retry.prepared")
    rm -f "$TEST_OUT/boot-retry.prepared"
    out=$(boot_with "$fake" $t image -- "$count" 2>&1; echo "status=$status retried=${#retried_boots[@]}")
    if [ "$(grep -c '^note  boot-retry: Xen says "d1v1 Triple fault" .*booting again$' <<< "$out")" != 2 ] ||
        ! grep -qx "status=0 retried=$((${#saved[@]} + 2))" <<< "$out" ||
        ! grep -qx 'boot 3' "$TEST_OUT/$t.out" || ! grep -q 'Triple fault' "$TEST_OUT/$t.log.triple" ||
        [ ! -e "$TEST_OUT/boot-retry.prepared" ]; then
        fail $t "two triple faults: not booted again twice as it should be" "$TEST_OUT/$t.out"
        echo "$out" | sed 's/^/      | /'
        return
    fi
    echo 3 > "$count"
    rm -f "$count.boots"
    out=$(boot_with "$fake" $t image -- "$count" 2>&1; echo "status=$status")
    if ! grep -qx 'status=1' <<< "$out" || ! grep -qx 'boot 3' "$TEST_OUT/$t.out"; then
        fail $t "three triple faults: not the third boot's failure" "$TEST_OUT/$t.out"
        echo "$out" | sed 's/^/      | /'
        return
    fi
    pass "$t (two triple faults booted again; three in a row fail)"
}
