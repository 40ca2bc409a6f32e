/*
 * Where grant-table frames live, and where a mapped grant appears.
 *
 * PV: GNTTABOP_setup_table answers with the machine frames Xen allocated,
 * which we map like any other, and a grant map's host_addr is a virtual
 * address whose PTE Xen writes.  PVH: the table's frames have guest-
 * physical numbers only once we place them, and a grant map's host_addr is
 * a guest-physical address, which our own page tables must then map
 * (pvh/gnttab.c does both).
 */
#include <arch/pvh.h>
#include <kernel/arch.h>
#include <minios/hypercall.h>

int arch_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n)
{
    if (x86_is_pvh())
        return pvh_gnttab_place(frames, first, n);
    return 0;
}

void arch_gnttab_reserved(grant_entry_v1_t *entries)
{
    if (x86_is_pvh())
        pvh_gnttab_reserved(entries);
}

int arch_gnttab_map(struct gnttab_map_grant_ref *op, void *va)
{
    if (x86_is_pvh())
        return pvh_gnttab_map(op, va);
    op->host_addr = (unsigned long)va;
    return HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, op, 1);
}

int arch_gnttab_unmap(struct gnttab_unmap_grant_ref *op, void *va)
{
    if (x86_is_pvh())
        return pvh_gnttab_unmap(op, va);
    op->host_addr = (unsigned long)va;
    return HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, op, 1);
}
