/*
 * What Xen told us at boot: our copy of start_info and the shared_info page.
 * Both are valid from the first line of start_kernel() onward.
 */
#ifndef MINIOS_HYPERVISOR_H
#define MINIOS_HYPERVISOR_H

#include <stdbool.h>
#include <minios/xen.h>

#pragma GCC visibility push(default)

/* Copied from the page Xen passed to _start; that page is not used again. */
extern start_info_t start_info;

/* Mapped by arch_map_shared_info() before the console comes up. */
extern shared_info_t *HYPERVISOR_shared_info;

/* True when we are the initial domain (dom0), booted by Xen itself. */
static inline bool xen_is_initial_domain(void)
{
    return (start_info.flags & SIF_INITDOMAIN) != 0;
}

/*
 * Our own domain id (0 for dom0), or DOMID_INVALID if Xen would not say.
 * Needed wherever Xen compares ids rather than accepting DOMID_SELF: a grant
 * to ourselves names this id, and so does mapping it (drivers/domid.c says
 * how it is found).  Asked of Xen once, then remembered.
 */
domid_t xen_self_domid(void);

/* True when Xen started us as PVH rather than PV (docs/pvh.md). */
bool xen_boot_is_pvh(void);

#pragma GCC visibility pop

#endif /* MINIOS_HYPERVISOR_H */
