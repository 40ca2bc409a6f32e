/*
 * Exception fixups: a table of (instruction, fixup) address pairs.  When an
 * instruction listed here faults, the trap handler resumes at its fixup
 * instead of reporting a fatal fault, with %rax = the fault's exinfo (see
 * <minios/probe.h>) and %rdx = the faulting address for a page fault.
 */
#ifndef ARCH_EXTABLE_H
#define ARCH_EXTABLE_H

#define EXTABLE_AT_INSN 0 /* the instruction at `insn` faulted */
#define EXTABLE_AT_CALL 1 /* the fetch at a call's target faulted; `insn` is the return address */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <arch/regs.h>

#define EXTABLE_STR_(x) #x
#define EXTABLE_STR(x)  EXTABLE_STR_(x)

/* Emits one table entry from inline assembly; labels as strings. */
#define EXTABLE_ENTRY(insn, fixup, kind)                                                           \
    ".pushsection .ex_table, \"a\"\n\t.balign 8\n\t"                                               \
    ".quad " insn ", " fixup ", " EXTABLE_STR(kind) "\n\t.popsection\n\t"

struct extable_entry {
    unsigned long insn;
    unsigned long fixup;
    unsigned long kind;
};

/* If @regs faulted at a listed place, redirects it there and returns true. */
bool extable_fixup(struct cpu_regs *regs, unsigned long fault_address);
#endif

#endif /* ARCH_EXTABLE_H */
