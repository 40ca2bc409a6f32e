#!/usr/bin/env bash
# Boot a minios image as a domU: Xen inside QEMU, Debian's Linux as dom0,
# and the real `xl create` starting the guest.  Streams the guest's console
# and exits with its status, as scripts/run-xen.sh does for a dom0 boot.
#
#   scripts/run-domu.sh [options] IMAGE [ARG...]
#
#   --vcpus N      vCPUs for the guest (and QEMU CPUs; dom0 has one)  [1]
#   --mem MIB      memory for the guest                               [32]
#   --timeout S    seconds before the run counts as a hang; from 80 s on,
#                  dom0 asks for the guest's state dump and destroys it
#                  40 s before that (its watchdog)                     [180]
#   --args LINE    more guest arguments, as one line split by the guest's
#                  rules (quotes, backslashes; nothing expanded); an
#                  unclosed quote is an error.  `make ARGS=` uses this
#   --log FILE     keep the whole serial log here  [a temporary file]
#   --input FILE   console input for the guest: written into its console
#                  as it boots; the ring and xenconsoled hold it until read
#   --dry-run      check everything, print the guest's command line, and
#                  exit 0 without booting
#   --verbose      also show Xen's, dom0's and xl's own lines
#   --accel A      tcg or kvm, skipping detection  [env MINIOS_ACCEL]
#   --net N        N network interfaces (0..4) on dom0's bridge xenbr0,
#                  10.0.0.1/24 (docs/networking.md)                   [0]
#   --net-ip A.B.C.D[/N]  eth0's address through xenstore: the vif line's
#                  ip= (docs/networking.md); the guest takes it over DHCP
#   --disk FILE[:ro]  attach the host's FILE as the guest's next disk
#                  (xvda, xvdb, ...; up to 4; :ro read-only), through a
#                  virtio disk of QEMU and blkback in dom0 (docs/storage.md)
#   --ramdisk F    an initramfs for the guest (xl's ramdisk=): for booting
#                  a Linux kernel as IMAGE (bench/linux/, docs/storage.md)
#   --bench-tools  dom0 also gets make bench's tools (ab; bench/baseline.sh)
#   --pvh          start the guest with type = "pvh" instead of "pv"; under
#                  TCG the CPU gets SVM and nested paging for it
#                  (docs/pvh.md)
#   --pvh-too      then the same image, arguments and options again as
#                  type = "pvh", in the same dom0 boot (saves a boot): each
#                  guest's console after a line "run-domu: ---- guest N of
#                  2: type T ----", a verdict each, ending in "run-domu:
#                  guest N (T): exit status S"; the run's status is the
#                  first that is not 0; --timeout is each guest's; --log
#                  FILE also keeps guest N's part as FILE.guestN; the dom0
#                  hook runs for each guest; not with --pvh, --net, --disk,
#                  --input, --core, --ramdisk (docs/domu.md)
#   --pvh-vcpus N  with --pvh-too: the PVH guest's vCPUs, 1..--vcpus   [--vcpus]
#   --dom0-hook F  a shell script dom0 runs next to `xl create` (its lines
#                  follow the guest's, as "dom0-hook: ..."; docs/domu.md)
#   --core FILE    if the guest crashes, keep its core here, converted for
#                  gdb (`gdb IMAGE FILE`; docs/debugging.md)
#   --xen 4.17|4.20  the hypervisor, and the dom0 whose xl drives it
#                  (4.20: Debian 13's xl and libraries, scripts/domu/)  [4.17]
#
# The first run assembles the dom0 from Debian packages (scripts/domu/,
# cached in build/deps/domu/).  docs/domu.md tells the whole story.
#
# Exit status (docs/exit-status.md), the same contract as run-xen.sh:
#   0-125  the application's exit status (above 125 reads as 125), from the
#          guest's "minios: exit status N" line and xl's shutdown reason
#   126    the guest crashed (panic, fatal fault) or ended unexpectedly
#   127    timeout: the guest (or dom0) hung; the last 40 log lines are printed
#   128    harness error (bad arguments, QEMU or dom0 failed, output missing)
set -uo pipefail

EXIT_CRASH=126
EXIT_TIMEOUT=127
EXIT_HARNESS=128

# What dom0's /init writes to isa-debug-exit (scripts/domu/dom0-init.sh);
# QEMU exits with (code << 1) | 1.
QEMU_DOM0_DONE=33
QEMU_DOM0_FAILED=35

# The dom0: Xen keeps this much of QEMU's memory for it.
DOM0_MEM=512

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pvh=0 pvh_too=0 pvh_vcpus=
bench_tools=0
vcpus=1 mem=32 timeout_s=180 log= verbose=0 args_line= dry_run=0 accel=${MINIOS_ACCEL:-} hook= input= core=
ramdisk=
net=0 net_ip=
disk_files=() disk_modes=()
xen_version=4.17

die() { echo "run-domu: $*" >&2; exit $EXIT_HARNESS; }

# --disk FILE[:ro]: the file must exist and be a whole number of 512-byte
# sectors; its name may hold no comma (QEMU's separator), no blank and no
# ':' (ours), so no name is ever quoted for QEMU.
add_disk() {
    local file=$1 mode=rw
    case "$file" in *:ro) file=${file%:ro}; mode=ro ;; esac
    case "$file" in
        '' | *[,:[:space:]]*) die "--disk '$1': a disk file's name may not hold ',', ':' or blanks" ;;
    esac
    [ -f "$file" ] || die "--disk: '$file' is not a file"
    [ -r "$file" ] || die "--disk: '$file' is not readable"
    [ "$mode" = ro ] || [ -w "$file" ] || die "--disk: '$file' is not writable (add :ro)"
    local size
    size=$(stat -c %s "$file") || die "--disk: cannot stat '$file'"
    [ "$size" -gt 0 ] && [ $((size % 512)) -eq 0 ] ||
        die "--disk: '$file' is $size bytes, not a whole number of 512-byte sectors"
    [ "${#disk_files[@]}" -lt 4 ] || die "--disk: at most 4 disks"
    file=$(realpath "$file") || die "--disk: cannot resolve '$1'"
    case "$file" in
        *[,:[:space:]]*) die "--disk '$1' is '$file', whose name holds ',', ':' or blanks" ;;
    esac
    disk_files+=("$file")
    disk_modes+=("$mode")
}

# Options (those both harnesses take are parsed by scripts/guest-args.sh),
# the image, then the guest's arguments quoted for its splitter into $args
# (written into the xl config's cmdline, which Xen copies into
# start_info.cmd_line), and the common checks.
. "$here/guest-args.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --dom0-hook) need_value "$@"; hook=$2; shift 2 ;;
        --core) need_value "$@"; core=$2; shift 2 ;;
        --ramdisk) need_value "$@"; ramdisk=$2; shift 2 ;;
        --net) need_value "$@"; net=$2; shift 2 ;;
        --net-ip) need_value "$@"; net_ip=$2; shift 2 ;;
        --disk) need_value "$@"; add_disk "$2"; shift 2 ;;
        --xen) need_value "$@"; xen_version=$2; shift 2 ;;
        --pvh) pvh=1; shift ;;
        --pvh-too) pvh_too=1; shift ;;
        --pvh-vcpus) need_value "$@"; pvh_vcpus=$2; shift 2 ;;
        --bench-tools) bench_tools=1; shift ;;
        *) common_option "$@" || { shift "$taken"; break; }; shift "$taken" ;;
    esac
done
[ $# -ge 1 ] || die "no image given (try --help)"
image=$1; shift
check_run "$@"
[ -z "$hook" ] || [ -f "$hook" ] || die "dom0 hook '$hook' not found"
[ -z "$ramdisk" ] || [ -f "$ramdisk" ] || die "ramdisk '$ramdisk' not found"
case "$mem" in ''|*[!0-9]*) die "--mem wants MiB as a number, not '$mem'" ;; esac
[ "$mem" -ge 4 ] || die "--mem must be at least 4 (MiB)"
[ -z "$input" ] || [ -f "$input" ] || die "input file '$input' not found"
case "$net" in [0-4]) ;; *) die "--net wants a number of interfaces 0..4, not '$net'" ;; esac
case "$xen_version" in 4.17 | 4.20) ;; *) die "--xen wants 4.17 or 4.20, not '$xen_version'" ;; esac
if [ -n "$net_ip" ]; then
    [[ "$net_ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$ ]] ||
        die "--net-ip wants A.B.C.D or A.B.C.D/N, not '$net_ip'"
    [ "$net" -ge 1 ] || die "--net-ip needs --net 1 or more"
fi
# The guests, by xl type: the second (--pvh-too) in the same dom0 after
# the first.  What belongs to one guest's run only is refused with it.
types=(pv)
[ "$pvh" = 1 ] && types=(pvh)
[ -z "$pvh_vcpus" ] || [ "$pvh_too" = 1 ] || die "--pvh-vcpus is for --pvh-too's PVH guest"
if [ "$pvh_too" = 1 ]; then
    refuse() { die "--pvh-too runs two guests one after another in one dom0: not with $*"; }
    [ "$pvh" = 0 ] || refuse "--pvh (the second guest is the PVH one)"
    [ -z "$input" ] || refuse "--input (it goes to the first guest's console only)"
    [ "$net" = 0 ] || refuse "--net (the second guest's vifs would join while the first's are torn down: not tried)"
    [ "${#disk_files[@]}" = 0 ] || refuse "--disk (blkback must let the first guest's disk go: not tried)"
    [ -z "$core" ] || refuse "--core (one core file)"
    [ -z "$ramdisk" ] || refuse "--ramdisk (for a Linux guest)"
    if [ -n "$pvh_vcpus" ]; then
        [[ "$pvh_vcpus" =~ ^[1-9][0-9]*$ ]] && [ "$pvh_vcpus" -le "$vcpus" ] ||
            die "--pvh-vcpus wants a number of vCPUs from 1 to --vcpus ($vcpus), not '$pvh_vcpus'"
    fi
    types=(pv "pvh${pvh_vcpus:+:$pvh_vcpus}")
    pvh=1  # from here on: some guest is PVH (the image's check, the CPU's flags)
fi
if [ "$dry_run" = 1 ]; then
    echo "run-domu: dry run: the guest's command line would be: $args"
    exit 0
fi

"$here/deps.sh" run domu || exit $EXIT_HARNESS
deps=${MINIOS_DEPS:-$here/../build/deps}
xen=$("$here/fetch-xen.sh" "$deps" "$xen_version") || die "could not fetch Xen"
dom0=$("$here/domu/build-dom0.sh" "$deps" "$xen_version") || die "could not assemble the dom0 (see above)"

# QEMU memory: dom0's, the guest's, and room for Xen; at least 1 GiB.
qemu_mem=$((DOM0_MEM + mem + 128))
[ "$qemu_mem" -lt 1024 ] && qemu_mem=1024

# KVM only where it can run Xen (scripts/accel.sh).  Under TCG, dom0 Linux
# needs qemu64 (with -cpu max it crashes on SMAP) plus RDRAND: without a CPU
# random source its CRNG never initialises and every libuuid call in xl
# waits about a second.
. "$here/accel.sh"
choice=$(pick_accel "$accel" "$xen")
accel=${choice%%:*}
case "$accel" in
    kvm) cpu_args=(-accel kvm -cpu host); echo "run-domu: accelerator: kvm" >&2 ;;
    tcg) cpu_args=(-accel tcg -cpu qemu64,+rdrand)
         # A PVH guest needs HAP: NPT (notes/pvh.md: the Linux dom0 runs on it).
         [ "$pvh" = 1 ] && cpu_args=(-accel tcg -cpu qemu64,+rdrand,+svm,+npt)
         reason=${choice#tcg}; reason=${reason#:}
         echo "run-domu: accelerator: tcg${reason:+ ($reason)}" >&2 ;;
    *) die "unknown accelerator '$accel'" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/minios-domu.XXXXXX") || die "cannot create a temporary directory"
# The work directory (and the log, unless --log keeps it) goes at the end,
# also when the run is interrupted.
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
finish() {
    exit "$1"
}
keep_log=1
[ -n "$log" ] || { log=$work/serial.log; keep_log=0; }
: > "$log" || { echo "run-domu: cannot write log '$log'" >&2; finish $EXIT_HARNESS; }

initrd=$work/initrd.cpio
# dom0's watchdog (dom0-init.sh) ends a guest still running 40 s before our
# own timeout, after a state dump: dom0 boots in 10-20 s under TCG, so the
# dump arrives before QEMU is killed.  Below 80 s there is no room for it.
[ "$timeout_s" -ge 80 ] && export PACK_GUEST_DEADLINE=$((timeout_s - 40))
[ -n "$core" ] && export PACK_CORE=1
[ -n "$net_ip" ] && export PACK_VIF0_IP=$net_ip
[ -n "$ramdisk" ] && export PACK_RAMDISK=$ramdisk
export PACK_TYPE="${types[*]}"
export PACK_NET_ARCHIVE=$dom0/net.cpio.gz
[ "$bench_tools" = 1 ] && export PACK_BENCH_ARCHIVE=$dom0/bench.cpio.gz
"$here/domu/pack-guest.sh" "$dom0/initrd.cpio.gz" "$initrd" "$image" "$mem" "$vcpus" "$args" \
        "$hook" "$input" "$net" "${disk_modes[*]}" ||
    { echo "run-domu: could not pack the guest into the initramfs" >&2; finish $EXIT_HARNESS; }
# QEMU splits -initrd on commas, and each module's command line on spaces.
case "$dom0$initrd" in
    *[[:space:],]*) echo "run-domu: paths cannot contain spaces or ',': $dom0, $initrd" >&2
                    finish $EXIT_HARNESS ;;
esac

xen_cmdline="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all console_timestamps=boot"
xen_cmdline+=" dom0=pv dom0_mem=${DOM0_MEM}M,max:${DOM0_MEM}M dom0_max_vcpus=1"
# dom0 Linux: its console is Xen's (hvc0), the guest's is attached to it by
# `xl create -c`; panic=1 turns a dom0 panic into a reboot, which -no-reboot
# turns into QEMU's exit.
# cryptomgr.notests: no crypto self-tests at each boot (hello: xl done at
# 4.70 s of dom0 uptime against 4.79 s with them, two runs each).
linux_cmdline="console=hvc0 earlyprintk=xen panic=1 quiet cryptomgr.notests"
# A core crosses the console in base64: Xen must not drop what overflows.
[ -n "$core" ] && xen_cmdline+=" sync_console"

# Without --verbose: the guest's lines only, i.e. what comes after /init's
# "guest console follows", without Xen's "(XEN)" lines, /init's own and xl's
# usual remarks.  A dom0 failure is always shown, and so is a PVH guest's
# early failure: Xen prints what it writes to the debug port as "(dN) ...".
filter() {
    if [ "$verbose" = 1 ]; then
        cat
        return
    fi
    awk '
        /^minios-domu: (FAILED|  \|)/ { print; fflush(); next }
        /^minios-domu: address: / { sub(/^minios-domu: /, "run-domu: "); print; fflush(); next }
        /^minios-domu: guest [0-9]+ of [0-9]+: type / {
            sub(/^minios-domu: /, ""); print "run-domu: ---- " $0 " ----"; fflush(); next }
        /^minios-domu: guest console follows$/ { guest = 1; next }
        /^minios-domu: core begin$/ { incore = 1; next }
        /^minios-domu: core end$/ { incore = 0; next }
        incore { next }
        !guest || /^\(XEN\)/ || /^minios-domu: / { next }
        /^Parsing config from \/guest\/guest(-[0-9]+)?\.cfg$/ { next }
        /^Waiting for domain .* to die \[pid [0-9]+\]$/ { next }
        /^Domain [0-9]+ has shut down, reason code / { next }
        /^Action for shutdown reason code [0-9]+ is / { next }
        /^Domain [0-9]+ needs to be cleaned up: destroying the domain$/ { next }
        /^Done\. Exiting now$/ { next }
        { print; fflush() }'
}

# The disks: virtio devices in --disk order (dom0's /dev/vda, /dev/vdb...).
disk_args=()
for ((i = 0; i < ${#disk_files[@]}; i++)); do
    ro=
    [ "${disk_modes[i]}" = ro ] && ro=,readonly=on
    disk_args+=(-drive "file=${disk_files[i]},format=raw,if=none,id=disk$i$ro"
        -device "virtio-blk-pci,drive=disk$i")
done

# --timeout is each guest's.
run_timeout=$((timeout_s * ${#types[@]}))
timeout --foreground -k 5 "$run_timeout" \
    qemu-system-x86_64 "${cpu_args[@]}" -m "$qemu_mem" -smp "$vcpus" \
        -display none -vga none -nodefaults -no-reboot -monitor none \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$xen" -append "$xen_cmdline" "${disk_args[@]}" \
        -initrd "$dom0/vmlinux $linux_cmdline,$initrd" < /dev/null 2>&1 \
    | stdbuf -o0 tr -d '\r' | tee "$log" | filter
status=${PIPESTATUS[0]}

# The log in one part per guest, $work/guest-N.log: guest 1's from the
# start, each next one's from the line dom0 names it by (dom0-init.sh).
# With one guest, its part is the whole log.
split_log() {
    local n
    for ((n = 1; n <= ${#types[@]}; n++)); do
        : > "$work/guest-$n.log"
    done
    awk -v dir="$work" '
        /^minios-domu: guest [0-9]+ of [0-9]+: type / { if (seen) n++; seen = 1 }
        { print > (dir "/guest-" (n + 1) ".log") }' "$log"
}

# The guest's own lines, in judge()'s $part: everything after /init's marker.
guest_log() {
    sed -n '/^minios-domu: guest console follows$/,$p' "$part"
}

last_lines() {
    tail -n 40 "$part" | sed 's/^/  | /' >&2
}

# vcpu_places: where the watchdog's xenctx found each vCPU of judge()'s
# guest, as "vCPU N at rip <function+offset>, events on|off", the function
# from the image's symbols (nm).
vcpu_places() {
    sed -n '/^minios-domu: watchdog: the guest.s vCPUs/,/^minios-domu: watchdog: destroying/p' "$part" |
        awk '/^vcpu[0-9]+:$/ { v = substr($1, 5) + 0 }
             /^rip: / { rip[v] = $2 }
             /^flags: / { ev[v] = ($3 ~ /i/) ? "on" : "off"; n[v] = 1 }
             END { for (v in n) print v, rip[v], ev[v] }' | sort -n |
        while read -r v rip ev; do
            echo "  vCPU $v at $rip <$(symbol_at "$rip")>, events $ev"
        done
}

# symbol_at HEX16: function+0xOFF of the image holding that address (nm's
# addresses and xenctx's are both 16 lower-case hex digits: they compare as
# strings).
symbol_at() {
    local sym
    sym=$(nm -n "$image" 2> /dev/null | awk -v a="$1" '
        $2 ~ /^[tTwW]$/ { if (("" $1) <= ("" a)) { best = $3; base = $1 } else exit }
        END { if (best != "") print best, base }')
    [ -n "$sym" ] || { printf '?'; return; }
    printf '%s+0x%x' "${sym% *}" $((16#$1 - 16#${sym#* }))
}

# judge N: guest N's exit status (the contract above) from its part of the
# log and how the run ended; its reasons on stderr, after $who.
judge() {
    local n=$1 part=$work/guest-$1.log result reason exit_line logged_status what
    # Once a later guest has started, how the run ended says nothing of this one.
    if [ -s "$work/guest-$((n + 1)).log" ]; then
        :
    elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        if grep -aq '^minios-domu: guest console follows$' "$part"; then
            echo "${who}TIMEOUT: no exit after ${run_timeout}s: the guest hung. Last 40 log lines:" >&2
        else
            echo "${who}TIMEOUT: no exit after ${run_timeout}s: dom0 never started the guest." \
                 "Last 40 log lines:" >&2
        fi
        last_lines
        return $EXIT_TIMEOUT
    elif [ "$status" -eq "$QEMU_DOM0_FAILED" ]; then
        echo "${who}dom0 failed: $(grep -a -m1 '^minios-domu: FAILED: ' "$log" |
             sed 's/^minios-domu: FAILED: //'). Last 40 log lines:" >&2
        last_lines
        return $EXIT_HARNESS
    fi

    # dom0 ends QEMU through the exit device once xl returns; QEMU exits 0 when
    # it had to power off instead, or when a dom0 panic rebooted the machine.
    result=$(grep -a '^minios-domu: result: ' "$part" | tail -n 1)
    if [ -z "$result" ]; then
        if [ "$status" -eq 0 ] && grep -aq 'Kernel panic' "$part"; then
            echo "${who}dom0 Linux panicked. Last 40 log lines:" >&2
        else
            echo "${who}QEMU exited with status $status and no result from dom0. Last 40 log lines:" >&2
        fi
        last_lines
        return $EXIT_HARNESS
    fi
    if [ ! -s "$work/guest-$((n + 1)).log" ] && [ "$status" -ne "$QEMU_DOM0_DONE" ] && [ "$status" -ne 0 ]; then
        echo "${who}QEMU exited with status $status after dom0's result: reported as a harness error" >&2
        return $EXIT_HARNESS
    fi
    keep_core

    if [[ "$result" == "minios-domu: result: watchdog"* ]]; then
        echo "${who}TIMEOUT: the guest still ran after ${PACK_GUEST_DEADLINE}s and dom0's watchdog" \
             "destroyed it: the guest hung. Its state dump (VIRQ_DEBUG) and Xen's ('q') are in the log." \
             "Its last 40 lines:" >&2
        guest_log | grep -av '^(XEN)' | sed '/^minios-domu: watchdog: the guest.s vCPUs/,/^minios-domu: watchdog: destroying/d' |
            tail -n 40 | sed 's/^/  | /' >&2
        vcpu_places >&2
        return $EXIT_TIMEOUT
    fi

    reason=${result#minios-domu: result: reason code }
    if [ "$reason" = "$result" ]; then
        echo "${who}xl did not report how the guest ended. Last 40 log lines:" >&2
        last_lines
        return $EXIT_HARNESS
    fi

    exit_line=$(guest_log | grep -a -o 'minios: exit status -\{0,1\}[0-9]*' | tail -n 1)
    logged_status=${exit_line##* }

    # Status 0 powers the domain off (reason 0); anything else crashes it
    # (reason 3), and so does a panic, without an exit line.
    case "$reason" in
        0)
            if [ -z "$exit_line" ]; then
                echo "${who}the guest powered off, but its 'minios: exit status' line" \
                     "never reached the console: output was lost" >&2
                return $EXIT_HARNESS
            fi
            if [ "$logged_status" -ne 0 ]; then
                echo "${who}the console says '$exit_line' but the guest powered off" \
                     "(xl: reason code 0), which minios does only for status 0" >&2
                return $EXIT_HARNESS
            fi
            return 0
            ;;
        3)
            if [ -z "$exit_line" ]; then
                echo "${who}the guest crashed (xl: reason code 3)" >&2
                return $EXIT_CRASH
            fi
            if [ "$logged_status" -eq 0 ]; then
                echo "${who}the console says '$exit_line' but the guest crashed" \
                     "(xl: reason code 3)" >&2
                return $EXIT_HARNESS
            fi
            if [ "$logged_status" -lt 0 ] || [ "$logged_status" -gt 125 ]; then
                echo "${who}exit status $logged_status is outside 0..125: reported as 125" >&2
                logged_status=125
            fi
            return "$logged_status"
            ;;
        *)
            case "$reason" in
                1) what=reboot ;; 2) what=suspend ;; 4) what=watchdog ;; *) what=unknown ;;
            esac
            echo "${who}the guest ended with xl reason code $reason ($what), which is not" \
                 "an exit status: reported as a crash" >&2
            return $EXIT_CRASH
            ;;
    esac
}

# The core dom0 sent (--core): the base64 lines between the markers (Xen or
# dom0 may print a line of their own in between), gunzip'd, converted to an
# ELF core gdb reads (scripts/xen-core-to-elf.py).
keep_core() {
    [ -n "$core" ] || return 0
    grep -aq '^minios-domu: core begin$' "$log" || return 0
    sed -n '/^minios-domu: core begin$/,/^minios-domu: core end$/p' "$log" |
        grep -aE '^[A-Za-z0-9+/=]+$' | base64 -d 2>/dev/null | gunzip > "$work/core.xen" 2>/dev/null ||
        { echo "run-domu: the guest's core did not arrive whole: not kept" >&2; return 0; }
    if python3 "$here/xen-core-to-elf.py" "$work/core.xen" "$core" >&2; then
        echo "run-domu: the guest's core: $core (open it with: gdb -x scripts/gdb/minios.py $image $core)" >&2
    else
        echo "run-domu: the guest's core could not be converted: not kept" >&2
    fi
}

split_log
if [ "${#types[@]}" -eq 1 ]; then
    who="run-domu: "
    judge 1
    finish $?
fi
# Several guests (--pvh-too): a verdict each, then each one's status on a
# line of its own; the run's own status is the first that is not 0.
# With --log FILE, FILE.guestN keeps guest N's part of the log.
statuses=()
for ((n = 1; n <= ${#types[@]}; n++)); do
    who="run-domu: guest $n (${types[n - 1]%%:*}): "
    judge $n
    statuses+=($?)
done
first=0
for ((n = 1; n <= ${#types[@]}; n++)); do
    echo "run-domu: guest $n (${types[n - 1]%%:*}): exit status ${statuses[n - 1]}" >&2
    [ "$keep_log" = 1 ] && cp "$work/guest-$n.log" "$log.guest$n"
    [ "$first" = 0 ] && first=${statuses[n - 1]}
done
finish "$first"
