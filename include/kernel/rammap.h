/*
 * RAM mapped on demand (mm/rammap.c).  Xen's bootstrap tables map only the
 * start of RAM; the rest is mapped 2 MiB region by region, the first time
 * the page allocator hands out (or links) a frame there.  Boot then costs
 * the same at 32 MiB and at 32 GiB, and a region that is never used costs
 * Xen no page-table validation at all.
 */
#ifndef KERNEL_RAMMAP_H
#define KERNEL_RAMMAP_H

#include <stdint.h>

#define RAM_REGION_FRAMES 512UL /* one L1 table's worth: 2 MiB */

/*
 * @bitmap: one bit per region (nr_frames / 512, rounded up), zeroed here.
 * Regions below @mapped_frames are marked mapped.  Frames [ro_start,
 * ro_end) are page tables: whenever their region is mapped they are mapped
 * read-only.
 */
void rammap_init(unsigned long *bitmap, unsigned long nr_frames, unsigned long mapped_frames,
                 unsigned long ro_start, unsigned long ro_end);

/* Records that regions [first, last] were mapped (at boot, before the bitmap existed). */
void rammap_mark_mapped(unsigned long first, unsigned long last);

/* Makes sure frames [pfn, pfn + count) are mapped. */
void ram_ensure_mapped(unsigned long pfn, unsigned long count);

/* Regions mapped so far, and regions in all. */
unsigned long rammap_mapped_regions(void);
unsigned long rammap_total_regions(void);

#endif /* KERNEL_RAMMAP_H */
