#!/usr/bin/env bash
# Build newlib, the C library minios applications link with, from Debian's
# newlib-source package, and install its headers, libc.a and libm.a:
#
#   scripts/build-newlib.sh OUTDIR TARBALL SHA256 [PATCHDIR]
#
# The Makefile passes build/newlib, the tarball of Debian's newlib-source
# (NEWLIB_TARBALL), its pinned checksum (a different tarball is refused: the
# build is reproducible only from the same input) and scripts/newlib-patches.
# PATCHDIR's *.patch are applied in name order, then the files under
# PATCHDIR/../newlib-files/ replace newlib's own (whole files of ours: fma).
# Without PATCHDIR newlib is built as shipped (for measuring it).
#
# Result: OUTDIR/include/ (newlib's headers), OUTDIR/lib/{libc.a,libm.a} and
# OUTDIR/.inputs, which names what the build was made from.  The library is
# built with the host gcc and binutils, for a freestanding x86-64 target, and
# never sees the host C library's headers (-nostdinc).  The build is
# reproducible: the same tarball, script and tools give byte-identical files,
# wherever the checkout is (scratch paths are mapped out of the debug info and
# Debian's ar writes deterministic archives).
#
# OUTDIR is replaced only once the whole build has succeeded; a failed build
# leaves its scratch directory (and log) under build/ and says where.  Set
# NEWLIB_KEEP_WORK=1 to keep it after a successful build too.
# The syscall glue newlib needs from the kernel is listed in docs/newlib-glue.md.
set -euo pipefail

TARGET=x86_64-elf

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 OUTDIR TARBALL SHA256 [PATCHDIR]" >&2
    exit 2
fi
TARBALL=$2
if [ ! -f "$TARBALL" ]; then
    echo "build-newlib: $TARBALL is missing; run: make deps-newlib" >&2
    exit 1
fi
sum=$(sha256sum < "$TARBALL" | cut -d' ' -f1)
if [ "$sum" != "$3" ]; then
    echo "build-newlib: $TARBALL has sha256 $sum, not the pinned $3" >&2
    exit 1
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
patches=()
files=()
if [ $# -eq 4 ]; then
    patchdir=$(cd "$4" && pwd)
    patches=("$patchdir"/*.patch)
    [ -f "${patches[0]}" ] || patches=()
    filedir=$(dirname "$patchdir")/newlib-files
    if [ -d "$filedir" ]; then
        mapfile -t files < <(cd "$filedir" && find . -type f | sort)
    fi
fi
mkdir -p "$(dirname "$1")"
outdir=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

# Locale and umask are inputs too: they decide sort orders (archive member
# lists come from shell globs) and the modes of installed files.
export LC_ALL=C
umask 022
unset CFLAGS CPPFLAGS LDFLAGS CC AR LD MAKEFLAGS MFLAGS GCC_EXEC_PREFIX COMPILER_PATH \
    LIBRARY_PATH C_INCLUDE_PATH CPATH

# What the result is made from.  If OUTDIR already holds a build of exactly
# these inputs (e.g. git only touched the script), just mark it fresh.
gcc_inc=$(gcc -print-file-name=include)
inputs=$(
    printf 'tarball %s %s\n' "$(basename "$TARBALL")" "$sum"
    printf 'script  %s\n' "$(sha256sum < "$0" | cut -d' ' -f1)"
    for p in ${patches[@]+"${patches[@]}"}; do
        printf 'patch   %s %s\n' "$(basename "$p")" "$(sha256sum < "$p" | cut -d' ' -f1)"
    done
    for f in ${files[@]+"${files[@]}"}; do
        printf 'file    %s %s\n' "${f#./}" "$(sha256sum < "$filedir/$f" | cut -d' ' -f1)"
    done
    printf 'gcc     %s\n' "$(gcc --version | head -n 1)"
    printf 'ld      %s\n' "$(ld --version | head -n 1)"
)
if [ -f "$outdir/.inputs" ] && [ "$(cat "$outdir/.inputs")" = "$inputs" ] &&
    [ -f "$outdir/lib/libc.a" ] && [ -f "$outdir/lib/libm.a" ]; then
    touch "$outdir/.inputs"
    echo "newlib: $outdir is up to date"
    exit 0
fi

mkdir -p "$repo/build"
work=$(mktemp -d "$repo/build/newlib-work.XXXXXX")
log=$work/build.log
start=$(date +%s)
trap 'echo "build-newlib: failed; log: $log (last lines below)" >&2; tail -n 25 "$log" >&2' ERR

echo "newlib: unpacking $(basename "$TARBALL") into $work"
mkdir "$work/src"
tar -xJf "$TARBALL" -C "$work/src" > "$log" 2>&1
# The tarball's one top directory (newlib-salsa in 3.3, newlib-VERSION later).
src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d)
[ "$(printf '%s\n' "$src" | wc -l)" -eq 1 ] ||
    { echo "build-newlib: $TARBALL has no single top directory" >&2; exit 1; }
# Our changes to newlib, each explained at its top (scripts/newlib-patches/,
# listed in docs/newlib-glue.md).
for p in ${patches[@]+"${patches[@]}"}; do
    echo "newlib: applying $(basename "$p")"
    patch -d "$src" -p1 --no-backup-if-mismatch < "$p" >> "$log" 2>&1
done
for f in ${files[@]+"${files[@]}"}; do
    echo "newlib: replacing ${f#./}"
    mkdir -p "$(dirname "$src/$f")"
    cp "$filedir/$f" "$src/$f"
done
obj=$work/obj
stage=$work/stage
mkdir -p "$obj"

# The compiler for the target is the host gcc, made freestanding:
#   -m64 -mno-red-zone   Xen writes exception bounce frames just below %rsp,
#                        so nothing may live there (same as the kernel).
#   -fno-pie             the image is linked static, at a fixed address below
#                        2 GiB; Debian's gcc defaults to PIE.
#   -fno-stack-protector no TLS canary exists in minios.
#   -fno-asynchronous-unwind-tables   no .eh_frame: the image discards it and
#                        backtraces walk frame pointers instead.
#   -fcf-protection=none no endbr64 / .note.gnu.property (as the kernel).
#   -Wa,--noexecstack    newlib's x86_64 assembly (memcpy.S, setjmp.S...) has
#                        no .note.GNU-stack, which makes ld warn about an
#                        executable stack when it is linked.
#   -nostdinc -idirafter <gcc include>: newlib's own headers (the top-level
#                        Makefile adds them with -isystem) plus the compiler's
#                        freestanding ones (stddef.h, stdarg.h, float.h...);
#                        never /usr/include or glibc's headers.
cc_for_target="gcc -m64 -mno-red-zone -fno-pie -fno-stack-protector"
cc_for_target+=" -fno-asynchronous-unwind-tables -fcf-protection=none -Wa,--noexecstack"
cc_for_target+=" -nostdinc -idirafter $gcc_inc"

# Flags for compiling the library:
#   -O2 -g               optimised, with debug info for gdb and addr2line.
#   -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer  so the kernel's
#                        backtrace walks through libc frames, leaf functions
#                        (strlen, memchr...) included: their caller shows.
#   -ffunction-sections -fdata-sections  each function and object in a
#                        section of its own, as the kernel's: --gc-sections
#                        then drops the parts of a member nothing reaches
#                        (locale.o's setlocale behind printf's
#                        __locale_mb_cur_max), not only whole members.
#   -D__DYNAMIC_REENT__  _REENT is __getreent(), so each thread gets its own
#                        errno and stdio state once the kernel provides it.
#   -MD                  a dependency file per object, to prove below that
#                        no header came from outside newlib and gcc.
#   -ffile-prefix-map    the scratch path (random, checkout-dependent) becomes
#                        /usr/src/newlib in debug info and __FILE__: the output
#                        does not depend on where it was built.
cflags_for_target="-O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"
cflags_for_target+=" -ffunction-sections -fdata-sections"
cflags_for_target+=" -D__DYNAMIC_REENT__ -MD"
cflags_for_target+=" -ffile-prefix-map=$work=/usr/src/newlib"

# Configure options:
#   --target=x86_64-elf  generic ELF: no OS support code (no sys/ directory,
#                        no crt0); syscalls are the plain names `write`, `sbrk`...
#                        (MISSING_SYSCALL_NAMES), which the kernel provides.
#                        newlib's --disable-newlib-supplied-syscalls would only
#                        define __NO_SYSCALLS__, which nothing on this target
#                        reads, so it is not passed.
#   --disable-libgloss   the top level would also build libgloss, which for
#                        x86_64-elf is only libnosys (syscalls failing with
#                        ENOSYS): the kernel provides the real ones.  Only
#                        the newlib targets are made below in any case.
#   --prefix             irrelevant: installed into a staging directory.
#   --disable-multilib   one library, for -m64 only.
#   --enable-newlib-io-long-long     printf/scanf %lld, %llu.
#   --enable-newlib-io-c99-formats   printf/scanf %zu, %td, %jd, %hhd.
#   --enable-newlib-retargetable-locking  stdio/malloc/atexit... take locks
#                        through __retarget_lock_*(), which the kernel provides
#                        (newlib's own versions are single-threaded no-ops).
#   --enable-newlib-mb   multibyte characters (_MB_CAPABLE): setlocale accepts
#                        "C.UTF-8" and mbrtowc & co then decode UTF-8; without
#                        it setlocale knows only "C" and "POSIX".
# Everything else keeps newlib's defaults (full struct _reent, no nano
# formatted I/O, standard malloc).
configure_args=(
    --target="$TARGET"
    --prefix=/usr/local
    --disable-libgloss
    --disable-multilib
    --enable-newlib-io-long-long
    --enable-newlib-io-c99-formats
    --enable-newlib-retargetable-locking
    --enable-newlib-mb
)
tools=()
for t in AR AS LD NM OBJCOPY OBJDUMP RANLIB READELF STRIP; do
    tools+=("${t}_FOR_TARGET=${t,,}")   # e.g. AR_FOR_TARGET=ar
done

echo "newlib: configuring for $TARGET (log: $log)"
(cd "$obj" && "$src/configure" "${configure_args[@]}" \
    CC_FOR_TARGET="$cc_for_target" CFLAGS_FOR_TARGET="$cflags_for_target" \
    "${tools[@]}") >> "$log" 2>&1

echo "newlib: building with make -j$(nproc)"
make -C "$obj" -j"$(nproc)" all-target-newlib >> "$log" 2>&1
make -C "$obj" install-target-newlib DESTDIR="$stage" >> "$log" 2>&1

# newlib's regular expressions (regcomp, regexec, regerror, regfree: the
# <regex.h> it installs), from libc/posix/, which the x86_64-elf target does
# not build: that directory also brings exec*, popen and a dirent of its own,
# where runtime/ has its answers.  Compiled like the rest (-MD included, so
# the check below covers them) against the installed headers, and added to
# libc.a.  collate.c gives regcomp its "no collation table loaded" answer:
# bracket ranges compare by character code.
installed_inc=$stage/usr/local/$TARGET/include
mkdir -p "$obj/posix-regex"
regex_objs=()
for f in regcomp regerror regexec regfree collate collcmp; do
    # From inside the scratch tree: the debug info's directory is mapped too.
    # shellcheck disable=SC2086  # the two flag strings are word lists
    (cd "$obj/posix-regex" && $cc_for_target $cflags_for_target -isystem "$installed_inc" \
        -c "$src/newlib/libc/posix/$f.c" -o "$f.o") >> "$log" 2>&1
    regex_objs+=("$obj/posix-regex/$f.o")
done
ar rcsD "$stage/usr/local/$TARGET/lib/libc.a" "${regex_objs[@]}" >> "$log" 2>&1
echo "newlib: added libc/posix's regex (${#regex_objs[@]} files) to libc.a"

# Every file any object was compiled from must be newlib's (source or build
# tree) or one of gcc's freestanding headers; -nostdinc should guarantee it,
# this proves it.  Paths in a .d file are relative to its directory.
# (newlib 3.3's recursive makefiles leave our -MD's .d files; 4.x's automake
# moves them to .deps/*.Po, where "# dummy" marks a file with none.)
find "$obj" \( -name '*.d' -o -name '*.Po' \) -print0 |
    xargs -0 awk '/^#/ { next } { d = FILENAME; sub(/\/[^\/]*$/, "", d)
                   for (i = 1; i <= NF; i++) if ($i != "\\" && $i !~ /:$/)
                       print ($i ~ /^\// ? $i : d "/" $i) }' |
    sort -u | xargs -r realpath -ms -- | sort -u > "$work/dependencies"
ndeps=$(wc -l < "$work/dependencies")
if [ "$ndeps" -lt 1000 ]; then
    echo "build-newlib: only $ndeps dependencies in $obj/**/*.d: was -MD lost?" >&2
    exit 1
fi
if grep -v -e "^$work/" -e "^$gcc_inc/" "$work/dependencies" > "$work/foreign"; then
    echo "build-newlib: newlib was compiled with files from outside its tree:" >&2
    head -n 20 "$work/foreign" >&2
    exit 1
fi
echo "newlib: $ndeps source files and headers, all newlib's or gcc's"

# Only the headers and the two libraries go to OUTDIR; newlib also installs
# libg.a (a copy of libc.a) and nothing else we use.
installed=$stage/usr/local/$TARGET
tmp=$outdir.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp/lib"
cp -R "$installed/include" "$tmp/include"
cp "$installed/lib/libc.a" "$installed/lib/libm.a" "$tmp/lib/"
printf '%s\n' "$inputs" > "$tmp/.inputs"
# For make bench and the test log: what building it cost here.
echo "$(($(date +%s) - start))" > "$tmp/build-seconds"
rm -rf "$outdir"
mv "$tmp" "$outdir"

trap - ERR
if [ "${NEWLIB_KEEP_WORK:-0}" = 1 ]; then
    echo "newlib: kept $work"
else
    rm -rf "$work"
fi
echo "newlib: built in $(($(date +%s) - start)) s -> $outdir"
