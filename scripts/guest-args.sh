# Quoting a minios guest's arguments for its command line.  Sourced by
# scripts/run-xen.sh and scripts/run-domu.sh, not run.
#
# The guest splits its command line like a shell would (lib/cmdline.c), so
# each argument is quoted for it: plain words as they are, anything else in
# single quotes with ' written as '\''.
#
#   quote_for_guest ARG        one argument, quoted
#   guest_cmdline ARG...       all of them, quoted and joined by spaces
#   common_option ARG...       parses an option both harnesses take
#   need_value ARG...          dies unless the option at $1 has a value
#   split_guest_line LINE      splits LINE as the guest would into the array
#                              line_words; 1 if a quote is left open
#   check_run ARG...           the checks both harnesses make; sets args

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

need_value() {
    [ $# -ge 2 ] || die "$1 needs a value"
}

# common_option ARG...: takes the option at $1 if both harnesses have it
# (--vcpus --mem --timeout --args --log --input --accel --verbose --dry-run
# --help), setting
# its variable and $taken, the words it used.  Returns 1 where the options
# end: at "--" ($taken 1) or at the first word that is not an option ($taken
# 0: the image).  Dies on an unknown option or a missing value, through the
# caller's die().
common_option() {
    taken=2
    case "$1" in
        --vcpus | --mem | --timeout | --args | --log | --input | --accel) need_value "$@" ;;
    esac
    case "$1" in
        --vcpus) vcpus=$2 ;;
        --mem) mem=$2 ;;
        --timeout) timeout_s=$2 ;;
        --args) args_line=$2 ;;
        --log) log=$2 ;;
        --input) input=$2 ;;
        --accel) accel=$2 ;;
        --verbose) verbose=1 taken=1 ;;
        --dry-run) dry_run=1 taken=1 ;;
        --help | -h) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) taken=1; return 1 ;;
        -*) die "unknown option $1 (try --help)" ;;
        *) taken=0; return 1 ;;
    esac
}

# split_guest_line LINE: LINE (make's ARGS, the --args option) split into
# the array line_words by the guest's own rules (lib/cmdline.c): blanks
# (space, tab, CR, LF) separate words; '...' keeps everything; "..." keeps
# everything but \" and \\; a backslash outside quotes keeps the next
# character.  Nothing is expanded or run: the line is data.  Unlike the
# guest, which keeps what it can, an unclosed quote is refused (status 1,
# with the offending quote character in $line_error).
split_guest_line() {
    local line=$1 i=0 n=${#1} c word in_word=0
    line_words=() line_error=
    while [ $i -lt $n ]; do
        c=${line:i:1}
        i=$((i + 1))
        case "$c" in
            ' '|$'\t'|$'\n'|$'\r')
                [ $in_word = 1 ] && line_words+=("$word")
                in_word=0 word=
                continue ;;
        esac
        in_word=1
        case "$c" in
            "'")
                while [ $i -lt $n ] && [ "${line:i:1}" != "'" ]; do
                    word+=${line:i:1}
                    i=$((i + 1))
                done
                [ $i -lt $n ] || { line_error="'"; return 1; }
                i=$((i + 1)) ;;
            '"')
                while [ $i -lt $n ] && [ "${line:i:1}" != '"' ]; do
                    if [ "${line:i:1}" = '\' ] && [[ ${line:i+1:1} == [\"\\] ]]; then
                        i=$((i + 1))
                    fi
                    word+=${line:i:1}
                    i=$((i + 1))
                done
                [ $i -lt $n ] || { line_error='"'; return 1; }
                i=$((i + 1)) ;;
            '\')
                if [ $i -lt $n ]; then
                    word+=${line:i:1}
                    i=$((i + 1))
                else
                    word+='\'
                fi ;;
            *) word+=$c ;;
        esac
    done
    [ $in_word = 1 ] && line_words+=("$word")
    return 0
}

# check_run ARG...: what run-xen.sh and run-domu.sh both check of their
# options ($image, $vcpus, $timeout_s) and of the guest's arguments (ARG...
# then the words of $args_line), which it quotes into $args.  Calls the caller's die() on the first problem.
check_run() {
    # --args LINE (make's ARGS): its words follow the ones given one by one.
    if [ -n "${args_line:-}" ]; then
        split_guest_line "$args_line" ||
            die "the guest's arguments leave a $line_error quote open: $args_line"
        set -- "$@" "${line_words[@]}"
    fi
    args=$(guest_cmdline "$@")
    # Xen copies at most 1023 bytes of it into start_info.cmd_line.
    [ ${#args} -le 1000 ] || die "guest arguments are ${#args} bytes once quoted; Xen keeps 1023 and we keep room: at most 1000"
    [ -f "$image" ] || die "image '$image' not found"
    case "$vcpus" in ''|*[!0-9]*) die "--vcpus wants a number, not '$vcpus'" ;; esac
    [ "$vcpus" -ge 1 ] && [ "$vcpus" -le 64 ] || die "--vcpus must be 1..64"
    case "$timeout_s" in ''|*[!0-9]*) die "--timeout wants seconds" ;; esac
}
