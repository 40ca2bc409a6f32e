/*
 * memory_op: the domain's reservation and memory maps (public/memory.h),
 * and giving a page back to Xen and getting one again, keeping the p2m and
 * m2p in step as a PV guest must.
 */
#include <string.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/xen.h>
#include <xen/memory.h>
#include "regress.h"

static long reservation(unsigned int cmd)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(cmd, &self);
}

XEN_TEST(mem_reservation, TEST_FUNCTIONAL,
         "current_reservation is positive and at most maximum_reservation",
         "public/memory.h (XENMEM_current_reservation, XENMEM_maximum_reservation)")
{
    long cur = reservation(XENMEM_current_reservation),
         max = reservation(XENMEM_maximum_reservation);

    CHECK(cur > 0, "current_reservation %ld", cur);
    CHECK(max >= cur, "maximum_reservation %ld < current %ld", max, cur);
    test_note("current %ld pages, maximum %ld", cur, max);
}

XEN_TEST(mem_maximum_ram_page, TEST_FUNCTIONAL, "maximum_ram_page is past every frame we own",
         "public/memory.h (XENMEM_maximum_ram_page)")
{
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    CHECK(max > 0, "maximum_ram_page %ld", max);
    CHECK((unsigned long)max >= pfn_to_mfn(start_info.nr_pages - 1), "max %ld < our last mfn %lu",
          max, pfn_to_mfn(start_info.nr_pages - 1));
}

XEN_TEST(mem_memory_map_unset, TEST_FUNCTIONAL,
         "XENMEM_memory_map of a PV dom0, for which no map was set, is -ENOSYS (4.17)",
         "public/memory.h (XENMEM_memory_map), xen/arch/x86/mm.c (nr_e820 == 0)",
         .needs = TEST_NEEDS_DOM0)
{
    if (pv_only("a PV dom0 has no memory map set; a PVH dom0 has one (its e820)"))
        return;
    static struct {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) map[64];
    struct xen_memory_map m = {.nr_entries = 64};

    set_xen_guest_handle(m.buffer, map);
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &m), -XEN_ENOSYS);
}

XEN_TEST(mem_machine_memory_map, TEST_FUNCTIONAL, "dom0 may read the machine memory map",
         "public/memory.h (XENMEM_machine_memory_map)", .needs = TEST_NEEDS_DOM0)
{
    if (pv_only("Xen gives XENMEM_machine_memory_map to a PV dom0 only (-ENOSYS for PVH)"))
        return;
    static uint8_t buffer[64 * 20];
    struct xen_memory_map m = {.nr_entries = 64};

    set_xen_guest_handle(m.buffer, buffer);
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &m), 0);
    CHECK(m.nr_entries >= 1, "%u entries", m.nr_entries);
}

/*
 * A PVH domU never reaches the permission check: Xen's memory_op for HVM
 * guests refuses the machine map first (-ENOSYS, measured under 4.17.7),
 * as for a PVH dom0 above.
 */
XEN_TEST(mem_machine_memory_map_domu, TEST_NEGATIVE,
         "a domU may not read the machine memory map (-EPERM; -ENOSYS as PVH)",
         "public/memory.h (XENMEM_machine_memory_map), xsm/dummy.h, "
         "xen/arch/x86/hvm/hypercall.c (hvm_memory_op)",
         .needs = TEST_NEEDS_DOMU)
{
    static uint8_t buffer[64 * 20];
    struct xen_memory_map m = {.nr_entries = 64};

    set_xen_guest_handle(m.buffer, buffer);
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &m),
              xen_boot_is_pvh() ? -XEN_ENOSYS : -XEN_EPERM);
}

XEN_TEST(mem_decrease_increase, TEST_FUNCTIONAL,
         "decrease_reservation of one unmapped page gives it back (1 extent); increase_reservation "
         "gets a page again",
         "public/memory.h (XENMEM_decrease_reservation, XENMEM_increase_reservation)")
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    unsigned long *p2m = (unsigned long *)start_info.mfn_list;
    volatile uint64_t *page = alloc_page();

    if (!page) {
        test_error("no memory");
        return;
    }
    unsigned long pfn = virt_to_pfn((void *)page), old_mfn = pfn_to_mfn(pfn);
    uint64_t old_pte = *pt_entry((const void *)page, 1, NULL);
    long before = reservation(XENMEM_current_reservation);
    xen_pfn_t extent = old_mfn;
    struct xen_memory_reservation r = {.nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};

    set_xen_guest_handle(r.extent_start, &extent);
    if (!SETUP(HYPERVISOR_update_va_mapping((unsigned long)page, 0, UVMF_INVLPG)))
        return;
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
    CHECK(reservation(XENMEM_current_reservation) == before - 1, "the reservation is %ld, was %ld",
          reservation(XENMEM_current_reservation), before);
    extent = 0;
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 1);
    if (extent == 0) {
        test_fail("increase_reservation gave no frame: page %p is lost", (void *)page);
        return;
    }
    /* The new frame becomes this pfn: m2p, p2m, then the mapping. */
    mmu_update_t u = {.ptr = ((uint64_t)extent << 12) | MMU_MACHPHYS_UPDATE, .val = pfn};

    EXPECT_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
    p2m[pfn] = extent;
    EXPECT_RC(HYPERVISOR_update_va_mapping((unsigned long)page,
                                           (old_pte & ~PTE_MFN) | ((uint64_t)extent << 12),
                                           UVMF_INVLPG),
              0);
    CHECK(reservation(XENMEM_current_reservation) == before, "the reservation is %ld, was %ld",
          reservation(XENMEM_current_reservation), before);
    page[0] = 42;
    CHECK(page[0] == 42, "the new page does not keep a value");
    test_note("pfn %#lx: mfn %#lx given back, mfn %#lx received", pfn, old_mfn,
              (unsigned long)extent);
    free_page((void *)page);
}

XEN_TEST(mem_decrease_foreign_refused, TEST_NEGATIVE,
         "decrease_reservation of a frame that is not ours does nothing (0 extents done)",
         "public/memory.h (XENMEM_decrease_reservation)")
{
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (!SETUP(max))
        return;
    xen_pfn_t extent = (xen_pfn_t)max + 0x1000;
    struct xen_memory_reservation r = {.nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};

    set_xen_guest_handle(r.extent_start, &extent);
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
}

XEN_TEST(mem_bad_pointer, TEST_NEGATIVE, "XENMEM_memory_map into an unmapped argument is -EFAULT",
         "public/memory.h")
{
    EXPECT_RC(HYPERVISOR_memory_op(XENMEM_memory_map, UNMAPPED), -XEN_EFAULT);
}

XEN_TEST(mem_unknown_cmd, TEST_NEGATIVE, "an unknown memory_op command is -ENOSYS",
         "public/memory.h")
{
    EXPECT_RC(HYPERVISOR_memory_op(200, NULL), -XEN_ENOSYS);
}
