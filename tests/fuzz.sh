# Fuzz targets (tests/fuzz/fuzz_*.c, libFuzzer): each runs for a bounded
# time and gives one PASS or FAIL line with its executions, rate and
# coverage.  Sourced by tests/check.sh, where each gets FUZZ_SECONDS
# (default 5); `make fuzz` runs this file on its own with FUZZ_SECONDS=60.
#
# New corpus entries are kept in build/fuzz/corpus/<target>/ (so each run
# starts where the last one stopped); the committed seeds in
# tests/fuzz/corpus/<target>/ are only read.  A crashing input is written to
# build/fuzz/artifacts/<target>/ and replayed with `build/fuzz/fuzz_<target> FILE`.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    cd "$(dirname "$0")/.."
    . tests/lib.sh
    fuzz_alone=1
fi

fuzz_seconds=${FUZZ_SECONDS:-5}
if ! [[ $fuzz_seconds =~ ^[0-9]{1,6}$ ]]; then
    echo "fuzz: FUZZ_SECONDS wants seconds, not '$fuzz_seconds'" >&2
    [ -n "${fuzz_alone:-}" ] && exit 2
    fuzz_seconds=5
fi

# fuzz_run TARGET: one target for fuzz_seconds, its log in TEST_OUT and its
# exit status beside it; two run at once (in_lanes), reported in order.
fuzz_run() {
    local target=$1 log=$TEST_OUT/fuzz-$1.out art=build/fuzz/artifacts/$1
    mkdir -p "build/fuzz/corpus/$target" "$art"
    # -max_len: room for a message with the largest payload, and more.
    "build/fuzz/fuzz_$target" -max_total_time="$fuzz_seconds" -max_len=12000 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" \
        "build/fuzz/corpus/$target" "tests/fuzz/corpus/$target" > "$log" 2>&1 < /dev/null
    echo $? > "$TEST_OUT/fuzz-$target.status"
}

if make -s fuzz-build > "$TEST_OUT/fuzz-build.out" 2>&1; then
    for fuzz_bin in build/fuzz/fuzz_*; do
        [ -x "$fuzz_bin" ] || continue
        rm -f "$TEST_OUT/fuzz-${fuzz_bin##*/fuzz_}.status"
        in_lanes fuzz_run "${fuzz_bin##*/fuzz_}"
    done
    wait
    for fuzz_bin in build/fuzz/fuzz_*; do
        [ -x "$fuzz_bin" ] || continue
        fuzz_target=${fuzz_bin##*/fuzz_}
        fuzz_name=fuzz-$fuzz_target
        fuzz_log=$TEST_OUT/$fuzz_name.out
        fuzz_status=$(cat "$TEST_OUT/$fuzz_name.status" 2> /dev/null || echo lost)
        fuzz_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fuzz_log")
        fuzz_rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fuzz_log")
        fuzz_cov=$(grep -aoE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$fuzz_log" | tail -n 1)
        if [ "$fuzz_status" = 0 ] && [ -n "$fuzz_runs" ]; then
            pass "$fuzz_name ($fuzz_runs runs in $fuzz_seconds s, $fuzz_rate/s, $fuzz_cov)"
        else
            fuzz_input=$(grep -aoE "Test unit written to [^ ]+" "$fuzz_log" | tail -n 1 | sed 's/.* //')
            if [ -n "$fuzz_input" ]; then
                fail "$fuzz_name" "status $fuzz_status; replay with: $fuzz_bin $fuzz_input" "$fuzz_log"
            else
                fail "$fuzz_name" "status $fuzz_status, no input saved" "$fuzz_log"
            fi
        fi
    done
else
    fail fuzz-build "the fuzz targets did not build" "$TEST_OUT/fuzz-build.out"
fi

if [ -n "${fuzz_alone:-}" ]; then
    summary
    exit $?
fi
