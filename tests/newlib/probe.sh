#!/usr/bin/env bash
# What linking an application with newlib asks of the kernel, and what it
# costs.  Compiles tests/newlib/*.c with the application flags in $CFLAGS
# (the Makefile's NEWLIB_APP_CFLAGS), links them partially (ld -r) against
# NEWLIB_DIR's libc.a and libm.a, and writes into OUTDIR:
#
#   undefined      symbols still undefined: the kernel must provide them
#   defaults       symbols newlib's single-threaded placeholder members
#                  (lock.o, getreent.o) supplied; the kernel overrides them
#   headers        every header the probes included (from gcc's -MD output)
#   sizes          libc.a/libm.a sizes and what printf_malloc.c pulls in
#
# and prints a summary (`make newlib-check`).  tests/newlib.sh checks the
# files against docs/newlib-glue.md's contract.
#
#   CFLAGS="..." tests/newlib/probe.sh NEWLIB_DIR OUTDIR
set -euo pipefail

if [ $# -ne 2 ] || [ -z "${CFLAGS:-}" ]; then
    echo "usage: CFLAGS=\"...\" $0 NEWLIB_DIR OUTDIR" >&2
    exit 2
fi
nl=$1 out=$2
here=$(dirname "$0")
libc=$nl/lib/libc.a libm=$nl/lib/libm.a
export LC_ALL=C
mkdir -p "$out"

# -MD, not the application flags' -MMD: list newlib's headers too (-isystem
# makes them "system" headers, which -MMD leaves out).
cflags=()
for f in $CFLAGS; do
    case "$f" in -MMD | -MP) ;; *) cflags+=("$f") ;; esac
done
for prog in probe printf_malloc; do
    gcc "${cflags[@]}" -MD -MF "$out/$prog.d" -c "$here/$prog.c" -o "$out/$prog.o"
    # Whatever the archives cannot resolve stays undefined in the result.
    ld -r -o "$out/$prog-libc.o" "$out/$prog.o" "$libc" "$libm"
done

# Headers: every dependency gcc recorded, one per line, without the sources.
sed -e 's/\\$//' -e 's/^[^:]*://' "$out"/*.d | tr ' ' '\n' | grep -v '^$' |
    grep -v '\.c$' | sort -u > "$out/headers"

nm -u "$out/probe-libc.o" | awk '{print $2}' | sort > "$out/undefined"

# The placeholder members: link again, without them, and see what they gave.
placeholders="lib_a-lock.o lib_a-getreent.o"
cp "$libc" "$out/libc-noplaceholders.a"
# shellcheck disable=SC2086
ar d "$out/libc-noplaceholders.a" $placeholders
ld -r -o "$out/probe-noplaceholders.o" "$out/probe.o" "$out/libc-noplaceholders.a" "$libm"
nm -u "$out/probe-noplaceholders.o" | awk '{print $2}' | sort |
    comm -13 "$out/undefined" - > "$out/defaults"
rm -f "$out/libc-noplaceholders.a"

# Sizes.  text = .text + .rodata (as size(1) counts it); a full static link
# with --gc-sections and the kernel's symbols left unresolved shows what a
# section-level garbage collection could still drop.
text_of() { size "$1" | awk 'NR==2 {print $1, $2, $3}'; }
ld -static -nostdlib -z noexecstack -e main --gc-sections --unresolved-symbols=ignore-all \
    -o "$out/printf_malloc.elf" "$out/printf_malloc.o" "$libc" "$libm" "$(gcc -print-libgcc-file-name)"
{
    echo "libc.a $(stat -c %s "$libc")"
    echo "libm.a $(stat -c %s "$libm")"
    echo "printf_malloc.o $(text_of "$out/printf_malloc.o")"
    echo "printf_malloc-libc.o $(text_of "$out/printf_malloc-libc.o")"
    echo "printf_malloc.elf $(text_of "$out/printf_malloc.elf")"
} > "$out/sizes"

echo "newlib from $nl:"
awk '$1 ~ /\.a$/ {printf "  %-8s %9d bytes\n", $1, $2}' "$out/sizes"
printf 'printf("%%d\\n") + malloc (text data bss, bytes):\n'
awk '$1 ~ /printf_malloc/ {printf "  %-22s %7d %6d %6d\n", $1, $2, $3, $4}' "$out/sizes"
echo "  (-libc.o: ld -r with libc.a/libm.a; .elf: static link with --gc-sections)"
echo "undefined after linking tests/newlib/probe.c (the kernel must provide them):"
sed 's/^/  /' "$out/undefined"
echo "supplied by newlib's single-threaded placeholders ($placeholders):"
sed 's/^/  /' "$out/defaults"
echo "headers outside $nl/include and gcc's own:"
grep -v -e "^$nl/include/" -e "^$(gcc -print-file-name=include)/" "$out/headers" |
    sed 's/^/  /' || echo "  none"
