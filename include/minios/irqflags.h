/*
 * The "interrupt flag" of a PV guest: the per-vCPU event mask
 * (vcpu_info.evtchn_upcall_mask), implemented by the architecture
 * (arch/x86_64/irqflags.c).  <minios/events.h> includes this header.
 */
#ifndef MINIOS_IRQFLAGS_H
#define MINIOS_IRQFLAGS_H

#include <stdbool.h>

#pragma GCC visibility push(default)

/*
 * Disabling is a store; enabling is a store and a check for events that
 * arrived meanwhile, which are then delivered at once.  Nothing here is a
 * privileged instruction.
 */
unsigned long local_irq_save(void); /* disables, returns the old state */
void local_irq_restore(unsigned long flags);
void local_irq_disable(void);
void local_irq_enable(void);
bool local_irq_is_enabled(void);

#pragma GCC visibility pop

#endif /* MINIOS_IRQFLAGS_H */
