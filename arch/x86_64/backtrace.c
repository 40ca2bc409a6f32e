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

#include <stdbool.h>

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

static void walk(int depth, unsigned long rbp)
{
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
            break; /* frames only move up the stack */
        rbp = next;
    }
}

void arch_backtrace(unsigned long rip, unsigned long rbp)
{
    printk("Backtrace:\n");
    print_frame(0, rip);
    walk(1, rbp);
}

/* Whether the bytes before @addr end with a call instruction (e8 rel32, or ff /2). */
static bool after_call(unsigned long addr)
{
    uint64_t word;

    if (probe_read_u64((const void *)(addr - 8), &word).faulted)
        return false;
    const uint8_t *b = (const uint8_t *)&word; /* b[7] is the byte at addr - 1 */

    if (b[3] == 0xe8)
        return true;
    /* ff /2: ModRM (reg field 2) 1, 2, 5 or 6 bytes before the end. */
    static const int modrm_at[] = {7, 6, 3, 2};

    for (unsigned int i = 0; i < sizeof(modrm_at) / sizeof(modrm_at[0]); i++)
        if (b[modrm_at[i] - 1] == 0xff && ((b[modrm_at[i]] >> 3) & 7) == 2)
            return true;
    return false;
}

/*
 * A fault's backtrace.  The frame chain starts at %rbp, which is the
 * faulting function's own frame only once its prologue (push %rbp first,
 * then mov %rsp,%rbp) has run.  gcc gives a leaf function that needs no
 * stack no frame at all, even with -fno-omit-frame-pointer and
 * -mno-omit-leaf-frame-pointer: there %rbp is still its caller's frame and
 * the chain would skip the caller (main never appeared under a divide by
 * zero in a leaf).  When the function at %rip does not start with push
 * %rbp, or has not run it yet, or %rip is outside the image (a call
 * through a bad pointer), the return address is on top of the stack: the
 * first word there that follows a call instruction is printed as the
 * likely caller.
 */
void arch_fault_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp)
{
    unsigned long offset;
    const char *name = symbol_lookup(rip, &offset);
    uint64_t first = 0, ret;
    int depth = 1;

    printk("Backtrace:\n");
    print_frame(0, rip);
    /* No symbol: a call or jump to a bad address, with the return address on top too. */
    if (!name || (!probe_read_u64((const void *)(rip - offset), &first).faulted &&
                  ((first & 0xff) != 0x55 || offset == 0))) {
        for (unsigned int i = 0; i < 4; i++) {
            unsigned long at = rsp + i * 8;

            if (probe_read_u64((const void *)at, &ret).faulted)
                break;
            if (symbol_lookup(ret, &offset) && after_call(ret)) {
                unsigned long dummy;
                const char *caller = symbol_lookup(ret, &dummy);

                printk("  [%2d] %016lx <%s+%#lx> (return address at rsp+%u: the likely caller)\n",
                       depth++, ret, caller, dummy, i * 8);
                break;
            }
        }
    }
    walk(depth, rbp);
}

void arch_print_backtrace(void)
{
    /* Our own frame holds the caller's %rbp: start the walk there. */
    const unsigned long *frame = (const unsigned long *)read_rbp();

    arch_backtrace((unsigned long)__builtin_return_address(0), frame[0]);
}

/*
 * A switched-out thread: arch_switch (switch.S) pushed %rbp, %rbx and
 * %r12-%r15 onto its stack below the return address, and saved %rsp.
 */
void arch_thread_backtrace(unsigned long saved_rsp)
{
    uint64_t rbp, ret;

    if (!saved_rsp || (saved_rsp & 7) ||
        probe_read_u64((const void *)(saved_rsp + 5 * 8), &rbp).faulted ||
        probe_read_u64((const void *)(saved_rsp + 6 * 8), &ret).faulted) {
        printk("  (saved stack pointer %016lx is unreadable)\n", saved_rsp);
        return;
    }
    arch_backtrace(ret, rbp);
}
