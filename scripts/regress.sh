#!/usr/bin/env bash
# `make regress`: boots the hypervisor regression catalogue (regress/, built
# into build/regress/minios.elf) under one Xen, and reports like XTF's
# runner (docs/regress.md).
#
#   scripts/regress.sh [--xen 4.17|4.20|PATH] [--xen-args LINE] [--vcpus N]
#                      [--domu] [--pvh | --pvh-too] [--filter "PATTERN..."] [--out DIR] [--check-only] IMAGE
#
# Prints one line per test (SUCCESS/SKIP/ERROR/FAILURE and the reason) and
# a summary, writes DIR/results.json, DIR/junit.xml, DIR/results.tsv and
# the console log DIR/console.log (DIR: build/regress), and exits as XTF's
# runner does: 0 SUCCESS, 3 SKIP, 4 ERROR, 5 FAILURE, 6 CRASH (no result
# line: the guest crashed or hung), 2 for a mistake in the options.
# The options come from make's variables: data, checked here, never run.
# --check-only checks them and exits (make does it before building the image).
# --pvh boots the same image as a PVH guest (make regress MODE=pvh): tests of
# what only a PV guest has say SKIP with the reason (pv_only() in
# regress/regress.h; docs/regress.md).  --pvh-too (with --domu) runs the
# catalogue as a PV domU, then as a PVH domU in the same dom0 boot: two
# reports, the PVH one in DIR-pvh, and the higher of the two exit codes.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
xen=4.17 xen_args= vcpus=1 domu=0 pvh=0 pvh_too=0 filter= out=build/regress check_only=0

die() { echo "regress: $*" >&2; exit 2; }
while [ $# -gt 1 ]; do
    case "$1" in
        --xen) xen=$2; shift 2 ;;
        --xen-args) xen_args=$2; shift 2 ;;
        --vcpus) vcpus=$2; shift 2 ;;
        --domu) domu=1; shift ;;
        --pvh) pvh=1; shift ;;
        --pvh-too) pvh_too=1; shift ;;
        --filter) filter=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --check-only) check_only=1; shift ;;
        *) die "unknown option '$1'" ;;
    esac
done
[ $# -eq 1 ] || die "usage: scripts/regress.sh [options] IMAGE"
image=$1

[[ $vcpus =~ ^[1-9][0-9]?$ ]] || die "VCPUS wants a number of vCPUs (1-99), not '$vcpus'"
[[ $filter =~ ^[A-Za-z0-9_*\ ]*$ ]] || die "FILTER wants test names or patterns (letters, digits, _ and *), not '$filter'"
[[ $xen_args =~ ^[A-Za-z0-9=,.:+_/\ -]*$ ]] && [ ${#xen_args} -le 512 ] ||
    die "XEN_ARGS wants Xen options (letters, digits, = , . : + - _ /, spaces), not '$xen_args'"
case "$xen" in
    "" | 4.17) xen_label=4.17 ;;
    4.20) xen_label=4.20 ;;
    *) [ -f "$xen" ] || die "XEN='$xen': neither 4.17, 4.20 nor a Xen image file"
       xen_label=$xen ;;
esac
if [ "$domu" = 1 ] && { [ "$xen_label" != 4.17 ] && [ "$xen_label" != 4.20 ] || [ -n "$xen_args" ]; }; then
    die "DOMU=1 runs under Debian's Xen 4.17 or 4.20, each with its own dom0 toolstack: no XEN=path or XEN_ARGS= with it"
fi
[ "$pvh_too" = 0 ] || { [ "$domu" = 1 ] && [ "$pvh" = 0 ]; } ||
    die "--pvh-too runs the PVH domU after the PV one in the same dom0: it needs --domu, and not --pvh"
[ "$check_only" = 0 ] || exit 0
case "$xen_label" in
    4.17 | 4.20) xen_elf=$("$here/fetch-xen.sh" build/deps "$xen_label") || exit 2 ;;
    *) xen_elf=$xen ;;
esac

# JSON and JUnit XML, escaped for each: json_esc VAR... and xml_esc VAR...
# rewrite each named variable in place, in bash alone: a report escapes
# about ten strings per test, and a sed and a tr for each took 100 s for
# 145 tests on a loaded 2-core host.  Control characters are dropped (XML
# keeps tab, LF and CR); & in a replacement is literal (no patsub_replacement).
shopt -u patsub_replacement 2> /dev/null
ctl_json= ctl_xml=
for c in {1..31}; do
    printf -v c '%03o' "$c"
    printf -v c "\\$c"
    ctl_json+=$c
    case "$c" in $'\t' | $'\n' | $'\r') ;; *) ctl_xml+=$c ;; esac
done
json_esc() {
    local __v __s
    for __v in "$@"; do
        __s=${!__v//\\/\\\\}
        __s=${__s//\"/\\\"}
        __s=${__s//$'\t'/ }
        printf -v "$__v" '%s' "${__s//[$ctl_json]/}"
    done
}
xml_esc() {
    local __v __s
    for __v in "$@"; do
        __s=${!__v//&/&amp;}
        __s=${__s//</&lt;}
        __s=${__s//>/&gt;}
        __s=${__s//\"/&quot;}
        printf -v "$__v" '%s' "${__s//[$ctl_xml]/}"
    done
}

# report DIR MODE STATUS: DIR/console.log read into the report on stdout and
# DIR/results.tsv, results.json and junit.xml; the exit code into $code.
# STATUS is the harness's, for the CRASH line.
report() {
    local out=$1 mode=$2 harness_status=$3 log=$1/console.log result xen_version counts sep
    # One line per test from the console: "test NAME: VERDICT[: reason]", after
    # "test NAME: statement", "    value: ..." (what it measured of Xen) and
    # "    about: NAME | CATEGORY | SOURCE | STATEMENT" lines.
    LC_ALL=C tr -d '\r' < "$log" | awk -v tsv="$out/results.tsv" '
        function flush_reason(s) { gsub(/\t/, " ", s); return s }
        /^test [A-Za-z0-9_]+: (PASS|FAIL|ERROR|SKIP)(: .*)?$/ {
            name = $2; sub(/:$/, "", name)
            rest = $0; sub(/^test [A-Za-z0-9_]+: /, "", rest)
            verdict = rest; sub(/:.*/, "", verdict)
            reason = rest; if (sub(/^[A-Z]+: /, "", reason) == 0) reason = ""
            v = verdict == "PASS" ? "SUCCESS" : verdict == "FAIL" ? "FAILURE" : verdict
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, v, flush_reason(reason), cat[name], src[name], doc[name], val[name] > tsv
            next
        }
        /^test [A-Za-z0-9_]+: / {
            name = $2; sub(/:$/, "", name)
            d = $0; sub(/^test [A-Za-z0-9_]+: /, "", d); doc[name] = flush_reason(d); last = name
            next
        }
        /^    value: / {
            x = flush_reason(substr($0, 12)); val[last] = val[last] == "" ? x : val[last] "; " x
            next
        }
        /^    about: / {
            split(substr($0, 12), f, / \| /); cat[f[1]] = f[2]; src[f[1]] = flush_reason(f[3])
            if (f[4] != "") doc[f[1]] = flush_reason(f[4])
        }
        END { close(tsv) }
    ' || die "could not read the console log"
    [ -f "$out/results.tsv" ] || : > "$out/results.tsv"

    result=$(LC_ALL=C tr -d '\r' < "$log" | sed -n 's/^Test result: \(SUCCESS\|SKIP\|ERROR\|FAILURE\)$/\1/p' | tail -n 1)
    case "$result" in
        SUCCESS) code=0 ;; SKIP) code=3 ;; ERROR) code=4 ;; FAILURE) code=5 ;;
        *) result=CRASH code=6 ;;
    esac
    xen_version=$(sed -n 's/^minios .* on Xen \([0-9][0-9.a-z-]*\).*/\1/p' "$log" | head -n 1)

    # The report: one line per test, the summary.
    awk -F '\t' '{ printf "%-8s %s%s%s\n", $2, $1, $3 != "" ? ": " $3 : "", $7 != "" ? " [" $7 "]" : "" }' "$out/results.tsv"
    counts=$(awk -F '\t' '{ n[$2]++ } END { printf "%d SUCCESS, %d SKIP, %d ERROR, %d FAILURE", n["SUCCESS"], n["SKIP"], n["ERROR"], n["FAILURE"] }' "$out/results.tsv")
    echo "regress: Xen ${xen_version:-?} ($xen_label) as $mode, $vcpus vCPU(s)${xen_args:+, Xen options '$xen_args'}: $counts"
    if [ "$result" = CRASH ]; then
        echo "regress: no 'Test result:' line (harness status $harness_status): CRASH; the console's end:"
        tail -n 15 "$log" | sed 's/^/    | /'
    fi
    echo "Test result: $result"

    {
        local xv=${xen_version:-} xl=$xen_label xa=$xen_args
        json_esc xv xl xa
        printf '{\n  "xen": "%s", "xen_image": "%s", "mode": "%s", "vcpus": %d, "xen_args": "%s",\n' \
            "$xv" "$xl" "$mode" "$vcpus" "$xa"
        printf '  "result": "%s", "exit_code": %d,\n  "tests": [' "$result" "$code"
        sep=
        while IFS=$'\037' read -r name verdict reason category source statement value; do
            json_esc name category reason value statement source
            printf '%s\n    {"name": "%s", "category": "%s", "verdict": "%s", "reason": "%s", "value": "%s", "statement": "%s", "source": "%s"}' \
                "$sep" "$name" "$category" "$verdict" "$reason" "$value" "$statement" "$source"
            sep=,
        done < <(tr '\t' '\037' < "$out/results.tsv")
        printf '\n  ]\n}\n'
    } > "$out/results.json"

    {
        total=$(wc -l < "$out/results.tsv")
        n_fail=$(grep -c $'\tFAILURE\t' "$out/results.tsv")
        n_err=$(grep -c $'\tERROR\t' "$out/results.tsv")
        n_skip=$(grep -c $'\tSKIP\t' "$out/results.tsv")
        [ "$result" = CRASH ] && n_err=$((n_err + 1)) && total=$((total + 1))
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        xv=${xen_version:-$xen_label}
        xml_esc xv
        printf '<testsuites>\n<testsuite name="minios-regress Xen %s %s %svcpu" tests="%d" failures="%d" errors="%d" skipped="%d">\n' \
            "$xv" "$mode" "$vcpus" "$total" "$n_fail" "$n_err" "$n_skip"
        while IFS=$'\037' read -r name verdict reason category source statement _; do
            category=${category:-minios}
            xml_esc category name reason statement source
            printf '  <testcase classname="regress.%s" name="%s">' "$category" "$name"
            case "$verdict" in
                FAILURE) printf '<failure message="%s"/>' "$reason" ;;
                ERROR) printf '<error message="%s"/>' "$reason" ;;
                SKIP) printf '<skipped message="%s"/>' "$reason" ;;
            esac
            printf '<system-out>%s (%s)</system-out></testcase>\n' "$statement" "$source"
        done < <(tr '\t' '\037' < "$out/results.tsv")
        [ "$result" = CRASH ] &&
            printf '  <testcase classname="regress" name="run"><error message="no Test result line: CRASH (harness status %d)"/></testcase>\n' "$harness_status"
        printf '</testsuite>\n</testsuites>\n'
    } > "$out/junit.xml"
}

# The run.  --pvh-too (with --domu): the PVH guest follows the PV one in the
# same dom0 (run-domu.sh --pvh-too); each gets its report, the PVH one in
# DIR-pvh, and the exit code is the higher of the two.
mkdir -p "$out"
log="$out/console.log"
read -r -a patterns <<< "$filter"
pvh_opt=() mode_prefix=
[ "$pvh" = 0 ] || pvh_opt=(--pvh) mode_prefix="PVH "
[ "$pvh_too" = 0 ] || pvh_opt=(--pvh-too)
if [ "$domu" = 1 ]; then
    mode="${mode_prefix}domU"
    "$here/run-domu.sh" "${pvh_opt[@]}" --xen "$xen_label" --vcpus "$vcpus" --mem 64 --timeout 600 --log "$log.serial" -- "$image" \
        "${patterns[@]}" > "$log" 2>&1 < /dev/null
else
    mode="${mode_prefix}dom0"
    "$here/run-xen.sh" "${pvh_opt[@]}" --xen "$xen_elf" ${xen_args:+--xen-args "$xen_args"} --vcpus "$vcpus" \
        --timeout 600 --log "$log.serial" -- "$image" "${patterns[@]}" > "$log" 2>&1 < /dev/null
fi
harness_status=$?
if [ "$pvh_too" = 0 ]; then
    report "$out" "$mode" "$harness_status"
    exit $code
fi
mkdir -p "$out-pvh"
mv "$log" "$log.both"
awk -v first="$log" -v second="$out-pvh/console.log" -f "$here/domu/split-out.awk" "$log.both"
rm -f "$log.both"
for part in "$log.serial.guest1:$log.serial" "$log.serial.guest2:$out-pvh/console.log.serial"; do
    [ -f "${part%%:*}" ] && mv "${part%%:*}" "${part#*:}"
done
# guest_status N FILE: run-domu.sh's status for guest N, from its part.
guest_status() {
    local s
    s=$(sed -n "s/^run-domu: guest $1 ([a-z]*): exit status \([0-9]*\)$/\1/p" "$2")
    echo "${s:-$harness_status}"
}
report "$out" domU "$(guest_status 1 "$log")"
pv_code=$code
report "$out-pvh" "PVH domU" "$(guest_status 2 "$out-pvh/console.log")"
[ "$pv_code" -gt "$code" ] && code=$pv_code
exit $code
