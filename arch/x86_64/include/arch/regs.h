/*
 * The register frame the entry stubs (arch/x86_64/entry.S) build on the
 * stack.  Xen's bounce frame for a 64-bit PV guest is the hardware frame
 * (rip cs rflags rsp ss, after an error code for some vectors) with the
 * guest's %rcx and %r11 pushed on top; the stubs reload those two, drop
 * them, push an error code where Xen did not, push the vector, then every
 * general register.  The field order here must match those pushes.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define REGS_R15        0
#define REGS_RBP        (4 * 8)
#define REGS_VECTOR     (15 * 8)
#define REGS_ERROR_CODE (16 * 8)
#define REGS_RIP        (17 * 8)
#define REGS_SIZE       (22 * 8)

/* Pseudo-vectors for entries that are not exceptions. */
#define VECTOR_EVENT 256 /* the event upcall */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* RFLAGS.IF: interrupts (PVH: events) enabled. */
#define X86_RFLAGS_IF (1UL << 9)

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct cpu_regs, rbp) == REGS_RBP, "regs layout");
_Static_assert(__builtin_offsetof(struct cpu_regs, vector) == REGS_VECTOR, "regs layout");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "regs layout");
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "regs layout");
#endif

#endif /* ARCH_REGS_H */
