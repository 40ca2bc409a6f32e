/*
 * The PVH half of irqflags.c: the interrupt flag is the CPU's own.  A PVH
 * kernel runs in ring 0, so cli/sti work, and Xen injects the event vector
 * only while RFLAGS.IF is set (pvh/traps.c).  An event Xen made pending
 * while IF was clear makes Xen ask for an exit at the next interrupt
 * window, which `sti` opens; one the guest marked pending itself (an
 * unmask) Xen only sees when next entered: irqflags.c forces that entry.
 */
#include <arch/pvh.h>

#define X86_EFLAGS_IF (1UL << 9)

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
    return (flags & X86_EFLAGS_IF) != 0;
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
    return (read_flags() & X86_EFLAGS_IF) != 0;
}

/*
 * SCHEDOP_block's "unmask and block in one step", PVH style: `sti; hlt`.
 * The instruction after sti runs before any interrupt is taken, so an
 * event that is already pending cannot slip in between; Xen's hlt handler
 * returns at once if one is pending, else blocks the vCPU until one is.
 * (SCHEDOP_block itself would not do: Xen checks for a deliverable event
 * with the guest's IF, which is clear, or in the sti shadow, at the call.)
 * Returns with IF set and the event delivered, as SCHEDOP_block does.
 */
int pvh_block(void)
{
    __asm__ __volatile__("sti; hlt" : : : "memory");
    return 0;
}
