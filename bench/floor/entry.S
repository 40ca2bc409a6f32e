/*
 * The floor image's entry: the least a PV kernel needs between Xen's
 * domain builder and a shutdown.  Xen fills hypercall_page (named by the
 * kernel's own ELF notes, arch/x86_64/xen_notes.S, linked in unchanged)
 * and enters _start with %rsi = start_info; we read the TSC first, move
 * to a stack of our own and call floor_main(start_info, tsc).
 */
#include <arch/asm.h>

        .section .text.boot, "ax", @progbits
        .code64
LINKER_ENTRY(_start)
        cld
        rdtsc
        shl     $32, %rdx
        or      %rax, %rdx
        mov     %rsi, %rdi
        mov     %rdx, %rsi
        lea     floor_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        call    floor_main
        ud2
END(_start)

/*
 * The kernel's notes also name a PVH entry (XEN_ELFNOTE_PHYS32_ENTRY,
 * pvh_start): the floor measures PV only, so booted as PVH it stops here.
 */
        .code32
LINKER_ENTRY(pvh_start)
1:      hlt
        jmp     1b
END(pvh_start)
        .code64

        .section .text.hypercall_page, "ax", @progbits
        .balign PAGE_SIZE
LINKER_ENTRY(hypercall_page)
        .fill   PAGE_SIZE, 1, 0xcc
END(hypercall_page)

        .section .bss.floor_stack, "aw", @nobits
        .balign PAGE_SIZE
        .skip   PAGE_SIZE
GLOBAL(floor_stack_top)
