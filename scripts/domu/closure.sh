# The shared-library closure of the dom0's programs, found the way the
# dynamic linker would: each ELF file's program interpreter and NEEDED
# entries (`readelf`), looked up in the library directories of unpacked
# Debian packages.  Sourced by scripts/domu/build-dom0.sh (after debs.sh),
# not run.
#
# A soname no unpacked package has is looked for in the Depends of the
# package that needs it: Debian policy makes a package depend on the package
# of every shared library it links against.  Library packages (lib*) are
# fetched first; the other dependencies only if those do not have it.
#
# State, set by the caller:  DEBDIR (downloaded .debs), PKGDIR (one unpacked
# tree per package), ROOT (the initramfs being staged).
#   closure_unpack PKG...            fetch and unpack into PKGDIR/PKG
#   closure_add FILE PKG             stage nothing, but walk FILE (already in
#                                    ROOT, from package PKG) and stage every
#                                    library it needs, recursively
#   closure_add_lib SONAME PKG       stage one library that PKG's files
#                                    dlopen() (or that PKG itself holds),
#                                    and what it needs
# Staged libraries go to ROOT/lib/x86_64-linux-gnu, on the dynamic linker's
# default path; closure_used lists "PKG" for each package used.

LIBDIR=lib/x86_64-linux-gnu
declare -A closure_have=()      # soname -> 1 once staged
declare -A closure_pkgs=()      # package -> 1 once something of it is staged

closure_unpack() {
    local pkg todo=()
    for pkg in "$@"; do
        [ -d "$PKGDIR/$pkg" ] || todo+=("$pkg")
    done
    [ ${#todo[@]} -eq 0 ] && return 0
    debs_fetch "$DEBDIR" "${todo[@]}" || return 1
    for pkg in "${todo[@]}"; do
        local deb
        deb=$(debs_file "$DEBDIR" "$pkg") || return 1
        mkdir -p "$PKGDIR/$pkg.tmp"
        dpkg-deb -x "$deb" "$PKGDIR/$pkg.tmp" || { echo "closure: cannot unpack $deb" >&2; return 1; }
        mv "$PKGDIR/$pkg.tmp" "$PKGDIR/$pkg"
    done
}

# _closure_locate SONAME: "PKG PATH" of the first unpacked package that has
# SONAME in a library directory.
_closure_locate() {
    local name=$1 tree d
    for tree in "$PKGDIR"/*/; do
        tree=${tree%/}
        case "$tree" in *.tmp) continue ;; esac
        for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64 lib usr/lib; do
            if [ -e "$tree/$d/$name" ] || [ -L "$tree/$d/$name" ]; then
                echo "${tree##*/} $tree/$d/$name"
                return 0
            fi
        done
    done
    return 1
}

# _closure_resolve TREE PATH: follows symbolic links inside TREE (an absolute
# link target means TREE/target), prints the regular file reached.
_closure_resolve() {
    local tree=$1 path=$2 target hops=0
    while [ -L "$path" ]; do
        target=$(readlink "$path")
        case "$target" in
            /*) path="$tree$target" ;;
            *) path="$(dirname "$path")/$target" ;;
        esac
        hops=$((hops + 1))
        [ "$hops" -le 16 ] || { echo "closure: symbolic link loop at $2" >&2; return 1; }
    done
    [ -f "$path" ] || { echo "closure: $2 leads to a missing file ($path)" >&2; return 1; }
    echo "$path"
}

# _closure_find SONAME OWNER NEEDED_BY: "PKG PATH" of SONAME, fetching
# OWNER's dependencies if no unpacked package has it yet.
_closure_find() {
    local name=$1 owner=$2 needed_by=$3 found deb deps=() libs=() others=() dep
    if found=$(_closure_locate "$name"); then
        echo "$found"; return 0
    fi
    deb=$(debs_file "$DEBDIR" "$owner") || return 1
    mapfile -t deps < <(debs_depends "$deb")
    for dep in "${deps[@]}"; do
        case "$dep" in lib*) libs+=("$dep") ;; *) others+=("$dep") ;; esac
    done
    if [ ${#libs[@]} -gt 0 ]; then
        closure_unpack "${libs[@]}" || return 1
        found=$(_closure_locate "$name") && { echo "$found"; return 0; }
    fi
    if [ ${#others[@]} -gt 0 ]; then
        closure_unpack "${others[@]}" || return 1
        found=$(_closure_locate "$name") && { echo "$found"; return 0; }
    fi
    echo "closure: no package among the dependencies of $owner has $name" \
         "(needed by $needed_by)" >&2
    return 1
}

# _closure_stage SONAME OWNER NEEDED_BY: copies the library into ROOT and
# walks it in turn.
_closure_stage() {
    local name=$1 owner=$2 needed_by=$3 found pkg path real
    [ -n "${closure_have[$name]:-}" ] && return 0
    found=$(_closure_find "$name" "$owner" "$needed_by") || return 1
    pkg=${found%% *} path=${found#* }
    real=$(_closure_resolve "$PKGDIR/$pkg" "$path") || return 1
    mkdir -p "$ROOT/$LIBDIR"
    cp "$real" "$ROOT/$LIBDIR/$name"
    closure_have[$name]=1
    closure_pkgs[$pkg]=1
    closure_add "$ROOT/$LIBDIR/$name" "$pkg"
}

closure_add() {
    local file=$1 pkg=$2 interp name
    closure_pkgs[$pkg]=1
    readelf -h "$file" > /dev/null 2>&1 || { echo "closure: $file is not an ELF file" >&2; return 1; }
    interp=$(readelf -l "$file" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p')
    if [ -n "$interp" ]; then
        _closure_stage "${interp##*/}" "$pkg" "${file#"$ROOT"}" || return 1
        # The interpreter is also needed at the exact path the file names.
        if [ ! -e "$ROOT$interp" ]; then
            mkdir -p "$ROOT${interp%/*}"
            ln -s "/$LIBDIR/${interp##*/}" "$ROOT$interp"
        fi
    fi
    local needed=()
    mapfile -t needed < <(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    for name in "${needed[@]}"; do
        _closure_stage "$name" "$pkg" "${file#"$ROOT"}" || return 1
    done
}

closure_add_lib() {
    _closure_stage "$1" "$2" "(dlopen)"
}

closure_used() {
    printf '%s\n' "${!closure_pkgs[@]}" | sort
}
