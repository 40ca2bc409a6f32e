/*
 * Mapping RAM on demand (see include/kernel/rammap.h).  The fast path, a
 * bit test, runs on every frame the page allocator links or hands out; the
 * slow path maps one 2 MiB region in one multicall (arch_map_ram_region).
 *
 * Lock order: the page allocator's lock, then this one.  Nothing here
 * allocates memory, so nothing here takes the allocator's lock.
 */
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <kernel/rammap.h>
#include <kernel/string.h>
#include <minios/irqflags.h>
#include <minios/spinlock.h>

static unsigned long *mapped;
static unsigned long nr_regions, nr_mapped;
static unsigned long table_start, table_end;
static unsigned long total_frames;
static spinlock_t lock = SPINLOCK_INIT;

static bool is_mapped(unsigned long r)
{
    return __atomic_load_n(&mapped[r / 64], __ATOMIC_ACQUIRE) & (1UL << (r % 64));
}

void rammap_init(unsigned long *bitmap, unsigned long nr_frames, unsigned long mapped_frames,
                 unsigned long ro_start, unsigned long ro_end)
{
    mapped = bitmap;
    total_frames = nr_frames;
    nr_regions = (nr_frames + RAM_REGION_FRAMES - 1) / RAM_REGION_FRAMES;
    table_start = ro_start;
    table_end = ro_end;
    memset(mapped, 0, ALIGN_UP(nr_regions, 64) / 8);
    for (unsigned long r = 0; r * RAM_REGION_FRAMES < mapped_frames; r++) {
        mapped[r / 64] |= 1UL << (r % 64);
        nr_mapped++;
    }
}

void rammap_mark_mapped(unsigned long first, unsigned long last)
{
    for (unsigned long r = first; r <= last && r < nr_regions; r++) {
        if (!is_mapped(r)) {
            mapped[r / 64] |= 1UL << (r % 64);
            nr_mapped++;
        }
    }
}

static void map_region(unsigned long r)
{
    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    if (!is_mapped(r)) {
        unsigned long first = r * RAM_REGION_FRAMES;

        arch_map_ram_region(first, total_frames, table_start, table_end);
        __atomic_fetch_or(&mapped[r / 64], 1UL << (r % 64), __ATOMIC_RELEASE);
        nr_mapped++;
    }
    spin_unlock(&lock);
    local_irq_restore(flags);
}

void ram_ensure_mapped(unsigned long pfn, unsigned long count)
{
    if (!mapped || count == 0)
        return;
    unsigned long last = (pfn + count - 1) / RAM_REGION_FRAMES;

    for (unsigned long r = pfn / RAM_REGION_FRAMES; r <= last && r < nr_regions; r++) {
        if (!is_mapped(r))
            map_region(r);
    }
}

unsigned long rammap_mapped_regions(void)
{
    return __atomic_load_n(&nr_mapped, __ATOMIC_RELAXED);
}

unsigned long rammap_total_regions(void)
{
    return nr_regions;
}
