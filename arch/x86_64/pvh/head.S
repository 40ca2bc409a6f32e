/*
 * The PVH entry (XEN_ELFNOTE_PHYS32_ENTRY, xen_notes.S).
 *
 * Xen's PVH builder enters pvh_start in 32-bit protected mode with paging
 * off, flat %cs/%ds, interrupts off, and %ebx = the physical address of
 * struct hvm_start_info.  Nothing is mapped for us and there is no
 * hypercall page yet: this stub builds page tables mapping the image 1:1
 * with 4 KiB pages, our own GDT, turns on PAE and long mode (and NX where
 * the CPU has it), and calls pvh_start_kernel(start_info) in 64-bit mode
 * on the same boot stack the PV entry uses.  mm_init() extends these
 * tables over the rest of RAM as it does Xen's PV bootstrap tables.
 *
 * How much is mapped follows from the image's size: the linker puts
 * pvh_boot_l1s L1 tables at the end of .bss (minios.lds), enough for
 * [0, _end + PVH_BOOT_SLACK), rounded up to 2 MiB.  4 KiB pages, not 2 MiB
 * ones, because mm_init() sets each page's protection in the bootstrap map
 * (text, rodata, the stack's guard, the tables themselves) as in PV; it
 * costs 4 KiB of .bss per 2 MiB of image.  The image and the boot stack
 * are always inside; what Xen put after the image (hvm_start_info, the
 * command line, the memory map) is checked by pvh_start_kernel() before
 * it is read, which says so on the console if it lies beyond.
 */
#include <arch/asm.h>

#define PTE_TABLE  0x27                 /* present, rw, user, accessed */
#define PTE_LEAF   0x67                 /* ... and dirty */

#define CR0_PE     (1 << 0)
#define CR0_MP     (1 << 1)
#define CR0_ET     (1 << 4)
#define CR0_NE     (1 << 5)
#define CR0_WP     (1 << 16)
#define CR0_PG     (1 << 31)
#define CR4_PAE    (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER   0xc0000080
#define EFER_LME   (1 << 8)
#define EFER_NXE   (1 << 11)

        .section .text.boot, "ax", @progbits
        .code32
ENTRY(pvh_start)
        cld
        cli
        movl    %ebx, pvh_start_info_pa
        movl    $boot_stack_top, %esp

        /* L4[0] -> L3, L3[0] -> L2, L2[i] -> L1 i, L1 entries 1:1. */
        movl    $pvh_l3 + PTE_TABLE, pvh_l4
        movl    $pvh_l2 + PTE_TABLE, pvh_l3
        /* The page-table window (pvh/pagetable.c): L4[511] -> its own L3, L2, L1. */
        movl    $pvh_window_l3 + PTE_TABLE, pvh_l4 + 511 * 8
        movl    $pvh_window_l2 + PTE_TABLE, pvh_window_l3
        movl    $pvh_window_l1 + PTE_TABLE, pvh_window_l2
        xorl    %ecx, %ecx
1:      movl    %ecx, %eax
        shll    $12, %eax
        addl    $pvh_boot_l1 + PTE_TABLE, %eax
        movl    %eax, pvh_l2(, %ecx, 8)
        incl    %ecx
        cmpl    $pvh_boot_l1s, %ecx
        jb      1b
        shll    $9, %ecx                /* 512 entries per L1 */
        movl    %ecx, %edx
        xorl    %ecx, %ecx
2:      movl    %ecx, %eax
        shll    $12, %eax
        orl     $PTE_LEAF, %eax
        movl    %eax, pvh_boot_l1(, %ecx, 8)
        incl    %ecx
        cmpl    %edx, %ecx
        jb      2b

        movl    %cr4, %eax
        orl     $CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT, %eax
        movl    %eax, %cr4
        movl    $pvh_l4, %eax
        movl    %eax, %cr3

        /* Long mode, and NX if CPUID shows it (the PTEs use it later). */
        movl    $EFER_LME, %edi
        movl    $0x80000000, %eax
        cpuid
        cmpl    $0x80000001, %eax
        jb      3f
        movl    $0x80000001, %eax
        cpuid
        btl     $20, %edx
        jnc     3f
        orl     $EFER_NXE, %edi
3:      movl    $MSR_EFER, %ecx
        rdmsr
        orl     %edi, %eax
        wrmsr

        movl    $CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG, %eax
        movl    %eax, %cr0
        lgdt    pvh_gdt_desc
        ljmp    $0x08, $pvh_start64

        .code64
pvh_start64:
        movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        xorl    %eax, %eax
        movl    %eax, %fs
        movl    %eax, %gs
        lea     boot_stack_top(%rip), %rsp
        xor     %ebp, %ebp
        movl    pvh_start_info_pa(%rip), %edi
        call    pvh_start_kernel
        ud2
END(pvh_start)

        .section .rodata
        .balign 8
/*
 * null, 64-bit code (0x08), data (0x10): PVH_CS and PVH_DS in <arch/pvh.h>.
 * The accessed bits are set already: a CPU that loads a descriptor without
 * it writes it, and mm_init() makes this page read-only.
 */
GLOBAL(pvh_gdt)
        .quad   0
        .quad   0x00af9b000000ffff
        .quad   0x00cf93000000ffff
pvh_gdt_end:
GLOBAL(pvh_gdt_desc)
        .word   pvh_gdt_end - pvh_gdt - 1
        .quad   pvh_gdt

        .section .data
        .balign 4
pvh_start_info_pa:
        .long   0

/*
 * The boot tables, in the image (zeroed by Xen's loader as all of .bss):
 * pvh_l4, pvh_l3, pvh_l2 and the L1s after them (minios.lds), the
 * PVH_BOOT_TABLES frames from pvh_l4, are the 1:1 map's and become
 * read-only in it, as Xen's bootstrap tables are for PV; the window's three
 * stay writable: they are how pvh/pagetable.c writes to the others.
 */
        .section .pvh_boot_tables, "aw", @nobits
        .balign PAGE_SIZE
GLOBAL(pvh_l4)
        .skip   PAGE_SIZE
pvh_l3:
        .skip   PAGE_SIZE
pvh_l2:
        .skip   PAGE_SIZE

        .section .bss.page_aligned, "aw", @nobits
        .balign PAGE_SIZE
pvh_window_l3:
        .skip   PAGE_SIZE
pvh_window_l2:
        .skip   PAGE_SIZE
GLOBAL(pvh_window_l1)
        .skip   PAGE_SIZE

/*
 * A secondary vCPU (pvh/smpboot.c): Xen starts it in long mode on our page
 * tables with %rdi = its struct cpu and %rsp = its idle stack, but with
 * Xen's own flat segments and no GDT or IDT.  Load ours, reload %cs (an
 * iretq needs a selector that exists) and the data segments, set the GS
 * base, then join the PV path at secondary_entry.
 */
        .text
ENTRY(pvh_secondary_entry)
        lgdt    pvh_gdt_desc(%rip)
        pushq   $0x08
        lea     1f(%rip), %rax
        pushq   %rax
        lretq
1:      movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        xorl    %eax, %eax
        movl    %eax, %fs
        movl    %eax, %gs
        movq    %rdi, %rax              /* MSR_GS_BASE = the struct cpu */
        movq    %rdi, %rdx
        shrq    $32, %rdx
        movl    $0xc0000101, %ecx
        wrmsr
        call    pvh_load_idt
        jmp     secondary_entry
END(pvh_secondary_entry)
