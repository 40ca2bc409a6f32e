# Debian packages for the domU harness's dom0: candidate versions, download
# with `apt-get download` into a cache, unpacking with dpkg-deb.  Nothing is
# ever installed on this machine.  Sourced by scripts/domu/build-dom0.sh, not
# run.
#
# What apt says is asked in batches and remembered in the file DEBS_MEMO
# (set by the caller; one line per package: name, TAB, candidate version,
# TAB, Depends).  DEBS_PKGCACHE (a directory, optional) keeps apt's binary
# cache of the package lists between runs: Debian's container images turn
# apt's own off (Dir::Cache::pkgcache ""), and then each apt run rebuilds it
# from the lists, 1.5-3 s where a kept one takes 0.6 s.  apt checks a kept
# cache against the lists itself; one file per apt configuration.
#
#   debs_query PKG...               ask apt about PKGs not yet remembered
#   debs_version PKG                PKG's candidate version (empty: apt has
#                                   no such real package)
#   debs_versions PKG...            "PKG VERSION" lines, sorted; fails if
#                                   apt has no candidate for one
#   debs_first_depend PKG           the first package PKG's candidate
#                                   depends on
#   debs_fetch DEBDIR PKG...        the candidate .deb of each PKG in DEBDIR
#                                   (downloaded once); prints nothing
#   debs_file DEBDIR PKG            path of PKG's candidate .deb in DEBDIR
#   debs_depends DEB                the first alternative of each Depends
#                                   entry of a .deb, one package name a line
#   debs_lib_depends PKG...         the lib* packages PKGs need, recursively
#
# DEBS_APT_OPTS (an array, optional, set by the caller): apt options for a
# private configuration (another Debian release, scripts/apt-suite.sh) used
# for every package but the dom0 kernel (linux-image-*), which always comes
# from the system's own sources: Debian 12's kernel has the plain .ko
# modules busybox's insmod loads and the XZ payload extract-vmlinux.sh reads.

# _debs_opts PKG: sets opts to the apt options for PKG.
_debs_opts() {
    opts=()
    case "$1" in
        linux-image-*) ;;
        *) if [ -n "${DEBS_APT_OPTS+set}" ]; then opts=("${DEBS_APT_OPTS[@]}"); fi ;;
    esac
    if [ -n "${DEBS_PKGCACHE:-}" ]; then
        local conf
        conf=$(printf '%s\n' "${opts[@]}" | cksum | cut -d ' ' -f 1)
        opts+=(-o "Dir::Cache::pkgcache=$DEBS_PKGCACHE/pkgcache-$conf.bin" -o Dir::Cache::srcpkgcache=)
    fi
}

debs_query() {
    local todo=() kernel=() others=() pkg opts group
    [ $# -eq 0 ] && return 0
    # One awk, not a grep per package: this runs before every domU boot.
    mapfile -t todo < <(printf '%s\n' "$@" | _debs_unknown)
    [ ${#todo[@]} -eq 0 ] && return 0
    for pkg in "${todo[@]}"; do
        case "$pkg" in
            linux-image-*) [ -n "${DEBS_APT_OPTS+set}" ] && kernel+=("$pkg") || others+=("$pkg") ;;
            *) others+=("$pkg") ;;
        esac
    done
    # Virtual or unknown packages print no stanza: remember them as empty.
    for group in kernel others; do
        local -n list=$group
        [ ${#list[@]} -eq 0 ] && continue
        _debs_opts "${list[0]}"
        apt-cache "${opts[@]}" show --no-all-versions "${list[@]}" 2>/dev/null |
            awk -F': ' '/^Package: / { p = $2 } /^Version: / { v[p] = $2 }
                        /^Depends: / { d[p] = $2 }
                        END { for (p in v) printf "%s\t%s\t%s\n", p, v[p], d[p] }' >> "$DEBS_MEMO"
        unset -n list
    done
    printf '%s\n' "${todo[@]}" | _debs_unknown | awk '{ printf "%s\t\t\n", $0 }' >> "$DEBS_MEMO"
}

# _debs_unknown: the package names on stdin that DEBS_MEMO does not hold.
_debs_unknown() {
    awk -F '\t' 'FILENAME != "-" { known[$1] = 1; next } !($0 in known)' "$DEBS_MEMO" -
}

# debs_versions PKG...: "PKG VERSION" lines, sorted; fails, naming each, if
# apt has no candidate for some.
debs_versions() {
    debs_query "$@"
    printf '%s\n' "$@" |
        awk -F '\t' 'FILENAME != "-" { v[$1] = $2; next }
                     v[$0] == "" { print "debs: apt has no candidate for " $0 > "/dev/stderr"; bad = 1; next }
                     { print $0 " " v[$0] }
                     END { exit bad }' "$DEBS_MEMO" - | sort
}

debs_version() {
    debs_query "$1"
    awk -F '\t' -v p="$1" '$1 == p { print $2; exit }' "$DEBS_MEMO"
}

debs_first_depend() {
    debs_query "$1"
    awk -F '\t' -v p="$1" '$1 == p { print $3; exit }' "$DEBS_MEMO" |
        sed -e 's/[,|].*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g'
}

# debs_lib_depends PKG...: the lib* packages PKGs depend on, directly or
# through other lib* packages (one apt-cache run per level), so that one
# download can bring most of what a library closure will ask for.
debs_lib_depends() {
    local -A seen=()
    local level=("$@") next pkg dep
    while [ ${#level[@]} -gt 0 ]; do
        debs_query "${level[@]}"
        next=()
        for pkg in "${level[@]}"; do
            while IFS= read -r dep; do
                case "$dep" in lib*) ;; *) continue ;; esac
                [ -n "${seen[$dep]:-}" ] && continue
                seen[$dep]=1
                next+=("$dep")
            done < <(awk -F '\t' -v p="$pkg" '$1 == p { print $3; exit }' "$DEBS_MEMO" | tr ',' '\n' |
                sed -e 's/|.*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' | grep -v '^$')
        done
        level=("${next[@]}")
    done
    for pkg in "${!seen[@]}"; do
        [ -n "$(debs_version "$pkg")" ] && echo "$pkg"
    done | LC_ALL=C sort
}

# The file name apt-get download gives a package (':' in an epoch is %3a).
_debs_name() {
    local pkg=$1 version=$2
    printf '%s_%s_' "$pkg" "${version//:/%3a}"
}

debs_file() {
    local dir=$1 pkg=$2 version f
    version=$(debs_version "$pkg")
    [ -n "$version" ] || { echo "debs: apt knows no package '$pkg'" >&2; return 1; }
    for f in "$dir/$(_debs_name "$pkg" "$version")"*.deb; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    echo "debs: $pkg $version is not in $dir" >&2
    return 1
}

debs_fetch() {
    local dir=$1
    shift
    local missing=() pkg version f found
    mkdir -p "$dir"
    debs_query "$@"
    for pkg in "$@"; do
        version=$(debs_version "$pkg")
        [ -n "$version" ] || continue
        found=0
        for f in "$dir/$(_debs_name "$pkg" "$version")"*.deb; do
            [ -f "$f" ] && found=1
        done
        [ "$found" = 1 ] || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    # As root, apt would warn that its sandbox user cannot write into our cache.
    local sandbox=() tmp
    [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
    tmp=$(mktemp -d "$dir/download.XXXXXX")
    echo "domu: downloading ${missing[*]}" >&2
    if ! _debs_download "$tmp" "${sandbox[@]}" -- "${missing[@]}"; then
        if [ "$(id -u)" -ne 0 ]; then
            rm -rf "$tmp"
            echo "debs: 'apt-get download ${missing[*]}' failed." >&2
            echo "The package index may be stale; refresh it with:" >&2
            echo "    sudo apt-get update" >&2
            return 1
        fi
        echo "debs: refreshing the package index" >&2
        apt-get update -q >&2 &&
            _debs_download "$tmp" "${sandbox[@]}" -- "${missing[@]}" ||
            { rm -rf "$tmp"; echo "debs: 'apt-get download ${missing[*]}' failed" >&2; return 1; }
    fi
    mv "$tmp"/*.deb "$dir/"
    rm -rf "$tmp"
}

# _debs_download DIR [apt options] -- PKG...: one apt-get for the PKGs that
# share their apt options (each start of apt costs about a second; one
# call per package made the dom0's 46 packages cost 40 s of downloads).
_debs_download() {
    local dir=$1 extra=() pkg opts kernel=() others=() group
    shift
    while [ "$1" != -- ]; do extra+=("$1"); shift; done
    shift
    for pkg in "$@"; do
        case "$pkg" in linux-image-*) kernel+=("$pkg") ;; *) others+=("$pkg") ;; esac
    done
    for group in kernel others; do
        local -n list=$group
        if [ ${#list[@]} -gt 0 ]; then
            _debs_opts "${list[0]}"
            (cd "$dir" && apt-get download -qq "${extra[@]}" "${opts[@]}" "${list[@]}" >&2) ||
                { unset -n list; return 1; }
        fi
        unset -n list
    done
}

# debs_depends DEB: "libc6 (>= 2.34), a | b, python3:any" -> libc6, a, python3
debs_depends() {
    dpkg-deb -f "$1" Depends | tr ',' '\n' |
        sed -e 's/|.*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' |
        grep -v '^$' || true
}
