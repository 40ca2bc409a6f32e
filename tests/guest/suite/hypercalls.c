/*
 * Hypercall plumbing: multicall error reporting and the counters.
 */
#include <minios/hypercall.h>
#include <minios/multicall.h>
#include <minios/test.h>
#include "suite.h"

TEST_DEFINE(test_multicall_error, "a multicall with a bad entry names that entry and its error")
{
    struct multicall_error err = {0};
    long rc;

    /* Entry 1 asks about a vCPU that cannot exist. */
    multicall_begin();
    multicall_add(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0);
    multicall_add(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 100000, 0);
    multicall_add(__HYPERVISOR_xen_version, XENVER_version, 0);
    rc = multicall_flush(&err);
    CHECK(rc == -XEN_ENOENT, "flush returned %ld (%s), expected -ENOENT", rc, xen_strerror(rc));
    CHECK(err.index == 1, "the failure was reported at entry %u, not 1", err.index);
    CHECK(err.op == __HYPERVISOR_vcpu_op, "the failure names %s", hypercall_name(err.op));
    test_note("reported: entry %u (%s) failed: %ld (%s)", err.index, hypercall_name(err.op), err.rc,
              xen_strerror(err.rc));

    /* A batch larger than the buffer: the index still counts from its start. */
    multicall_begin();
    for (unsigned int i = 0; i < MULTICALL_MAX + 10; i++)
        multicall_add(__HYPERVISOR_vcpu_op, VCPUOP_is_up, i == MULTICALL_MAX + 5 ? 100000 : 0, 0);
    rc = multicall_flush(&err);
    CHECK(rc == -XEN_ENOENT && err.index == MULTICALL_MAX + 5,
          "long batch: rc %ld at entry %u, expected -ENOENT at %u", rc, err.index,
          MULTICALL_MAX + 5);

    /* A clean batch. */
    multicall_begin();
    multicall_add(__HYPERVISOR_xen_version, XENVER_version, 0);
    rc = multicall_flush(NULL);
    CHECK(rc == 0, "a clean batch returned %ld", rc);
}

TEST_DEFINE(test_hypercall_counters, "hypercall counters count exactly the calls made")
{
    unsigned long before = hypercall_count(__HYPERVISOR_xen_version);
    unsigned long mc_before = hypercall_count(__HYPERVISOR_multicall);

    for (int i = 0; i < 17; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    unsigned long after = hypercall_count(__HYPERVISOR_xen_version);
    CHECK(after - before == 17, "17 xen_version calls counted as %lu", after - before);

    multicall_begin();
    multicall_add(__HYPERVISOR_xen_version, XENVER_version, 0);
    multicall_add(__HYPERVISOR_xen_version, XENVER_version, 0);
    multicall_flush(NULL);
    CHECK(hypercall_count(__HYPERVISOR_multicall) - mc_before == 1, "one multicall counted as %lu",
          hypercall_count(__HYPERVISOR_multicall) - mc_before);
    CHECK(hypercall_count(__HYPERVISOR_xen_version) == after,
          "batched entries were counted as direct calls");
}
