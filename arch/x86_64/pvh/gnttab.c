/*
 * The PVH half of gnttab.c: each new grant-table frame is placed with
 * XENMEM_add_to_physmap (XENMAPSPACE_grant_table, frame index i) at the
 * guest-physical frame of a page from our allocator, which Xen takes back
 * in exchange.  The page is never freed: the table only grows.
 */
#include <arch/pvh.h>
#include <kernel/mm.h>
#include <minios/mm.h>
#include <minios/p2m.h>

int pvh_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n)
{
    for (unsigned int i = first; i < first + n; i++) {
        void *page = alloc_page();

        if (!page)
            return -XEN_ENOMEM;
        struct xen_add_to_physmap xatp = {
            .domid = DOMID_SELF,
            .space = XENMAPSPACE_grant_table,
            .idx = i,
            .gpfn = virt_to_pfn(page),
        };
        long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

        if (rc) {
            free_page(page);
            return (int)rc;
        }
        frames[i] = xatp.gpfn;
    }
    return 0;
}
