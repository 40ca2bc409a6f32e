/* Setting up the page allocator at boot (mm/page_alloc.c). */
#ifndef KERNEL_PAGE_ALLOC_H
#define KERNEL_PAGE_ALLOC_H

#include <stdint.h>

/* Bytes of bookkeeping page_alloc_init() needs for @nr_frames frames. */
#define PAGE_ALLOC_MAP_BYTES(nr_frames) ((nr_frames)*9 + 8)

/* @maps: PAGE_ALLOC_MAP_BYTES(nr_frames) bytes, for frames 0 .. nr_frames - 1. */
void page_alloc_init(void *maps, unsigned long nr_frames);

/* Hands frames [start, end) to the allocator. */
void page_alloc_add(unsigned long start, unsigned long end);

#endif /* KERNEL_PAGE_ALLOC_H */
