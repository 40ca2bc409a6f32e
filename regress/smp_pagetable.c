/*
 * Page tables across vCPUs: the seed's case (a table still loaded on
 * another vCPU stays a page table after it is unpinned, until that vCPU
 * drops it) and TLB flushes reaching every vCPU (public/xen.h, MMUEXT_*;
 * the type-count rules are xen/arch/x86/mm.c's).
 */
#include <string.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include "regress.h"

static int mmuext_mfn(unsigned int cmd, unsigned long mfn)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = mfn};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

struct switch_req {
    unsigned long to_mfn;  /* the L4 to load */
    unsigned long was_mfn; /* the L4 it had */
    int rc;
};

/* Runs on the target vCPU: loads another L4 there. */
static void switch_base(void *arg)
{
    struct switch_req *r = arg;

    r->was_mfn = pt_root_maddr() >> 12;
    r->rc = mmuext_mfn(MMUEXT_NEW_BASEPTR, r->to_mfn);
}

XEN_TEST(smp_loaded_table_stays_table, TEST_SMP,
         "an L4 loaded on another vCPU can be unpinned but not made writable until that vCPU loads "
         "another",
         "public/xen.h (MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR), xen/arch/x86/mm.c (type counts)",
         .min_cpus = 2)
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    const uint64_t *cur = pfn_to_virt(mfn_to_pfn(pt_root_maddr() >> 12));
    uint64_t *copy = alloc_page();
    struct switch_req there = {0}, back = {0};
    int rc;

    if (!copy) {
        test_error("no memory");
        return;
    }
    thread_set_affinity(thread_self(), 0);
    /* The guest half of our L4; Xen fills in its own slots as it validates. */
    memset(copy, 0, PAGE_SIZE);
    memcpy(copy, cur, 256 * sizeof(uint64_t));
    if (!SETUP(page_set_writable(copy, false)) ||
        !SETUP(mmuext_mfn(MMUEXT_PIN_L4_TABLE, virt_to_mfn(copy))))
        goto out;
    there.to_mfn = virt_to_mfn(copy);
    smp_call_function_single(1, switch_base, &there, true);
    if (there.rc) {
        test_error("NEW_BASEPTR on vCPU 1 failed: %d (%s)", there.rc, xen_strerror(there.rc));
        mmuext_mfn(MMUEXT_UNPIN_TABLE, virt_to_mfn(copy));
        goto out;
    }
    EXPECT_RC(mmuext_mfn(MMUEXT_UNPIN_TABLE, virt_to_mfn(copy)), 0);
    rc = page_set_writable(copy, true);
    CHECK(rc != 0, "the L4 loaded on vCPU 1 was made writable");
    test_value("writable while loaded elsewhere: %s", xen_strerror(rc));
    back.to_mfn = there.was_mfn;
    smp_call_function_single(1, switch_base, &back, true);
    CHECK(back.rc == 0, "NEW_BASEPTR back on vCPU 1 failed: %d (%s)", back.rc,
          xen_strerror(back.rc));
    rc = page_set_writable(copy, true);
    CHECK(rc == 0, "once vCPU 1 dropped it, making it writable failed: %d (%s)", rc,
          xen_strerror(rc));
    if (rc == 0)
        free_page(copy);
out:
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}

struct read_req {
    volatile uint64_t *va;
    uint64_t seen;
};

static void read_there(void *arg)
{
    struct read_req *r = arg;

    r->seen = *r->va;
}

/* What @va reads on every other vCPU: how many read @want. */
static unsigned int others_reading(volatile uint64_t *va, uint64_t want, unsigned int n)
{
    unsigned int count = 0;

    for (unsigned int cpu = 1; cpu < n; cpu++) {
        struct read_req r = {.va = va};

        smp_call_function_single(cpu, read_there, &r, true);
        count += r.seen == want;
    }
    return count;
}

static void flush_seen_everywhere(unsigned int cmd)
{
    unsigned int n = (unsigned int)__builtin_popcountll(smp_online_mask());
    volatile uint64_t *a = alloc_page(), *b = alloc_page();
    uint64_t a_maddr;
    const uint64_t *e;

    thread_set_affinity(thread_self(), 0);
    if (!a || !b || !(e = pt_entry((const void *)a, 1, &a_maddr))) {
        test_error("no scratch pages");
        goto out;
    }
    a[0] = 0xaaaa;
    b[0] = 0xbbbb;
    uint64_t old = *e;
    /* Every other vCPU reads a: its TLB now maps a to a's frame. */
    CHECK(others_reading(a, 0xaaaa, n) == n - 1, "a does not read 0xaaaa everywhere");
    mmu_update_t u = {.ptr = a_maddr | MMU_NORMAL_PT_UPDATE,
                      .val = (old & ~PTE_MFN) | ((uint64_t)virt_to_mfn((void *)b) << 12)};

    if (!SETUP(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF)))
        goto out;
    test_note("before the flush, %u of %u other vCPUs already read the new frame",
              others_reading(a, 0xbbbb, n), n - 1);
    unsigned long mask = (n >= 64 ? ~0UL : (1UL << n) - 1);
    struct mmuext_op op = {.cmd = cmd, .arg1.linear_addr = (unsigned long)a};

    set_xen_guest_handle(op.arg2.vcpumask, &mask);
    EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    unsigned int fresh = others_reading(a, 0xbbbb, n);

    CHECK(fresh == n - 1, "after the flush only %u of %u other vCPUs read the new frame", fresh,
          n - 1);
    u.val = old;
    HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
    op.cmd = MMUEXT_TLB_FLUSH_ALL;
    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
out:
    if (a)
        free_page((void *)a);
    if (b)
        free_page((void *)b);
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}

XEN_TEST(smp_tlb_flush_multi_seen, TEST_SMP,
         "after an L1 change, MMUEXT_TLB_FLUSH_MULTI over every vCPU makes each of them see the "
         "new frame",
         "public/xen.h (MMUEXT_TLB_FLUSH_MULTI)", .min_cpus = 2)
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    flush_seen_everywhere(MMUEXT_TLB_FLUSH_MULTI);
}

XEN_TEST(smp_invlpg_multi_seen, TEST_SMP,
         "after an L1 change, MMUEXT_INVLPG_MULTI of that address over every vCPU makes each see "
         "the new frame",
         "public/xen.h (MMUEXT_INVLPG_MULTI)", .min_cpus = 2)
{
    if (pv_only("PV page tables, which Xen validates; a PVH guest writes its own"))
        return;
    flush_seen_everywhere(MMUEXT_INVLPG_MULTI);
}
