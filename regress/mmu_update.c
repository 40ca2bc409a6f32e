/*
 * mmu_update and update_va_mapping: Xen checks every page-table write a PV
 * guest makes (public/xen.h, MMU_* and UVMF_*; docs/misc/pv... the rules of
 * "writable page tables" are in xen/arch/x86/mm.c).  The scratch pages are
 * two data pages of our own: page a's mapping is pointed at b's frame and
 * back.
 */
#include <string.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/probe.h>
#include "regress.h"

struct scratch {
    volatile uint64_t *a, *b;
    uint64_t pte_maddr, pte; /* a's L1 entry and its value */
};

static bool scratch_get(struct scratch *s)
{
    const uint64_t *e;

    s->a = alloc_page();
    s->b = alloc_page();
    if (!s->a || !s->b) {
        test_error("no memory for two scratch pages");
        return false;
    }
    s->a[0] = 0xaaaa;
    s->b[0] = 0xbbbb;
    e = pt_entry((const void *)s->a, 1, &s->pte_maddr);
    if (!e || !(*e & PTE_P)) {
        test_error("no L1 entry maps %p", (void *)s->a);
        return false;
    }
    s->pte = *e;
    return true;
}

static void invlpg(const volatile void *va)
{
    struct mmuext_op op = {.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (unsigned long)va};

    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static void scratch_put(struct scratch *s)
{
    mmu_update_t u = {.ptr = s->pte_maddr | MMU_NORMAL_PT_UPDATE, .val = s->pte};

    if (s->a) {
        if (HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF) != 0)
            test_error("could not restore the scratch mapping");
        invlpg(s->a);
        free_page((void *)s->a);
    }
    if (s->b)
        free_page((void *)s->b);
}

XEN_TEST(mmu_normal_update, TEST_FUNCTIONAL,
         "MMU_NORMAL_PT_UPDATE of an L1 entry to another own frame is accepted and takes effect",
         "public/xen.h (MMU_NORMAL_PT_UPDATE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};
    unsigned int done = 0;

    if (scratch_get(&s)) {
        mmu_update_t u = {.ptr = s.pte_maddr | MMU_NORMAL_PT_UPDATE,
                          .val = pte_for(virt_to_mfn((void *)s.b), true)};

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF), 0);
        CHECK(done == 1, "success_count %u, expected 1", done);
        invlpg(s.a);
        CHECK(s.a[0] == 0xbbbb, "a reads %#lx after the update, expected b's 0xbbbb",
              (unsigned long)s.a[0]);
    }
    scratch_put(&s);
}

XEN_TEST(mmu_preserve_ad, TEST_FUNCTIONAL,
         "MMU_PT_UPDATE_PRESERVE_AD keeps the entry's accessed and dirty bits",
         "public/xen.h (MMU_PT_UPDATE_PRESERVE_AD)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        uint64_t want = pte_for(virt_to_mfn((void *)s.b), true) & ~(PTE_A | PTE_D);
        mmu_update_t u = {.ptr = s.pte_maddr | MMU_PT_UPDATE_PRESERVE_AD, .val = want};
        const uint64_t *e = pt_entry((const void *)s.a, 1, NULL);

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
        CHECK((*e & (PTE_A | PTE_D)) == (s.pte & (PTE_A | PTE_D)), "A/D were %#llx, now %#llx",
              (unsigned long long)(s.pte & (PTE_A | PTE_D)),
              (unsigned long long)(*e & (PTE_A | PTE_D)));
        CHECK((*e & PTE_MFN) == (want & PTE_MFN), "the frame did not change");
        invlpg(s.a);
    }
    scratch_put(&s);
}

XEN_TEST(mmu_pagetable_readonly_ok, TEST_FUNCTIONAL,
         "a read-only mapping of one of our own L1 tables is accepted and shows its entries",
         "xen/arch/x86/mm.c (get_page_from_l1e)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        unsigned long l1_mfn = s.pte_maddr >> 12;
        mmu_update_t u = {.ptr = s.pte_maddr | MMU_NORMAL_PT_UPDATE, .val = pte_for(l1_mfn, false)};

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
        invlpg(s.a);
        unsigned int index = (s.pte_maddr & 0xfff) / 8;
        CHECK((s.a[index] & PTE_MFN) == ((uint64_t)l1_mfn << 12),
              "entry %u of the table reads %#llx, expected to map the table itself", index,
              (unsigned long long)s.a[index]);
    }
    scratch_put(&s);
}

XEN_TEST(mmu_pagetable_writable_refused, TEST_NEGATIVE,
         "a writable mapping of a frame in use as a page table is refused (-EBUSY in 4.17)",
         "xen/arch/x86/mm.c (get_page_from_l1e; PGT_writable_page)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        mmu_update_t u = {.ptr = s.pte_maddr | MMU_NORMAL_PT_UPDATE,
                          .val = pte_for(s.pte_maddr >> 12, true)};

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EBUSY);
        CHECK(*pt_entry((const void *)s.a, 1, NULL) == s.pte,
              "the refused update changed the entry");
    }
    scratch_put(&s);
}

XEN_TEST(mmu_bad_pointer, TEST_NEGATIVE, "mmu_update with an unmapped request array is -EFAULT",
         "public/xen.h (mmu_update)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    EXPECT_RC(HYPERVISOR_mmu_update(UNMAPPED, 1, NULL, DOMID_SELF), -XEN_EFAULT);
}

XEN_TEST(mmu_unknown_cmd, TEST_NEGATIVE,
         "an mmu_update request with an undefined command in ptr's low bits is -ENOSYS",
         "public/xen.h (MMU_* commands)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        mmu_update_t u = {.ptr = s.pte_maddr | 5, .val = s.pte};

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_ENOSYS);
    }
    scratch_put(&s);
}

/* Maps a frame past the end of RAM (I/O space) at scratch page a, and back. */
static void map_past_ram(long want)
{
    struct scratch s = {0};
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (scratch_get(&s) && SETUP(max)) {
        mmu_update_t u = {.ptr = s.pte_maddr | MMU_NORMAL_PT_UPDATE,
                          .val = pte_for((unsigned long)max + 0x1000, false)};

        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), want);
    }
    scratch_put(&s);
}

XEN_TEST(mmu_io_frame_dom0, TEST_FUNCTIONAL,
         "dom0 may map a machine frame past the end of RAM (I/O space is dom0's)",
         "xen/arch/x86/mm.c (get_page_from_l1e, iomem_access_permitted)", .needs = TEST_NEEDS_DOM0)
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    map_past_ram(0);
}

XEN_TEST(mmu_io_frame_domu_refused, TEST_NEGATIVE,
         "a domU mapping a machine frame past the end of RAM is refused (-EPERM)",
         "xen/arch/x86/mm.c (get_page_from_l1e, iomem_access_permitted)", .needs = TEST_NEEDS_DOMU)
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    map_past_ram(-XEN_EPERM);
}

XEN_TEST(mmu_machphys_update, TEST_FUNCTIONAL,
         "MMU_MACHPHYS_UPDATE of our own frame to its own pfn is accepted",
         "public/xen.h (MMU_MACHPHYS_UPDATE)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = alloc_page();

    if (!p) {
        test_error("no memory");
        return;
    }
    mmu_update_t u = {.ptr = ((uint64_t)virt_to_mfn(p) << 12) | MMU_MACHPHYS_UPDATE,
                      .val = virt_to_pfn(p)};

    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
    CHECK(mfn_to_pfn(virt_to_mfn(p)) == virt_to_pfn(p), "the m2p entry changed");
    free_page(p);
}

/* The L4 slot of the self-map: below Xen's half, above anything we map. */
#define LINEAR_SLOT           255UL
#define LINEAR_VA(a, b, c, d) ((void *)(((a) << 39) | ((b) << 30) | ((c) << 21) | ((d) << 12)))

XEN_TEST(mmu_linear_l4, TEST_FUNCTIONAL,
         "an L4 entry pointing (read-only) at the L4 itself is accepted: linear page tables",
         "xen/arch/x86/mm.c (get_linear_pagetable), pv-linear-pt option")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    uint64_t l4 = pt_root_maddr(), slot_maddr = l4 + LINEAR_SLOT * 8;
    const uint64_t *slot = pt_entry(LINEAR_VA(LINEAR_SLOT, 0UL, 0UL, 0UL), 4, NULL);

    if (!slot || *slot != 0) {
        test_error("L4 slot %lu is in use", LINEAR_SLOT);
        return;
    }
    mmu_update_t u = {.ptr = slot_maddr | MMU_NORMAL_PT_UPDATE, .val = l4 | PTE_P | PTE_A};

    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
    if (*slot & PTE_P) {
        const volatile uint64_t *self =
            LINEAR_VA(LINEAR_SLOT, LINEAR_SLOT, LINEAR_SLOT, LINEAR_SLOT);
        uint64_t seen = 0;
        struct probe_result r = probe_read_u64(&self[LINEAR_SLOT], &seen);

        CHECK(!r.faulted, "reading the L4 through its self-map faulted (vector %u)", r.vector);
        CHECK(seen == *slot, "the self-map reads %#llx, the slot holds %#llx",
              (unsigned long long)seen, (unsigned long long)*slot);
        u.val = 0;
        EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
        struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
        HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF);
    }
}

XEN_TEST(mmu_linear_l4_writable_refused, TEST_NEGATIVE,
         "a writable L4 entry pointing at the L4 itself is refused (-EINVAL)",
         "xen/arch/x86/mm.c (get_linear_pagetable)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    uint64_t l4 = pt_root_maddr();
    mmu_update_t u = {.ptr = (l4 + LINEAR_SLOT * 8) | MMU_NORMAL_PT_UPDATE,
                      .val = l4 | PTE_P | PTE_RW | PTE_A};
    const uint64_t *slot = pt_entry(LINEAR_VA(LINEAR_SLOT, 0UL, 0UL, 0UL), 4, NULL);

    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    CHECK(slot && *slot == 0, "the refused update left the slot at %#llx",
          slot ? (unsigned long long)*slot : 0ULL);
}

XEN_TEST(uvm_invlpg, TEST_FUNCTIONAL,
         "update_va_mapping with UVMF_INVLPG|UVMF_LOCAL remaps a page, visible at once",
         "public/xen.h (update_va_mapping, UVMF_*)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        EXPECT_RC(HYPERVISOR_update_va_mapping((unsigned long)s.a,
                                               pte_for(virt_to_mfn((void *)s.b), true),
                                               UVMF_INVLPG | UVMF_LOCAL),
                  0);
        CHECK(s.a[0] == 0xbbbb, "a reads %#lx, expected b's 0xbbbb", (unsigned long)s.a[0]);
    }
    scratch_put(&s);
}

XEN_TEST(uvm_flush_all, TEST_FUNCTIONAL,
         "update_va_mapping with UVMF_TLB_FLUSH|UVMF_ALL is accepted and takes effect",
         "public/xen.h (UVMF_TLB_FLUSH, UVMF_ALL)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        EXPECT_RC(HYPERVISOR_update_va_mapping((unsigned long)s.a,
                                               pte_for(virt_to_mfn((void *)s.b), true),
                                               UVMF_TLB_FLUSH | UVMF_ALL),
                  0);
        CHECK(s.a[0] == 0xbbbb, "a reads %#lx, expected b's 0xbbbb", (unsigned long)s.a[0]);
    }
    scratch_put(&s);
}

XEN_TEST(uvm_multi_mask, TEST_FUNCTIONAL,
         "update_va_mapping with UVMF_MULTI and a vCPU mask pointer in the flags is accepted",
         "public/xen.h (UVMF_MULTI)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};
    static unsigned long mask = 1; /* vCPU 0 */

    if (scratch_get(&s)) {
        EXPECT_RC(HYPERVISOR_update_va_mapping((unsigned long)s.a,
                                               pte_for(virt_to_mfn((void *)s.b), true),
                                               UVMF_INVLPG | UVMF_MULTI | (unsigned long)&mask),
                  0);
        invlpg(s.a);
        CHECK(s.a[0] == 0xbbbb, "a reads %#lx, expected b's 0xbbbb", (unsigned long)s.a[0]);
    }
    scratch_put(&s);
}

XEN_TEST(uvm_xen_area_refused, TEST_NEGATIVE,
         "update_va_mapping of an address in Xen's own area is -EINVAL",
         "public/xen.h, public/arch-x86/xen-x86_64.h (HYPERVISOR_VIRT_START)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    void *p = alloc_page();

    if (!p) {
        test_error("no memory");
        return;
    }
    EXPECT_RC(HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START + 0x100000,
                                           pte_for(virt_to_mfn(p), true), UVMF_INVLPG),
              -XEN_EINVAL);
    free_page(p);
}

XEN_TEST(uvm_pagetable_writable_refused, TEST_NEGATIVE,
         "update_va_mapping making a page-table frame writable is refused (-EBUSY in 4.17)",
         "xen/arch/x86/mm.c (get_page_from_l1e)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    struct scratch s = {0};

    if (scratch_get(&s)) {
        EXPECT_RC(HYPERVISOR_update_va_mapping((unsigned long)s.a, pte_for(s.pte_maddr >> 12, true),
                                               UVMF_INVLPG),
                  -XEN_EBUSY);
    }
    scratch_put(&s);
}

XEN_TEST(mmu_huge_count_bad_pointer, TEST_NEGATIVE,
         "mmu_update of 2^28-1 requests from an unmapped array is -EFAULT at the first",
         "public/xen.h (mmu_update)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    unsigned int done = 12345;

    EXPECT_RC(HYPERVISOR_mmu_update(UNMAPPED, 0x0fffffff, &done, DOMID_SELF), -XEN_EFAULT);
    CHECK(done == 0, "success_count %u, expected 0", done);
}
