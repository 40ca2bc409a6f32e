# Helpers for tests/check.sh: building test images, booting them under Xen
# (as dom0, or as a domU under a Linux dom0), checking what they printed, and
# counting results.  Sourced, not run.

TEST_OUT=${TEST_OUT:-build/tests}
mkdir -p "$TEST_OUT"
passed=0 failed=0 skipped=0

pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
skip() { skipped=$((skipped + 1)); printf 'SKIP  %s: %s\n' "$1" "$2"; }
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s: %s\n' "$1" "$2"
    [ -n "${3:-}" ] && [ -f "$3" ] && { echo "      output (last 15 lines of $3):"; tail -n 15 "$3" | sed 's/^/      | /'; }
    return 0
}

# run_tests FILE: a test is declared once, where it is written: FILE's
# functions named test_* run in the order FILE defines them.  If FILE defines
# gate(), it runs first (reporting its own result), and the tests run only
# if it succeeds: a build or an install the rest of the file needs.
run_tests() {
    local file=$1 fn
    unset -f gate
    . "$file"
    if declare -F gate > /dev/null && ! gate; then
        return
    fi
    local start
    for fn in $(sed -n 's/^\(test_[A-Za-z0-9_]*\)() {.*/\1/p' "$file"); do
        start=$SECONDS
        "$fn"
        # Where make check's time goes: seconds per test function.
        printf '%s\t%s\t%d\n' "$file" "$fn" $((SECONDS - start)) >> "$TEST_OUT/times.tsv"
    done
}

# in_lanes CMD...: runs CMD in the background, with at most $check_lanes
# (the host's cores, at most 2) running at once; `wait` collects them.  For
# host work whose results are files (unit tests, fuzz targets), reported
# afterwards in a fixed order.
check_lanes=$(nproc 2> /dev/null || echo 1)
[ "$check_lanes" -gt 2 ] && check_lanes=2
in_lanes() {
    while [ "$(jobs -rp | wc -l)" -ge "$check_lanes" ]; do
        wait -n
    done
    "$@" &
}

summary() {
    local line="$passed passed, $failed failed"
    [ ${#retried_boots[@]} -gt 0 ] &&
        echo "retried: ${#retried_boots[@]} boot(s) after a triple fault in QEMU's emulation of SVM (docs/pvh.md): ${retried_boots[*]}"
    [ "$skipped" -gt 0 ] && line+=", $skipped skipped"
    echo "$line"
    [ "$failed" -eq 0 ]
}

# stripped_size IMAGE: the image's size in bytes without symbols and debug info.
stripped_size() {
    strip -o "$TEST_OUT/stripped.tmp" "$1" && stat -c %s "$TEST_OUT/stripped.tmp"
    rm -f "$TEST_OUT/stripped.tmp"
}

# build_app NAME DIR [VAR=value...]: builds DIR into build/<basename DIR>/minios.elf,
# with any make variables given (an app.mk may read them), on the host's
# cores (at most 2: $check_lanes).
build_app() {
    local name=$1 dir=$2
    if ! make -s -j"$check_lanes" APP="$dir" "${@:3}" > "$TEST_OUT/$name.build" 2>&1; then
        fail "$name" "build of $dir failed" "$TEST_OUT/$name.build"
        return 1
    fi
}

# boot NAME IMAGE [run-xen options] [-- guest args]: boots once; leaves the
# console in $TEST_OUT/NAME.out (guest lines and the harness's own remarks),
# the full serial log in $TEST_OUT/NAME.log, the exit status in $status.
boot() { boot_with scripts/run-xen.sh "$@"; }

# boot_domu NAME IMAGE [run-domu options] [-- guest args]: the same as boot,
# but as a domU started by xl (scripts/run-domu.sh).  With --pvh-too, NAME's
# files and $status are the PV guest's, and the PVH guest that follows it
# in the same boot leaves NAME-pvh.out, NAME-pvh.log and $status_pvh.
boot_domu() {
    rm -f "$TEST_OUT/$1.log.guest"[12]
    boot_with scripts/run-domu.sh "$@"
    case " ${*:3} " in *" --pvh-too "*) split_pvh_too "$1" ;; esac
}

# split_pvh_too NAME: run-domu.sh --pvh-too's output and log, one part per
# guest: the console after its "---- guest N of 2" line, the verdict lines
# after "guest N (TYPE):", the log's FILE.guestN.  A run that never got to
# the guests (a harness error) gives both its status.
split_pvh_too() {
    local t=$1 out=$TEST_OUT/$1.out
    awk -v first="$out.pv" -v second="$TEST_OUT/$t-pvh.out" -f scripts/domu/split-out.awk "$out"
    mv "$out.pv" "$out"
    status_pvh=$status
    guest_part "$t" 1 "$t" status
    guest_part "$t" 2 "$t-pvh" status_pvh
}

# guest_part NAME N PART VAR: guest N's part of NAME's log to PART.log, its
# status (from PART.out) into the variable VAR.
guest_part() {
    local line
    [ -f "$TEST_OUT/$1.log.guest$2" ] && mv "$TEST_OUT/$1.log.guest$2" "$TEST_OUT/$3.log"
    line=$(grep -a "^run-domu: guest $2 ([a-z]*): exit status [0-9]*\$" "$TEST_OUT/$3.out")
    [ -n "$line" ] && printf -v "$4" '%s' "${line##* }"
}

# A PVH guest (dom0 or domU) under QEMU's TCG now and then ends in a
# triple fault that none of its code caused: Xen's dump shows the vCPU at
# the idle loop's hlt or, in CI, Xen's own %rip (just after its vmrun),
# %rsp and %cs, which no guest can put in its state (docs/pvh.md).  So a
# boot whose log has Xen's "Triple fault" line is booted again, at most
# twice, each said on a `note` line and in summary's `retried:` line (a
# guest bug that triple-faults every time still fails).  The last such
# boot's files stay as NAME.out.triple and NAME.log.triple.  A caller
# whose boot changes files it reads afterwards puts a command in the array
# retry_prepare (local to it), run before each new boot.
retried_boots=()
retry_prepare=()

boot_with() {
    local harness=$1 name=$2 image=$3
    shift 3
    local opts=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        opts+=("$1")
        shift
    done
    [ "${1:-}" = "--" ] && shift
    local attempt triple
    for attempt in 1 2 3; do
        "$harness" --log "$TEST_OUT/$name.log" "${opts[@]}" -- "$image" "$@" \
            > "$TEST_OUT/$name.out" 2>&1 < /dev/null
        status=$?
        triple=$(grep -aom1 'd[0-9]*v[0-9]* Triple fault' "$TEST_OUT/$name.log" 2> /dev/null)
        [ -n "$triple" ] && [ $attempt -lt 3 ] || break
        mv "$TEST_OUT/$name.out" "$TEST_OUT/$name.out.triple"
        mv "$TEST_OUT/$name.log" "$TEST_OUT/$name.log.triple"
        rm -f "$TEST_OUT/$name.log.guest"[12]
        retried_boots+=("$name")
        printf 'note  %s: Xen says "%s" (a PVH guest in QEMU'"'"'s emulation of SVM, docs/pvh.md): booting again\n' \
            "$name" "$triple"
        [ ${#retry_prepare[@]} -eq 0 ] || "${retry_prepare[@]}"
    done
}

# expect_status NAME WANT: the last boot's exit status.
expect_status() {
    [ "$status" -eq "$2" ] && return 0
    fail "$1" "exit status $status, expected $2" "$TEST_OUT/$1.out"
    return 1
}

# expect_out NAME REGEX WHAT: some console line matches the extended REGEX.
expect_out() {
    grep -aqE -- "$2" "$TEST_OUT/$1.out" && return 0
    fail "$1" "no line shows $3 (/$2/)" "$TEST_OUT/$1.out"
    return 1
}

# expect_no_out NAME REGEX WHAT: no console line matches.
expect_no_out() {
    grep -aqE -- "$2" "$TEST_OUT/$1.out" || return 0
    fail "$1" "unexpected $3: $(grep -aE -m1 -- "$2" "$TEST_OUT/$1.out")" "$TEST_OUT/$1.out"
    return 1
}

# expect_in_order NAME WHAT REGEX...: lines matching each REGEX appear, in
# this order (each after the line the previous one matched).
expect_in_order() {
    local t=$1 what=$2 at=0 n re
    shift 2
    for re in "$@"; do
        # The regex through the environment: awk -v would eat its backslashes.
        n=$(RE="$re" awk -v after="$at" 'NR > after && $0 ~ ENVIRON["RE"] { print NR; exit }' \
            "$TEST_OUT/$t.out")
        if [ -z "$n" ]; then
            fail $t "$what: /$re/ missing or out of order" "$TEST_OUT/$t.out"
            return 1
        fi
        at=$n
    done
}

# suite_results NAME PREFIX: turns the in-guest suite's "test X: RESULT"
# (or "test X: RESULT: reason") lines in $TEST_OUT/NAME.out into one
# PASS/FAIL/SKIP line each, then checks the run ended with "Test result:
# SUCCESS" (or SKIP) and status 0.
suite_results() {
    local name=$1 prefix=$2 line test result why seen=0
    local re='^test ([A-Za-z0-9_]+): (PASS|FAIL|ERROR|SKIP)(: (.*))?$'
    while IFS= read -r line; do
        [[ $line =~ $re ]] || continue
        test=${BASH_REMATCH[1]} result=${BASH_REMATCH[2]} why=${BASH_REMATCH[4]}
        seen=$((seen + 1))
        case "$result" in
            PASS) pass "$prefix$test" ;;
            SKIP) skip "$prefix$test" "$why" ;;
            *) fail "$prefix$test" "$result: $why" ;;
        esac
    done < <(grep -a -E '^test [A-Za-z0-9_]+: (PASS|FAIL|ERROR|SKIP)(: .*)?$' "$TEST_OUT/$name.out")
    if [ "$seen" -eq 0 ]; then
        fail "$name" "no test ran (status $status)" "$TEST_OUT/$name.out"
        return
    fi
    if ! grep -aqE '^Test result: (SUCCESS|SKIP)$' "$TEST_OUT/$name.out" || [ "$status" -ne 0 ]; then
        fail "$name" "the run did not end with 'Test result: SUCCESS' and status 0 (status $status)" \
            "$TEST_OUT/$name.out"
    fi
}

# expect_log NAME REGEX WHAT: some line of the full serial log matches.
expect_log() {
    grep -aqE -- "$2" "$TEST_OUT/$1.log" && return 0
    fail "$1" "no log line shows $3 (/$2/)" "$TEST_OUT/$1.log"
    return 1
}

# --- console input (tests/guest/echo) ---

# echo_input FILE END: writes the echo app's input to FILE: lines ending in
# LF, CR LF and CR alone, an empty line, a tab, 40 lines of 55 bytes (more
# than Xen's 128-byte serial buffer and than a domU's 1 KiB input ring),
# then END ("quit N", or "eof": a last line, then ^D).  FILE.expected gets
# the answers the app must give, in order.
echo_input() {
    local file=$1 end=$2 i=0 line
    local -a lines=("hello world" "" "MiXeD case 123" "carriage only" "tab	here")
    local -a ends=($'\n' $'\n' $'\r\n' $'\r' $'\n')
    for i in $(seq 1 40); do
        lines+=("$(printf 'line %03d 0123456789abcdefghijklmnopqrstuvwxyz0123456789' "$i")")
        ends+=($'\n')
    done
    [ "$end" = eof ] && { lines+=("last line, then ^D"); ends+=($'\n\004'); }
    : > "$file"
    : > "$file.expected"
    for i in "${!lines[@]}"; do
        line=${lines[$i]}
        printf '%s%s' "$line" "${ends[$i]}" >> "$file"
        printf 'echo %d: %s (%d bytes)\n' $((i + 1)) "${line^^}" ${#line} >> "$file.expected"
    done
    if [ "$end" = eof ]; then
        echo "echo: end of input after ${#lines[@]} lines" >> "$file.expected"
    else
        printf '%s\n' "$end" >> "$file"
        echo "echo: quit after ${#lines[@]} lines" >> "$file.expected"
    fi
}

# expect_echoes NAME INPUT: the app's answers in NAME's output are exactly
# INPUT.expected, in order.
expect_echoes() {
    local got="$TEST_OUT/$1.got"
    grep -a '^echo' "$TEST_OUT/$1.out" | grep -av '^echo: ready$' > "$got"
    cmp -s "$2.expected" "$got" && return 0
    fail "$1" "the answers differ from the input: $(diff "$2.expected" "$got" | head -4 | tr '\n' ' ')" \
        "$TEST_OUT/$1.out"
    return 1
}
