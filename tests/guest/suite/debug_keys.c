/*
 * VIRQ_DEBUG end to end.  Xen's sysctl interface is for the toolstack, so
 * its headers want __XEN_TOOLS__ defined before the first Xen header.
 */
#define __XEN_TOOLS__ 1
#include <minios/debug.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/test.h>
#include <xen/sysctl.h>
#include "suite.h"

/*
 * Xen's debug keys, as dom0 may press them (XEN_SYSCTL_debug_keys): 'q'
 * dumps every domain and raises VIRQ_DEBUG on each vCPU.
 */

TEST_DEFINE(test_virq_debug, "Xen's 'q' debug key reaches us as VIRQ_DEBUG and dumps state")
{
    unsigned long before = debug_dump_count();
    struct xen_sysctl op = {
        .cmd = XEN_SYSCTL_debug_keys,
        .interface_version = XEN_SYSCTL_INTERFACE_VERSION,
    };
    static const char keys[] = "q";

    if (!(start_info.flags & SIF_INITDOMAIN)) {
        test_skip("only dom0 can press Xen's debug keys");
        return;
    }
    set_xen_guest_handle(op.u.debug_keys.keys, keys);
    op.u.debug_keys.nr_keys = 1;
    long rc = xen_hypercall(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0, 0, 0);
    if (rc) {
        test_error("XEN_SYSCTL_debug_keys failed: %ld (%s)", rc, xen_strerror(rc));
        return;
    }
    CHECK(debug_dump_count() == before + 1, "VIRQ_DEBUG gave %lu dumps, expected 1",
          debug_dump_count() - before);
}
