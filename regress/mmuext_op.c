/*
 * mmuext_op: pinning page tables, switching and flushing (public/xen.h,
 * MMUEXT_*).  A table to pin is a zeroed page of ours, first made
 * read-only: Xen validates every table and refuses one still writable.
 */
#include <string.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include "regress.h"

static int mmuext1(unsigned int cmd, unsigned long mfn_or_va)
{
    struct mmuext_op op = {.cmd = cmd};

    if (cmd == MMUEXT_INVLPG_LOCAL || cmd == MMUEXT_INVLPG_ALL)
        op.arg1.linear_addr = mfn_or_va;
    else
        op.arg1.mfn = mfn_or_va;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* A zeroed page, made read-only: ready to be a table. */
static void *table_page(void)
{
    void *p = alloc_page();

    if (!p) {
        test_error("no memory");
        return NULL;
    }
    memset(p, 0, PAGE_SIZE);
    if (!SETUP(page_set_writable(p, false))) {
        free_page(p);
        return NULL;
    }
    return p;
}

static void table_free(void *p)
{
    int rc = page_set_writable(p, true);

    if (rc)
        test_fail("the page stayed read-only after unpinning: %d (%s)", rc, xen_strerror(rc));
    else
        free_page(p);
}

static void pin_unpin(unsigned int pin_cmd)
{
    void *p = table_page();

    if (!p)
        return;
    EXPECT_RC(mmuext1(pin_cmd, virt_to_mfn(p)), 0);
    /* Pinned: a writable mapping must be refused. */
    int rc = page_set_writable(p, true);
    CHECK(rc != 0, "a pinned table was made writable");
    EXPECT_RC(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(p)), 0);
    table_free(p);
}

XEN_TEST(
    mmuext_pin_l1, TEST_FUNCTIONAL,
    "MMUEXT_PIN_L1_TABLE of an empty read-only page succeeds; pinned, it cannot be made writable",
    "public/xen.h (MMUEXT_PIN_L1_TABLE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    pin_unpin(MMUEXT_PIN_L1_TABLE);
}

XEN_TEST(mmuext_pin_l2, TEST_FUNCTIONAL, "MMUEXT_PIN_L2_TABLE of an empty read-only page succeeds",
         "public/xen.h (MMUEXT_PIN_L2_TABLE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    pin_unpin(MMUEXT_PIN_L2_TABLE);
}

XEN_TEST(mmuext_pin_l3, TEST_FUNCTIONAL, "MMUEXT_PIN_L3_TABLE of an empty read-only page succeeds",
         "public/xen.h (MMUEXT_PIN_L3_TABLE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    pin_unpin(MMUEXT_PIN_L3_TABLE);
}

XEN_TEST(mmuext_pin_l4, TEST_FUNCTIONAL,
         "MMUEXT_PIN_L4_TABLE of an empty read-only page succeeds (Xen adds its own slots)",
         "public/xen.h (MMUEXT_PIN_L4_TABLE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    pin_unpin(MMUEXT_PIN_L4_TABLE);
}

XEN_TEST(mmuext_pin_writable_refused, TEST_NEGATIVE,
         "pinning a page still mapped writable is refused (-EINVAL)",
         "public/xen.h (MMUEXT_PIN_*), xen/arch/x86/mm.c")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = alloc_page();

    if (!p) {
        test_error("no memory");
        return;
    }
    memset(p, 0, PAGE_SIZE);
    EXPECT_RC(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)), -XEN_EINVAL);
    free_page(p);
}

XEN_TEST(mmuext_pin_twice_refused, TEST_NEGATIVE, "pinning a pinned table again is -EINVAL",
         "xen/arch/x86/mm.c (MMUEXT_PIN_*: already pinned)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = table_page();

    if (!p)
        return;
    if (SETUP(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)))) {
        EXPECT_RC(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)), -XEN_EINVAL);
        EXPECT_RC(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(p)), 0);
    }
    table_free(p);
}

XEN_TEST(mmuext_unpin_unpinned_refused, TEST_NEGATIVE, "unpinning a page never pinned is -EINVAL",
         "xen/arch/x86/mm.c (MMUEXT_UNPIN_TABLE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = table_page();

    if (!p)
        return;
    EXPECT_RC(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(p)), -XEN_EINVAL);
    table_free(p);
}

XEN_TEST(mmuext_pin_bad_mfn, TEST_NEGATIVE, "pinning a frame past the end of RAM is -EINVAL",
         "xen/arch/x86/mm.c (get_page_from_mfn)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (SETUP(max))
        EXPECT_RC(mmuext1(MMUEXT_PIN_L1_TABLE, (unsigned long)max + 0x1000), -XEN_EINVAL);
}

XEN_TEST(mmuext_new_baseptr, TEST_FUNCTIONAL,
         "MMUEXT_NEW_BASEPTR to the current (pinned) L4 succeeds and we run on",
         "public/xen.h (MMUEXT_NEW_BASEPTR)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    uint64_t before = pt_root_maddr();

    EXPECT_RC(mmuext1(MMUEXT_NEW_BASEPTR, before >> 12), 0);
    CHECK(pt_root_maddr() == before, "CR3 reads %#llx, expected %#llx",
          (unsigned long long)pt_root_maddr(), (unsigned long long)before);
}

XEN_TEST(mmuext_new_baseptr_unpinned_l1, TEST_NEGATIVE,
         "MMUEXT_NEW_BASEPTR to a frame that is not an L4 is refused (-EINVAL)",
         "public/xen.h (MMUEXT_NEW_BASEPTR)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = table_page();

    if (!p)
        return;
    if (SETUP(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)))) {
        EXPECT_RC(mmuext1(MMUEXT_NEW_BASEPTR, virt_to_mfn(p)), -XEN_EINVAL);
        EXPECT_RC(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(p)), 0);
    }
    table_free(p);
}

XEN_TEST(mmuext_flushes, TEST_FUNCTIONAL,
         "TLB_FLUSH_LOCAL, INVLPG_LOCAL, TLB_FLUSH_ALL and INVLPG_ALL are accepted",
         "public/xen.h (MMUEXT_TLB_FLUSH_*, MMUEXT_INVLPG_*)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

    EXPECT_RC(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    EXPECT_RC(mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)page), 0);
    EXPECT_RC(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    EXPECT_RC(mmuext1(MMUEXT_INVLPG_ALL, (unsigned long)page), 0);
}

XEN_TEST(mmuext_flush_multi, TEST_FUNCTIONAL,
         "TLB_FLUSH_MULTI and INVLPG_MULTI with a vCPU mask are accepted",
         "public/xen.h (MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    unsigned long mask = 1;
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_MULTI};

    set_xen_guest_handle(op.arg2.vcpumask, &mask);
    EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg1.linear_addr = (unsigned long)page;
    EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
}

XEN_TEST(mmuext_flush_multi_bad_mask, TEST_NEGATIVE,
         "TLB_FLUSH_MULTI with an unmapped vCPU mask is refused (-EINVAL in 4.17, not -EFAULT)",
         "public/xen.h (MMUEXT_TLB_FLUSH_MULTI), xen/arch/x86/mm.c (vcpumask_to_pcpumask)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_MULTI};

    set_xen_guest_handle(op.arg2.vcpumask, UNMAPPED);
    EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
}

XEN_TEST(mmuext_clear_copy_page, TEST_FUNCTIONAL,
         "MMUEXT_CLEAR_PAGE zeroes a frame and MMUEXT_COPY_PAGE copies one",
         "public/xen.h (MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    unsigned char *a = alloc_page(), *b = alloc_page();

    if (!a || !b) {
        test_error("no memory");
        goto out;
    }
    memset(a, 0x5a, PAGE_SIZE);
    memset(b, 0xff, PAGE_SIZE);
    struct mmuext_op op = {.cmd = MMUEXT_COPY_PAGE, .arg1.mfn = virt_to_mfn(b)};

    op.arg2.src_mfn = virt_to_mfn(a);
    EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    CHECK(b[0] == 0x5a && b[PAGE_SIZE - 1] == 0x5a, "the copy reads %#x..%#x", b[0],
          b[PAGE_SIZE - 1]);
    EXPECT_RC(mmuext1(MMUEXT_CLEAR_PAGE, virt_to_mfn(a)), 0);
    CHECK(a[0] == 0 && a[PAGE_SIZE - 1] == 0, "the cleared page reads %#x..%#x", a[0],
          a[PAGE_SIZE - 1]);
out:
    if (a)
        free_page(a);
    if (b)
        free_page(b);
}

XEN_TEST(mmuext_unknown_cmd, TEST_NEGATIVE, "an unknown mmuext_op command is -ENOSYS",
         "public/xen.h (MMUEXT_*)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    EXPECT_RC(mmuext1(99, 0), -XEN_ENOSYS);
}

XEN_TEST(mmuext_bad_pointer, TEST_NEGATIVE, "mmuext_op with an unmapped op array is -EFAULT",
         "public/xen.h (mmuext_op)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    EXPECT_RC(HYPERVISOR_mmuext_op(UNMAPPED, 1, NULL, DOMID_SELF), -XEN_EFAULT);
}

XEN_TEST(mmuext_huge_count_bad_pointer, TEST_NEGATIVE,
         "mmuext_op of 2^28-1 ops from an unmapped array is -EFAULT", "public/xen.h (mmuext_op)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    EXPECT_RC(HYPERVISOR_mmuext_op(UNMAPPED, 0x0fffffff, NULL, DOMID_SELF), -XEN_EFAULT);
}
