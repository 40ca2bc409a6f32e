/*
 * The PVH half of traps.c: an IDT instead of set_trap_table, and a
 * callback vector instead of the PV event upcall.
 *
 * Exceptions 0-19 and the event vector go through interrupt gates (the CPU
 * clears IF on the way in, as CALLBACKF_mask_events does for PV) into the
 * same x86_trap_entry(), so faults give the same reports and backtraces in
 * both modes.  Events: HVM_PARAM_CALLBACK_IRQ of the vector type makes Xen
 * inject PVH_EVENT_VECTOR on any vCPU whose evtchn_upcall_pending is set,
 * whenever that vCPU has IF set.  Xen does not read evtchn_upcall_mask for
 * this delivery: the PVH interrupt flag is RFLAGS.IF (pvh/irqflags.c), and
 * the mask byte is left clear.  No EOI: the vector does not go through the
 * local APIC.
 */
#include <arch/pvh.h>
#include <arch/regs.h>
#include <kernel/percpu.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define NR_EXCEPTIONS  20

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
};

extern const unsigned long pvh_exception_stubs[NR_EXCEPTIONS];
void pvh_entry_event(void);

static struct idt_gate idt[256] __aligned(16);

static void set_gate(unsigned int vector, unsigned long handler)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = PVH_CS,
        .type = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

/* Loads the IDT on the calling vCPU (the boot vCPU here, each secondary later). */
void pvh_load_idt(void)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } desc = {sizeof(idt) - 1, (unsigned long)idt};

    __asm__ __volatile__("lidt %0" : : "m"(desc));
}

void pvh_traps_init(void)
{
    struct xen_hvm_param param = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | PVH_EVENT_VECTOR,
    };
    long rc;

    for (unsigned int v = 0; v < NR_EXCEPTIONS; v++)
        set_gate(v, pvh_exception_stubs[v]);
    set_gate(PVH_EVENT_VECTOR, (unsigned long)pvh_entry_event);
    pvh_load_idt();

    WRITE_ONCE(this_cpu()->vcpu_info->evtchn_upcall_mask, 0);
    rc = HYPERVISOR_hvm_op(HVMOP_set_param, &param);
    if (rc)
        panic("HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ, vector %#x) failed: %ld (%s)",
              PVH_EVENT_VECTOR, rc, xen_strerror(rc));
}

/*
 * The event vector's first check, before the upcall.  Both cases below
 * cannot happen on hardware, where the vector is a maskable interrupt;
 * under QEMU's TCG, which emulates the SVM that Xen runs a PVH guest
 * with, both were seen (docs/pvh.md).  Returns false to ignore the event.
 *
 * Arriving with IF clear, the vector interrupted code that masked events,
 * perhaps an upcall holding a lock the upcall takes: it is ignored, and
 * what is pending stays pending for that upcall's loop or the next
 * local_irq_enable().
 *
 * Arriving on pvh_block()'s hlt, inside the sti shadow, it would return
 * to the hlt, and the vCPU would sleep with the event that should have
 * woken it already handled: a lost wake-up.  (QEMU's VMRUN does not
 * restore the interrupt shadow Xen saved at an exit between sti and hlt.)
 * So the return skips the hlt, as if it had ended.
 */
bool pvh_event_entry(struct cpu_regs *regs)
{
    if (!(regs->rflags & X86_RFLAGS_IF)) {
        this_cpu()->events_ignored++;
        return false;
    }
    if (regs->rip == (unsigned long)pvh_block_hlt) {
        regs->rip++; /* hlt is one byte, 0xf4 */
        this_cpu()->hlt_skipped++;
    }
    return true;
}
