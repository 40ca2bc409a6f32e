/*
 * The boot-time picture of pseudo-physical memory (mm/bootmem.c): which
 * frames are in use before any allocator exists (page 0, the image, the p2m
 * list, Xen's page tables, shared rings, ...), as a short sorted list of
 * ranges.  Everything not reserved is free; the early allocator hands out
 * free frames below a limit (the part already mapped), and at the end all
 * free frames go to the page allocator.  Pure logic: tested on the host.
 */
#ifndef KERNEL_BOOTMEM_H
#define KERNEL_BOOTMEM_H

#include <stdbool.h>

#define BOOTMEM_MAX_RANGES 32

struct bootmem_range {
    unsigned long start, end; /* frames [start, end) */
    const char *what;         /* why it is reserved, for the boot log */
};

struct bootmem {
    unsigned long nr_pages; /* frames 0 .. nr_pages - 1 exist */
    unsigned int count;
    struct bootmem_range ranges[BOOTMEM_MAX_RANGES];
    unsigned long next_free; /* where the early allocator looks next */
};

/* The name page-table frames are reserved under (compared by address). */
extern const char bootmem_page_tables[];

void bootmem_init(struct bootmem *bm, unsigned long nr_pages);

/*
 * Marks [start, end) reserved (clipped to nr_pages; merged with overlapping
 * or adjacent ranges that have the same name).  Returns false if the table
 * is full.
 */
bool bootmem_reserve(struct bootmem *bm, unsigned long start, unsigned long end, const char *what);

bool bootmem_is_reserved(const struct bootmem *bm, unsigned long pfn);

/*
 * The lowest free frame >= next_free and < @limit, now reserved as @what;
 * or ~0UL if there is none.
 */
unsigned long bootmem_alloc(struct bootmem *bm, unsigned long limit, const char *what);

/* The lowest run of @count free frames below @limit, reserved; or ~0UL. */
unsigned long bootmem_alloc_run(struct bootmem *bm, unsigned long count, unsigned long limit,
                                const char *what);

/* Calls @fn for each maximal free run [start, end), in ascending order. */
void bootmem_for_each_free(const struct bootmem *bm,
                           void (*fn)(unsigned long start, unsigned long end, void *arg),
                           void *arg);

unsigned long bootmem_free_count(const struct bootmem *bm);

#endif /* KERNEL_BOOTMEM_H */
