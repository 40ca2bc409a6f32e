/*
 * The ELF notes Xen's domain builder reads before it runs a line of ours.
 * They tell it what we are (GUEST_OS, GUEST_VERSION), which ABI we speak
 * (XEN_VERSION "xen-3.0", LOADER "generic"), where to lay us out (VIRT_BASE
 * and PADDR_OFFSET 0: virtual address == pseudo-physical address), where to
 * enter (ENTRY), where to write the hypercall stubs (HYPERCALL_PAGE), and that
 * we can run as the initial domain (SUPPORTED_FEATURES: XENFEAT_dom0).
 */
#include <arch/asm.h>
#include <minios/xen_interface.h>
#include <xen/elfnote.h>
#include <xen/features.h>
#include <minios/version.h>

/* One note: namesz, descsz, type, "Xen\0", then the 4-byte aligned payload. */
.macro XEN_NOTE type:req, payload:vararg
        .balign 4
        .long   2f - 1f
        .long   4f - 3f
        .long   \type
1:      .asciz  "Xen"
2:      .balign 4
3:      \payload
4:      .balign 4
.endm

        .section .note.Xen, "a", @note
        XEN_NOTE XEN_ELFNOTE_GUEST_OS,      .asciz "minios"
        XEN_NOTE XEN_ELFNOTE_GUEST_VERSION, .asciz MINIOS_VERSION
        XEN_NOTE XEN_ELFNOTE_XEN_VERSION,   .asciz "xen-3.0"
        XEN_NOTE XEN_ELFNOTE_LOADER,        .asciz "generic"
        XEN_NOTE XEN_ELFNOTE_VIRT_BASE,     .quad 0
        XEN_NOTE XEN_ELFNOTE_PADDR_OFFSET,  .quad 0
        XEN_NOTE XEN_ELFNOTE_ENTRY,         .quad _start
        XEN_NOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
        XEN_NOTE XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
        /* PVH (arch/x86_64/pvh/head.S); a PV builder ignores it. */
        XEN_NOTE XEN_ELFNOTE_PHYS32_ENTRY,  .long pvh_start
