/*
 * Page-table work for a PV guest: extending Xen's bootstrap tables over all
 * RAM, changing protections, and mappings outside the 1:1 map.
 *
 * The rule Xen enforces: a frame that is (or is about to become) a page
 * table may not be mapped writable anywhere.  So a new table is born in
 * steps: fill it while its 1:1 mapping is still writable, make that
 * mapping read-only, then hook it into its parent, where Xen validates it.
 * Updates are queued in one mmu_update batch and issued when it is full or
 * when the caller is done.
 */
#include <arch/cpuid.h>
#include <arch/pagetable.h>
#include <arch/pvh.h>
#include <arch/vcpu.h>
#include <kernel/arch.h>
#include <kernel/bootmem.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/irqflags.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/multicall.h>
#include <minios/spinlock.h>

#define BATCH_MAX 512

struct mmu_batch {
    unsigned int n;
    domid_t dom;
    mmu_update_t req[BATCH_MAX];
};

static struct mmu_batch batch; /* under pt_lock (or boot) */
static spinlock_t pt_lock = SPINLOCK_INIT;
static unsigned long pt_hypercalls;

bool arch_has_nx(void)
{
    return cpu_has_nx();
}

unsigned long arch_pagetable_hypercalls(void)
{
    return pt_hypercalls + x86_flush_hypercalls();
}

pte_t x86_leaf_flags(unsigned int prot)
{
    pte_t flags = PTE_LEAF;

    if (prot & PROT_WRITE)
        flags |= _PAGE_RW;
    if (!(prot & PROT_EXEC) && arch_has_nx())
        flags |= _PAGE_NX;
    return flags;
}

static void batch_flush(void)
{
    unsigned int done = 0;
    int rc;

    if (!batch.n)
        return;
    rc = HYPERVISOR_mmu_update(batch.req, batch.n, &done, batch.dom);
    pt_hypercalls++;
    if (rc) {
        const mmu_update_t *bad = &batch.req[done < batch.n ? done : 0];

        panic("mmu_update failed at request %u of %u (entry at maddr %#lx, value %#lx, "
              "dom %u): %d (%s)",
              done, batch.n, (unsigned long)bad->ptr, (unsigned long)bad->val, batch.dom, rc,
              xen_strerror(rc));
    }
    batch.n = 0;
}

/* Queues "*entry = val"; @entry is a pointer into a (read-only) table. */
static void batch_set(const pte_t *entry, pte_t val, domid_t dom)
{
    if (x86_is_pvh()) {
        pvh_set_entry(entry, val); /* at once: no hypercall to save */
        return;
    }
    if (batch.n == BATCH_MAX || (batch.n && batch.dom != dom))
        batch_flush();
    batch.dom = dom;
    batch.req[batch.n].ptr = virt_to_machine(entry) | MMU_NORMAL_PT_UPDATE;
    batch.req[batch.n].val = val;
    batch.n++;
}

/* The table an entry points to, through the 1:1 map. */
static pte_t *table_of(pte_t entry)
{
    unsigned long pfn = mfn_to_pfn(pte_mfn(entry));

    if (pfn == INVALID_PFN)
        panic("page-table entry %#lx points at a frame that is not ours", (unsigned long)entry);
    return pfn_to_virt(pfn);
}

/* The entry for @va at @level, or NULL if a table above it is missing. */
static pte_t *entry_at(unsigned long va, int level)
{
    pte_t *table = (pte_t *)start_info.pt_base;

    for (int l = PT_LEVELS; l > level; l--) {
        pte_t e = table[PT_INDEX(va, l)];

        if (!(e & _PAGE_PRESENT))
            return NULL;
        table = table_of(e);
    }
    return &table[PT_INDEX(va, level)];
}

uint64_t arch_lookup_pte(unsigned long va)
{
    unsigned long flags = local_irq_save();
    pte_t *e = entry_at(va, 1);
    uint64_t pte = e ? *e : 0;

    local_irq_restore(flags);
    return pte;
}

unsigned long arch_lookup_mfn(unsigned long va)
{
    pte_t pte = arch_lookup_pte(va);

    /* Not present but with a frame: arch_protect_frames(PROT_NONE). */
    return (pte & (_PAGE_PRESENT | PTE_ADDR_MASK)) ? pte_mfn(pte) : INVALID_MFN;
}

/* "P RW U A D NX": the flags of @e that are set, by name. */
static void print_flags(pte_t e)
{
    static const struct {
        pte_t bit;
        const char *name;
    } flags[] = {{_PAGE_PRESENT, "P"}, {_PAGE_RW, "RW"},   {_PAGE_USER, "U"},
                 {_PAGE_PWT, "PWT"},   {_PAGE_PCD, "PCD"}, {_PAGE_ACCESSED, "A"},
                 {_PAGE_DIRTY, "D"},   {_PAGE_PSE, "PS"},  {_PAGE_GLOBAL, "G"},
                 {_PAGE_NX, "NX"}};

    for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
        if (e & flags[i].bit)
            printk(" %s", flags[i].name);
    }
}

/*
 * The same walk as entry_at(), told level by level.  Under PV an entry
 * holds a machine frame, and the m2p says which of our pfns it is (a frame
 * that is not ours has none: the walk stops there); under PVH the frame is
 * already a guest frame.
 */
void arch_print_walk(unsigned long va)
{
    static const char *const names[PT_LEVELS + 1] = {NULL, "L1", "L2", "L3", "L4"};
    const pte_t *table = (const pte_t *)start_info.pt_base;
    bool pvh = x86_is_pvh();

    printk("walk %#lx: root (%%cr3) %s %#lx\n", va, pvh ? "gfn" : "mfn",
           virt_to_mfn((const void *)start_info.pt_base));
    for (int l = PT_LEVELS; l >= 1; l--) {
        unsigned int idx = PT_INDEX(va, l);
        pte_t e = table[idx];
        unsigned long mfn = pte_mfn(e), pfn = mfn_to_pfn(mfn);

        printk("  %s[%3u] = %#018lx", names[l], idx, (unsigned long)e);
        if (!(e & _PAGE_PRESENT)) {
            printk(" not present: the walk ends here\n");
            return;
        }
        if (pvh)
            printk(" gfn %#lx", mfn);
        else
            printk(" mfn %#lx -> pfn %#lx", mfn, pfn);
        print_flags(e);
        printk("\n");
        if (l == 1 || (e & _PAGE_PSE)) {
            unsigned long off = va & (LEVEL_SIZE(l) - 1);

            printk("  => %s address %#lx\n", pvh ? "guest-physical" : "machine",
                   (mfn << PAGE_SHIFT) + off);
            return;
        }
        if (pfn == INVALID_PFN) {
            printk("  the frame is not ours: the walk ends here\n");
            return;
        }
        table = pfn_to_virt(pfn);
    }
}

unsigned long arch_bootstrap_mapped_pages(void)
{
    unsigned long pfn = 0;

    /* Xen maps a contiguous prefix, in whole L1 tables. */
    while (pfn < start_info.nr_pages && entry_at(pfn << PAGE_SHIFT, 1))
        pfn += PT_ENTRIES;
    return pfn < start_info.nr_pages ? pfn : start_info.nr_pages;
}

/*
 * Turns the (writable, 1:1-mapped) frame @pfn into a table: its own mapping
 * is made read-only, then the parent entry @slot is pointed at it.
 */
static void new_table(unsigned long pfn, pte_t *slot)
{
    pte_t *own = entry_at(pfn << PAGE_SHIFT, 1);

    if (!own || !(*own & _PAGE_PRESENT))
        panic("frame %#lx for a page table is not mapped", pfn);
    batch_set(own, *own & ~(pte_t)_PAGE_RW, DOMID_SELF);
    batch_set(slot, ((pte_t)pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_TABLE, DOMID_SELF);
}

/*
 * Mapping RAM on demand (see mm/rammap.c for when).  The frames for the
 * tables of the 1:1 map beyond Xen's bootstrap come from one run reserved
 * at boot, which is itself mapped read-only: a table frame never needs a
 * writable mapping, because Xen clears it (MMUEXT_CLEAR_PAGE) and every
 * entry is then written through mmu_update by machine address.  A region is
 * one multicall: [clear the new tables, hook them + write 512 entries].
 */
static unsigned long run_next, run_end; /* the reserved table frames */

void arch_set_table_frames(unsigned long first, unsigned long count)
{
    run_next = first;
    run_end = first + count;
}

static struct {
    struct mmuext_op clear[PT_LEVELS];
    unsigned int n_clear;
    mmu_update_t req[PT_LEVELS + PT_ENTRIES];
    unsigned int n_req;
} region; /* under the caller's lock */

static void region_req(uint64_t entry_maddr, pte_t val)
{
    region.req[region.n_req].ptr = entry_maddr | MMU_NORMAL_PT_UPDATE;
    region.req[region.n_req].val = val;
    region.n_req++;
}

/* A fresh, cleared table hooked at @slot_maddr; returns its machine frame. */
unsigned long x86_take_table_frame(void)
{
    if (run_next >= run_end)
        panic("mm: the reserved page-table frames ran out");
    return run_next++;
}

static unsigned long region_new_table(uint64_t slot_maddr)
{
    unsigned long mfn = pfn_to_mfn(x86_take_table_frame());

    region.clear[region.n_clear].cmd = MMUEXT_CLEAR_PAGE;
    region.clear[region.n_clear].arg1.mfn = mfn;
    region.n_clear++;
    region_req(slot_maddr, ((pte_t)mfn << PAGE_SHIFT) | PTE_TABLE);
    return mfn;
}

void arch_map_ram_region(unsigned long first, unsigned long end, unsigned long ro_start,
                         unsigned long ro_end)
{
    unsigned long va = first << PAGE_SHIFT;
    pte_t *table = (pte_t *)start_info.pt_base;
    unsigned long table_mfn = 0; /* set once the walk is below a new table */
    struct multicall_error err;
    unsigned int done = 0;
    long rc;

    if (first % PT_ENTRIES || end <= first)
        panic("arch_map_ram_region(%#lx, %#lx): bad region", first, end);
    if (end > first + PT_ENTRIES)
        end = first + PT_ENTRIES;
    if (x86_is_pvh()) {
        /* No table is read-only to us in PVH: its frames get the 1:1 map's rw. */
        (void)ro_start;
        (void)ro_end;
        pvh_map_ram_region(first, end);
        return;
    }
    region.n_clear = region.n_req = 0;

    /* Walk down, creating what is missing; a new table's entries are all absent. */
    for (int level = PT_LEVELS; level > 1; level--) {
        unsigned int idx = PT_INDEX(va, level);

        if (table_mfn) {
            table_mfn = region_new_table(((uint64_t)table_mfn << PAGE_SHIFT) + idx * 8);
        } else if (!(table[idx] & _PAGE_PRESENT)) {
            table_mfn = region_new_table(virt_to_machine(&table[idx]));
        } else if (level == 2) {
            panic("arch_map_ram_region: pfn %#lx is already mapped", first);
        } else {
            table = table_of(table[idx]);
        }
    }
    for (unsigned long pfn = first; pfn < end; pfn++) {
        pte_t flags = pfn >= ro_start && pfn < ro_end ? x86_leaf_flags(PROT_READ)
                                                      : x86_leaf_flags(PROT_READ | PROT_WRITE);

        region_req(((uint64_t)table_mfn << PAGE_SHIFT) + (pfn - first) * 8,
                   ((pte_t)pfn_to_mfn(pfn) << PAGE_SHIFT) | flags);
    }

    multicall_begin();
    multicall_add(__HYPERVISOR_mmuext_op, (unsigned long)region.clear, region.n_clear, 0,
                  DOMID_SELF);
    multicall_add(__HYPERVISOR_mmu_update, (unsigned long)region.req, region.n_req,
                  (unsigned long)&done, DOMID_SELF);
    rc = multicall_flush(&err);
    pt_hypercalls++;
    if (rc && err.op == __HYPERVISOR_mmu_update && done < region.n_req)
        panic("mapping RAM at pfn %#lx: mmu_update request %u of %u (entry at maddr %#lx, "
              "value %#lx) failed: %ld (%s)",
              first, done, region.n_req, (unsigned long)region.req[done].ptr,
              (unsigned long)region.req[done].val, rc, xen_strerror(rc));
    if (rc)
        panic("mapping RAM at pfn %#lx: multicall entry %u (%s) failed: %ld (%s)", first, err.index,
              hypercall_name(err.op), rc, xen_strerror(rc));
}

void arch_protect(unsigned long start, unsigned long end, unsigned int prot)
{
    pte_t flags = x86_leaf_flags(prot);

    for (unsigned long pfn = start; pfn < end; pfn++) {
        pte_t *e = entry_at(pfn << PAGE_SHIFT, 1);
        pte_t want;

        if (!e)
            panic("arch_protect: pfn %#lx is not mapped", pfn);
        /* Keep the frame: some pages (shared_info) map frames that are not their pfn's. */
        want = prot == PROT_NONE ? 0 : (*e & PTE_ADDR_MASK) | flags;
        if (want != *e)
            batch_set(e, want, DOMID_SELF);
    }
}

void arch_protect_commit(void)
{
    struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    int rc;

    batch_flush();
    if (x86_is_pvh()) {
        pvh_flush_tlbs(0, ~0U); /* at boot: this vCPU is the only one running */
        return;
    }
    rc = HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF);
    pt_hypercalls++;
    if (rc)
        panic("MMUEXT_TLB_FLUSH_LOCAL failed: %d (%s)", rc, xen_strerror(rc));
}

/* A table frame from the page allocator, for mappings after boot. */
static int ensure_tables_runtime(unsigned long va)
{
    for (int level = PT_LEVELS; level > 1; level--) {
        pte_t *slot = entry_at(va, level);

        if (*slot & _PAGE_PRESENT)
            continue;
        void *page = alloc_page();

        if (!page)
            return -XEN_ENOMEM;
        memset(page, 0, PAGE_SIZE);
        new_table(virt_to_pfn(page), slot);
        batch_flush();
    }
    return 0;
}

int arch_prepare_tables(unsigned long va, unsigned int n)
{
    unsigned long irq = local_irq_save();
    int rc = 0;

    spin_lock(&pt_lock);
    for (unsigned int i = 0; i < n && rc == 0; i++)
        rc = ensure_tables_runtime(va + i * PAGE_SIZE);
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
    return rc;
}

int arch_map_frames(unsigned long va, const unsigned long *mfns, unsigned int n, unsigned int prot,
                    domid_t dom)
{
    pte_t flags = x86_leaf_flags(prot);
    unsigned long irq = local_irq_save();
    int rc = 0;

    spin_lock(&pt_lock);
    for (unsigned int i = 0; i < n && rc == 0; i++)
        rc = ensure_tables_runtime(va + i * PAGE_SIZE);
    /* PVH: frames are guest-physical, ours only (no foreign mapping this way). */
    if (x86_is_pvh() && rc == 0 && dom != DOMID_SELF)
        rc = -XEN_EOPNOTSUPP;
    for (unsigned int i = 0; x86_is_pvh() && i < n && rc == 0; i++) {
        if (mfns[i] >= start_info.nr_pages)
            rc = -XEN_EINVAL; /* Xen would not check: no frame of ours */
    }
    for (unsigned int i = 0; x86_is_pvh() && i < n && rc == 0; i++)
        pvh_set_entry(entry_at(va + i * PAGE_SIZE, 1), ((pte_t)mfns[i] << PAGE_SHIFT) | flags);
    if (x86_is_pvh())
        n = 0; /* done */
    /*
     * The leaf entries are issued here rather than through batch_flush(),
     * because a bad frame (say, another domain's that we may not map) is
     * the caller's error to handle, not a kernel bug.  On failure the
     * caller unmaps the whole range, which undoes what did succeed.
     */
    for (unsigned int i = 0; i < n && rc == 0;) {
        unsigned int k = 0, done = 0;

        while (k < BATCH_MAX && i + k < n) {
            batch.req[k].ptr =
                virt_to_machine(entry_at(va + (i + k) * PAGE_SIZE, 1)) | MMU_NORMAL_PT_UPDATE;
            batch.req[k].val = ((pte_t)mfns[i + k] << PAGE_SHIFT) | flags;
            k++;
        }
        rc = HYPERVISOR_mmu_update(batch.req, k, &done, dom);
        pt_hypercalls++;
        i += k;
    }
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
    return rc;
}

/*
 * PVH: sets the L1 entry of @va (outside the 1:1 map, its tables made) to
 * @pte, which may name a frame that is not RAM (a mapped grant's), and
 * flushes every vCPU's TLB of the entry it replaces.
 */
void x86_pvh_set_leaf(unsigned long va, pte_t pte)
{
    unsigned long irq = local_irq_save();
    pte_t *e;

    spin_lock(&pt_lock);
    e = entry_at(va, 1);
    if (!e)
        panic("x86_pvh_set_leaf: %#lx has no L1 table", va);
    pte_t old = *e;

    pvh_set_entry(e, pte);
    if (old & _PAGE_PRESENT)
        x86_flush_tlbs(va, 1);
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
}

int arch_protect_frames(unsigned long va, unsigned int n, unsigned int prot)
{
    pte_t flags = prot == PROT_NONE ? 0 : x86_leaf_flags(prot);
    unsigned long irq = local_irq_save();
    int rc = 0;

    spin_lock(&pt_lock);
    for (unsigned int i = 0; i < n; i++) {
        pte_t *e = entry_at(va + i * PAGE_SIZE, 1);

        if (!e || !(*e & PTE_ADDR_MASK)) {
            rc = -XEN_EINVAL;
            break;
        }
    }
    for (unsigned int i = 0; i < n && rc == 0; i++) {
        pte_t *e = entry_at(va + i * PAGE_SIZE, 1);
        /* Xen checks only present entries: the frame rides along in an absent one. */
        pte_t want = (*e & PTE_ADDR_MASK) | flags;

        if (want != *e)
            batch_set(e, want, DOMID_SELF);
    }
    if (rc == 0) {
        batch_flush();
        x86_flush_tlbs(va, n);
    }
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
    return rc;
}

int page_set_writable(void *page, bool writable)
{
    unsigned long va = (unsigned long)page, irq;
    mmu_update_t req;
    int rc;

    if (va & ~PAGE_MASK)
        return -XEN_EINVAL;
    irq = local_irq_save();
    spin_lock(&pt_lock);
    pte_t *e = entry_at(va, 1);

    if (!e || !(*e & _PAGE_PRESENT)) {
        rc = -XEN_EINVAL;
    } else if (x86_is_pvh()) {
        pvh_set_entry(e, writable ? (*e | _PAGE_RW) : (*e & ~(pte_t)_PAGE_RW));
        x86_flush_tlbs(va, 1);
        rc = 0;
    } else {
        req.ptr = virt_to_machine(e) | MMU_NORMAL_PT_UPDATE;
        req.val = writable ? (*e | _PAGE_RW) : (*e & ~(pte_t)_PAGE_RW);
        rc = HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
        pt_hypercalls++;
        if (rc == 0)
            x86_flush_tlbs(va, 1);
    }
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
    return rc;
}

void tlb_flush_all_cpus(void)
{
    unsigned long irq = local_irq_save();

    spin_lock(&pt_lock);
    x86_flush_tlbs(0, ~0U);
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
}

void arch_unmap_frames(unsigned long va, unsigned int n)
{
    unsigned long irq = local_irq_save();

    spin_lock(&pt_lock);
    for (unsigned int i = 0; i < n; i++) {
        pte_t *e = entry_at(va + i * PAGE_SIZE, 1);

        if (e && *e)
            batch_set(e, 0, DOMID_SELF);
    }
    batch_flush();
    /* Every vCPU may hold a stale translation. */
    x86_flush_tlbs(va, n);
    spin_unlock(&pt_lock);
    local_irq_restore(irq);
}
