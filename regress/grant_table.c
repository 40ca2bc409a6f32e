/*
 * grant_table_op: the grant table's size and frames, mapping and copying
 * our own grants, and the refusals (public/grant_table.h).
 */
#include <string.h>
#include <minios/gnttab.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/xen.h>
#include <xen/grant_table.h>
#include "regress.h"

XEN_TEST(gnttab_query_size, TEST_FUNCTIONAL,
         "GNTTABOP_query_size: status okay, 1 <= nr_frames <= max_nr_frames",
         "public/grant_table.h (GNTTABOP_query_size)")
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK(q.status == GNTST_okay, "status %d", q.status);
    CHECK(q.nr_frames >= 1 && q.nr_frames <= q.max_nr_frames, "nr_frames %u, max_frames %u",
          q.nr_frames, q.max_nr_frames);
    test_value("max_nr_frames %u", q.max_nr_frames);
}

XEN_TEST(gnttab_query_size_count_refused, TEST_NEGATIVE,
         "GNTTABOP_query_size with a count other than 1 is -EINVAL",
         "xen/common/grant_table.c (do_grant_table_op)")
{
    struct gnttab_query_size q[2] = {{.dom = DOMID_SELF}, {.dom = DOMID_SELF}};

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, q, 2), -XEN_EINVAL);
}

XEN_TEST(gnttab_setup_table, TEST_FUNCTIONAL,
         "GNTTABOP_setup_table for the current size lists that many frames",
         "public/grant_table.h (GNTTABOP_setup_table)")
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    static xen_pfn_t frames[64];

    if (!SETUP(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1)))
        return;
    struct gnttab_setup_table s = {.dom = DOMID_SELF, .nr_frames = q.nr_frames};

    memset(frames, 0, sizeof(frames));
    set_xen_guest_handle(s.frame_list, frames);
    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1), 0);
    CHECK(s.status == GNTST_okay, "status %d", s.status);
    for (unsigned int i = 0; i < q.nr_frames && i < 64; i++)
        CHECK(frames[i] != 0, "frame %u is 0", i);
}

XEN_TEST(gnttab_get_version, TEST_FUNCTIONAL, "GNTTABOP_get_version says version 1 (ours)",
         "public/grant_table.h (GNTTABOP_get_version)")
{
    struct gnttab_get_version v = {.dom = DOMID_SELF};

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &v, 1), 0);
    CHECK(v.version == 1, "version %u", v.version);
}

XEN_TEST(gnttab_map_own, TEST_FUNCTIONAL,
         "a grant of our own page, mapped by ourselves, shows the page's contents",
         "public/grant_table.h (GNTTABOP_map_grant_ref)")
{
    if (pv_only("a PVH self-map moves our page to the mapping's frame (Xen's p2m keeps one frame "
                "per page of ours); tests/guest/suite/gnttab.c checks that"))
        return;
    char *page = alloc_page();
    void *va = NULL;
    grant_handle_t handle;

    if (!page) {
        test_error("no memory");
        return;
    }
    strcpy(page, "granted to ourselves");
    int ref = gnttab_grant_access(xen_self_domid(), virt_to_mfn(page), true);

    if (ref < 0) {
        test_error("gnttab_grant_access failed: %d", ref);
        free_page(page);
        return;
    }
    int rc = gnttab_map(xen_self_domid(), (grant_ref_t)ref, true, &va, &handle);

    CHECK(rc == 0, "mapping our own grant: %d (%s)", rc, gnttab_strerror(rc));
    if (rc == 0) {
        CHECK(strcmp(va, page) == 0, "the mapping reads '%.20s'", (char *)va);
        gnttab_unmap(va, handle);
    }
    gnttab_end_access((grant_ref_t)ref);
    free_page(page);
}

XEN_TEST(gnttab_map_bad_ref, TEST_NEGATIVE,
         "mapping a grant reference past the table is GNTST_bad_gntref",
         "public/grant_table.h (GNTST_bad_gntref)")
{
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    struct gnttab_map_grant_ref m = {
        .host_addr = (uint64_t)(unsigned long)page,
        .flags = GNTMAP_host_map | GNTMAP_readonly,
        .ref = 60000,
        .dom = xen_self_domid(),
    };

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
    CHECK(m.status == GNTST_bad_gntref, "status %d (%s), expected bad_gntref", m.status,
          gnttab_strerror(m.status));
}

XEN_TEST(gnttab_copy_frames, TEST_FUNCTIONAL,
         "GNTTABOP_copy between two of our own frames copies the bytes",
         "public/grant_table.h (GNTTABOP_copy)")
{
    char *a = alloc_page(), *b = alloc_page();

    if (!a || !b) {
        test_error("no memory");
        goto out;
    }
    memset(a, 'a', PAGE_SIZE);
    memset(b, 'b', PAGE_SIZE);
    gnttab_copy_t c = {.len = 100, .flags = 0};

    c.source.u.gmfn = virt_to_mfn(a);
    c.source.domid = DOMID_SELF;
    c.source.offset = 10;
    c.dest.u.gmfn = virt_to_mfn(b);
    c.dest.domid = DOMID_SELF;
    c.dest.offset = 20;
    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1), 0);
    CHECK(c.status == GNTST_okay, "status %d", c.status);
    CHECK(b[19] == 'b' && b[20] == 'a' && b[119] == 'a' && b[120] == 'b',
          "bytes 19/20/119/120 read %c%c%c%c", b[19], b[20], b[119], b[120]);
out:
    if (a)
        free_page(a);
    if (b)
        free_page(b);
}

XEN_TEST(gnttab_copy_bad_ref, TEST_NEGATIVE,
         "GNTTABOP_copy from a grant reference past the table is GNTST_bad_gntref",
         "public/grant_table.h (GNTTABOP_copy)")
{
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    gnttab_copy_t c = {.len = 8, .flags = GNTCOPY_source_gref};

    c.source.u.ref = 60000;
    c.source.domid = xen_self_domid();
    c.dest.u.gmfn = virt_to_mfn(page);
    c.dest.domid = DOMID_SELF;
    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1), 0);
    CHECK(c.status == GNTST_bad_gntref, "status %d, expected bad_gntref (-3)", c.status);
}

XEN_TEST(gnttab_transfer_bad_page, TEST_NEGATIVE,
         "GNTTABOP_transfer of a frame that is not ours is GNTST_bad_page",
         "public/grant_table.h (GNTTABOP_transfer)")
{
    if (pv_only("GNTTABOP_transfer is PV's: Xen gives a PVH guest -ENOSYS"))
        return;
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (!SETUP(max))
        return;
    struct gnttab_transfer t = {
        .mfn = (xen_pfn_t)max + 0x1000, .domid = xen_self_domid(), .ref = 10};

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1), 0);
    CHECK(t.status == GNTST_bad_page, "status %d, expected bad_page (-9)", t.status);
}

XEN_TEST(gnttab_unknown_cmd, TEST_NEGATIVE, "an unknown grant_table_op command is -ENOSYS",
         "public/grant_table.h")
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};

    EXPECT_RC(HYPERVISOR_grant_table_op(99, &q, 1), -XEN_ENOSYS);
}

XEN_TEST(gnttab_huge_count_bad_pointer, TEST_NEGATIVE,
         "GNTTABOP_copy of 2^28-1 ops from an unmapped array is -EFAULT",
         "public/grant_table.h (GNTTABOP_copy)")
{
    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_copy, UNMAPPED, 0x0fffffff), -XEN_EFAULT);
}
