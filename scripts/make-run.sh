#!/usr/bin/env bash
# `make run` and `make run-domu`: make's variables, handed over in the
# environment by the Makefile, become the harness's options.  Nothing here
# evaluates them: each is one argument, and ARGS is one --args line that
# the harness splits by the guest's rules (scripts/guest-args.sh).
#
#   scripts/make-run.sh run-xen|run-domu|debug IMAGE
#
# Exits with the harness's status, after saying so when it is not 0.
# MINIOS_DRY_RUN=1 in the environment: the harness's --dry-run.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
harness=$1 image=$2
opts=()
[ -n "${MINIOS_MAKE_VCPUS:-}" ] && opts+=(--vcpus "$MINIOS_MAKE_VCPUS")
# MODE=pv (the default) or pvh: how Xen starts the same image (docs/pvh.md).
case "${MINIOS_MAKE_MODE:-pv}" in
    pv) ;;
    pvh) [ "$harness" = debug ] && { echo "make: MODE=pvh: not for 'make debug' yet" >&2; exit 2; }
         opts+=(--pvh) ;;
    *) echo "make: MODE wants pv or pvh" >&2; exit 2 ;;
esac
[ -n "${MINIOS_MAKE_MEM:-}" ] && opts+=(--mem "$MINIOS_MAKE_MEM")
[ -n "${MINIOS_MAKE_TIMEOUT:-}" ] && opts+=(--timeout "$MINIOS_MAKE_TIMEOUT")
[ "$harness" != run-domu ] && [ -n "${MINIOS_MAKE_XEN:-}" ] && opts+=(--xen "$MINIOS_MAKE_XEN")
[ "$harness" = run-domu ] && [ -n "${MINIOS_MAKE_NET:-}" ] && opts+=(--net "$MINIOS_MAKE_NET")
[ "$harness" = run-domu ] && [ -n "${MINIOS_MAKE_NET_IP:-}" ] && opts+=(--net-ip "$MINIOS_MAKE_NET_IP")
# DISK="file[:ro] ...": one --disk per word (split, never expanded).
if [ "$harness" = run-domu ] && [ -n "${MINIOS_MAKE_DISK:-}" ]; then
    read -ra disk_words <<< "$MINIOS_MAKE_DISK"
    for d in "${disk_words[@]}"; do
        opts+=(--disk "$d")
    done
fi
[ -n "${MINIOS_MAKE_ARGS:-}" ] && opts+=(--args "$MINIOS_MAKE_ARGS")
# CORE=1: a crashed domU's core next to the image; CORE=path: there.
if [ "$harness" = run-domu ] && [ -n "${MINIOS_MAKE_CORE:-}" ] && [ "$MINIOS_MAKE_CORE" != 0 ]; then
    if [ "$MINIOS_MAKE_CORE" = 1 ]; then
        opts+=(--core "$(dirname "$image")/core")
    else
        opts+=(--core "$MINIOS_MAKE_CORE")
    fi
fi
if [ "$harness" = debug ]; then
    [ -n "${MINIOS_MAKE_BREAK:-}" ] && opts+=(--break "$MINIOS_MAKE_BREAK")
else
    [ "${MINIOS_MAKE_V:-}" = 1 ] && opts+=(--verbose)
    # For tests of this path: every check, then the command line, no boot.
    [ "${MINIOS_DRY_RUN:-}" = 1 ] && opts+=(--dry-run)
fi

"$here/$harness.sh" "${opts[@]}" -- "$image"
st=$?
[ "$st" -eq 0 ] ||
    echo "make ${harness/run-xen/run}: scripts/$harness.sh exited with status $st (docs/exit-status.md)" >&2
exit "$st"
