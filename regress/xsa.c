/*
 * Proofs of concept for published Xen security advisories against the
 * 64-bit PV guest ABI: each asks Xen to do what the vulnerable versions
 * did, and checks that this Xen refuses, with the error its fix returns,
 * and that nothing changed.  Written from the advisories' descriptions and
 * Xen's fixes (named in each source), not from XTF's tests.
 *
 * Each is chosen so that even a vulnerable Xen could only harm this guest,
 * never the host: a read of Xen memory rather than a write (XSA-212), and
 * page-table changes refused or made read-only in our own tables.
 */
#include <minios/gnttab.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include "regress.h"

/*
 * XSA-212: XENMEM_exchange checked that each array *started* in guest
 * space, but not the element nr_exchanged it resumes at: an in array in
 * our space, with nr_exchanged large enough that in[nr_exchanged] wraps
 * into Xen's direct map, made Xen read (and, for out, write) its own
 * memory.  The fix checks the subrange actually used: -EFAULT before
 * anything is exchanged.  Only the in side reaches Xen's memory here:
 * a vulnerable Xen would read a word there and fail to find it among our
 * frames; out points at our own array.
 */
#define XEN_DIRECTMAP_START 0xffff830000000000UL /* PML4 slot 262: Xen's 1:1 map */

XEN_TEST(xsa212_exchange_subrange, TEST_XSA,
         "XSA-212: XENMEM_exchange resuming at an element that wraps into Xen's memory is -EFAULT, "
         "nothing exchanged",
         "XSA-212 (CVE-2017-7228); xen/common/memory.c (memory_exchange, "
         "guest_handle_subrange_okay)")
{
    static xen_pfn_t in_list[1], out_list[1];
    unsigned long start = (unsigned long)in_list;
    /* in_list + 8 * n == Xen's direct map, modulo 2^64. */
    unsigned long n = (XEN_DIRECTMAP_START - start) / sizeof(xen_pfn_t);
    struct xen_memory_exchange exch = {
        .in = {.nr_extents = n + 1, .extent_order = 0, .domid = DOMID_SELF},
        .out = {.nr_extents = n + 1, .extent_order = 0, .domid = DOMID_SELF},
        .nr_exchanged = n,
    };

    if ((XEN_DIRECTMAP_START - start) % sizeof(xen_pfn_t)) {
        test_error("in_list at %#lx is not 8-byte aligned", start);
        return;
    }
    set_xen_guest_handle(exch.in.extent_start, in_list);
    set_xen_guest_handle(exch.out.extent_start, out_list);
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_exchange, &exch), -XEN_EFAULT);
    CHECK(exch.nr_exchanged == n, "nr_exchanged came back %#llx, expected %#lx (nothing done)",
          (unsigned long long)exch.nr_exchanged, n);
}

/*
 * XSA-227: GNTMAP_contains_pte names the machine address of an L1 entry
 * for Xen to write the grant's PTE into; Xen did not check that it was
 * 8-byte aligned, so a misaligned one wrote a guest-chosen PTE across two
 * entries.  The fix refuses it (GNTST_general_error).  Here the entry is
 * the one mapping a scratch page of ours: both it and its neighbour must
 * be unchanged.
 */
XEN_TEST(xsa227_grant_pte_misaligned, TEST_XSA,
         "XSA-227: mapping a grant into a misaligned PTE address (GNTMAP_contains_pte) is "
         "GNTST_general_error, the page table unchanged",
         "XSA-227 (CVE-2017-12137); xen/arch/x86/pv/grant_table.c (create_grant_pv_mapping)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    char *page = alloc_page();
    uint64_t pte_maddr;

    if (!page) {
        test_error("no memory");
        return;
    }
    const uint64_t *pte = pt_entry(page, 1, &pte_maddr);
    int ref = gnttab_grant_access(xen_self_domid(), virt_to_mfn(page), true);

    if (!pte || ref < 0) {
        test_error("set-up: %s", pte ? "gnttab_grant_access failed" : "no L1 entry");
        if (ref >= 0)
            gnttab_end_access((grant_ref_t)ref);
        free_page(page);
        return;
    }
    /* The pair of entries a misaligned write would straddle. */
    const uint64_t *pair = (pte_maddr & 0xff8) == 0xff8 ? pte - 1 : pte;
    uint64_t pair_maddr = (pte_maddr & 0xff8) == 0xff8 ? pte_maddr - 8 : pte_maddr;
    uint64_t before[2] = {pair[0], pair[1]};
    struct gnttab_map_grant_ref map = {
        .host_addr = pair_maddr + 4,
        .flags = GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_readonly,
        .ref = (grant_ref_t)ref,
        .dom = xen_self_domid(),
    };

    EXPECT_RC(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0);
    CHECK(map.status == GNTST_general_error, "the map's status is %d (%s), expected %d (%s)",
          map.status, gnttab_strerror(map.status), GNTST_general_error,
          gnttab_strerror(GNTST_general_error));
    CHECK(pair[0] == before[0] && pair[1] == before[1],
          "the L1 entries became %#llx %#llx (were %#llx %#llx)", (unsigned long long)pair[0],
          (unsigned long long)pair[1], (unsigned long long)before[0],
          (unsigned long long)before[1]);
    if (map.status == GNTST_okay) {
        struct gnttab_unmap_grant_ref unmap = {
            .host_addr = map.host_addr, .handle = map.handle, .dev_bus_addr = 0};

        HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
    }
    gnttab_end_access((grant_ref_t)ref);
    free_page(page);
}

/*
 * XSA-148: an L2 update that left the entry present took a fast path that
 * did not look at PSE, so a guest could turn the L2 entry of one of its L1
 * tables into a 2 MiB superpage over machine memory.  Xen without PV
 * superpages (all since 4.10) refuses PSE in a PV L2 entry: -EINVAL.  The
 * superpage asked for is read-only, so even a vulnerable Xen would let us
 * read, not write, what it maps.
 */
XEN_TEST(xsa148_l2_superpage_refused, TEST_XSA,
         "XSA-148: setting PSE on a present L2 entry (same L1 frame: the old fast path) is "
         "-EINVAL, the entry unchanged",
         "XSA-148 (CVE-2015-7835); xen/arch/x86/mm.c (mod_l2_entry, L2_DISALLOW_MASK)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    char *page = alloc_page();
    uint64_t l2_maddr;

    if (!page) {
        test_error("no memory");
        return;
    }
    const uint64_t *l2e = pt_entry(page, 2, &l2_maddr);

    if (!l2e || !(*l2e & PTE_P)) {
        test_error("no present L2 entry maps %p", (void *)page);
        free_page(page);
        return;
    }
    uint64_t before = *l2e;
    mmu_update_t u = {.ptr = l2_maddr | MMU_NORMAL_PT_UPDATE, .val = (before & ~PTE_RW) | PTE_PSE};

    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    CHECK(*l2e == before, "the L2 entry became %#llx (was %#llx)", (unsigned long long)*l2e,
          (unsigned long long)before);
    if (*l2e != before) {
        u.val = before;
        HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
    }
    free_page(page);
}

/*
 * XSA-182: an L4 (or L3) update that changed only "safe" flags took a
 * fast path without re-validation, and RW was among them: a read-only
 * linear (self-referencing) L4 entry, which Xen accepts, could be made
 * writable, giving the guest write access to its own page tables.  The
 * fix took RW off the fast path where linear page tables are allowed:
 * the update is re-validated and refused (-EINVAL).
 */
#define SELF_SLOT 255UL /* as mmu_linear_l4: below Xen's half, above all we map */

XEN_TEST(xsa182_linear_l4_made_writable, TEST_XSA,
         "XSA-182: adding RW to an accepted read-only L4 self-map entry is -EINVAL, the entry "
         "stays read-only",
         "XSA-182 (CVE-2016-6258); xen/arch/x86/mm.c (mod_l4_entry, FASTPATH_PDE_FLAG_WHITELIST)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    uint64_t l4 = pt_root_maddr();
    const uint64_t *slot = pt_entry((void *)(SELF_SLOT << 39), 4, NULL);
    mmu_update_t u = {.ptr = (l4 + SELF_SLOT * 8) | MMU_NORMAL_PT_UPDATE,
                      .val = l4 | PTE_P | PTE_A};

    if (!slot || *slot != 0) {
        test_error("L4 slot %lu is in use", SELF_SLOT);
        return;
    }
    long rc = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);

    if (rc == -XEN_EINVAL) {
        test_skip(
            "a read-only L4 self-map is refused too: linear page tables are off (pv-linear-pt=0)");
        return;
    }
    if (rc != 0) {
        test_error("set-up: the read-only self-map returned %ld (%s)", rc, xen_strerror(rc));
        return;
    }
    uint64_t accepted = *slot;

    u.val = l4 | PTE_P | PTE_A | PTE_RW;
    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    CHECK(*slot == accepted && !(*slot & PTE_RW), "the self-map entry became %#llx (was %#llx)",
          (unsigned long long)*slot, (unsigned long long)accepted);
    u.val = 0;
    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
    struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};

    EXPECT_RC(HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF), 0);
}
