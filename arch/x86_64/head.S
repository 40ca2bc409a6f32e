/*
 * Entry from Xen's domain builder.
 *
 * Xen enters at _start in 64-bit mode, on its own small stack, with events
 * masked and %rsi holding the virtual address of start_info.  We move to a
 * stack of our own (in .bss, so its size is ours to choose), zero %rbp so
 * that backtraces end here, and call start_kernel(start_info).
 */
#include <arch/asm.h>

        .cfi_sections .debug_frame  /* kept, unlike .eh_frame (minios.lds) */

        .section .text.boot, "ax", @progbits
        .code64
LINKER_ENTRY(_start)
        cld
        lea     boot_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        mov     %rsi, %rdi
        call    start_kernel
        ud2                             /* start_kernel() does not return */
END(_start)

/*
 * A secondary vCPU starts here (arch/x86_64/smpboot.c set its registers):
 * on its idle stack, GS base already set.  16-byte stack alignment at the
 * call is kept by the stack top being page-aligned.
 */
ENTRY(secondary_entry)
        cld
        xor     %ebp, %ebp
        call    smp_secondary_start
        ud2
END(secondary_entry)

/*
 * The hypercall page: Xen overwrites these 4 KiB with its stubs before we
 * run.  0xcc (int3) fills it until then, so a stray jump here faults.
 */
        .section .text.hypercall_page, "ax", @progbits
        .balign PAGE_SIZE
LINKER_ENTRY(hypercall_page)
        /*
         * Unwind information for debuggers, laid out as Xen's 32-byte stubs
         * are (read from a guest's core): push %rcx (1 byte), push %r11 (2),
         * mov $nr,%eax (5), syscall (2), pop %r11 (2), pop %rcx (1), ret.
         */
        .cfi_startproc
        .rept   PAGE_SIZE / 32
        .fill   1, 1, 0xcc
        .cfi_adjust_cfa_offset 8
        .fill   2, 1, 0xcc
        .cfi_adjust_cfa_offset 8
        .fill   9, 1, 0xcc
        .cfi_adjust_cfa_offset -8
        .fill   1, 1, 0xcc
        .cfi_adjust_cfa_offset -8
        .fill   19, 1, 0xcc
        .endr
        .cfi_endproc
END(hypercall_page)

/*
 * The boot stack, with a guard page below it that mm_init() unmaps: running
 * off the bottom of the stack then faults instead of overwriting .bss.
 */
        .section .bss.boot_stack, "aw", @nobits
        .balign PAGE_SIZE
GLOBAL(boot_stack_guard)
        .skip   PAGE_SIZE
GLOBAL(boot_stack)
        .skip   BOOT_STACK_SIZE
GLOBAL(boot_stack_top)
END(boot_stack)
