/*
 * Start-of-day arch work that generic code needs before anything else:
 * mapping shared_info, and the way to give up before there is a console.
 */
#include <kernel/arch.h>
#include <minios/hypervisor.h>
#include <minios/hypercall.h>
#include <minios/page.h>
#include <arch/early.h>
#include <arch/pvh.h>
#include <arch/x86.h>

shared_info_t *HYPERVISOR_shared_info;

/*
 * shared_info lives in Xen's memory, at a machine address; we map it over a
 * page reserved in our image.  The frame that backed this page is left
 * unused: 4 KiB, traded for not needing any allocator this early.
 */
static char shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");

#define XEN_DEBUG_PORT 0xe9 /* Xen's HVM debug console: lines reach Xen's log as "(dN) ..." */

/*
 * console_io says nothing for a domU.  As PVH, Xen's debug port speaks for
 * a domU and dom0 alike, so it is used alone (measured: a PVH dom0 writing
 * to both printed its line twice, one inside the other).
 */
static void early_write(const char *s, size_t len)
{
    if (x86_is_pvh()) {
        for (size_t i = 0; i < len; i++)
            outb(XEN_DEBUG_PORT, (uint8_t)s[i]);
        return;
    }
    xen_hypercall_uncounted(__HYPERVISOR_console_io, CONSOLEIO_write, len, (unsigned long)s, 0, 0);
}

/*
 * No console yet, and maybe no per-CPU area to count hypercalls in.  Xen's
 * own console_io works for a PV dom0 and is dropped for a domU (unless Xen
 * is a debug build), so say it there (as PVH, on the debug port), then
 * crash.  Uncounted throughout.
 */
void early_crash(const char *what, long rc)
{
    static const char prefix[] = "minios: early boot failed: ";
    char number[24], *p = number + sizeof(number);
    unsigned long magnitude = rc < 0 ? -(unsigned long)rc : (unsigned long)rc;
    struct sched_shutdown shutdown = {.reason = SHUTDOWN_crash};

    *--p = '\n';
    do {
        *--p = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (rc < 0)
        *--p = '-';
    *--p = ' ';
    *--p = ':';
    early_write(prefix, sizeof(prefix) - 1);
    early_write(what, __builtin_strlen(what));
    early_write(p, (size_t)(number + sizeof(number) - p));
    for (;;)
        xen_hypercall_uncounted(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&shutdown,
                                0, 0, 0);
}

void arch_map_shared_info(void)
{
    if (x86_is_pvh()) {
        pvh_map_shared_info(shared_info_page);
        HYPERVISOR_shared_info = (shared_info_t *)shared_info_page;
        return;
    }
    uint64_t pte = (start_info.shared_info & PTE_ADDR_MASK) | _PAGE_PRESENT | _PAGE_RW |
                   _PAGE_ACCESSED | _PAGE_DIRTY;
    int rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG);

    if (rc)
        early_crash("update_va_mapping(shared_info)", rc);
    HYPERVISOR_shared_info = (shared_info_t *)shared_info_page;
}

bool xen_boot_is_pvh(void)
{
    return x86_is_pvh();
}

const char *arch_boot_mode(void)
{
    return x86_is_pvh() ? "PVH" : "PV";
}

/* PV: Xen's pseudo-physical frames are all RAM, from 0 to nr_pages. */
void arch_boot_reserved(void (*reserve)(unsigned long start, unsigned long end, const char *what))
{
    if (x86_is_pvh())
        pvh_boot_reserved(reserve);
}
