/*
 * Start-of-day arch work that generic code needs before anything else:
 * mapping shared_info.
 */
#include <kernel/arch.h>
#include <minios/hypervisor.h>
#include <minios/hypercall.h>
#include <minios/page.h>
#include <arch/x86.h>

shared_info_t *HYPERVISOR_shared_info;

/*
 * shared_info lives in Xen's memory, at a machine address; we map it over a
 * page reserved in our image.  The frame that backed this page is left
 * unused: 4 KiB, traded for not needing any allocator this early.
 */
static char shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");

static void early_fail(const char *what, int rc)
{
    /*
     * No console yet.  Xen's own console_io works for dom0 and is dropped
     * for a domU (unless Xen is a debug build), so try it, then crash.
     */
    static const char msg[] = "minios: early boot failed: ";

    HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
    HYPERVISOR_console_io(CONSOLEIO_write, (int)__builtin_strlen(what), what);
    (void)rc;
    for (;;) {
        struct sched_shutdown shutdown = { .reason = SHUTDOWN_crash };

        HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
    }
}

void arch_map_shared_info(void)
{
    uint64_t pte = (start_info.shared_info & PTE_ADDR_MASK) | _PAGE_PRESENT |
                   _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
    int rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page, pte,
                                          UVMF_INVLPG);

    if (rc)
        early_fail("update_va_mapping(shared_info)\n", rc);
    HYPERVISOR_shared_info = (shared_info_t *)shared_info_page;
}
