/*
 * Per-CPU areas through the kernel GS base.  In a 64-bit PV guest the GS
 * base is Xen's to load: set_segment_base(SEGBASE_GS_KERNEL) sets the value
 * used while the guest runs in kernel mode, which is all the time for us.
 * Each vCPU then moves its vcpu_info from shared_info (which has room for
 * only the first 32) into its own struct cpu.
 */
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/p2m.h>
#include <arch/early.h>
#include <arch/pvh.h>

struct cpu *cpu_table[MAX_VCPUS];

void arch_percpu_init(struct cpu *cpu, unsigned int id)
{
    cpu->self = cpu;
    cpu->id = id;
    if (x86_is_pvh()) {
        pvh_percpu_init(cpu);
        cpu_table[id] = cpu;
        return;
    }
    long rc = xen_hypercall_uncounted(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL,
                                      (unsigned long)cpu, 0, 0, 0);

    if (rc)
        early_crash("set_segment_base(GS_KERNEL)", rc); /* nothing works without it */
    /* Counted now that there is somewhere to count it. */
    hypercall_stats_record(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, false);
    cpu_table[id] = cpu;
}

void arch_register_vcpu_info(struct cpu *cpu)
{
    struct vcpu_register_vcpu_info info = {
        .mfn = virt_to_mfn(&cpu->vcpu_info_area),
        .offset = (uint32_t)((unsigned long)&cpu->vcpu_info_area & ~PAGE_MASK),
    };
    int rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, cpu->id, &info);

    if (rc)
        panic("VCPUOP_register_vcpu_info(%u) failed: %d (%s)", cpu->id, rc, xen_strerror(rc));
    /* Xen has copied the old vcpu_info's state here; use it from now on. */
    cpu->vcpu_info = &cpu->vcpu_info_area;
    /* PVH: the interrupt flag is RFLAGS.IF (pvh/traps.c); keep the byte clear. */
    if (x86_is_pvh())
        WRITE_ONCE(cpu->vcpu_info->evtchn_upcall_mask, 0);
}
