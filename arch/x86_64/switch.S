/*
 * Thread switching.  A switch happens only in thread context, in
 * schedule(): the switched-out thread is inside a call, so only the
 * callee-saved registers need keeping, on its own stack.  No hypercall:
 * the kernel GS base belongs to the vCPU, not the thread, and event masks
 * and page tables are shared.
 */
#include <arch/asm.h>

/*
 * struct thread *arch_switch(unsigned long *prev_rsp, unsigned long next_rsp,
 *                            struct thread *prev)
 * Returns, on the next thread's stack, the `prev` that switched to it.
 */
        .text
ENTRY(arch_switch)
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        movq    %rdx, %rax
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
END(arch_switch)

/*
 * A new thread's first `ret` from arch_switch lands here with %rax = the
 * thread that switched to it.  %rbp is 0 so backtraces end here.
 */
ENTRY(thread_entry)
        movq    %rax, %rdi
        xorl    %ebp, %ebp
        call    sched_enter_new_thread  /* does not return */
        ud2
END(thread_entry)
