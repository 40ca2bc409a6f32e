#!/usr/bin/env bash
# Boot a minios image as dom0 under the real Xen hypervisor inside QEMU,
# stream its console, and exit with its status.
#
#   scripts/run-xen.sh [options] IMAGE [ARG...]
#
#   --vcpus N      vCPUs for the guest (and QEMU CPUs)          [1]
#   --mem MIB      memory for the guest (dom0_mem); omitted: all Xen leaves
#   --xen PATH     Xen multiboot ELF      [Debian's 4.17, fetched and cached]
#   --xen-args LINE  more options for Xen's own command line (words of
#                  letters, digits and = , . : + - _ /), after ours
#   --pvh          boot the image as a PVH dom0 (Xen's dom0=pvh) instead of
#                  PV: QEMU gets -machine q35 -device amd-iommu (Xen 4.17
#                  wants an IOMMU for a PVH dom0) and, under TCG, a CPU with
#                  SVM and nested paging (Debian's Xen has no shadow paging)
#   --timeout S    seconds before the run counts as a hang           [120]
#   --args LINE    more guest arguments, as one line split by the guest's
#                  rules (quotes, backslashes; nothing expanded); an
#                  unclosed quote is an error.  `make ARGS=` uses this
#   --log FILE     keep the whole serial log here  [a temporary file]
#   --raw-cmdline LINE  the guest's command line exactly as given, instead
#                  of quoted arguments (for tests of the guest's own parsing)
#   --dry-run      check everything, print the guest's command line, and
#                  exit 0 without booting
#   --verbose      also show Xen's own console lines
#   --accel A      tcg or kvm, skipping detection  [env MINIOS_ACCEL]
#   --cpu-flags F  QEMU CPU features to add or remove, e.g. -rdrand,-rdseed
#                  (a test of a CPU without a random-number instruction)
#   --input FILE   console input for the guest, sent once a console line
#                  matches --input-after; 64 bytes at a time, since Xen
#                  holds only 128 bytes of serial input for dom0.  Only
#                  FILE's bytes are sent (a ^D in it is end of file)
#   --input-after REGEX   [the kernel's "  boot: ..." line, printed once
#                  console input is ready, just before main()]
#   --gdb SOCKET   QEMU's gdb stub on this Unix socket, the machine stopped
#                  until gdb continues it (scripts/debug.sh, `make debug`);
#                  no hang timeout unless --timeout is given
#
# Without --input, lines typed on a terminal are passed to the guest; a
# standard input that is not a terminal (a file, a pipe, /dev/null) is sent
# the same way as --input, followed by one ^D: the guest's read(0) then
# sees end of file, as a host program reading that input would.
#
# Exit status (docs/exit-status.md):
#   0-125  the application's exit status (above 125 reads as 125)
#   126    the guest crashed (panic, fatal fault, SHUTDOWN_crash)
#   127    timeout: the guest hung; the last 40 log lines are printed
#   128    harness error (bad arguments, too little --mem for Xen to build
#          the guest, QEMU failed, output missing)
set -uo pipefail

EXIT_CRASH=126
EXIT_TIMEOUT=127
EXIT_HARNESS=128

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vcpus=1 mem= xen= xen_args= timeout_s= log= verbose=0 args_line= raw_cmdline= dry_run=0
pvh=0
accel=${MINIOS_ACCEL:-} input= input_after='^  boot: [0-9]+ us' cpu_flags= gdb_sock=

die() { echo "run-xen: $*" >&2; exit $EXIT_HARNESS; }

# Options (those both harnesses take are parsed by scripts/guest-args.sh),
# the image, then the guest's arguments quoted for its splitter into $args,
# and the common checks.
. "$here/guest-args.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --xen) need_value "$@"; xen=$2; shift 2 ;;
        --xen-args) need_value "$@"; xen_args=$2; shift 2 ;;
        --input-after) need_value "$@"; input_after=$2; shift 2 ;;
        --raw-cmdline) need_value "$@"; raw_cmdline=$2; shift 2 ;;
        --cpu-flags) need_value "$@"; cpu_flags=$2; shift 2 ;;
        --gdb) need_value "$@"; gdb_sock=$2; shift 2 ;;
        --pvh) pvh=1; shift ;;
        *) common_option "$@" || { shift "$taken"; break; }; shift "$taken" ;;
    esac
done
[ $# -ge 1 ] || die "no image given (try --help)"
image=$1; shift
timeout_set=1
[ -n "$timeout_s" ] || timeout_set=0 timeout_s=120
check_run "$@"
if [ -n "$raw_cmdline" ]; then
    [ -z "$args" ] || die "--raw-cmdline replaces the guest's arguments: give one or the other"
    [ ${#raw_cmdline} -le 1000 ] || die "--raw-cmdline: at most 1000 bytes"
    args=$raw_cmdline
fi
case "$mem" in *[!0-9]*) die "--mem wants MiB as a number, not '$mem'" ;; esac
# Xen's own options: words of letters, digits and = , . : + - _ / only.
[[ $xen_args =~ ^[A-Za-z0-9=,.:+_/\ -]*$ ]] && [ ${#xen_args} -le 512 ] ||
    die "--xen-args wants Xen options (letters, digits, = , . : + - _ /, spaces), not '$xen_args'"
[[ $cpu_flags =~ ^([+-][a-z0-9_.-]+)?(,[+-][a-z0-9_.-]+)*$ ]] ||
    die "--cpu-flags wants features such as -rdrand,+avx2, not '$cpu_flags'"
. "$here/dom0-mem.sh"
if [ -n "$mem" ] && [ "$((10#$mem))" -lt "$DOM0_MIN_MEM" ]; then
    die "--mem $mem: too little: Xen builds no guest in less than $DOM0_MIN_MEM MiB (its boot" \
        "region alone is 4 MiB); the smallest that works is $DOM0_MIN_MEM MiB for a small image such as" \
        "apps/hello, about $(dom0_min_mem "$image" 0) MiB for this one"
fi
# A PVH dom0's image is copied to its physical load addresses, which must be
# RAM: under QEMU the first RAM range ends at 639 KiB (its last whole page
# at 636 KiB; the VGA and BIOS area follows), and Xen 4.17 fails an image
# loaded past it with "Failed to load kernel: -1" and "broken ELF: <NULL>"
# (measured: 692 KiB fails, 592 KiB boots; docs/pvh.md).
if [ "$pvh" = 1 ]; then
    load_end=0
    while read -r e; do
        [ $((e)) -gt "$load_end" ] && load_end=$((e))
    done < <(readelf -lW "$image" 2>/dev/null | awk '$1 == "LOAD" { print $4 " + " $6 }')
    [ "$load_end" -le $((636 << 10)) ] ||
        die "--pvh: the image is loaded up to $(( (load_end + 1023) >> 10 )) KiB; a PVH dom0's image" \
            "must end by 636 KiB, the last whole page of QEMU's first RAM range (the VGA and BIOS area follows):" \
            "boot it as PV"
fi
# QEMU splits -initrd on commas; Xen takes the first word as the module name.
case "$args" in *,*) die "guest arguments cannot contain ',' (QEMU splits modules on it)" ;; esac
case "$image" in *[[:space:],]*) die "the image path cannot contain spaces or ','" ;; esac
gdb_args=()
if [ -n "$gdb_sock" ]; then
    # QEMU's chardev syntax splits on ','; a Unix socket path has at most 107 bytes.
    [[ $gdb_sock == /* && $gdb_sock != *[[:space:],]* && ${#gdb_sock} -le 100 ]] ||
        die "--gdb wants an absolute socket path of at most 100 bytes without spaces or ',', not '$gdb_sock'"
    gdb_args=(-gdb "unix:$gdb_sock,server=on,wait=off" -S)
fi
if [ -n "$input" ]; then
    [ -f "$input" ] || die "input file '$input' not found"
    # Xen eats CTRL-a (three switch its serial input away from dom0).
    ! LC_ALL=C grep -q $'\x01' "$input" || die "input file '$input' contains CTRL-a (0x01), which Xen takes"
fi

if [ "$dry_run" = 1 ]; then
    echo "run-xen: dry run: the guest's command line would be: $args"
    exit 0
fi

. "$here/xen-crash.sh"

"$here/deps.sh" run || exit $EXIT_HARNESS
if [ -z "$xen" ]; then
    xen=$("$here/fetch-xen.sh" "${MINIOS_DEPS:-$here/../build/deps}") || die "could not fetch Xen"
fi
[ -f "$xen" ] || die "Xen image '$xen' not found"

# QEMU memory: what the guest asked for plus room for Xen, at least 512 MiB.
qemu_mem=512
xen_mem_arg=
if [ -n "$mem" ]; then
    [ $((mem + 96)) -gt $qemu_mem ] && qemu_mem=$((mem + 96))
    xen_mem_arg="dom0_mem=${mem}M,max:${mem}M"
fi

# KVM only where it can run Xen (scripts/accel.sh).
. "$here/accel.sh"
choice=$(pick_accel "$accel" "$xen")
accel=${choice%%:*}
case "$accel" in
    kvm) cpu_args=(-accel kvm -cpu "host${cpu_flags:+,$cpu_flags}")
         echo "run-xen: accelerator: kvm" >&2 ;;
    tcg) if [ "$pvh" = 1 ]; then
             cpu_args=(-accel tcg -cpu "qemu64,+svm,+npt${cpu_flags:+,$cpu_flags}")
         else
             cpu_args=(-accel tcg -cpu "max${cpu_flags:+,$cpu_flags}")
         fi
         reason=${choice#tcg}; reason=${reason#:}
         echo "run-xen: accelerator: tcg${reason:+ ($reason)}" >&2 ;;
    *) die "unknown accelerator '$accel'" ;;
esac

own_log=0
if [ -z "$log" ]; then
    log=$(mktemp "${TMPDIR:-/tmp}/minios-run.XXXXXX")
    own_log=1
fi
: > "$log" || die "cannot write log '$log'"

xen_cmdline="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all"
dom0_mode=pv machine_args=()
if [ "$pvh" = 1 ]; then
    dom0_mode=pvh
    machine_args=(-machine q35 -device amd-iommu)
fi
xen_cmdline+=" console_timestamps=boot dom0=$dom0_mode dom0_max_vcpus=$vcpus $xen_mem_arg"
[ -n "$xen_args" ] && xen_cmdline+=" $xen_args"

# Show the guest's lines as they come; Xen's own lines start with "(XEN)".
filter() {
    if [ "$verbose" = 1 ]; then cat; else grep --line-buffered -v '^(XEN)'; fi
}

# The log must grow as the guest prints (feed_input() watches it), so tr
# must not hold lines back in a buffer: stdbuf -o0.
#
# QEMU's serial input is a FIFO we hold open: on a hang the watchdog uses it
# to ask Xen (Ctrl-A three times switches input to Xen, then the '0' debug
# key) for every dom0 vCPU's registers before stopping QEMU.
work=$(mktemp -d "${TMPDIR:-/tmp}/minios-run.XXXXXX")
mkfifo "$work/keys"
exec 3<>"$work/keys"

watchdog() {
    local waited=0
    # Under a debugger, stopped is normal: no hang timeout unless one was asked for.
    [ -n "$gdb_sock" ] && [ "$timeout_set" = 0 ] && return
    while [ "$waited" -lt "$timeout_s" ]; do
        sleep 1
        waited=$((waited + 1))
    done
    local qpid
    qpid=$(cat "$work/qemu.pid" 2>/dev/null) || return
    kill -0 "$qpid" 2>/dev/null || return
    touch "$work/hung"
    printf '\001\001\001' >&3
    sleep 0.5
    printf '0' >&3
    # 'q' raises VIRQ_DEBUG: the guest (if its events still run) lists its
    # threads, what each waits for, and their backtraces.
    sleep 1
    printf 'q' >&3
    sleep 3
    kill -TERM "$qpid" 2>/dev/null
    sleep 2
    kill -KILL "$qpid" 2>/dev/null
}
watchdog &
watchdog_pid=$!

# A crash Xen detects itself (a stack overflow into a guard page: Xen cannot
# write the exception frame and kills dom0) ends with Xen's register dump,
# then "Hardware Dom0 crashed: rebooting machine in 5 seconds."; a Xen panic
# ends with "Reboot in five seconds...".  Both lines come after the dump is
# complete: stop QEMU there rather than wait out Xen's delay (the report
# then takes as long as any other crash's).  tail exits with QEMU.
crash_watch() {
    local qpid
    until qpid=$(cat "$work/qemu.pid" 2>/dev/null) && [ -n "$qpid" ]; do sleep 0.1; done
    # Act inside the pipeline: tail only notices grep is gone at its next
    # write, and Xen writes nothing more until it reboots.
    tail -n +1 -s 0.1 --pid="$qpid" -F "$log" 2>/dev/null | {
        grep -aqE -m1 -e '^\(XEN\).*(Hardware Dom0 crashed|Reboot in five seconds)' &&
            touch "$work/xen-crashed" && kill -TERM "$qpid" 2>/dev/null
    }
}
crash_watch &
crash_watch_pid=$!

# Console input.  Xen passes serial input to dom0 only from the end of its
# own boot, keeps 128 bytes of it and drops the rest: wait for the guest to
# say it is ready, then send small pieces with pauses.
wait_for_guest() {
    until grep -aqE -- "$input_after" "$log"; do
        [ -e "$work/qemu.pid" ] && ! kill -0 "$(cat "$work/qemu.pid")" 2>/dev/null && return 1
        sleep 0.1
    done
}
feed_input() {
    local size off=0
    wait_for_guest || return
    size=$(stat -c %s "$input")
    while [ "$off" -lt "$size" ]; do
        dd if="$input" bs=64 skip=$((off / 64)) count=1 status=none >&3 || return
        off=$((off + 64))
        sleep 0.05
    done
}
# Standard input that is not a terminal, read as it comes (it may be a
# pipe that never ends), without the CTRL-a that Xen would take; at its
# end one ^D, which the guest's line discipline reads as end of file.
feed_stdin() {
    local size
    wait_for_guest || return
    while :; do
        dd bs=64 count=1 status=none <&4 > "$work/chunk" || break
        size=$(stat -c %s "$work/chunk")
        [ "$size" -gt 0 ] || break
        tr -d '\001' < "$work/chunk" >&3 || return
        sleep 0.05
    done
    printf '\004' >&3
}
feeder_pid=
if [ -n "$input" ]; then
    feed_input &
    feeder_pid=$!
elif [ -t 0 ]; then
    # A terminal: its lines go to the guest once it is ready (a background
    # job's stdin is /dev/null unless redirected, hence fd 4).
    exec 4<&0
    { wait_for_guest && exec cat <&4 >&3; } &
    feeder_pid=$!
else
    exec 4<&0
    feed_stdin &
    feeder_pid=$!
fi

qemu-system-x86_64 "${cpu_args[@]}" "${machine_args[@]}" -m "$qemu_mem" -smp "$vcpus" \
        -display none -vga none -nodefaults -no-reboot -monitor none \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -pidfile "$work/qemu.pid" -kernel "$xen" -append "$xen_cmdline" "${gdb_args[@]}" \
        -initrd "$image${args:+ $args}" < "$work/keys" 2>&1 \
    | stdbuf -o0 tr -d '\r' | tee "$log" | filter
status=${PIPESTATUS[0]}
kill "$watchdog_pid" "$crash_watch_pid" ${feeder_pid:+"$feeder_pid"} 2>/dev/null
wait "$watchdog_pid" "$crash_watch_pid" ${feeder_pid:+"$feeder_pid"} 2>/dev/null
exec 3>&-
[ -e "$work/hung" ] && status=124
xen_crashed=0
[ -e "$work/xen-crashed" ] && xen_crashed=1
rm -rf "$work"

finish() {
    [ "$own_log" = 1 ] && rm -f "$log"
    exit "$1"
}

exit_line=$(grep -a -o 'minios: exit status -\{0,1\}[0-9]*' "$log" | tail -n 1)
logged_status=${exit_line##* }

if [ "$status" -eq 124 ]; then
    echo "run-xen: TIMEOUT: no exit after ${timeout_s}s: the guest hung. Last 40 log lines:" >&2
    # The guest's own lines up to its state dump, then the dump in full.
    grep -av '^(XEN)' "$log" > "$log.guest" || true
    dump_at=$(grep -an '^minios state dump at' "$log.guest" | tail -n 1 | cut -d: -f1)
    head -n $((${dump_at:-0} ? dump_at - 1 : $(wc -l < "$log.guest"))) "$log.guest" | tail -n 40 |
        sed 's/^/  | /' >&2
    xen_vcpu_report "$log" "$image"
    if [ -n "$dump_at" ]; then
        echo "run-xen: the guest's state dump (threads, what each waits for, backtraces):" >&2
        tail -n +"$dump_at" "$log.guest" | sed 's/^/  | /' >&2
    else
        echo "run-xen: (the guest printed no state dump: its events were not running)" >&2
    fi
    rm -f "$log.guest"
    finish $EXIT_TIMEOUT
fi

# isa-debug-exit: QEMU exits (code << 1) | 1; the guest writes status + 1,
# or 127 when it crashed.  (Not when crash_watch stopped QEMU.)
if [ "$xen_crashed" = 0 ] && [ $((status & 1)) -eq 1 ] && [ "$status" -ge 3 ]; then
    code=$((status >> 1))
    if [ "$code" -eq 127 ]; then
        echo "run-xen: the guest crashed (reported through the exit device)" >&2
        finish $EXIT_CRASH
    fi
    app_status=$((code - 1))
    if [ -z "$exit_line" ]; then
        echo "run-xen: the guest exited with status $app_status, but its" \
             "'minios: exit status' line never reached the console: output was lost" >&2
        finish $EXIT_HARNESS
    fi
    want=$logged_status
    if [ "$want" -lt 0 ] || [ "$want" -gt 125 ]; then
        echo "run-xen: exit status $want is outside 0..125: reported as 125" >&2
        want=125
    fi
    if [ "$want" -ne "$app_status" ]; then
        echo "run-xen: the console says '$exit_line' but the exit device says $app_status" >&2
        finish $EXIT_HARNESS
    fi
    finish "$app_status"
fi

# No exit device write: Xen rebooted the machine (our SHUTDOWN_reboot
# fallback, or Xen's reaction to a dom0 crash), or QEMU itself failed.
# Xen refusing to build the guest (too little memory) is the run's
# configuration, not a crash: the guest never ran.
if xen_refusal_report "$log" "$image" "$mem"; then
    finish $EXIT_HARNESS
fi
if [ "$xen_crashed" = 1 ] ||
    grep -aq -e 'minios: crashed' -e 'Hardware Dom0 crashed' -e 'Panic on CPU' "$log"; then
    if [ "$xen_crashed" = 1 ]; then
        echo "run-xen: the guest crashed" \
             "(Xen's dump is complete: QEMU stopped before Xen's reboot)" >&2
    else
        echo "run-xen: the guest crashed (Xen restarted the machine)" >&2
    fi
    xen_crash_report "$log" "$image"
    finish $EXIT_CRASH
fi
if [ -n "$exit_line" ] && [ "$status" -eq 0 ]; then
    if [ "$logged_status" -gt 125 ] || [ "$logged_status" -lt 0 ]; then
        echo "run-xen: exit status $logged_status is outside 0..125: reported as 125" >&2
        logged_status=125
    fi
    finish "$logged_status"
fi
echo "run-xen: QEMU exited with status $status and no result from the guest. Last 40 log lines:" >&2
tail -n 40 "$log" | sed 's/^/  | /' >&2
finish $EXIT_HARNESS
