/*
 * Entry points Xen calls into: one stub per exception vector, the event
 * upcall, and the failsafe callback.
 *
 * On entry Xen has switched nothing: we are on the interrupted stack (a PV
 * guest kernel has no IST and no stack switch within kernel mode), with the
 * saved %rcx and %r11 on top of a hardware-style frame.  Each stub restores
 * those two registers, shapes the frame into struct cpu_regs (see
 * <arch/regs.h>) and jumps to entry_common, which calls the C handler with
 * events masked (Xen masked them on delivery) and then returns through the
 * iret hypercall.  HYPERVISOR_iret restores the event mask from the saved
 * RFLAGS.IF as well as the registers, atomically: no event can slip in
 * between "unmask" and "return", so no critical-section fixups are needed.
 */
#include <arch/asm.h>
#include <arch/regs.h>
#include <kernel/percpu_offsets.h>
#include <minios/xen_interface.h>
#include <xen/xen.h>

/* Xen's stub for iret pushes %rcx, %r11, %rax itself; we push only `flags`. */
#define HYPERCALL_IRET (hypercall_page + __HYPERVISOR_iret * 32)

.macro RELOAD_RCX_R11
        movq    (%rsp), %rcx
        movq    8(%rsp), %r11
        addq    $16, %rsp
.endm

/* A vector for which the CPU pushes no error code: push a 0 in its place. */
.macro EXCEPTION name, vector
ENTRY(\name)
        RELOAD_RCX_R11
        pushq   $0
        pushq   $\vector
        jmp     entry_common
END(\name)
.endm

/* A vector for which Xen delivers an error code, as the CPU would. */
.macro EXCEPTION_ERRCODE name, vector
ENTRY(\name)
        RELOAD_RCX_R11
        pushq   $\vector
        jmp     entry_common
END(\name)
.endm

        .text
        EXCEPTION         entry_DE,  0
        EXCEPTION         entry_DB,  1
        EXCEPTION         entry_NMI, 2
        EXCEPTION         entry_BP,  3
        EXCEPTION         entry_OF,  4
        EXCEPTION         entry_BR,  5
        EXCEPTION         entry_UD,  6
        EXCEPTION         entry_NM,  7
        EXCEPTION_ERRCODE entry_DF,  8
        EXCEPTION         entry_CSO, 9
        EXCEPTION_ERRCODE entry_TS,  10
        EXCEPTION_ERRCODE entry_NP,  11
        EXCEPTION_ERRCODE entry_SS,  12
        EXCEPTION_ERRCODE entry_GP,  13
        EXCEPTION_ERRCODE entry_PF,  14
        EXCEPTION         entry_SPV, 15
        EXCEPTION         entry_MF,  16
        EXCEPTION_ERRCODE entry_AC,  17
        EXCEPTION         entry_MC,  18
        EXCEPTION         entry_XM,  19

/* The event upcall (CALLBACKTYPE_event), registered with events masked. */
ENTRY(entry_event)
        RELOAD_RCX_R11
        pushq   $0
        pushq   $VECTOR_EVENT
        jmp     entry_common
END(entry_event)

entry_common:
        cld
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15

        /*
         * Call x86_trap_entry(regs) on a 16-byte aligned stack, through a fake
         * frame {interrupted %rbp, interrupted %rip} so that a backtrace
         * taken inside the handler continues into the interrupted code.
         */
        movq    %rsp, %rdi
        movq    %rsp, %rbx              /* callee-saved: the frame */
        andq    $~15, %rsp
        pushq   REGS_RIP(%rbx)
        pushq   REGS_RBP(%rbx)
        movq    %rsp, %rbp
        call    x86_trap_entry
        movq    %rbx, %rsp

        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rax
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        addq    $16, %rsp               /* vector, error code */
        incq    %gs:(CPU_OFFSET_HYPERCALLS + __HYPERVISOR_iret * 8)
        pushq   $0                      /* iret flags: restore everything */
        jmp     HYPERCALL_IRET
END(entry_common)

/*
 * The failsafe callback: Xen could not load one of the segment registers it
 * was about to give back to us.  It arrives with %rcx, %r11 and then the
 * selectors it tried (%ds %es %fs %gs) above the usual frame.  There is no
 * sane way to continue; hand the frame to C to report which one failed.
 */
ENTRY(entry_failsafe)
        cld
        movq    %rsp, %rdi
        andq    $~15, %rsp
        xorl    %ebp, %ebp
        call    x86_failsafe            /* does not return */
        ud2
END(entry_failsafe)
