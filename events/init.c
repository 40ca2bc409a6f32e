/* Per-vCPU event set-up, run by each vCPU as it comes up (boot and hotplug). */
#include <kernel/events.h>
#include <kernel/smp.h>

void events_init_cpu(void)
{
    timer_init_cpu();
    ipi_init_cpu();
    events_debug_init_cpu();
}
