/*
 * Where grant-table frames live.  PV: GNTTABOP_setup_table answers with the
 * machine frames Xen allocated, which we map like any other.  PVH: the
 * answer names guest-physical frames only once we have placed each table
 * frame in our physical address space (pvh/gnttab.c).
 */
#include <arch/pvh.h>
#include <kernel/arch.h>

int arch_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n)
{
    if (x86_is_pvh())
        return pvh_gnttab_place(frames, first, n);
    return 0;
}
