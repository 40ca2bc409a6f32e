/*
 * Per-vCPU event set-up, run by each vCPU on itself as it comes up
 * (smp_init_this_cpu()): its timer VIRQ, with Xen's periodic timer off, and
 * its debug VIRQ.
 */
#include <kernel/events.h>

void events_init_cpu(void)
{
    timer_init_cpu();
    events_debug_init_cpu();
}
