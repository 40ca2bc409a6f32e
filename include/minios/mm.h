/*
 * Memory: pages, the heap, and mappings outside the 1:1 map.
 *
 * Every pseudo-physical page of the domain is mapped at the virtual address
 * equal to its pseudo-physical address (pfn << PAGE_SHIFT), so a pointer to
 * RAM is also its pseudo-physical address.  Page 0 is never mapped.
 * Protections: kernel text is read-only and executable; everything else is
 * non-executable (when the CPU has NX), and read-only data is read-only.
 *
 * All allocators are safe on any vCPU and from event handlers.  They return
 * NULL when memory runs out, after printing one line saying so.
 */
#ifndef MINIOS_MM_H
#define MINIOS_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/p2m.h>
#include <minios/page.h>
#include <minios/xen.h>

#pragma GCC visibility push(default)

/* --- pages (buddy allocator: blocks of 2^order pages, naturally aligned) --- */

#define MAX_PAGE_ORDER 18 /* 1 GiB blocks */

void *alloc_pages(unsigned int order);
void free_pages(void *addr, unsigned int order);

static inline void *alloc_page(void)
{
    return alloc_pages(0);
}

static inline void free_page(void *addr)
{
    free_pages(addr, 0);
}

struct page_stats {
    unsigned long total; /* pages the allocator manages */
    unsigned long free;
    unsigned long largest_free_order;
};

void page_alloc_stats(struct page_stats *stats);

/*
 * Debug mode: freed pages are filled with a poison pattern that is checked
 * when they are handed out again, so a write after free is caught (with a
 * panic naming the page).  Double frees are always caught.
 */
void page_alloc_set_debug(bool on);

/* --- the heap --- */

/*
 * kmalloc(): sizes up to 2048 bytes come from size classes (16, 32, ... 2048
 * bytes, each object aligned to its class size, so at least 16); larger
 * sizes get whole pages (page-aligned).  kmalloc(0) returns NULL.
 */
void *kmalloc(size_t size);
void *kcalloc(size_t count, size_t size); /* zeroed; NULL if count * size overflows */
void *krealloc(void *ptr, size_t size);   /* keeps the contents; NULL leaves ptr as is */
void kfree(void *ptr);                    /* kfree(NULL) does nothing */

/* Usable size of a kmalloc() block (at least what was asked). */
size_t kmalloc_size(const void *ptr);

/*
 * Makes the 1:1 mapping of @page (page-aligned, allocated RAM) read-only or
 * writable again, and flushes it from every vCPU's TLB.  Returns 0 or the
 * Xen error: Xen refuses a writable mapping of a frame that is in use as a
 * page table.  (For building page tables by hand, e.g. in tests.)
 */
int page_set_writable(void *page, bool writable);

/* --- virtual areas outside the 1:1 map --- */

/*
 * A stack of @size bytes (rounded up to pages) with an unmapped guard page
 * just below it; returns its lowest usable address.  Touching the guard
 * faults instead of silently overwriting whatever lies below.
 */
void *stack_alloc(size_t size);
void stack_free(void *stack, size_t size);

#define MAP_WRITABLE (1U << 0)
#define MAP_EXEC     (1U << 1)

/*
 * Maps @n machine frames (of domain @dom: DOMID_SELF for our own) at
 * consecutive new virtual addresses; returns the first, or NULL.
 */
void *map_frames(const unsigned long *mfns, unsigned int n, unsigned int prot, domid_t dom);

/* Removes the mappings and flushes them from every vCPU's TLB. */
void unmap_frames(void *va, unsigned int n);

/* Flushes the TLB of every vCPU (through Xen, with a vCPU mask). */
void tlb_flush_all_cpus(void);

#pragma GCC visibility pop

#endif /* MINIOS_MM_H */
