/*
 * Exceptions and the callbacks Xen makes into us.
 *
 * set_trap_table is the PV `lidt`: one entry per vector with the handler's
 * address and flags.  Flag bits 0-1 are the DPL, the lowest ring allowed to
 * raise the vector with a software interrupt: #BP and #OF need 3, because a
 * 64-bit PV kernel itself runs in ring 3 (int3, into).  Bit 2 asks Xen to
 * mask events while the handler runs, like an interrupt gate clears IF.
 *
 * Every exception lands in x86_trap_entry(): fixups first, then a test's
 * recovery point (recovery.c), then the fatal report, which names the
 * exception, decodes a page fault, dumps the registers and the faulting
 * instruction, prints a symbolized backtrace, and shuts the domain down as
 * crashed.
 */
#include <arch/entry.h>
#include <arch/extable.h>
#include <arch/pvh.h>
#include <arch/recovery.h>
#include <arch/regs.h>
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <kernel/shutdown.h>
#include <kernel/symbols.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/page.h>
#include <minios/probe.h>

#define TRAP_DPL_KERNEL  0
#define TRAP_DPL_ANY     3
#define TRAP_MASK_EVENTS (1U << 2)

/* Tables laid out by hand: one stub per vector, two vectors a line. */
/* clang-format off */
#define ENTRY_DECL(name) extern void entry_##name(void)
ENTRY_DECL(DE); ENTRY_DECL(DB); ENTRY_DECL(NMI); ENTRY_DECL(BP); ENTRY_DECL(OF);
ENTRY_DECL(BR); ENTRY_DECL(UD); ENTRY_DECL(NM); ENTRY_DECL(DF); ENTRY_DECL(CSO);
ENTRY_DECL(TS); ENTRY_DECL(NP); ENTRY_DECL(SS); ENTRY_DECL(GP); ENTRY_DECL(PF);
ENTRY_DECL(SPV); ENTRY_DECL(MF); ENTRY_DECL(AC); ENTRY_DECL(MC); ENTRY_DECL(XM);

#define TRAP(vec, dpl, name) \
    { (vec), (dpl) | TRAP_MASK_EVENTS, FLAT_KERNEL_CS, (unsigned long)entry_##name }

static const trap_info_t trap_table[] = {
    TRAP(X86_EXC_DE, TRAP_DPL_KERNEL, DE),  TRAP(X86_EXC_DB, TRAP_DPL_KERNEL, DB),
    TRAP(X86_EXC_NMI, TRAP_DPL_KERNEL, NMI), TRAP(X86_EXC_BP, TRAP_DPL_ANY, BP),
    TRAP(X86_EXC_OF, TRAP_DPL_ANY, OF),     TRAP(X86_EXC_BR, TRAP_DPL_KERNEL, BR),
    TRAP(X86_EXC_UD, TRAP_DPL_KERNEL, UD),  TRAP(X86_EXC_NM, TRAP_DPL_KERNEL, NM),
    TRAP(X86_EXC_DF, TRAP_DPL_KERNEL, DF),  TRAP(9, TRAP_DPL_KERNEL, CSO),
    TRAP(X86_EXC_TS, TRAP_DPL_KERNEL, TS),  TRAP(X86_EXC_NP, TRAP_DPL_KERNEL, NP),
    TRAP(X86_EXC_SS, TRAP_DPL_KERNEL, SS),  TRAP(X86_EXC_GP, TRAP_DPL_KERNEL, GP),
    TRAP(X86_EXC_PF, TRAP_DPL_KERNEL, PF),  TRAP(15, TRAP_DPL_KERNEL, SPV),
    TRAP(X86_EXC_MF, TRAP_DPL_KERNEL, MF),  TRAP(X86_EXC_AC, TRAP_DPL_KERNEL, AC),
    TRAP(X86_EXC_MC, TRAP_DPL_KERNEL, MC),  TRAP(X86_EXC_XM, TRAP_DPL_KERNEL, XM),
    { 0, 0, 0, 0 }  /* the terminator: address 0 */
};
/* clang-format on */

const trap_info_t *x86_trap_table(void)
{
    return trap_table;
}

void arch_traps_init(void)
{
    struct callback_register event = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)entry_event,
    };
    struct callback_register failsafe = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)entry_failsafe,
    };
    int rc;

    if (x86_is_pvh()) {
        pvh_traps_init();
        return;
    }
    rc = HYPERVISOR_set_trap_table(trap_table);
    if (rc)
        panic("set_trap_table failed: %d (%s)", rc, xen_strerror(rc));
    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &event);
    if (rc)
        panic("CALLBACKOP_register(event) failed: %d (%s)", rc, xen_strerror(rc));
    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &failsafe);
    if (rc)
        panic("CALLBACKOP_register(failsafe) failed: %d (%s)", rc, xen_strerror(rc));
}

static void print_symbol(unsigned long addr)
{
    unsigned long offset;
    const char *name = symbol_lookup(addr, &offset);

    if (name)
        printk("<%s+%#lx>", name, offset);
    else
        printk("<?>");
}

static void print_page_fault(unsigned long cr2, unsigned long ec)
{
    printk("  %s %016lx: %s%s%s\n",
           ec & X86_PFEC_INSN    ? "fetching"
           : ec & X86_PFEC_WRITE ? "writing"
                                 : "reading",
           cr2, ec & X86_PFEC_PRESENT ? "protection violation" : "page not present",
           cr2 < PAGE_SIZE ? " (NULL pointer dereference)" : "",
           ec & X86_PFEC_RSVD ? ", reserved bit set in a page-table entry" : "");
}

/* The bytes at the faulting %rip, read through the fixup table. */
static void print_instruction(unsigned long rip)
{
    uint64_t bytes[2];

    if (probe_read_u64((const void *)rip, &bytes[0]).faulted ||
        probe_read_u64((const void *)(rip + 8), &bytes[1]).faulted) {
        printk("  instruction bytes: unreadable\n");
        return;
    }
    printk("  instruction bytes:");
    for (int i = 0; i < 16; i++)
        printk(" %02x", ((const uint8_t *)bytes)[i]);
    printk("\n");
}

static void print_registers(const struct cpu_regs *r)
{
    printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
    printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("  rbp %016lx  rsp %016lx  r8  %016lx\n", r->rbp, r->rsp, r->r8);
    printk("  r9  %016lx  r10 %016lx  r11 %016lx\n", r->r9, r->r10, r->r11);
    printk("  r12 %016lx  r13 %016lx  r14 %016lx\n", r->r12, r->r13, r->r14);
    printk("  r15 %016lx  rflags %08lx  cs %04lx  ss %04lx\n", r->r15, r->rflags, r->cs & 0xffff,
           r->ss & 0xffff);
}

static void __noreturn fatal_trap(const struct cpu_regs *regs, unsigned long cr2)
{
    struct cpu *cpu = this_cpu();

    if (cpu->fatal_depth++) {
        /* Faulted while reporting a fault: say so once, and stop. */
        printk("minios: fault (vector %lu at %016lx) while reporting a fault\n", regs->vector,
               regs->rip);
        shutdown_crash();
    }
    console_break_lock();
    console_start_line();
    printk("minios: FATAL: %s (vector %lu) on vCPU %u, error code %#lx\n",
           exception_name((unsigned int)regs->vector), regs->vector, cpu->id, regs->error_code);
    if (regs->vector == X86_EXC_PF)
        print_page_fault(cr2, regs->error_code);
    printk("  rip %016lx ", regs->rip);
    print_symbol(regs->rip);
    printk("\n");
    if (regs->vector == X86_EXC_PF && (regs->error_code & X86_PFEC_INSN)) {
        /* A bad call target: the return address the call pushed says who. */
        uint64_t ret;

        if (!probe_read_u64((const void *)regs->rsp, &ret).faulted) {
            printk("  called from %016lx ", ret);
            print_symbol(ret);
            printk("\n");
        }
    }
    print_instruction(regs->rip);
    print_registers(regs);
    arch_fault_backtrace(regs->rip, regs->rsp, regs->rbp);
    crash_report_end();
}

void x86_trap_entry(struct cpu_regs *regs)
{
    unsigned long cr2 = 0;

    if (regs->vector == VECTOR_EVENT) {
        if (x86_is_pvh() && !pvh_event_entry(regs))
            return;
        events_upcall();
        recovery_check_abort(regs);
        return;
    }
    /* PV: Xen writes the faulting address to this vCPU's arch.cr2 for us. */
    if (regs->vector == X86_EXC_PF)
        cr2 = x86_is_pvh() ? read_cr2() : this_cpu()->vcpu_info->arch.cr2;
    if (extable_fixup(regs, cr2) || recovery_take_fault(regs, cr2))
        return;
    fatal_trap(regs, cr2);
}

static const char *const segment_names[] = {"ds", "es", "fs", "gs"};

/*
 * frame: [0] %rcx, [1] %r11, [2..5] the %ds %es %fs %gs Xen tried to load,
 * [6] %rip, [7] %cs, [8] %rflags, [9] %rsp, [10] %ss.  Xen loaded a null
 * selector wherever it failed, so a register that differs from the value it
 * tried is one that failed.
 */

void x86_failsafe(const unsigned long *frame)
{
    unsigned long now[4];

    __asm__ __volatile__("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                         : "=r"(now[0]), "=r"(now[1]), "=r"(now[2]), "=r"(now[3]));
    console_break_lock();
    console_start_line();
    printk("minios: FATAL: failsafe callback: Xen could not reload a segment register\n");
    for (int i = 0; i < 4; i++) {
        unsigned long wanted = frame[2 + i] & 0xffff;

        printk("  %s: wanted %04lx, now %04lx%s\n", segment_names[i], wanted, now[i] & 0xffff,
               (now[i] & 0xffff) != wanted ? "  <- failed" : "");
    }
    printk("  at rip %016lx ", frame[6]);
    print_symbol(frame[6]);
    printk(", rsp %016lx\n", frame[9]);
    crash_report_end();
}
