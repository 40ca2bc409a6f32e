# Sourced by scripts/fetch-deb.sh and scripts/fetch-source.sh: an apt
# configuration of our own under a build folder, so that nothing of the
# system's apt setup is read beyond its first source stanza or changed.
#
#   private_apt WHO APT_DIR NAME SED   writes APT_DIR/parts/NAME.sources
#                                      (the system's first stanza through
#                                      the sed script SED) and sets the array
#                                      apt_opts for apt-get
private_apt() {
    local who=$1 apt_dir=$2 name=$3 edit=$4 system=/etc/apt/sources.list.d/debian.sources

    [ -r "$system" ] || { echo "$who: $system not found (a Debian machine?)" >&2; exit 1; }
    mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    awk 'BEGIN { RS = ""; ORS = "\n\n" } NR == 1' "$system" | sed "$edit" > "$apt_dir/parts/$name.sources"
    apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/parts"
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
    [ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
}
