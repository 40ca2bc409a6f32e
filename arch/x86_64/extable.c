/*
 * Looking up exception fixups (see <arch/extable.h>).  The table is small
 * and only consulted on a fault, so a linear scan is enough.
 */
#include <stddef.h>
#include <arch/extable.h>
#include <minios/probe.h>

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

static const struct extable_entry *find(unsigned long addr, unsigned long kind)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
        if (e->insn == addr && e->kind == kind)
            return e;
    }
    return NULL;
}

bool extable_fixup(struct cpu_regs *regs, unsigned long fault_address)
{
    const struct extable_entry *e = find(regs->rip, EXTABLE_AT_INSN);

    if (!e && regs->vector == X86_EXC_PF) {
        /*
         * A fault fetching a call's target: %rip is the target itself, and
         * the return address the call pushed is on top of the stack.
         */
        e = find(*(const unsigned long *)regs->rsp, EXTABLE_AT_CALL);
        if (e)
            regs->rsp += 8;
    }
    if (!e)
        return false;
    regs->rip = e->fixup;
    regs->rax = EXINFO(regs->vector, regs->error_code);
    regs->rdx = fault_address;
    return true;
}
