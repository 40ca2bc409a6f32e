/*
 * Frame-pointer backtraces.  Everything is built with -fno-omit-frame-pointer,
 * so each frame starts with the caller's %rbp followed by the return address;
 * _start zeroes %rbp so the chain ends there, and the trap entry builds a
 * frame so a backtrace continues through an interrupted context.  Frames are
 * read through the fault-fixup probes, and the walk stops at anything that
 * does not look like a frame: a backtrace is printed when things are broken.
 */
#include <kernel/arch.h>
#include <kernel/symbols.h>
#include <minios/console.h>
#include <minios/probe.h>
#include <arch/x86.h>

#define MAX_FRAMES 32

static void print_frame(int depth, unsigned long addr)
{
    unsigned long offset;
    const char *name = symbol_lookup(addr, &offset);

    if (name)
        printk("  [%2d] %016lx <%s+%#lx>\n", depth, addr, name, offset);
    else
        printk("  [%2d] %016lx\n", depth, addr);
}

void arch_backtrace(unsigned long rip, unsigned long rbp)
{
    int depth = 0;

    printk("Backtrace:\n");
    print_frame(depth++, rip);
    while (rbp && depth < MAX_FRAMES) {
        uint64_t next, ret;

        if ((rbp & 7) || probe_read_u64((const void *)rbp, &next).faulted ||
            probe_read_u64((const void *)(rbp + 8), &ret).faulted) {
            printk("  (frame pointer %016lx is unreadable)\n", rbp);
            break;
        }
        if (ret == 0)
            break;
        print_frame(depth++, ret);
        if (next <= rbp)
            break;      /* frames only move up the stack */
        rbp = next;
    }
}

void arch_print_backtrace(void)
{
    /* Our own frame holds the caller's %rbp: start the walk there. */
    const unsigned long *frame = (const unsigned long *)read_rbp();

    arch_backtrace((unsigned long)__builtin_return_address(0), frame[0]);
}
