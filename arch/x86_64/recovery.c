/*
 * Ending a test that faulted or hung (see <kernel/arch.h>, "recovery").
 *
 * One point is armed at a time, for one thread.  A fault no fixup claims,
 * taken by that thread, or an event upcall that interrupts it after an
 * abort was requested, is turned around: the interrupted frame's %rip
 * becomes arch_recovery_resume with %rdi = the point, and the iret that
 * ends the trap lands there.  Nothing of the test's stack is unwound; the
 * point's owner simply continues after arch_recovery_run.
 *
 * A test blocked in Xen with events masked is out of an upcall's reach:
 * SCHEDOP_poll leaves the mask as it is, and once an event is pending
 * (masked) nothing wakes a poll of another port.  So the hypercall funnel
 * hands the owner's blocking sched_ops to recovery_blocking_sched_op,
 * which ends the test at its deadline from there (before and after the
 * call) and caps a poll's timeout at the deadline.  SCHEDOP_block needs no
 * cap: Xen enables event delivery before it blocks (vcpu_block_enable_events).
 */
#include <arch/recovery.h>
#include <arch/regs.h>
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/hypercall.h>
#include <minios/probe.h>
#include <minios/time.h>

extern void arch_recovery_resume(struct recovery_point *rp) __attribute__((noreturn));

static struct recovery_point *armed;

void arch_recovery_arm(struct recovery_point *rp, const void *owner)
{
    rp->owner = owner;
    rp->abort_requested = false;
    rp->deadline_ns = 0;
    rp->ended_by = RECOVERY_NONE;
    for (unsigned int i = 0; i < RECOVERY_LOCK_SLOTS; i++) {
        rp->spinlocks[i] = NULL;
        rp->mutexes[i] = NULL;
    }
    rp->unrecorded = 0;
    __atomic_store_n(&armed, rp, __ATOMIC_RELEASE);
    recovery_record_locks(rp);
}

void arch_recovery_set_deadline(struct recovery_point *rp, uint64_t deadline_ns)
{
    __atomic_store_n(&rp->deadline_ns, deadline_ns, __ATOMIC_RELEASE);
}

void arch_recovery_disarm(void)
{
    recovery_record_locks(NULL);
    __atomic_store_n(&armed, NULL, __ATOMIC_RELEASE);
}

void arch_recovery_request_abort(struct recovery_point *rp)
{
    __atomic_store_n(&rp->abort_requested, true, __ATOMIC_RELEASE);
}

struct recovery_point *recovery_mine(void)
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
    struct recovery_point *rp = recovery_mine();

    if (!rp)
        return false;
    rp->ended_by = RECOVERY_FAULT;
    rp->address = fault_address;
    turn_around(rp, regs);
    return true;
}

void recovery_check_abort(struct cpu_regs *regs)
{
    struct recovery_point *rp = recovery_mine();

    if (!rp || !__atomic_load_n(&rp->abort_requested, __ATOMIC_ACQUIRE))
        return;
    rp->ended_by = RECOVERY_ABORT;
    rp->address = 0;
    turn_around(rp, regs);
}

static bool due(const struct recovery_point *rp)
{
    uint64_t deadline = __atomic_load_n(&rp->deadline_ns, __ATOMIC_ACQUIRE);

    return __atomic_load_n(&rp->abort_requested, __ATOMIC_ACQUIRE) ||
           (deadline && monotonic_ns() >= deadline);
}

/* Ends the owner's test from its own call, at @caller: a timeout. */
static void __attribute__((noreturn)) end_blocked(struct recovery_point *rp, unsigned long caller)
{
    rp->ended_by = RECOVERY_ABORT;
    rp->rip = caller;
    rp->vector = 0;
    rp->error_code = 0;
    rp->address = 0;
    __atomic_store_n(&armed, NULL, __ATOMIC_RELEASE);
    arch_recovery_resume(rp);
}

long recovery_blocking_sched_op(unsigned int cmd, unsigned long arg, unsigned long caller)
{
    struct recovery_point *rp = recovery_mine();
    struct sched_poll capped;
    uint64_t deadline;

    if (!rp || !(deadline = __atomic_load_n(&rp->deadline_ns, __ATOMIC_ACQUIRE)))
        return xen_hypercall_uncounted(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0);
    if (due(rp))
        end_blocked(rp, caller);
    if (cmd == SCHEDOP_poll) {
        /* Read through a probe: a test may hand Xen a bad pointer on purpose. */
        const uint64_t *src = (const uint64_t *)arg;
        uint64_t words[sizeof(capped) / 8];
        bool readable = true;

        for (unsigned int i = 0; i < sizeof(words) / 8 && readable; i++)
            readable = !probe_read_u64(&src[i], &words[i]).faulted;
        if (readable) {
            __builtin_memcpy(&capped, words, sizeof(capped));
            if (capped.timeout == 0 || capped.timeout > deadline)
                capped.timeout = deadline;
            arg = (unsigned long)&capped;
        }
    }
    long rc = xen_hypercall_uncounted(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0);

    if (due(rp))
        end_blocked(rp, caller);
    return rc;
}
