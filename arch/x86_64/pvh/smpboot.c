/*
 * The PVH half of smpboot.c: a vCPU starts from a vcpu_hvm_context, the
 * register state of a CPU already in long mode (VCPU_HVM_MODE_64B): our
 * CR0, CR4, EFER and page tables, the entry pvh_secondary_entry (pvh/head.S)
 * with its struct cpu in %rdi and its idle stack in %rsp, interrupts off.
 * What PV gives Xen in the context (trap table, callbacks, GS base), the
 * vCPU sets up itself there.
 */
#include <arch/pvh.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <minios/hypervisor.h>
#include <minios/p2m.h>
#include <xen/hvm/hvm_vcpu.h>

#define MSR_EFER         0xc0000080U
#define X86_EFLAGS_FIXED 0x2UL

void pvh_secondary_entry(void);

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

int pvh_vcpu_start(struct cpu *cpu, void *stack_top, void *scratch)
{
    struct vcpu_hvm_context *ctx = scratch;
    struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;
    int rc;

    memset(ctx, 0, sizeof(*ctx));
    ctx->mode = VCPU_HVM_MODE_64B;
    __asm__ __volatile__("mov %%cr0, %0; mov %%cr4, %1" : "=r"(r->cr0), "=r"(r->cr4));
    r->efer = rdmsr(MSR_EFER);
    r->cr3 = (unsigned long)virt_to_pfn((void *)start_info.pt_base) << PAGE_SHIFT;
    r->rip = (unsigned long)pvh_secondary_entry;
    r->rsp = (unsigned long)stack_top;
    r->rdi = (unsigned long)cpu;
    r->rflags = X86_EFLAGS_FIXED;

    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu->id, ctx);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, cpu->id, NULL);
}
