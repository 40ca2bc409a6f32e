/*
 * Our own domain id.  Xen never tells a guest its id outright: start_info
 * has no field for it, and dom0's 0 is a convention of the boot, not
 * something a domU can lean on.  Most hypercalls accept DOMID_SELF instead,
 * but some look the other domain up by its real id only; mapping a grant
 * (GNTTABOP_map_grant_ref) is one, so a domain mapping its own grant must
 * know its id.
 *
 * Xen does resolve DOMID_SELF in one place we can read back: an unbound
 * event channel allocated for remote domain DOMID_SELF records our real id
 * as the remote end, and EVTCHNOP_status reports that end.  Three
 * hypercalls (allocate, ask, close), once; the answer is then remembered.
 * The port is never bound to a handler: events_init() masked every port.
 */
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>

static domid_t self_domid = DOMID_INVALID;

domid_t xen_self_domid(void)
{
    domid_t id = __atomic_load_n(&self_domid, __ATOMIC_RELAXED);
    struct evtchn_alloc_unbound alloc = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
    int rc;

    if (id != DOMID_INVALID)
        return id;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
    if (rc) {
        printk("domid: EVTCHNOP_alloc_unbound failed: %d (%s)\n", rc, xen_strerror(rc));
        return DOMID_INVALID;
    }

    struct evtchn_status status = {.dom = DOMID_SELF, .port = alloc.port};
    struct evtchn_close close = {.port = alloc.port};
    int rc_status = HYPERVISOR_event_channel_op(EVTCHNOP_status, &status);

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
    if (rc)
        printk("domid: EVTCHNOP_close(%u) failed: %d (%s)\n", alloc.port, rc, xen_strerror(rc));
    if (rc_status) {
        printk("domid: EVTCHNOP_status(%u) failed: %d (%s)\n", alloc.port, rc_status,
               xen_strerror(rc_status));
        return DOMID_INVALID;
    }
    if (status.status != EVTCHNSTAT_unbound) {
        printk("domid: port %u is in state %u, not unbound\n", alloc.port, status.status);
        return DOMID_INVALID;
    }
    /* Two vCPUs asking at once both get the same answer: a plain store will do. */
    id = status.u.unbound.dom;
    __atomic_store_n(&self_domid, id, __ATOMIC_RELAXED);
    return id;
}
