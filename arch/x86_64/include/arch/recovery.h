/*
 * The trap path's half of recovery points (recovery.c): turning a fault or
 * an abort request into a return to the armed point.
 */
#ifndef ARCH_RECOVERY_H
#define ARCH_RECOVERY_H

#include <stdbool.h>
#include <arch/regs.h>

/* A fault no fixup claimed: if the armed point's thread took it, resume there. */
bool recovery_take_fault(struct cpu_regs *regs, unsigned long fault_address);

/* After an upcall: if an abort was requested and its thread was interrupted, resume there. */
void recovery_check_abort(struct cpu_regs *regs);

/*
 * SCHEDOP_block or SCHEDOP_poll (@cmd, @arg) from the funnel, @caller its
 * caller: for the armed point's thread, ends the test there once its
 * deadline has passed and caps a poll at the deadline; else just the call.
 */
long recovery_blocking_sched_op(unsigned int cmd, unsigned long arg, unsigned long caller);

/* The armed point if the thread running on this vCPU owns it; else NULL. */
struct recovery_point *recovery_mine(void);

/* From arming to disarming (not just until a turn-around): record @rp's owner's locks. */
void recovery_record_locks(struct recovery_point *rp);

#endif /* ARCH_RECOVERY_H */
