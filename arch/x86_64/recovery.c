/*
 * Ending a test that faulted or hung (see <kernel/arch.h>, "recovery").
 *
 * One point is armed at a time, for one thread.  A fault no fixup claims,
 * taken by that thread, or an event upcall that interrupts it after an
 * abort was requested, is turned around: the interrupted frame's %rip
 * becomes arch_recovery_resume with %rdi = the point, and the iret that
 * ends the trap lands there.  Nothing of the test's stack is unwound; the
 * point's owner simply continues after arch_recovery_run.
 */
#include <arch/regs.h>
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/probe.h>

extern void arch_recovery_resume(void);

static struct recovery_point *armed;

void arch_recovery_arm(struct recovery_point *rp, const void *owner)
{
    rp->owner = owner;
    rp->abort_requested = false;
    rp->ended_by = RECOVERY_NONE;
    __atomic_store_n(&armed, rp, __ATOMIC_RELEASE);
}

void arch_recovery_disarm(void)
{
    __atomic_store_n(&armed, NULL, __ATOMIC_RELEASE);
}

void arch_recovery_request_abort(struct recovery_point *rp)
{
    __atomic_store_n(&rp->abort_requested, true, __ATOMIC_RELEASE);
}

/* The armed point, if the thread running on this vCPU owns it. */
static struct recovery_point *mine(void)
{
    struct recovery_point *rp = __atomic_load_n(&armed, __ATOMIC_ACQUIRE);
    struct cpu *cpu = this_cpu();

    if (!rp || rp->owner != cpu->current || cpu->fatal_depth)
        return NULL;
    return rp;
}

static void turn_around(struct recovery_point *rp, struct cpu_regs *regs)
{
    rp->rip = regs->rip;
    rp->vector = regs->vector;
    rp->error_code = regs->error_code;
    /* Once: a second fault in the same test is a fatal one. */
    __atomic_store_n(&armed, NULL, __ATOMIC_RELEASE);
    regs->rip = (unsigned long)arch_recovery_resume;
    regs->rdi = (unsigned long)rp;
}

bool recovery_take_fault(struct cpu_regs *regs, unsigned long fault_address)
{
    struct recovery_point *rp = mine();

    if (!rp)
        return false;
    rp->ended_by = RECOVERY_FAULT;
    rp->address = fault_address;
    turn_around(rp, regs);
    return true;
}

void recovery_check_abort(struct cpu_regs *regs)
{
    struct recovery_point *rp = mine();

    if (!rp || !__atomic_load_n(&rp->abort_requested, __ATOMIC_ACQUIRE))
        return;
    rp->ended_by = RECOVERY_ABORT;
    rp->address = 0;
    turn_around(rp, regs);
}
