#!/usr/bin/env bash
# Checks that dependencies point down (docs/layout.md): every #include of a
# kernel source names a header of its own layer or a lower one.
#
#   scripts/check-layers.sh        prints each violation; exits 1 if any
#
# The tables below are the rule.  A folder's rank is its height; a header's
# rank is the rank of the folder that implements it.  Rank 0 headers (the
# freestanding helpers, Xen's interface, printk, panic and the fatal path)
# may be included from anywhere.  Headers private to a folder (the folder's
# own *.h, arch/x86_64/include/) may be included only from that folder.  A
# lower layer that must reach a higher one does it through a callback it is
# handed or through one of the upcalls listed at the end, each with its why.
set -u
cd "$(dirname "$0")/.."

# Folders, bottom to top.
declare -A folder_rank=(
    [lib]=0 [arch/x86_64]=1 [arch/x86_64/pvh]=1 [mm]=2 [events]=3 [smp]=4 [kernel]=5
    [console]=6 [drivers]=7 [drivers/xenstore]=7 [drivers/xenbus]=7 [drivers/netfront]=7 [drivers/blkfront]=7 [runtime/libc]=8 [runtime/pthread]=8 [runtime/fs]=8 [runtime/net]=8 [runtime/net/lwip]=8 [runtime/net/lwip/arch]=8
    # applications of the kernel: the hypervisor regression catalogue and its self-test
    [regress]=10 [regress/selftest]=10
)
# Files above their folder: the start of day calls every subsystem's init.
# The arch half of mm/ (page tables over all RAM) is in mm's layer.
declare -A file_rank=([kernel/start.c]=9 [kernel/banner.c]=9 [kernel/switches.c]=9 [arch/x86_64/pagetable.c]=2
    [arch/x86_64/pvh/pagetable.c]=2 [arch/x86_64/pvh/gnttab.c]=2)

# Headers, by the layer that implements them.
declare -A header_rank=(
    # anywhere: helpers, Xen's interface, printk, panic, the fatal path, and
    # <minios/debug.h> (declarations only: each subsystem implements its own)
    [minios/compiler.h]=0 [minios/list.h]=0 [minios/debug.h]=0 [minios/kernel.h]=0 [minios/console.h]=0
    [minios/xen.h]=0 [minios/xen_interface.h]=0 [minios/version.h]=0 [minios/page.h]=0
    [kernel/string.h]=0 [kernel/format.h]=0 [kernel/cmdline.h]=0 [kernel/ring.h]=0
    [kernel/console.h]=0 [kernel/shutdown.h]=0 [kernel/symbols.h]=0 [kernel/sections.h]=0
    # arch/x86_64: hypercalls, per-vCPU state, the event mask, time, probes
    [kernel/arch.h]=1 [kernel/percpu.h]=1 [kernel/percpu_offsets.h]=1
    [kernel/hypercall_stats.h]=1 [kernel/boot_profile.h]=1
    [minios/hypercall.h]=1 [minios/hypervisor.h]=1 [minios/multicall.h]=1
    [minios/p2m.h]=1 [minios/irqflags.h]=1 [minios/spinlock.h]=1 [minios/probe.h]=1 [minios/time.h]=1
    # mm
    [kernel/mm.h]=2 [kernel/bootmem.h]=2 [kernel/buddy.h]=2 [kernel/heap.h]=2
    [kernel/page_alloc.h]=2 [kernel/rammap.h]=2 [minios/mm.h]=2
    # events
    [kernel/events.h]=3 [kernel/timer_queue.h]=3 [minios/events.h]=3 [minios/timer.h]=3
    # smp
    [kernel/smp.h]=4 [minios/smp.h]=4
    # kernel: threads, the scheduler, locks, the application's hooks
    [kernel/sched.h]=5 [kernel/app.h]=5 [kernel/thread_hooks.h]=5 [kernel/libc_glue.h]=5
    [kernel/banner.h]=5 [minios/thread.h]=5 [minios/sync.h]=5
    [minios/test.h]=5
    # drivers
    [kernel/gnttab.h]=7 [kernel/xenstore.h]=7 [kernel/xs_text.h]=7
    [minios/gnttab.h]=7 [minios/xenstore.h]=7
    [kernel/xenbus.h]=7 [kernel/xenbus_parse.h]=7 [minios/netdev.h]=7 [minios/blkdev.h]=7
    [minios/net.h]=8
    # the start of day
    [kernel/switches.h]=9
)

# Upcalls: "file header" pairs where a lower layer calls a named entry point
# of a higher one.  Keep this list short; each line says why it must be so.
declare -A upcall=(
    # Xen's event callback enters the kernel through arch: the upcall's C side.
    ["arch/x86_64/traps.c kernel/events.h"]=1
    # A new thread's first switch returns into the scheduler.
    ["arch/x86_64/thread.c kernel/sched.h"]=1
    # The thread exit path runs the C runtime's per-thread hooks.
    ["kernel/thread.c kernel/thread_hooks.h"]=1
    # A vCPU that comes up (or back) enters the scheduler's idle loop.
    ["smp/smp.c kernel/sched.h"]=1
    ["smp/hotplug.c kernel/sched.h"]=1
    # struct cpu embeds each layer's per-vCPU record (a type, no call).
    ["include/kernel/percpu.h kernel/timer_queue.h"]=1
    # The VIRQ_DEBUG dump reports every subsystem's state (Xen's 'q' key).
    ["events/debug.c kernel/gnttab.h"]=1
    ["events/debug.c kernel/sched.h"]=1
    ["events/debug.c kernel/smp.h"]=1
    # The teaching switches' tables are printed as the program exits.
    ["kernel/panic.c kernel/switches.h"]=1
)

rank_of_file() {
    local f=$1 dir
    if [ -n "${file_rank[$f]:-}" ]; then
        echo "${file_rank[$f]}"
        return
    fi
    dir=$(dirname "$f")
    echo "${folder_rank[$dir]:-}"
}

violations=0 checked=0
report() {
    printf '%s: %s\n' "$1" "$2"
    violations=$((violations + 1))
}

while IFS= read -r f; do
    r=$(rank_of_file "$f")
    if [ -z "$r" ]; then
        report "$f" "in no layer (add its folder to scripts/check-layers.sh and docs/layout.md)"
        continue
    fi
    dir=$(dirname "$f")
    while IFS= read -r line; do
        checked=$((checked + 1))
        case "$line" in
            *'"'*)   # a private header: must be in the same folder
                h=${line#*\"}; h=${h%%\"*}
                [ -e "$dir/$h" ] || report "$f" "includes \"$h\", which is not in $dir/"
                continue ;;
        esac
        h=${line#*<}; h=${h%%>*}
        case "$h" in
            xen/*) continue ;;                       # Xen's public interface
            arch/*)
                [ "$dir" = arch/x86_64 ] || [ "$dir" = arch/x86_64/pvh ] || report "$f" "includes <$h>, private to arch/x86_64/"
                continue ;;
            kernel/*)
                case "$dir" in regress*) report "$f" "includes <$h>: an application sees only <minios/...>" ;; esac ;;
            minios/*) ;;
            *)   # a C library header: only the runtime, and freestanding ones
                case "$dir:$h" in
                    runtime/*|regress*|*:stdbool.h|*:stddef.h|*:stdint.h|*:stdarg.h) ;;
                    *) report "$f" "includes <$h>: only runtime/ sees the C library" ;;
                esac
                continue ;;
        esac
        hr=${header_rank[$h]:-}
        if [ -z "$hr" ]; then
            report "$f" "includes <$h>, which has no layer in scripts/check-layers.sh"
        elif [ "$hr" -gt "$r" ] && [ -z "${upcall["$f $h"]:-}" ]; then
            report "$f" "includes <$h> (layer $hr) from layer $r: a dependency pointing up"
        fi
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(git ls-files --cached --others --exclude-standard 'arch/*.c' 'arch/*.S' 'arch/*.h' 'mm/*' 'events/*' 'smp/*' 'kernel/*' \
             'console/*' 'drivers/*' 'lib/*' 'runtime/*' 'regress/*' 'include/kernel/*' 'include/minios/*' |
         grep -E '\.(c|S|h)$' | grep -v '^include/' | grep -v '^arch/x86_64/include/')

# Headers in include/: each must have a layer, and include nothing above it.
while IFS= read -r hf; do
    h=${hf#include/}
    hr=${header_rank[$h]:-}
    if [ -z "$hr" ]; then
        report "$hf" "has no layer in scripts/check-layers.sh"
        continue
    fi
    while IFS= read -r line; do
        checked=$((checked + 1))
        inc=${line#*<}; inc=${inc%%>*}
        case "$inc" in kernel/*|minios/*) ;; *) continue ;; esac
        ir=${header_rank[$inc]:-}
        [ -n "$ir" ] && [ "$ir" -gt "$hr" ] && [ -z "${upcall["$hf $inc"]:-}" ] &&
            report "$hf" "includes <$inc> (layer $ir) from layer $hr: a dependency pointing up"
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$hf")
done < <(git ls-files --cached --others --exclude-standard 'include/kernel/*.h' 'include/minios/*.h')

echo "layers: $checked includes checked, $violations pointing the wrong way"
[ "$violations" -eq 0 ]
