/*
 * Memory at boot, in order (docs/memory.md tells the story):
 *
 *  1. Describe what Xen left in use: page 0, our image, the p2m list, the
 *     bootstrap page tables, and as a domU the xenstore and console rings.
 *  2. Reserve the allocators' maps (ten bytes per frame and a bit per 2 MiB
 *     region) and the frames that will hold the page tables of the rest of
 *     the 1:1 map.
 *  3. Set protections on the bootstrap mapping: page 0 and the boot stack's
 *     guard unmapped, text read-only + executable, rodata read-only, page
 *     tables (the reserved ones too) read-only, everything else read-write
 *     + no-execute.  RAM beyond Xen's bootstrap mapping is mapped on demand
 *     (mm/rammap.c); only regions the reservations of step 2 fall in are
 *     mapped now, after this step (a table frame must be read-only first).
 *  4. Hand every frame not in use to the page allocator: this reclaims the
 *     start_info page, Xen's boot stack and the slack Xen left after them.
 */
#include <kernel/arch.h>
#include <kernel/boot_profile.h>
#include <kernel/bootmem.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/page_alloc.h>
#include <kernel/rammap.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/debug.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/mm.h>

#define PFN_DOWN(a) ((unsigned long)(a) >> PAGE_SHIFT)
#define PFN_UP(a)   (((unsigned long)(a) + PAGE_SIZE - 1) >> PAGE_SHIFT)

struct mm_boot_info mm_boot_info;

static struct bootmem bm;

static void reserve(unsigned long start, unsigned long end, const char *what)
{
    if (!bootmem_reserve(&bm, start, end, what))
        panic("mm: too many reserved ranges at boot (adding %s)", what);
}

static void reserve_mfn(unsigned long mfn, const char *what)
{
    unsigned long pfn = mfn_to_pfn(mfn);

    if (pfn != INVALID_PFN)
        reserve(pfn, pfn + 1, what);
}

static void describe_bootstrap(void)
{
    unsigned long nr = start_info.nr_pages;

    bootmem_init(&bm, nr);
    reserve(0, 1, "page 0");
    /* First: PVH's boot tables are inside the image, and a range keeps its first name. */
    if (start_info.nr_pt_frames)
        reserve(PFN_DOWN(start_info.pt_base),
                PFN_DOWN(start_info.pt_base) + start_info.nr_pt_frames, bootmem_page_tables);
    reserve(PFN_DOWN(_text), PFN_UP(_end), "minios image");
    if (start_info.mfn_list) /* PVH has no p2m */
        reserve(PFN_DOWN(start_info.mfn_list),
                PFN_UP(start_info.mfn_list + nr * sizeof(unsigned long)), "p2m list");
    arch_boot_reserved(reserve);
    if (!xen_is_initial_domain()) {
        if (start_info.store_mfn)
            reserve_mfn(start_info.store_mfn, "xenstore ring");
        if (start_info.console.domU.mfn)
            reserve_mfn(start_info.console.domU.mfn, "console ring");
    }
    if (start_info.mod_start && start_info.mod_len) {
        unsigned long first = (start_info.flags & SIF_MOD_START_PFN)
                                  ? start_info.mod_start
                                  : PFN_DOWN(start_info.mod_start);

        reserve(first, first + PFN_UP(start_info.mod_len), "boot module");
    }
}

const void *debug_boot_stack_guard(void)
{
    return boot_stack_guard;
}

/* The protection a frame of the initial mapping gets. */
static unsigned int boot_prot(unsigned long pfn)
{
    unsigned long va = pfn << PAGE_SHIFT;

    if (pfn == 0 || va == (unsigned long)boot_stack_guard)
        return PROT_NONE;
    if (va >= (unsigned long)_text && va < (unsigned long)_etext)
        return PROT_READ | PROT_EXEC;
    if (va >= (unsigned long)_etext && va < (unsigned long)_erodata)
        return PROT_READ;
    return PROT_READ | PROT_WRITE;
}

/* Applies boot_prot() over [start, end), in runs of equal protection. */
static void protect_range(unsigned long start, unsigned long end)
{
    while (start < end) {
        unsigned int prot = boot_prot(start);
        unsigned long run = start + 1;

        while (run < end && boot_prot(run) == prot)
            run++;
        arch_protect(start, run, prot);
        start = run;
    }
}

static void protect(unsigned long mapped)
{
    /* Page tables stay read-only, in the bootstrap region and beyond it. */
    unsigned long pfn = 0;

    for (unsigned int i = 0; i < bm.count; i++) {
        const struct bootmem_range *r = &bm.ranges[i];

        if (r->what != bootmem_page_tables || r->start >= mapped)
            continue;
        if (pfn < r->start && pfn < mapped)
            protect_range(pfn, r->start < mapped ? r->start : mapped);
        arch_protect(r->start, r->end < mapped ? r->end : mapped, PROT_READ);
        pfn = r->end;
    }
    if (pfn < mapped)
        protect_range(pfn, mapped);
    arch_protect_commit();
}

static void add_free_run(unsigned long start, unsigned long end, void *arg)
{
    (void)arg;
    page_alloc_add(start, end);
}

#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))

/* Regions mapped at boot beyond Xen's mapping: at most a few intervals. */
static struct {
    unsigned long first, last;
} eager[4];
static unsigned int nr_eager;

static void map_eagerly(unsigned long pfn, unsigned long count, unsigned long mapped,
                        unsigned long ro_start, unsigned long ro_end)
{
    unsigned long first = pfn / RAM_REGION_FRAMES, last = (pfn + count - 1) / RAM_REGION_FRAMES;

    if (count == 0)
        return;
    if (first < DIV_ROUND_UP(mapped, RAM_REGION_FRAMES))
        first = DIV_ROUND_UP(mapped, RAM_REGION_FRAMES);
    for (unsigned long r = first; r <= last; r++) {
        bool done = false;

        for (unsigned int i = 0; i < nr_eager; i++)
            done |= r >= eager[i].first && r <= eager[i].last;
        if (done)
            continue;
        arch_map_ram_region(r * RAM_REGION_FRAMES, start_info.nr_pages, ro_start, ro_end);
        if (nr_eager && eager[nr_eager - 1].last + 1 == r)
            eager[nr_eager - 1].last = r;
        else if (nr_eager < ARRAY_SIZE(eager))
            eager[nr_eager++] = (typeof(eager[0])){r, r};
        else
            panic("mm: too many separate regions mapped at boot");
        mm_boot_info.eager_regions++;
    }
}

void mm_init(void)
{
    unsigned long nr = start_info.nr_pages;
    unsigned long mapped, regions, maps_bytes, maps, tables = 0, first_table = 0;

    describe_bootstrap();
    mm_boot_info.reserved_at_start = nr - bootmem_free_count(&bm);
    mapped = arch_bootstrap_mapped_pages();
    mm_boot_info.bootstrap_mapped = mapped;

    /* The allocators' maps: page allocator, heap kind per frame, mapped bit per region. */
    regions = DIV_ROUND_UP(nr, RAM_REGION_FRAMES);
    maps_bytes = PAGE_ALLOC_MAP_BYTES(nr) + nr + 8 + ALIGN_UP(regions, 64) / 8;
    maps = bootmem_alloc_run(&bm, PFN_UP(maps_bytes), nr, "allocator maps");
    if (maps == ~0UL)
        panic("mm: no room for the allocator maps (%lu bytes)", maps_bytes);

    /*
     * Table frames for the rest of the 1:1 map: an L1 per region, plus an
     * L2 per GiB and an L3 per 512 GiB in case Xen's tables lack them.
     */
    if (mapped < nr) {
        tables = DIV_ROUND_UP(nr - mapped, RAM_REGION_FRAMES) + DIV_ROUND_UP(nr, 1UL << 18) +
                 DIV_ROUND_UP(nr, 1UL << 27);
        first_table = bootmem_alloc_run(&bm, tables, nr, bootmem_page_tables);
        if (first_table == ~0UL)
            panic("mm: no room for %lu page-table frames", tables);
        arch_set_table_frames(first_table, tables);
    }
    mm_boot_info.table_frames = tables;

    /*
     * Protect first: the reserved table frames may start inside Xen's
     * mapping (in the slack after the boot stack) and run past its end.
     * Xen refuses to make a frame a page table while any writable mapping
     * of it exists, so those inside must be read-only before the first of
     * them becomes a table below (the eager mapping of the regions past the
     * end, which the run itself, or the allocator maps, fall in).
     */
    protect(mapped);
    boot_phase("protect");

    map_eagerly(maps, PFN_UP(maps_bytes), mapped, first_table, first_table + tables);
    map_eagerly(first_table, tables, mapped, first_table, first_table + tables);
    boot_phase("map");

    uint8_t *alloc_map = pfn_to_virt(maps);
    uint8_t *heap_map = alloc_map + PAGE_ALLOC_MAP_BYTES(nr);
    unsigned long *region_map = (unsigned long *)ALIGN_UP((uintptr_t)(heap_map + nr), 8);

    rammap_init(region_map, nr, mapped, first_table, first_table + tables);
    for (unsigned int i = 0; i < nr_eager; i++)
        rammap_mark_mapped(eager[i].first, eager[i].last);
    page_alloc_init(alloc_map, nr);
    heap_init(heap_map, 0, nr);
    bootmem_for_each_free(&bm, add_free_run, NULL);

    struct page_stats stats;

    page_alloc_stats(&stats);
    mm_boot_info.free_after_boot = stats.free;
}

void debug_print_memory_map(void)
{
    printk("Boot memory map (frames; everything else went to the page allocator):\n");
    for (unsigned int i = 0; i < bm.count; i++)
        printk("  %8lx - %8lx  %s\n", bm.ranges[i].start, bm.ranges[i].end, bm.ranges[i].what);
}
