/*
 * Sleeping the vCPU until a deadline.
 *
 * The race to avoid: decide to block, then an event arrives, then block
 * anyway and sleep through it.  So: mask events, check the condition, and
 * only then SCHEDOP_block, which in one step unmasks events and blocks,
 * and returns at once if an event is already pending.  The event is
 * delivered on the way back, and we look at the condition again.
 */
#include <kernel/arch.h>
#include <kernel/events.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/time.h>
#include <minios/timer.h>

static void wake_nothing(struct timer *t, void *arg)
{
    /* The VIRQ_TIMER delivery itself ends SCHEDOP_block. */
    (void)t;
    (void)arg;
}

void block_until(uint64_t deadline)
{
    struct timer timer;
    unsigned long flags = local_irq_save();

    timer_init(&timer, wake_nothing, NULL);
    timer_arm(&timer, deadline);
    while (monotonic_ns() < deadline) {
        int rc = arch_block();

        if (rc)
            panic("SCHEDOP_block failed: %d (%s)", rc, xen_strerror(rc));
        /* Back with events enabled and delivered; mask for the next check. */
        local_irq_disable();
    }
    timer_cancel(&timer);
    local_irq_restore(flags);
}
