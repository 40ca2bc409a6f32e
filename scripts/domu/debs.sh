# Debian packages for the domU harness's dom0: candidate versions, download
# with `apt-get download` into a cache, unpacking with dpkg-deb.  Nothing is
# ever installed on this machine.  Sourced by scripts/domu/build-dom0.sh, not
# run.
#
# Each apt-cache run costs about 0.6 s (it rebuilds its cache), so what apt
# says is asked in batches and remembered in the file DEBS_MEMO (set by the
# caller; one line per package: name, TAB, candidate version, TAB, Depends).
#
#   debs_query PKG...               ask apt about PKGs not yet remembered
#   debs_version PKG                PKG's candidate version (empty: apt has
#                                   no such real package)
#   debs_first_depend PKG           the first package PKG's candidate
#                                   depends on
#   debs_fetch DEBDIR PKG...        the candidate .deb of each PKG in DEBDIR
#                                   (downloaded once); prints nothing
#   debs_file DEBDIR PKG            path of PKG's candidate .deb in DEBDIR
#   debs_depends DEB                the first alternative of each Depends
#                                   entry of a .deb, one package name a line

debs_query() {
    local todo=() pkg
    for pkg in "$@"; do
        grep -q "^$pkg	" "$DEBS_MEMO" 2>/dev/null || todo+=("$pkg")
    done
    [ ${#todo[@]} -eq 0 ] && return 0
    # Virtual or unknown packages print no stanza: remember them as empty.
    apt-cache show --no-all-versions "${todo[@]}" 2>/dev/null |
        awk -F': ' '/^Package: / { p = $2 } /^Version: / { v[p] = $2 }
                    /^Depends: / { d[p] = $2 }
                    END { for (p in v) printf "%s\t%s\t%s\n", p, v[p], d[p] }' >> "$DEBS_MEMO"
    for pkg in "${todo[@]}"; do
        grep -q "^$pkg	" "$DEBS_MEMO" || printf '%s\t\t\n' "$pkg" >> "$DEBS_MEMO"
    done
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
    if ! (cd "$tmp" && apt-get download -qq "${sandbox[@]}" "${missing[@]}" >&2); then
        if [ "$(id -u)" -ne 0 ]; then
            rm -rf "$tmp"
            echo "debs: 'apt-get download ${missing[*]}' failed." >&2
            echo "The package index may be stale; refresh it with:" >&2
            echo "    sudo apt-get update" >&2
            return 1
        fi
        echo "debs: refreshing the package index" >&2
        apt-get update -q >&2 &&
            (cd "$tmp" && apt-get download -qq "${sandbox[@]}" "${missing[@]}" >&2) ||
            { rm -rf "$tmp"; echo "debs: 'apt-get download ${missing[*]}' failed" >&2; return 1; }
    fi
    mv "$tmp"/*.deb "$dir/"
    rm -rf "$tmp"
}

# debs_depends DEB: "libc6 (>= 2.34), a | b, python3:any" -> libc6, a, python3
debs_depends() {
    dpkg-deb -f "$1" Depends | tr ',' '\n' |
        sed -e 's/|.*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' |
        grep -v '^$' || true
}
