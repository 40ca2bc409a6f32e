/*
 * Frame-pointer backtraces.  Everything is built with -fno-omit-frame-pointer,
 * so each frame starts with the caller's %rbp followed by the return address;
 * _start zeroes %rbp so the chain ends there.  The walk stops at anything that
 * does not look like a frame (misaligned, not moving up the stack, too deep),
 * because a backtrace is printed exactly when things are broken.
 */
#include <kernel/arch.h>
#include <minios/console.h>
#include <arch/x86.h>

#define MAX_FRAMES 32

struct frame {
    struct frame *next;
    unsigned long ret;
};

void arch_print_backtrace(void)
{
    const struct frame *f = (const struct frame *)read_rbp();

    printk("Backtrace:\n");
    for (int depth = 0; f && depth < MAX_FRAMES; depth++) {
        if ((unsigned long)f & 7)
            break;
        if (f->ret == 0)
            break;
        printk("  [%2d] %016lx\n", depth, f->ret);
        if (f->next <= f)
            break;
        f = f->next;
    }
}
