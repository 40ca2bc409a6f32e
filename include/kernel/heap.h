/* Setting up the kernel heap at boot (mm/heap.c). */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stdint.h>

/*
 * @kind: one byte per frame for frames first_pfn .. first_pfn + nr - 1,
 * where the heap records which frames it owns and how.
 */
void heap_init(uint8_t *kind, unsigned long first_pfn, unsigned long nr);

/* alloc_pages() without its out-of-memory line (the heap prints its own). */
void *alloc_pages_quiet(unsigned int order);

#endif /* KERNEL_HEAP_H */
