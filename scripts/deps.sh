#!/usr/bin/env bash
# Make sure the Debian packages a make target needs are present.
#
#   scripts/deps.sh GROUP...     GROUP: build run domu newlib fuzz sdk format ported debug lwip
#
# As root, missing packages are installed with apt-get (running `apt-get update`
# first when the package index does not know one of them).  Otherwise the exact
# `apt-get install` line is printed and the script fails: nothing is ever
# fetched from anywhere but Debian's archive, and nothing is done behind the
# user's back.
set -euo pipefail

# group -> "test-path:package" pairs; a pair is satisfied when the path exists
# (the path may be a glob: it is satisfied when something matches).
want_build=(
    "/usr/bin/gcc:gcc"
    "/usr/bin/ld:binutils"
    "/usr/bin/make:make"
    "/usr/include/xen/xen.h:libxen-dev"
)
want_run=(
    "/usr/bin/qemu-system-x86_64:qemu-system-x86"
    "/usr/bin/dpkg-deb:dpkg"
    "/usr/bin/timeout:coreutils"
)
# For assembling the domU harness's dom0 from Debian packages (scripts/domu/).
want_domu=(
    "/usr/bin/apt-get:apt"
    "/usr/bin/cpio:cpio"
    "/usr/bin/xz:xz-utils"
    "/usr/bin/readelf:binutils"
)
# (newlib's source itself is Debian 13's newlib-source, fetched by make
# deps-newlib with scripts/fetch-deb.sh: the machine's release has 3.3.)
want_newlib=(
    "/usr/bin/xz:xz-utils"
    "/usr/bin/apt-get:apt"
    "/usr/bin/dpkg-deb:dpkg"
)
# pkg-config, for building applications against an installed minios (tests/sdk.sh).
# lwIP, the TCP/IP stack: Debian's source package with its patches.
want_lwip=(
    "/usr/bin/apt-get:apt"
    "/usr/bin/dpkg-source:dpkg-dev"
    "/usr/bin/xz:xz-utils"
)
want_sdk=(
    "/usr/bin/pkg-config:pkgconf"
)
# libFuzzer for tests/fuzz/: Debian's clang-14 and its compiler-rt runtime
# (which holds libFuzzer and the sanitizers).
want_fuzz=(
    "/usr/bin/clang-14:clang-14"
    "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev"
)
# The formatter the style is kept by (scripts/check-format.sh): one version,
# since another may lay the same code out differently.
want_format=(
    "/usr/bin/clang-format-14:clang-format-14"
)
# Unpacking Debian's source tarballs for the ported programs (tests/sdk.sh).
want_ported=(
    "/usr/bin/apt-get:apt"
    "/usr/bin/bzip2:bzip2"
    "/usr/bin/xz:xz-utils"
)
# gdb (with its Python API) for `make debug` and its test.
want_debug=(
    "/usr/bin/gdb:gdb"
)

missing=()
for group in "$@"; do
    case "$group" in
        build)  pairs=("${want_build[@]}") ;;
        run)    pairs=("${want_run[@]}") ;;
        domu)   pairs=("${want_domu[@]}") ;;
        newlib) pairs=("${want_newlib[@]}") ;;
        fuzz)   pairs=("${want_fuzz[@]}") ;;
        sdk)    pairs=("${want_sdk[@]}") ;;
        format) pairs=("${want_format[@]}") ;;
        ported) pairs=("${want_ported[@]}") ;;
        debug)  pairs=("${want_debug[@]}") ;;
        lwip)   pairs=("${want_lwip[@]}") ;;
        *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
    esac
    for pair in "${pairs[@]}"; do
        path=${pair%%:*}
        pkg=${pair#*:}
        compgen -G "$path" > /dev/null && continue
        case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
    done
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "minios needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    echo "deps.sh: apt-get install failed; refreshing the package index and retrying" >&2
    apt-get update >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
