/*
 * multicall: a batch of hypercalls in one (public/xen.h, multicall).  Each
 * entry gets its own result; a failing entry does not stop the others.
 */
#include <string.h>
#include <minios/xen.h>
#include <xen/version.h>
#include "regress.h"

#define ENTRY(op_, a0, a1, a2)                                                                     \
    (multicall_entry_t)                                                                            \
    {                                                                                              \
        .op = (op_), .result = 0x5a5a, .args = {                                                   \
            (unsigned long)(a0),                                                                   \
            (unsigned long)(a1),                                                                   \
            (unsigned long)(a2)                                                                    \
        }                                                                                          \
    }

XEN_TEST(multicall_results, TEST_FUNCTIONAL, "each multicall entry gets its own call's result",
         "public/xen.h (multicall_entry)")
{
    multicall_entry_t calls[3] = {
        ENTRY(__HYPERVISOR_xen_version, XENVER_version, 0, 0),
        ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0),
        ENTRY(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0),
    };
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    EXPECT_RC(HYPERVISOR_multicall(calls, 3), 0);
    CHECK((long)calls[0].result == version, "entry 0: %ld, expected %ld", (long)calls[0].result,
          version);
    CHECK(calls[1].result == 4096, "entry 1: %ld, expected 4096", (long)calls[1].result);
    CHECK(calls[2].result == 1, "entry 2: %ld, expected 1 (vCPU 0 is up)", (long)calls[2].result);
}

XEN_TEST(multicall_failure_goes_on, TEST_FUNCTIONAL,
         "a failing multicall entry does not stop the entries after it", "public/xen.h (multicall)")
{
    multicall_entry_t calls[3] = {
        ENTRY(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0),
        ENTRY(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 100000, 0),
        ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0),
    };

    EXPECT_RC(HYPERVISOR_multicall(calls, 3), 0);
    CHECK((long)calls[1].result == -XEN_ENOENT, "entry 1: %ld, expected -ENOENT",
          (long)calls[1].result);
    CHECK(calls[2].result == 4096, "entry 2 after the failure: %ld, expected 4096",
          (long)calls[2].result);
}

XEN_TEST(multicall_unknown_op, TEST_NEGATIVE,
         "a multicall entry naming no hypercall gets -ENOSYS, the batch succeeds",
         "public/xen.h (multicall)")
{
    multicall_entry_t calls[2] = {
        ENTRY(200, 0, 0, 0),
        ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0),
    };

    EXPECT_RC(HYPERVISOR_multicall(calls, 2), 0);
    CHECK((long)calls[0].result == -XEN_ENOSYS, "entry 0: %ld, expected -ENOSYS",
          (long)calls[0].result);
    CHECK(calls[1].result == 4096, "entry 1: %ld, expected 4096", (long)calls[1].result);
}

XEN_TEST(multicall_nested_refused, TEST_NEGATIVE,
         "a multicall inside a multicall is refused in its entry (-EINVAL)",
         "xen/common/multicall.c (already in a multicall)")
{
    static multicall_entry_t inner[1];
    multicall_entry_t calls[2];

    inner[0] = ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    calls[0] = ENTRY(__HYPERVISOR_multicall, inner, 1, 0);
    calls[1] = ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    EXPECT_RC(HYPERVISOR_multicall(calls, 2), 0);
    CHECK((long)calls[0].result == -XEN_EINVAL, "the nested entry: %ld, expected -EINVAL",
          (long)calls[0].result);
    CHECK(inner[0].result == 0x5a5a, "the inner batch ran (result %ld)", (long)inner[0].result);
    CHECK(calls[1].result == 4096, "entry 1: %ld", (long)calls[1].result);
}

XEN_TEST(multicall_bad_pointer, TEST_NEGATIVE, "a multicall of an unmapped array is -EFAULT",
         "public/xen.h (multicall)")
{
    EXPECT_RC(HYPERVISOR_multicall(UNMAPPED, 1), -XEN_EFAULT);
}

XEN_TEST(multicall_overlap, TEST_NEGATIVE,
         "an entry writing over the next entry: Xen reads each entry after the previous ran",
         "xen/common/multicall.c (one entry copied at a time)")
{
    multicall_entry_t calls[2];

    /* Entry 0 writes a short string over entry 1's op and result fields. */
    calls[0] = ENTRY(__HYPERVISOR_xen_version, XENVER_extraversion, &calls[1], 0);
    calls[1] = ENTRY(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    /* xen_extraversion_t is 16 bytes: op and result of entry 1, exactly. */
    EXPECT_RC(HYPERVISOR_multicall(calls, 2), 0);
    CHECK(calls[0].result == 0, "entry 0: %ld", (long)calls[0].result);
    CHECK(calls[1].op != __HYPERVISOR_xen_version, "entry 1's op was not overwritten");
    CHECK((long)calls[1].result == -XEN_ENOSYS,
          "entry 1, its op now %#lx (the string), returned %ld, expected -ENOSYS",
          (unsigned long)calls[1].op, (long)calls[1].result);
}
