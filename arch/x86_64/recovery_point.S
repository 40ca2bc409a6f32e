/*
 * A recovery point: run a function, and get back to the caller even if
 * the function never returns (a fault or a watchdog took it away).
 *
 * arch_recovery_run saves the callee-saved registers, the stack pointer
 * and its own return address in the point, then calls the function; a
 * normal return gives 0.  arch_recovery_resume, reached from the trap or
 * upcall path through HYPERVISOR_iret (recovery.c points the interrupted
 * frame here), reloads what was saved and returns 1 from arch_recovery_run
 * instead.  Offsets match struct recovery_point (<kernel/arch.h>).
 */
#include <arch/asm.h>

#define RP_RBX 0
#define RP_RBP 8
#define RP_R12 16
#define RP_R13 24
#define RP_R14 32
#define RP_R15 40
#define RP_RSP 48
#define RP_RIP 56

        .text
/* int arch_recovery_run(struct recovery_point *rp, void (*fn)(void)) */
ENTRY(arch_recovery_run)
        movq    %rbx, RP_RBX(%rdi)
        movq    %rbp, RP_RBP(%rdi)
        movq    %r12, RP_R12(%rdi)
        movq    %r13, RP_R13(%rdi)
        movq    %r14, RP_R14(%rdi)
        movq    %r15, RP_R15(%rdi)
        movq    (%rsp), %rax
        movq    %rax, RP_RIP(%rdi)
        leaq    8(%rsp), %rax           /* %rsp after our `ret` */
        movq    %rax, RP_RSP(%rdi)
        /* The call keeps the stack as aligned as our caller's was. */
        subq    $8, %rsp
        call    *%rsi
        addq    $8, %rsp
        xorl    %eax, %eax
        ret
END(arch_recovery_run)

/* Entered with %rdi = the point, on whatever stack the test had. */
ENTRY(arch_recovery_resume)
        movq    RP_RBX(%rdi), %rbx
        movq    RP_RBP(%rdi), %rbp
        movq    RP_R12(%rdi), %r12
        movq    RP_R13(%rdi), %r13
        movq    RP_R14(%rdi), %r14
        movq    RP_R15(%rdi), %r15
        movq    RP_RSP(%rdi), %rsp
        movl    $1, %eax
        jmp     *RP_RIP(%rdi)
END(arch_recovery_resume)
