/*
 * Grant tables under the real Xen.  With no second domain, we grant our own
 * pages to ourselves: Xen treats the granting and the mapping side exactly
 * as it would for two domains (it compares the grantee with the mapping
 * domain's real id), so a grant to xen_self_domid() exercises the whole
 * protocol.  Every expected failure is checked for its exact GNTST_* status.
 */
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/probe.h>
#include <minios/test.h>
#include "suite.h"

#define PATTERN(i) (0x5eed000000000000ULL ^ ((uint64_t)(i)*0x9e3779b97f4a7c15ULL))

/* Our domain id, or DOMID_INVALID after reporting a set-up error. */
static domid_t self(void)
{
    domid_t id = xen_self_domid();

    if (id == DOMID_INVALID)
        test_error("xen_self_domid() failed");
    return id;
}

static void fill(volatile uint64_t *page, unsigned int seed)
{
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        page[i] = PATTERN(seed + i);
}

static bool holds(const volatile uint64_t *page, unsigned int seed)
{
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
        if (page[i] != PATTERN(seed + i))
            return false;
    }
    return true;
}

static void expect_page_fault(const char *what, struct probe_result r, uint32_t ec_bits)
{
    if (!r.faulted || r.vector != X86_EXC_PF)
        test_fail("%s: expected a page fault, got %s", what,
                  r.faulted ? exception_name(r.vector) : "no fault");
    else if ((r.error_code & ec_bits) != ec_bits)
        test_fail("%s: error code %#x lacks %#x", what, r.error_code, ec_bits);
}

/*
 * PVH: Xen's physical map gives each page of ours one guest-physical
 * frame, so mapping our own grant moves the page to the frame the mapping
 * uses (the grant window) and leaves the page's own frame empty: its 1:1
 * address reaches nothing until the page is back.  After the unmap no
 * frame holds it, so the empty frame gets a fresh page
 * (XENMEM_populate_physmap) before the allocator has it again.  PV has
 * no such move: its mappings are page-table entries only.
 */
static bool self_map_moves_page(void)
{
    return xen_boot_is_pvh();
}

/* Frees @page after a self-map: in PVH, once its frame has a page again. */
static void free_after_self_map(volatile void *page)
{
    if (self_map_moves_page()) {
        xen_pfn_t pfn = virt_to_mfn((void *)page);
        struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};
        long rc;

        set_xen_guest_handle(r.extent_start, &pfn);
        rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
        if (rc != 1) {
            test_fail("XENMEM_populate_physmap of frame %#lx gave %ld: the page is not freed",
                      (unsigned long)pfn, rc);
            return;
        }
    }
    free_page((void *)page);
}

/* Checks entry @ref's flags as Xen left them. */
static void expect_flags(const char *when, grant_ref_t ref, uint16_t want)
{
    grant_entry_v1_t e;
    int rc = gnttab_read_entry(ref, &e);

    if (rc)
        test_fail("%s: reading entry %u: %d (%s)", when, ref, rc, xen_strerror(rc));
    else
        CHECK(e.flags == want, "%s: entry %u has flags %#x, expected %#x", when, ref, e.flags,
              want);
}

static void expect_status(const char *what, int got, int want)
{
    CHECK(got == want, "%s: %d (%s), expected %d (%s)", what, got, gnttab_strerror(got), want,
          gnttab_strerror(want));
}

TEST_DEFINE(test_gnttab_self_map, "a self-grant maps, shares bytes both ways, ends only unmapped")
{
    volatile uint64_t *page = alloc_page();
    domid_t dom = self();
    grant_handle_t handle, stale;
    void *va = NULL;
    int ref, st;

    if (!page || dom == DOMID_INVALID) {
        if (page)
            free_page((void *)page);
        else
            test_error("alloc_page failed");
        return;
    }
    test_note("our domain id is %u", dom);
    if (xen_is_initial_domain())
        CHECK(dom == 0, "dom0's id came back as %u", dom);
    else
        CHECK(dom != 0 && dom < DOMID_FIRST_RESERVED, "a domU's id came back as %u", dom);

    fill(page, 1);
    ref = gnttab_grant_access(dom, virt_to_mfn((void *)page), false);
    if (ref < 0) {
        test_error("gnttab_grant_access: %d (%s)", ref, xen_strerror(ref));
        free_page((void *)page);
        return;
    }
    CHECK(ref >= GNTTAB_NR_RESERVED_ENTRIES, "got reserved ref %d", ref);
    grant_entry_v1_t e;
    if (gnttab_read_entry((grant_ref_t)ref, &e) == 0)
        CHECK(e.flags == GTF_permit_access && e.domid == dom &&
                  e.frame == virt_to_mfn((void *)page),
              "the entry reads {%#x, d%u, %#x}", e.flags, e.domid, e.frame);
    CHECK(gnttab_grant_access(DOMID_SELF, virt_to_mfn((void *)page), false) == -XEN_EINVAL,
          "a grant to DOMID_SELF was accepted (Xen would never match it)");

    /* Xen looks the granting domain up by real id only. */
    st = gnttab_map(DOMID_SELF, (grant_ref_t)ref, false, &va, &handle);
    expect_status("mapping with DOMID_SELF", st, GNTST_bad_domain);

    st = gnttab_map(dom, (grant_ref_t)ref, false, &va, &handle);
    expect_status("mapping our own grant", st, GNTST_okay);
    if (st != GNTST_okay) {
        gnttab_end_access((grant_ref_t)ref);
        free_page((void *)page);
        return;
    }
    volatile uint64_t *alias = va;

    test_note("ref %d mapped at %p (handle %u)", ref, va, handle);
    CHECK((void *)alias != (void *)page, "the mapping is the 1:1 address");
    CHECK(holds(alias, 1), "the mapping does not show the page's contents");
    alias[5] = 0xabcdef;
    if (self_map_moves_page()) {
        test_note("PVH: the page moved to the mapping's frame; its 1:1 address is not used");
        alias[9] = 0x123456;
        CHECK(alias[5] == 0xabcdef && alias[9] == 0x123456, "writes through the mapping are lost");
    } else {
        CHECK(page[5] == 0xabcdef, "a write through the mapping is not seen at 1:1");
        page[9] = 0x123456;
        CHECK(alias[9] == 0x123456, "a write at 1:1 is not seen through the mapping");
    }
    uint64_t v;
    CHECK(!probe_read_u64(alias, &v).faulted, "reading the mapping faulted");

    /* Xen marks the entry in use: the grant cannot be taken back now. */
    expect_flags("mapped writable", (grant_ref_t)ref,
                 GTF_permit_access | GTF_reading | GTF_writing);
    int rc = gnttab_end_access((grant_ref_t)ref);
    CHECK(rc == -XEN_EBUSY, "ending a mapped grant gave %d (%s), expected -EBUSY", rc,
          xen_strerror(rc));

    st = gnttab_unmap(va, handle);
    expect_status("unmapping", st, GNTST_okay);
    expect_flags("unmapped", (grant_ref_t)ref, GTF_permit_access);
    if (st == GNTST_okay) {
        /* Xen flushed the TLB itself: the old address no longer translates. */
        expect_page_fault("reading an unmapped grant", probe_read_u64(alias, &v), 0);
        stale = handle;
        st = gnttab_unmap(va, stale);
        expect_status("unmapping with a used-up handle", st, GNTST_bad_handle);
    }

    rc = gnttab_end_access((grant_ref_t)ref);
    CHECK(rc == 0, "ending an unmapped grant gave %d (%s)", rc, xen_strerror(rc));
    expect_flags("ended", (grant_ref_t)ref, 0);
    rc = gnttab_end_access((grant_ref_t)ref);
    CHECK(rc == -XEN_EINVAL, "ending a grant twice gave %d (%s), expected -EINVAL", rc,
          xen_strerror(rc));

    /* The entry is invalid now: Xen refuses to pin it. */
    st = gnttab_map(dom, (grant_ref_t)ref, false, &va, &handle);
    expect_status("mapping an ended grant", st, GNTST_general_error);
    if (st == GNTST_okay)
        gnttab_unmap(va, handle);
    if (!self_map_moves_page())
        CHECK(page[5] == 0xabcdef && page[9] == 0x123456, "the page changed after the grant ended");
    free_after_self_map(page);
}

TEST_DEFINE(test_gnttab_readonly, "a read-only grant maps only read-only; writes through it fault")
{
    volatile uint64_t *page = alloc_page();
    domid_t dom = self();
    grant_handle_t handle;
    void *va = NULL;
    int ref, st, rc;

    if (!page || dom == DOMID_INVALID) {
        if (page)
            free_page((void *)page);
        else
            test_error("alloc_page failed");
        return;
    }
    fill(page, 77);
    ref = gnttab_grant_access(dom, virt_to_mfn((void *)page), true);
    if (ref < 0) {
        test_error("gnttab_grant_access: %d (%s)", ref, xen_strerror(ref));
        free_page((void *)page);
        return;
    }

    st = gnttab_map(dom, (grant_ref_t)ref, false, &va, &handle);
    expect_status("mapping a read-only grant writable", st, GNTST_general_error);
    if (st == GNTST_okay)
        gnttab_unmap(va, handle);
    expect_flags("after a refused map", (grant_ref_t)ref, GTF_permit_access | GTF_readonly);

    st = gnttab_map(dom, (grant_ref_t)ref, true, &va, &handle);
    expect_status("mapping a read-only grant read-only", st, GNTST_okay);
    if (st == GNTST_okay) {
        volatile uint64_t *alias = va;

        CHECK(holds(alias, 77), "the read-only mapping does not show the page");
        expect_page_fault("writing through a read-only grant mapping",
                          probe_write_u64(alias + 3, 0), X86_PFEC_PRESENT | X86_PFEC_WRITE);
        CHECK((self_map_moves_page() ? alias[3] : page[3]) == PATTERN(77 + 3),
              "a refused write changed the page");
        /* Read-only use sets GTF_reading alone; that still blocks ending. */
        expect_flags("mapped read-only", (grant_ref_t)ref,
                     GTF_permit_access | GTF_readonly | GTF_reading);
        rc = gnttab_end_access((grant_ref_t)ref);
        CHECK(rc == -XEN_EBUSY, "ending a read-mapped grant gave %d (%s), expected -EBUSY", rc,
              xen_strerror(rc));
        st = gnttab_unmap(va, handle);
        expect_status("unmapping", st, GNTST_okay);
    }
    rc = gnttab_end_access((grant_ref_t)ref);
    CHECK(rc == 0, "ending the read-only grant gave %d (%s)", rc, xen_strerror(rc));
    if (st == GNTST_okay)
        free_after_self_map(page);
    else
        free_page((void *)page);
}

/* One copy op between a grant of ours and one of our frames. */
static gnttab_copy_t copy_op(bool to_grant, domid_t dom, grant_ref_t ref, unsigned int ref_off,
                             unsigned long mfn, unsigned int frame_off, unsigned int len)
{
    gnttab_copy_t op = {.len = (uint16_t)len};
    struct gnttab_copy_ptr *g = to_grant ? &op.dest : &op.source;
    struct gnttab_copy_ptr *f = to_grant ? &op.source : &op.dest;

    g->u.ref = ref;
    g->domid = dom;
    g->offset = (uint16_t)ref_off;
    f->u.gmfn = mfn;
    f->domid = DOMID_SELF; /* Xen takes a raw frame only from its owner, as DOMID_SELF */
    f->offset = (uint16_t)frame_off;
    op.flags = to_grant ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    op.status = 1; /* not a status Xen writes: proves it wrote one */
    return op;
}

TEST_DEFINE(test_gnttab_copy,
            "grant copy both ways; bad refs, read-only and page-crossing ops fail")
{
    unsigned char *granted = alloc_page(), *local = alloc_page();
    domid_t dom = self();
    int ref = -1, ro_ref = -1, st, rc;

    if (!granted || !local || dom == DOMID_INVALID) {
        if (!granted || !local)
            test_error("alloc_page failed");
        goto out;
    }
    for (unsigned int i = 0; i < PAGE_SIZE; i++) {
        granted[i] = (unsigned char)(i * 7 + 1);
        local[i] = 0xee;
    }
    ref = gnttab_grant_access(dom, virt_to_mfn(granted), false);
    ro_ref = gnttab_grant_access(dom, virt_to_mfn(granted), true);
    if (ref < 0 || ro_ref < 0) {
        test_error("gnttab_grant_access: %d / %d", ref, ro_ref);
        goto out;
    }
    unsigned long local_mfn = virt_to_mfn(local);

    /* Grant -> local frame: 300 bytes from offset 100 to offset 200. */
    gnttab_copy_t op = copy_op(false, dom, (grant_ref_t)ref, 100, local_mfn, 200, 300);
    st = gnttab_copy(&op, 1);
    expect_status("copying from a grant", st, GNTST_okay);
    expect_status("the op's own status", op.status, GNTST_okay);
    unsigned int bad = 0;
    for (unsigned int i = 0; i < PAGE_SIZE; i++) {
        unsigned char want = i >= 200 && i < 500 ? granted[i - 100] : 0xee;
        bad += local[i] != want;
    }
    CHECK(bad == 0, "%u bytes of the local frame are wrong after the copy", bad);

    /* Local frame -> grant: the other way, through a writable grant. */
    for (unsigned int i = 0; i < 64; i++)
        local[3000 + i] = (unsigned char)(0xa0 + i);
    op = copy_op(true, dom, (grant_ref_t)ref, 4000, local_mfn, 3000, 64);
    st = gnttab_copy(&op, 1);
    expect_status("copying into a grant", st, GNTST_okay);
    bad = 0;
    for (unsigned int i = 0; i < PAGE_SIZE; i++) {
        unsigned char want =
            i >= 4000 && i < 4064 ? (unsigned char)(0xa0 + i - 4000) : (unsigned char)(i * 7 + 1);
        bad += granted[i] != want;
    }
    CHECK(bad == 0, "%u bytes of the granted page are wrong after the copy", bad);

    /* A read-only grant cannot be a destination. */
    op = copy_op(true, dom, (grant_ref_t)ro_ref, 0, local_mfn, 0, 8);
    st = gnttab_copy(&op, 1);
    expect_status("copying into a read-only grant", st, GNTST_general_error);
    CHECK(granted[0] == 1, "a refused copy wrote the page");

    /* A batch with a bad middle op: each op gets its own status. */
    gnttab_copy_t ops[3] = {
        copy_op(false, dom, (grant_ref_t)ref, 0, local_mfn, 0, 16),
        copy_op(false, dom, 0x7ffffff0, 0, local_mfn, 16, 16), /* beyond any table */
        copy_op(false, dom, (grant_ref_t)ref, 16, local_mfn, 32, 16),
    };
    st = gnttab_copy(ops, 3);
    expect_status("a batch with a bad reference", st, GNTST_bad_gntref);
    expect_status("op 0 of the batch", ops[0].status, GNTST_okay);
    expect_status("op 1 of the batch", ops[1].status, GNTST_bad_gntref);
    expect_status("op 2 of the batch", ops[2].status, GNTST_okay);
    CHECK(local[0] == granted[0] && local[47] == granted[31] && local[16] == 0xee,
          "the batch's good ops did not copy, or the bad one did");

    /* Crossing the end of the page. */
    op = copy_op(false, dom, (grant_ref_t)ref, 4000, local_mfn, 0, 200);
    st = gnttab_copy(&op, 1);
    expect_status("a copy crossing the page end", st, GNTST_bad_copy_arg);

    /* Copies pin the grant only while they run. */
    rc = gnttab_end_access((grant_ref_t)ref);
    CHECK(rc == 0, "ending the grant after copies gave %d (%s)", rc, xen_strerror(rc));
    if (rc == 0) {
        op = copy_op(false, dom, (grant_ref_t)ref, 0, local_mfn, 0, 8);
        st = gnttab_copy(&op, 1);
        expect_status("copying from an ended grant", st, GNTST_general_error);
        ref = -1;
    }
out:
    if (ref >= 0)
        gnttab_end_access((grant_ref_t)ref);
    if (ro_ref >= 0)
        gnttab_end_access((grant_ref_t)ro_ref);
    if (granted)
        free_page(granted);
    if (local)
        free_page(local);
}

/*
 * A table that could grow but cannot says why.  Every free reference
 * granted, then every free frame taken: the next grant must grow the table,
 * growing needs memory for our side of it, and the grant returns -ENOMEM
 * (-ENOSPC would mean the table is at Xen's limit, which it is not).  With
 * the memory back, the same grant grows the table and succeeds.
 */
TEST_DEFINE(test_gnttab_grow_failure, "a table that cannot grow for want of memory says -ENOMEM")
{
    struct gnttab_stats before, after;
    void *page = alloc_page(), *hoard = NULL;
    domid_t dom = self();
    unsigned long mfn, free_refs, n = 0, frames = 0;
    int *refs = NULL;
    int rc;

    gnttab_get_stats(&before);
    if (!page || dom == DOMID_INVALID)
        goto out;
    if (before.frames >= before.max_frames) {
        test_skip("the table is already at its limit of %u frames", before.max_frames);
        goto out;
    }
    free_refs = before.refs - GNTTAB_NR_RESERVED_ENTRIES - before.granted;
    refs = kcalloc(free_refs + 1, sizeof(*refs));
    if (!refs) {
        test_error("out of memory for %lu references", free_refs);
        goto out;
    }
    mfn = virt_to_mfn(page);
    while (n < free_refs && (rc = gnttab_grant_access(dom, mfn, true)) >= 0)
        refs[n++] = rc;
    CHECK(n == free_refs, "granted %lu of the %lu free references", n, free_refs);

    /* Every free frame, biggest blocks first, chained through their first words. */
    for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
        struct page_stats st;
        void **block;

        /* Asking only for what is there keeps the allocator's complaints quiet. */
        while (page_alloc_stats(&st), (int)st.largest_free_order >= order && st.free &&
                                          (block = alloc_pages((unsigned int)order))) {
            block[0] = hoard;
            block[1] = (void *)(uintptr_t)order;
            hoard = block;
            frames += 1UL << order;
        }
    }
    rc = gnttab_grant_access(dom, mfn, true);
    CHECK(rc == -XEN_ENOMEM,
          "granting with no free reference and no memory gave %d (%s), "
          "expected -ENOMEM",
          rc, xen_strerror(rc));
    if (rc >= 0)
        refs[n++] = rc;
    while (hoard) {
        void **block = hoard;

        hoard = block[0];
        free_pages(block, (unsigned int)(uintptr_t)block[1]);
    }
    test_note("held %lu frames (%lu MiB) while granting", frames, frames / 256);

    rc = gnttab_grant_access(dom, mfn, true);
    gnttab_get_stats(&after);
    CHECK(rc >= 0, "granting with memory back gave %d (%s)", rc, xen_strerror(rc));
    CHECK(after.frames > before.frames, "the table did not grow: %u frames", after.frames);
    if (rc >= 0)
        refs[n++] = rc;
    for (unsigned long i = 0; i < n; i++)
        CHECK(gnttab_end_access((grant_ref_t)refs[i]) == 0, "ending reference %d failed", refs[i]);
out:
    kfree(refs);
    if (page)
        free_page(page);
}

TEST_DEFINE(test_gnttab_exhaustion,
            "refs run out at the table limit with -ENOSPC and all come back")
{
    struct gnttab_stats before, full, after;
    void *page = alloc_page();
    domid_t dom = self();
    unsigned long mfn, capacity, n = 0, dupes = 0, reserved = 0;
    unsigned char *seen = NULL;
    int *refs = NULL;
    int rc = 0;

    gnttab_get_stats(&before);
    capacity = (unsigned long)before.max_frames * (PAGE_SIZE / sizeof(grant_entry_v1_t));
    refs = kcalloc(capacity, sizeof(*refs));
    seen = kcalloc(capacity, 1);
    if (!page || !refs || !seen || dom == DOMID_INVALID) {
        if (dom != DOMID_INVALID)
            test_error("out of memory for a page and %lu references", capacity);
        goto out;
    }
    test_note("table: %u of %u frames, %lu refs, %lu granted", before.frames, before.max_frames,
              before.refs, before.granted);
    mfn = virt_to_mfn(page);

    /* One more than could ever fit: the last one must be refused. */
    while (n <= capacity) {
        rc = gnttab_grant_access(dom, mfn, true);
        if (rc < 0)
            break;
        if ((unsigned long)rc >= capacity || rc < GNTTAB_NR_RESERVED_ENTRIES)
            reserved++;
        else if (seen[rc]++)
            dupes++;
        refs[n++] = rc;
    }
    gnttab_get_stats(&full);
    CHECK(rc == -XEN_ENOSPC, "running out of references gave %d (%s), expected -ENOSPC", rc,
          xen_strerror(rc));
    CHECK(full.frames == full.max_frames, "the table stopped at %u of %u frames", full.frames,
          full.max_frames);
    CHECK(n == capacity - GNTTAB_NR_RESERVED_ENTRIES - before.granted,
          "granted %lu references; %lu should fit", n,
          capacity - GNTTAB_NR_RESERVED_ENTRIES - before.granted);
    CHECK(reserved == 0, "%lu references were reserved or out of the table", reserved);
    CHECK(dupes == 0, "%lu references were handed out twice", dupes);
    test_note("granted %lu references, table grown to %u frames", n, full.frames);

    unsigned long end_failures = 0;
    for (unsigned long i = 0; i < n; i++)
        end_failures += gnttab_end_access((grant_ref_t)refs[i]) != 0;
    CHECK(end_failures == 0, "%lu references could not be ended", end_failures);
    gnttab_get_stats(&after);
    CHECK(after.granted == before.granted, "%lu references granted after freeing, %lu before",
          after.granted, before.granted);

    /* And the table works again. */
    rc = gnttab_grant_access(dom, mfn, false);
    CHECK(rc >= GNTTAB_NR_RESERVED_ENTRIES, "granting after exhaustion gave %d (%s)", rc,
          xen_strerror(rc));
    if (rc >= 0)
        CHECK(gnttab_end_access((grant_ref_t)rc) == 0, "ending it failed");
out:
    kfree(refs);
    kfree(seen);
    if (page)
        free_page(page);
}

/*
 * The toolstack's entries: a domU's builder grants dom0 (the console and
 * xenstore backends) our console and xenstore rings in entries 0 and 1
 * before we start, and we must leave them alone.  Xen builds dom0 with no
 * such entries.
 */
TEST_DEFINE(test_gnttab_reserved, "entries 0-7 are the toolstack's: a domU's console and xenstore")
{
    grant_entry_v1_t e[GNTTAB_NR_RESERVED_ENTRIES];

    for (grant_ref_t ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++) {
        int rc = gnttab_read_entry(ref, &e[ref]);

        if (rc) {
            test_error("reading entry %u: %d (%s)", ref, rc, xen_strerror(rc));
            return;
        }
        if (e[ref].flags)
            test_note("entry %u: flags %#x, d%u, frame %#x", ref, e[ref].flags, e[ref].domid,
                      e[ref].frame);
    }
    if (xen_is_initial_domain()) {
        for (grant_ref_t ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++)
            CHECK(e[ref].flags == 0, "dom0's entry %u is in use (flags %#x)", ref, e[ref].flags);
        return;
    }
    CHECK((e[GNTTAB_RESERVED_CONSOLE].flags & GTF_type_mask) == GTF_permit_access &&
              e[GNTTAB_RESERVED_CONSOLE].frame == start_info.console.domU.mfn,
          "entry 0 does not grant the console ring (mfn %#lx)",
          (unsigned long)start_info.console.domU.mfn);
    CHECK((e[GNTTAB_RESERVED_XENSTORE].flags & GTF_type_mask) == GTF_permit_access &&
              e[GNTTAB_RESERVED_XENSTORE].frame == start_info.store_mfn,
          "entry 1 does not grant the xenstore ring (mfn %#lx)",
          (unsigned long)start_info.store_mfn);
}
