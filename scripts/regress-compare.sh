#!/usr/bin/env bash
# `make regress-compare`: the catalogue under Xen 4.17 and 4.20 (and any Xen
# images given), each as dom0 at the same vCPU count, then a table of the
# tests whose verdict, reason or measured value ([...], test_value())
# differs between any two of them: a changed behaviour is a row.  The table is also written to
# build/regress/compare/differences.md.
#
#   scripts/regress-compare.sh [--vcpus N] [--xen-args LINE] IMAGE [XEN_IMAGE...]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vcpus=1 xen_args=
while [ $# -gt 0 ]; do
    case "$1" in
        --vcpus) vcpus=$2; shift 2 ;;
        --xen-args) xen_args=$2; shift 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: scripts/regress-compare.sh [--vcpus N] IMAGE [XEN_IMAGE...]" >&2; exit 2; }
image=$1; shift
base=build/regress/compare
rm -rf "$base"
mkdir -p "$base"
labels=() dirs=()
i=0
for xen in 4.17 4.20 "$@"; do
    i=$((i + 1))
    dir="$base/$i"
    label=$xen
    echo "regress-compare: Xen $label ..."
    "$here/regress.sh" --xen "$xen" ${xen_args:+--xen-args "$xen_args"} --vcpus "$vcpus" --out "$dir" \
        "$image" > "$dir.out" 2>&1
    st=$?
    [ "$st" -eq 2 ] && { cat "$dir.out"; exit 2; }
    ver=$(sed -n 's/^regress: Xen \([^ ]*\) .*/\1/p' "$dir.out")
    labels+=("${ver:-$label}") dirs+=("$dir")
    echo "    $(grep '^regress: Xen' "$dir.out")"
    echo "    $(grep '^Test result:' "$dir.out")"
done

# name<TAB>verdict: reason per side; rows where the sides differ.
{
    printf '| test |'
    for l in "${labels[@]}"; do printf ' Xen %s |' "$l"; done
    printf '\n|---|'
    for _ in "${labels[@]}"; do printf -- '---|'; done
    printf '\n'
    awk -F '\t' -v n="${#dirs[@]}" '
        FNR == 1 { side++ }
        {
            if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 }
            cell[$1, side] = $2 ($3 != "" ? ": " $3 : "") ($7 != "" ? " [" $7 "]" : "")
        }
        END {
            rows = 0
            for (i = 1; i <= count; i++) {
                name = order[i]; differs = 0
                for (s = 2; s <= n; s++) if (cell[name, s] != cell[name, 1]) differs = 1
                if (!differs) continue
                rows++
                line = "| " name " |"
                for (s = 1; s <= n; s++) {
                    c = (name, s) in cell ? cell[name, s] : "(not in this run)"
                    gsub(/\|/, "\\|", c)
                    line = line " " c " |"
                }
                print line
            }
            if (rows == 0) print "| (no test differs) |"
        }' $(for d in "${dirs[@]}"; do echo "$d/results.tsv"; done)
} > "$base/differences.md"
echo
echo "Tests whose verdict or reason differs ($vcpus vCPU(s), as dom0):"
cat "$base/differences.md"
