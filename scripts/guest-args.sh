# Quoting a minios guest's arguments for its command line.  Sourced by
# scripts/run-xen.sh and scripts/run-domu.sh, not run.
#
# The guest splits its command line like a shell would (lib/cmdline.c), so
# each argument is quoted for it: plain words as they are, anything else in
# single quotes with ' written as '\''.
#
#   quote_for_guest ARG        one argument, quoted
#   guest_cmdline ARG...       all of them, quoted and joined by spaces

quote_for_guest() {
    local a=$1
    if [[ -n $a && $a != *[[:space:]\'\"\\]* ]]; then
        printf '%s' "$a"
    else
        printf "'%s'" "${a//\'/\'\\\'\'}"
    fi
}

guest_cmdline() {
    local line='' a
    for a in "$@"; do
        line+="${line:+ }$(quote_for_guest "$a")"
    done
    printf '%s' "$line"
}
