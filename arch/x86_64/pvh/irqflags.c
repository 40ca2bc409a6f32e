/*
 * The PVH half of irqflags.c: the interrupt flag is the CPU's own.  A PVH
 * kernel runs in ring 0, so cli/sti work, and Xen injects the event vector
 * only while RFLAGS.IF is set (pvh/traps.c).  An event Xen made pending
 * while IF was clear makes Xen ask for an exit at the next interrupt
 * window, which `sti` opens; one the guest marked pending itself (an
 * unmask) Xen only sees when next entered: irqflags.c forces that entry.
 */
#include <arch/pvh.h>
#include <arch/regs.h>

static unsigned long read_flags(void)
{
    unsigned long flags;

    __asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
    return flags;
}

unsigned long pvh_irq_save(void)
{
    unsigned long flags = read_flags();

    __asm__ __volatile__("cli" : : : "memory");
    return (flags & X86_RFLAGS_IF) != 0;
}

void pvh_irq_disable(void)
{
    __asm__ __volatile__("cli" : : : "memory");
}

void pvh_irq_enable(void)
{
    __asm__ __volatile__("sti" : : : "memory");
}

bool pvh_irq_is_enabled(void)
{
    return (read_flags() & X86_RFLAGS_IF) != 0;
}
