#!/usr/bin/env bash
# Debug a minios image with gdb: Xen in QEMU with QEMU's gdb stub, the
# machine stopped until gdb has connected and set a breakpoint (main() by
# default), gdb with the image's symbols and the minios commands
# (scripts/gdb/minios.py).  docs/debugging.md tells the story.
#
#   scripts/debug.sh [options] IMAGE [ARG...]
#
#   --vcpus N --mem MIB --args LINE --xen PATH --timeout S
#                  as scripts/run-xen.sh (no hang timeout by default)
#   --break WHERE  where gdb first stops              [main]
#                  (start_kernel: the kernel's C code; _start: the first
#                  instruction Xen runs in the guest)
#   --batch FILE   run gdb's commands from FILE without a terminal, print
#                  what gdb printed, and exit (the tests use this)
#
# The guest's console goes to a file next to the image (console.log):
# `minios console` in gdb shows its end, or `tail -f` it in another terminal.
# Exit status: gdb's.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
brk=main batch= opts=()
die() { echo "debug: $*" >&2; exit 128; }

while [ $# -gt 0 ]; do
    case "$1" in
        --vcpus | --mem | --args | --xen | --timeout)
            [ $# -ge 2 ] || die "$1 needs a value"
            opts+=("$1" "$2"); shift 2 ;;
        --break) [ $# -ge 2 ] || die "$1 needs a value"; brk=$2; shift 2 ;;
        --batch) [ $# -ge 2 ] || die "$1 needs a value"; batch=$2; shift 2 ;;
        --help | -h) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) die "unknown option $1 (try --help)" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || die "no image given (try --help)"
image=$1; shift
[ -f "$image" ] || die "image '$image' not found (make APP=... builds it)"
# A symbol or a *ADDRESS, handed to gdb as one word, never to a shell.
[[ $brk =~ ^(\*?0x[0-9a-fA-F]+|[A-Za-z_][A-Za-z0-9_.]*)$ ]] ||
    die "--break wants a function name or *0xADDRESS, not '$brk'"
[ -z "$batch" ] || [ -f "$batch" ] || die "batch file '$batch' not found"
"$here/deps.sh" debug || exit 128

work=$(mktemp -d "${TMPDIR:-/tmp}/minios-debug.XXXXXX")
sock=$work/gdb.sock
log=$(cd "$(dirname "$image")" && pwd)/console.log
: > "$log"
trap 'kill -TERM -- "-$harness" 2>/dev/null; rm -rf "$work"' EXIT

# The harness in its own process group, so QEMU goes with it at the end.
setsid "$here/run-xen.sh" --gdb "$sock" --log "$log" "${opts[@]}" -- "$image" "$@" \
    </dev/null >"$work/harness.out" 2>&1 &
harness=$!
until [ -S "$sock" ]; do
    kill -0 "$harness" 2>/dev/null || { cat "$work/harness.out" >&2; die "the harness ended before QEMU's gdb stub was up"; }
    sleep 0.2
done
echo "debug: QEMU waits for gdb on $sock; the guest's console: $log" >&2

gdb_args=(-q -iex "set pagination off" -x "$here/gdb/minios.py"
    -ex "target remote $sock" -ex "break $brk" -ex continue)
export MINIOS_CONSOLE_LOG=$log
if [ -n "$batch" ]; then
    gdb -nx -batch "${gdb_args[@]}" -x "$batch" "$image" </dev/null 2>&1
else
    gdb "${gdb_args[@]}" "$image"
fi
