#!/usr/bin/env bash
# `make install`: copies what an application needs to build against minios
# outside this tree into PREFIX (docs/applications.md):
#
#   PREFIX/bin/minios-link               the link (objects -> bootable image + xl config)
#   PREFIX/bin/minios-cc                 a compiler driver for CC= (compile and link)
#   PREFIX/bin/x86_64-minios-gcc, -cc, -ar, -ranlib, -nm, ...   the same as a tool
#                                        set for ./configure --host=x86_64-minios,
#                                        and as x86_64-minios-elf-* (a name
#                                        autoconf's config.sub accepts)
#   PREFIX/lib/minios/minios.cmake       a CMake toolchain file (those tools)
#   PREFIX/lib/minios/libminios.a        the kernel, glue and pthreads: one object whose
#                                        internals are hidden symbols
#   PREFIX/lib/minios/libc.a, libm.a     newlib
#   PREFIX/lib/minios/minios.lds, gen-symbols.sh, minios.xl.cfg.in
#   PREFIX/lib/minios/include/           <minios/...>, <xen/...>, our POSIX headers
#                                        (<pthread.h>, <semaphore.h>, <sys/mman.h>...)
#                                        and the compiler's <stdatomic.h>
#   PREFIX/lib/minios/libc-include/      newlib's headers
#   PREFIX/lib/minios/minios.mk          MINIOS_CFLAGS, MINIOS_LINK for Makefiles
#   PREFIX/lib/minios/cflags             the ABI flags and defines, for minios-cc
#   PREFIX/lib/pkgconfig/minios.pc       the same flags for pkg-config
#
#   scripts/install-sdk.sh PREFIX SDK_DIR SYSROOT_INCLUDE NEWLIB_INCLUDE "FLAGS" VERSION
set -euo pipefail

[ $# -eq 6 ] || { echo "usage: $0 PREFIX SDK_DIR SYSROOT_INCLUDE NEWLIB_INCLUDE FLAGS VERSION" >&2; exit 2; }
prefix=$1 sdk=$2 sysroot_inc=$3 newlib_inc=$4 flags=$5 version=$6
case "$prefix" in
    /*) ;;
    *) echo "install-sdk: PREFIX must be an absolute path (got '$prefix')" >&2; exit 2 ;;
esac

lib=$prefix/lib/minios
mkdir -p "$prefix/bin" "$lib" "$prefix/lib/pkgconfig"
# -L: the build's kit is mostly links into the tree; install real files.
cp -L "$sdk/bin/minios-link" "$sdk/bin/minios-cc" "$prefix/bin/"
cp -L "$sdk/lib/minios/"* "$lib/"
rm -rf "$lib/include" "$lib/libc-include"
cp -RL "$sysroot_inc" "$lib/include"
cp -RL "$newlib_inc" "$lib/libc-include"

echo "$flags" > "$lib/cflags"

# A tool set named for --host: the compiler is minios-cc, the rest the host's
# binutils (minios objects are ordinary x86-64 ELF).  Small scripts, not
# links, so the tree can be moved.
for triplet in x86_64-minios x86_64-minios-elf; do
    for tool in gcc cc; do
        printf '#!/bin/sh\n# %s: minios-cc, for --host=%s.\nexec "$(dirname "$0")/minios-cc" "$@"\n' \
            "$triplet-$tool" "$triplet" > "$prefix/bin/$triplet-$tool"
    done
    for tool in ar ranlib nm objcopy objdump strip readelf size strings as ld; do
        printf '#!/bin/sh\n# %s: the host binutils (minios objects are x86-64 ELF).\nexec %s "$@"\n' \
            "$triplet-$tool" "$tool" > "$prefix/bin/$triplet-$tool"
    done
done
chmod 755 "$prefix"/bin/x86_64-minios-*

# CMake: cmake -DCMAKE_TOOLCHAIN_FILE=PREFIX/lib/minios/minios.cmake.
cat > "$lib/minios.cmake" <<'CMAKE'
# minios as a CMake cross target (docs/applications.md).  Executables are
# bootable images, NAME.elf with an xl config NAME.cfg beside them.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
get_filename_component(MINIOS_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(CMAKE_C_COMPILER "${MINIOS_PREFIX}/bin/x86_64-minios-gcc")
set(CMAKE_AR "${MINIOS_PREFIX}/bin/x86_64-minios-ar" CACHE FILEPATH "ar")
set(CMAKE_RANLIB "${MINIOS_PREFIX}/bin/x86_64-minios-ranlib" CACHE FILEPATH "ranlib")
# (CMake's generic platform resets CMAKE_EXECUTABLE_SUFFIX after this file.)
set(CMAKE_EXECUTABLE_SUFFIX_C ".elf")
# Headers and libraries come from the kit only, programs from the host.
set(CMAKE_FIND_ROOT_PATH "${MINIOS_PREFIX}/lib/minios")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
CMAKE

# Relative to the file's own place, so the installed tree can be moved.
cat > "$lib/minios.mk" <<EOF
# minios $version for an application's Makefile (docs/applications.md):
#     include $lib/minios.mk
#     app.o: app.c ; \$(CC) \$(MINIOS_CFLAGS) -c \$< -o \$@
#     app.elf: app.o ; \$(MINIOS_LINK) -o \$@ \$^
MINIOS_LIBDIR := \$(patsubst %/,%,\$(dir \$(lastword \$(MAKEFILE_LIST))))
MINIOS_CFLAGS := -nostdinc $flags \\
    -isystem \$(MINIOS_LIBDIR)/include -isystem \$(MINIOS_LIBDIR)/libc-include \\
    -isystem \$(shell \$(CC) -print-file-name=include)
MINIOS_LINK := \$(MINIOS_LIBDIR)/../../bin/minios-link
EOF

# pkg-config cannot ask the compiler: gcc's own header directory is the one
# of the compiler present at install time.
cat > "$prefix/lib/pkgconfig/minios.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib/minios
gccinclude=$(gcc -print-file-name=include)

Name: minios
Description: x86-64 Xen PV unikernel: compile flags (link with \${prefix}/bin/minios-link)
Version: $version
Cflags: -nostdinc $flags -isystem \${libdir}/include -isystem \${libdir}/libc-include -isystem \${gccinclude}
EOF
echo "minios $version installed in $prefix (link with $prefix/bin/minios-link)"
