/*
 * Counting the vCPUs Xen gave us, and starting a secondary one: its
 * initial register context, built in one place (VCPUOP_initialise).
 *
 * A 64-bit PV vCPU starts in guest kernel mode (VGCF_in_kernel) on Xen's
 * flat segments, with the page tables every vCPU shares (%cr3 = our L4's
 * machine address), a stack, %rip at the entry stub, and its kernel GS
 * base already pointing at its struct cpu.  Its trap table and its event
 * and failsafe callbacks are per-vCPU state in Xen, so they are part of the
 * context too.  Events start masked (the vcpu_info default).
 */
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/console.h>
#include <minios/p2m.h>
#include <arch/pvh.h>
#include <arch/regs.h>
#include <arch/entry.h>
#include <arch/vcpu.h>

#define X86_EFLAGS_FIXED 0x2

/* Set by the census; 1 until then (the boot vCPU). */
static unsigned int vcpus_exist = 1;

/* Xen's vCPU ids are below this (its own limit for a PV guest is lower). */
#define VCPU_ID_LIMIT 4096

unsigned int arch_vcpu_census(unsigned int *up)
{
    unsigned int exist = 0, running = 0;

    for (unsigned int id = 0; id < VCPU_ID_LIMIT; id++) {
        int rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL);

        if (rc == -XEN_ENOENT)
            break;
        if (rc < 0) {
            printk("smp: VCPUOP_is_up(%u) failed: %d (%s); counting %u vCPUs\n", id, rc,
                   xen_strerror(rc), exist);
            break;
        }
        exist++;
        running += rc > 0;
    }
    if (up)
        *up = running;
    __atomic_store_n(&vcpus_exist, exist ? exist : 1, __ATOMIC_RELEASE);
    return exist;
}

unsigned int x86_vcpus_exist(void)
{
    return __atomic_load_n(&vcpus_exist, __ATOMIC_ACQUIRE);
}

int arch_vcpu_start(struct cpu *cpu, void *stack_top, struct vcpu_guest_context *ctxt)
{
    int rc;

    if (x86_is_pvh())
        return pvh_vcpu_start(cpu, stack_top, ctxt); /* ctxt: big enough for an HVM context */
    memset(ctxt, 0, sizeof(*ctxt));
    ctxt->flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctxt->user_regs.cs = FLAT_KERNEL_CS;
    ctxt->user_regs.ss = FLAT_KERNEL_SS;
    ctxt->user_regs.rip = (unsigned long)secondary_entry;
    ctxt->user_regs.rsp = (unsigned long)stack_top;
    ctxt->user_regs.rflags = X86_EFLAGS_FIXED | X86_RFLAGS_IF;
    ctxt->kernel_ss = FLAT_KERNEL_SS;
    ctxt->kernel_sp = (unsigned long)stack_top;
    ctxt->ctrlreg[3] = (unsigned long)virt_to_machine((void *)start_info.pt_base);
    ctxt->event_callback_eip = (unsigned long)entry_event;
    ctxt->failsafe_callback_eip = (unsigned long)entry_failsafe;
    ctxt->gs_base_kernel = (unsigned long)cpu;
    for (const trap_info_t *t = x86_trap_table(); t->address; t++)
        ctxt->trap_ctxt[t->vector] = *t;

    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu->id, ctxt);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, cpu->id, NULL);
}
