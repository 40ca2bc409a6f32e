/*
 * Typed hypercall wrappers.
 *
 * Every wrapper returns what Xen returned: 0 or a positive result on
 * success, a negative Xen errno (XEN_E*, see <xen/errno.h>) on failure.
 * Callers must check it; xen_strerror() names the error for messages.
 *
 * All hypercalls funnel through xen_hypercall(), which also counts them per
 * hypercall number (see hypercall_count()), so the cost of the PV machinery
 * is visible rather than guessed.
 */
#ifndef MINIOS_HYPERCALL_H
#define MINIOS_HYPERCALL_H

#include <minios/xen.h>
#include <xen/errno.h>

#pragma GCC visibility push(default)

long xen_hypercall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                   unsigned long a4, unsigned long a5);

/* The same, not counted: only for the one call that sets up the counters. */
long xen_hypercall_uncounted(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                             unsigned long a4, unsigned long a5);

/* Total hypercalls issued with number @nr since boot, on every vCPU. */
unsigned long hypercall_count(unsigned int nr);

/* Total hypercalls of every number issued by vCPU @cpu since boot. */
unsigned long hypercall_count_cpu(unsigned int cpu);

/* Hypercalls with number @nr issued by vCPU @cpu since boot. */
unsigned long hypercall_count_nr_cpu(unsigned int nr, unsigned int cpu);

/* "EINVAL"-style name of a negative Xen error, or "E?" if unknown. */
const char *xen_strerror(long rc);

#define HC_(nr, a1, a2, a3, a4, a5)                                                                \
    xen_hypercall((nr), (unsigned long)(a1), (unsigned long)(a2), (unsigned long)(a3),             \
                  (unsigned long)(a4), (unsigned long)(a5))

static inline int HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
    return (int)HC_(__HYPERVISOR_console_io, cmd, count, buf, 0, 0);
}

static inline int HYPERVISOR_sched_op(int cmd, void *arg)
{
    return (int)HC_(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return HC_(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return (int)HC_(__HYPERVISOR_event_channel_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_physdev_op(int cmd, void *arg)
{
    return (int)HC_(__HYPERVISOR_physdev_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return (int)HC_(__HYPERVISOR_vcpu_op, cmd, vcpu, arg, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return HC_(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return (int)HC_(__HYPERVISOR_callback_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_set_trap_table(const trap_info_t *table)
{
    return (int)HC_(__HYPERVISOR_set_trap_table, table, 0, 0, 0, 0);
}

static inline int HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return (int)HC_(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0);
}

static inline int HYPERVISOR_mmu_update(mmu_update_t *req, unsigned int count, unsigned int *done,
                                        domid_t dom)
{
    return (int)HC_(__HYPERVISOR_mmu_update, req, count, done, dom, 0);
}

static inline int HYPERVISOR_mmuext_op(struct mmuext_op *op, unsigned int count, unsigned int *done,
                                       domid_t dom)
{
    return (int)HC_(__HYPERVISOR_mmuext_op, op, count, done, dom, 0);
}

static inline int HYPERVISOR_multicall(multicall_entry_t *calls, unsigned int nr)
{
    return (int)HC_(__HYPERVISOR_multicall, calls, nr, 0, 0, 0);
}

static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{
    return HC_(__HYPERVISOR_set_timer_op, deadline_ns, 0, 0, 0, 0);
}

static inline int HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return (int)HC_(__HYPERVISOR_grant_table_op, cmd, uop, count, 0, 0);
}

static inline int HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{
    return (int)HC_(__HYPERVISOR_stack_switch, ss, sp, 0, 0, 0);
}

static inline int HYPERVISOR_fpu_taskswitch(int set)
{
    return (int)HC_(__HYPERVISOR_fpu_taskswitch, set, 0, 0, 0, 0);
}

static inline int HYPERVISOR_set_segment_base(int which, unsigned long base)
{
    return (int)HC_(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0);
}

static inline int HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return (int)HC_(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static inline int HYPERVISOR_nmi_op(unsigned int cmd, void *arg)
{
    return (int)HC_(__HYPERVISOR_nmi_op, cmd, arg, 0, 0, 0);
}

#undef HC_

#pragma GCC visibility pop

#endif /* MINIOS_HYPERCALL_H */
