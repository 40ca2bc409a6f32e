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

        .cfi_sections .debug_frame  /* kept, unlike .eh_frame (minios.lds) */
#include <arch/regs.h>
#include <kernel/percpu_offsets.h>
#include <minios/xen_interface.h>
#include <xen/xen.h>

/*
 * Unwind information for debuggers (gdb on a live guest or a core): while
 * the C handler runs, %rbx points at the struct cpu_regs, which holds every
 * register of the interrupted code.  DW_CFA_expression REG, {DW_OP_breg3
 * (rbx) OFFSET}: REG is saved at rbx + OFFSET; the CFA (the interrupted
 * %rsp) is the value stored at rbx + REGS_RSP.  Offsets are SLEB128: one
 * byte below 64, two below 8192.
 */
#define REGS_RSP (REGS_RIP + 3 * 8)
#define DW_OP_BREG_RBX 0x73
.macro SLEB_BYTES off
        .if \off < 64
        .cfi_escape \off
        .else
        .cfi_escape (\off & 0x7f) | 0x80, \off >> 7
        .endif
.endm
.macro SAVED_AT dwreg, off
        .if \off < 64
        .cfi_escape 0x10, \dwreg, 2, DW_OP_BREG_RBX
        .else
        .cfi_escape 0x10, \dwreg, 3, DW_OP_BREG_RBX
        .endif
        SLEB_BYTES \off
.endm

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

GLOBAL(entry_common)
        .cfi_startproc simple
        .cfi_signal_frame
        .cfi_def_cfa rsp, 8
        .cfi_undefined rip              /* until the frame below is complete */
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
        /* DW_CFA_def_cfa_expression {DW_OP_breg3 REGS_RSP; DW_OP_deref} */
        .cfi_escape 0x0f, 4, DW_OP_BREG_RBX, (REGS_RSP & 0x7f) | 0x80, REGS_RSP >> 7, 0x06
        SAVED_AT 16, REGS_RIP
        SAVED_AT 0, 10*8              /* rax */
        SAVED_AT 1, 12*8              /* rdx */
        SAVED_AT 2, 11*8              /* rcx */
        SAVED_AT 3, 5*8               /* rbx */
        SAVED_AT 4, 13*8              /* rsi */
        SAVED_AT 5, 14*8              /* rdi */
        SAVED_AT 6, REGS_RBP
        SAVED_AT 8, 9*8               /* r8 */
        SAVED_AT 9, 8*8
        SAVED_AT 10, 7*8
        SAVED_AT 11, 6*8
        SAVED_AT 12, 3*8
        SAVED_AT 13, 2*8
        SAVED_AT 14, 1*8
        SAVED_AT 15, 0                  /* r15 */
        andq    $~15, %rsp
        pushq   REGS_RIP(%rbx)
        pushq   REGS_RBP(%rbx)
        movq    %rsp, %rbp
        call    x86_trap_entry
        movq    %rbx, %rsp
        .cfi_undefined rip              /* unwinding back out: not described */

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
        cmpb    $0, x86_pvh(%rip)       /* PVH (pvh/entry.S): the CPU's frame */
        jne     1f
        incq    %gs:(CPU_OFFSET_HYPERCALLS + __HYPERVISOR_iret * 8)
        pushq   $0                      /* iret flags: restore everything */
        jmp     HYPERCALL_IRET
1:      iretq
        .cfi_endproc
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
