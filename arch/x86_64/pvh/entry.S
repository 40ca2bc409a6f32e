/*
 * The PVH half of entry.S: the IDT's stubs.  A PVH guest runs in ring 0
 * and takes exceptions and the event vector through its own IDT, so the
 * frame is the CPU's (error code for some vectors, then rip cs rflags rsp
 * ss), without the %rcx/%r11 that Xen's PV bounce frame puts on top.  Each
 * stub gives it the same shape as the PV stubs do and joins entry_common,
 * which returns with iretq in this mode (the CPU restores IF from RFLAGS).
 */
#include <arch/asm.h>
#include <arch/regs.h>

.macro PVH_EXCEPTION vector
pvh_entry_\vector:
        pushq   $0
        pushq   $\vector
        jmp     entry_common
.endm

.macro PVH_EXCEPTION_ERRCODE vector
pvh_entry_\vector:
        pushq   $\vector
        jmp     entry_common
.endm

        .text
        PVH_EXCEPTION         0
        PVH_EXCEPTION         1
        PVH_EXCEPTION         2
        PVH_EXCEPTION         3
        PVH_EXCEPTION         4
        PVH_EXCEPTION         5
        PVH_EXCEPTION         6
        PVH_EXCEPTION         7
        PVH_EXCEPTION_ERRCODE 8
        PVH_EXCEPTION         9
        PVH_EXCEPTION_ERRCODE 10
        PVH_EXCEPTION_ERRCODE 11
        PVH_EXCEPTION_ERRCODE 12
        PVH_EXCEPTION_ERRCODE 13
        PVH_EXCEPTION_ERRCODE 14
        PVH_EXCEPTION         15
        PVH_EXCEPTION         16
        PVH_EXCEPTION_ERRCODE 17
        PVH_EXCEPTION         18
        PVH_EXCEPTION         19

/* The event callback vector: an interrupt, no error code. */
ENTRY(pvh_entry_event)
        pushq   $0
        pushq   $VECTOR_EVENT
        jmp     entry_common
END(pvh_entry_event)

/*
 * int pvh_block(void): SCHEDOP_block's "unmask and block in one step", PVH
 * style.  The instruction after sti runs before any interrupt is taken, so
 * an event already pending cannot slip in between; Xen's hlt handler
 * returns at once if one is pending, else blocks the vCPU until one is.
 * (SCHEDOP_block itself would not do: Xen checks for a deliverable event
 * with the guest's IF, which is clear, or in the sti shadow, at the call.)
 * Returns 0 with IF set and the event delivered.  pvh_block_hlt marks the
 * hlt for pvh_event_entry() (pvh/traps.c), which steps over it if the
 * event vector arrives there after all.
 */
ENTRY(pvh_block)
        sti
GLOBAL(pvh_block_hlt)
        hlt
        xorl    %eax, %eax
        ret
END(pvh_block)

        .section .rodata
        .balign 8
/* The stubs for vectors 0-19, in order (pvh/traps.c builds the IDT from it). */
GLOBAL(pvh_exception_stubs)
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
        .quad   pvh_entry_\v
        .endr
