/*
 * Boot memory map (see include/kernel/bootmem.h).  A handful of sorted,
 * non-overlapping ranges is all early boot needs: lookups scan them, which
 * is cheap at this size, and no memory is needed to describe memory.
 */
#include <kernel/bootmem.h>
#include <kernel/string.h>

const char bootmem_page_tables[] = "page tables";

void bootmem_init(struct bootmem *bm, unsigned long nr_pages)
{
    memset(bm, 0, sizeof(*bm));
    bm->nr_pages = nr_pages;
}

static void remove_at(struct bootmem *bm, unsigned int i)
{
    memmove(&bm->ranges[i], &bm->ranges[i + 1], (bm->count - i - 1) * sizeof(bm->ranges[0]));
    bm->count--;
}

/* Inserts [start, end), which overlaps no range, merging same-named neighbours. */
static bool insert_range(struct bootmem *bm, unsigned long start, unsigned long end,
                         const char *what)
{
    unsigned int i = 0;

    while (i < bm->count && bm->ranges[i].start < start)
        i++;
    bool merge_left = i > 0 && bm->ranges[i - 1].end == start && bm->ranges[i - 1].what == what;
    bool merge_right = i < bm->count && bm->ranges[i].start == end && bm->ranges[i].what == what;

    if (merge_left && merge_right) {
        bm->ranges[i - 1].end = bm->ranges[i].end;
        remove_at(bm, i);
    } else if (merge_left) {
        bm->ranges[i - 1].end = end;
    } else if (merge_right) {
        bm->ranges[i].start = start;
    } else {
        if (bm->count == BOOTMEM_MAX_RANGES)
            return false;
        memmove(&bm->ranges[i + 1], &bm->ranges[i], (bm->count - i) * sizeof(bm->ranges[0]));
        bm->ranges[i] = (struct bootmem_range){start, end, what};
        bm->count++;
    }
    return true;
}

bool bootmem_reserve(struct bootmem *bm, unsigned long start, unsigned long end, const char *what)
{
    if (end > bm->nr_pages)
        end = bm->nr_pages;
    /* Frames already reserved keep their name: only the gaps are added. */
    while (start < end) {
        unsigned long gap_end = end;

        for (unsigned int i = 0; i < bm->count; i++) {
            const struct bootmem_range *r = &bm->ranges[i];

            if (r->start <= start && start < r->end)
                start = r->end; /* ranges are sorted: later ones are beyond */
            else if (r->start > start && r->start < gap_end)
                gap_end = r->start;
        }
        if (start >= end)
            break;
        if (gap_end > end)
            gap_end = end;
        if (!insert_range(bm, start, gap_end, what))
            return false;
        start = gap_end;
    }
    return true;
}

bool bootmem_is_reserved(const struct bootmem *bm, unsigned long pfn)
{
    if (pfn >= bm->nr_pages)
        return true;
    for (unsigned int i = 0; i < bm->count; i++) {
        if (pfn < bm->ranges[i].start)
            return false;
        if (pfn < bm->ranges[i].end)
            return true;
    }
    return false;
}

/* The first free frame >= pfn, or nr_pages. */
static unsigned long next_free_from(const struct bootmem *bm, unsigned long pfn)
{
    for (unsigned int i = 0; i < bm->count; i++) {
        if (pfn < bm->ranges[i].start)
            break;
        if (pfn < bm->ranges[i].end)
            pfn = bm->ranges[i].end;
    }
    return pfn < bm->nr_pages ? pfn : bm->nr_pages;
}

unsigned long bootmem_alloc(struct bootmem *bm, unsigned long limit, const char *what)
{
    unsigned long pfn = next_free_from(bm, bm->next_free);

    if (limit > bm->nr_pages)
        limit = bm->nr_pages;
    if (pfn >= limit || !bootmem_reserve(bm, pfn, pfn + 1, what))
        return ~0UL;
    bm->next_free = pfn + 1;
    return pfn;
}

unsigned long bootmem_alloc_run(struct bootmem *bm, unsigned long count, unsigned long limit,
                                const char *what)
{
    unsigned long pfn = next_free_from(bm, 0);

    if (limit > bm->nr_pages)
        limit = bm->nr_pages;
    while (count && pfn + count <= limit) {
        unsigned long end = pfn;

        /* How far does this free run go? */
        while (end < pfn + count && !bootmem_is_reserved(bm, end))
            end++;
        if (end == pfn + count)
            return bootmem_reserve(bm, pfn, end, what) ? pfn : ~0UL;
        pfn = next_free_from(bm, end);
    }
    return ~0UL;
}

void bootmem_for_each_free(const struct bootmem *bm,
                           void (*fn)(unsigned long start, unsigned long end, void *arg), void *arg)
{
    unsigned long pfn = 0;

    for (unsigned int i = 0; i <= bm->count; i++) {
        unsigned long end = i < bm->count ? bm->ranges[i].start : bm->nr_pages;

        if (pfn < end)
            fn(pfn, end, arg);
        if (i < bm->count)
            pfn = bm->ranges[i].end;
    }
}

static void count_run(unsigned long start, unsigned long end, void *arg)
{
    *(unsigned long *)arg += end - start;
}

unsigned long bootmem_free_count(const struct bootmem *bm)
{
    unsigned long n = 0;

    bootmem_for_each_free(bm, count_run, &n);
    return n;
}
