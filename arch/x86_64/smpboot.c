/*
 * Starting a secondary vCPU: its initial register context, built in one
 * place (VCPUOP_initialise), and its own vcpu_info.
 *
 * A 64-bit PV vCPU starts in guest kernel mode (VGCF_in_kernel) on Xen's
 * flat segments, with the page tables every vCPU shares (%cr3 = our L4's
 * machine address), a stack, %rip at the entry stub, and its kernel GS
 * base already pointing at its struct cpu.  Its trap table and its event
 * and failsafe callbacks are per-vCPU state in Xen, so they are part of the
 * context too.  Events start masked (the vcpu_info default).
 */
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/mm.h>

#define X86_EFLAGS_FIXED 0x2
#define X86_EFLAGS_IF    0x200

extern void secondary_entry(void);
extern void entry_event(void);
extern void entry_failsafe(void);
extern const trap_info_t *arch_trap_table(void);

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
}

int arch_vcpu_start(struct cpu *cpu, void *stack_top)
{
    struct vcpu_guest_context *ctxt = kcalloc(1, sizeof(*ctxt));
    int rc;

    if (!ctxt)
        return -XEN_ENOMEM;
    ctxt->flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctxt->user_regs.cs = FLAT_KERNEL_CS;
    ctxt->user_regs.ss = FLAT_KERNEL_SS;
    ctxt->user_regs.rip = (unsigned long)secondary_entry;
    ctxt->user_regs.rsp = (unsigned long)stack_top;
    ctxt->user_regs.rflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;
    ctxt->kernel_ss = FLAT_KERNEL_SS;
    ctxt->kernel_sp = (unsigned long)stack_top;
    ctxt->ctrlreg[3] = (unsigned long)virt_to_machine((void *)start_info.pt_base);
    ctxt->event_callback_eip = (unsigned long)entry_event;
    ctxt->failsafe_callback_eip = (unsigned long)entry_failsafe;
    ctxt->gs_base_kernel = (unsigned long)cpu;
    for (const trap_info_t *t = arch_trap_table(); t->address; t++)
        ctxt->trap_ctxt[t->vector] = *t;

    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu->id, ctxt);
    kfree(ctxt);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, cpu->id, NULL);
}
