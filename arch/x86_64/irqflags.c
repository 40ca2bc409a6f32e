/*
 * The PV interrupt flag: vcpu_info.evtchn_upcall_mask.  A guest kernel in
 * ring 3 cannot execute cli/sti; instead it writes this byte, which Xen
 * reads before delivering an upcall.  Disabling is a plain store.  Enabling
 * must also look at evtchn_upcall_pending: an event that arrived while we
 * were masked is waiting there, and Xen will not deliver it by itself until
 * our next entry into Xen, so we make that entry now (arch_force_upcall).
 * Compiler barriers keep the critical section's accesses inside the
 * mask/unmask stores.
 */
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/hypercall.h>
#include <arch/pvh.h>

unsigned long local_irq_save(void)
{
    if (x86_is_pvh())
        return pvh_irq_save();
    vcpu_info_t *vi = this_cpu()->vcpu_info;
    unsigned long was_masked = READ_ONCE(vi->evtchn_upcall_mask);

    WRITE_ONCE(vi->evtchn_upcall_mask, 1);
    barrier();
    /* flags: 1 if events were enabled. */
    return !was_masked;
}

void local_irq_restore(unsigned long flags)
{
    if (flags)
        local_irq_enable();
    else
        local_irq_disable();
}

void local_irq_disable(void)
{
    if (x86_is_pvh()) {
        pvh_irq_disable();
        return;
    }
    WRITE_ONCE(this_cpu()->vcpu_info->evtchn_upcall_mask, 1);
    barrier();
}

void local_irq_enable(void)
{
    vcpu_info_t *vi;

    if (x86_is_pvh()) {
        pvh_irq_enable();
        /* As below: Xen looks at a pending bit we set ourselves only when entered. */
        if (READ_ONCE(this_cpu()->vcpu_info->evtchn_upcall_pending))
            arch_force_upcall();
        return;
    }
    barrier();
    vi = this_cpu()->vcpu_info;
    WRITE_ONCE(vi->evtchn_upcall_mask, 0);
    barrier();
    if (READ_ONCE(vi->evtchn_upcall_pending))
        arch_force_upcall();
}

bool local_irq_is_enabled(void)
{
    if (x86_is_pvh())
        return pvh_irq_is_enabled();
    return READ_ONCE(this_cpu()->vcpu_info->evtchn_upcall_mask) == 0;
}

/*
 * Xen checks for a pending upcall whenever it returns to the guest; the
 * cheapest way to return from Xen is a hypercall that does nothing.  PVH
 * too: Xen reads evtchn_upcall_pending at each VM entry and injects the
 * event vector then, if IF is set.
 */
void arch_force_upcall(void)
{
    HYPERVISOR_xen_version(XENVER_version, NULL);
}

int arch_block(void)
{
    if (x86_is_pvh())
        return pvh_block();
    return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
