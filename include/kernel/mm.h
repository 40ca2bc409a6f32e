/*
 * Memory management internals shared by mm/ and the arch page-table code
 * (arch/x86_64/pagetable.c): boot-time set-up, and the page-table hooks
 * that generic code calls.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/xen.h>

struct bootmem;

/* Reads the m2p bounds; needed before any mfn_to_pfn(). */
void p2m_init(void);

/*
 * Maps all RAM, applies W^X, reclaims the bootstrap region and starts the
 * page allocator and the heap.  Boot vCPU, events masked.
 */
void mm_init(void);

/* Figures from boot, for the banner, the boot profile and tests. */
struct mm_boot_info {
    unsigned long reserved_at_start;    /* frames in use before mm_init() */
    unsigned long bootstrap_mapped;     /* frames Xen's tables mapped */
    unsigned long table_frames;         /* frames reserved for the 1:1 map's tables */
    unsigned long eager_regions;        /* regions mapped at boot beyond Xen's */
    unsigned long free_after_boot;      /* frames given to the page allocator */
};

extern struct mm_boot_info mm_boot_info;

/* Page protections, architecture-neutral. */
#define PROT_NONE   0U          /* not mapped */
#define PROT_READ   (1U << 0)
#define PROT_WRITE  (1U << 1)
#define PROT_EXEC   (1U << 2)

/*
 * Maps @n freshly allocated frames (zeroed if @zero) at @va, outside the
 * 1:1 map; 0 or -XEN_ENOMEM, in which case nothing stays mapped.
 */
int vmap_map_fresh(unsigned long va, unsigned long n, bool zero);

/* Unmaps [va, va + n pages) and frees the frames that were mapped there. */
void vmap_unmap_free(unsigned long va, unsigned long n);

/* --- arch hooks (arch/x86_64/pagetable.c) --- */

/* True if the CPU (as Xen shows it) can mark pages non-executable. */
bool arch_has_nx(void);

/* Frames [0, n) that Xen's bootstrap tables already map, as a count. */
unsigned long arch_bootstrap_mapped_pages(void);

/* The frames [first, first + count) that new tables of the 1:1 map come from. */
void arch_set_table_frames(unsigned long first, unsigned long count);

/*
 * Maps the region of pfns starting at @first (a multiple of 512) up to
 * @end or the region's end, at their 1:1 addresses: read-only for frames in
 * [ro_start, ro_end), read-write and non-executable for the others.
 */
void arch_map_ram_region(unsigned long first, unsigned long end, unsigned long ro_start,
                         unsigned long ro_end);

/* Sets the protection of 1:1-mapped pfns [start, end) (PROT_NONE unmaps). */
void arch_protect(unsigned long start, unsigned long end, unsigned int prot);

/* Issues the protection changes queued by arch_protect() and flushes the TLB. */
void arch_protect_commit(void);

/*
 * Maps @n frames at @va (page-aligned, outside the 1:1 map), creating page
 * tables from the page allocator as needed.  @dom owns the frames.
 * Returns 0 or a negative Xen error.
 */
int arch_map_frames(unsigned long va, const unsigned long *mfns, unsigned int n,
                    unsigned int prot, domid_t dom);

/*
 * Makes sure the page tables down to L1 exist for @n pages at @va (outside
 * the 1:1 map), without mapping anything there: for mappings that Xen
 * writes itself, such as a grant map, which names a virtual address and
 * fails if no L1 table covers it.  Returns 0 or a negative Xen error.
 */
int arch_prepare_tables(unsigned long va, unsigned int n);

/* Clears @n mappings at @va and flushes them from every vCPU's TLB. */
void arch_unmap_frames(unsigned long va, unsigned int n);

/* The PTE mapping @va, or 0 if none (for tests and fault reports). */
uint64_t arch_lookup_pte(unsigned long va);

/* The machine frame mapped at @va, or INVALID_MFN. */
unsigned long arch_lookup_mfn(unsigned long va);

/* Hypercalls spent on page tables since boot, for the boot profile. */
unsigned long arch_pagetable_hypercalls(void);

/* --- address space without mappings (mm/vmap.c) --- */

/*
 * Reserves @n consecutive pages of the vmap region, with page tables ready
 * but nothing mapped, for a caller that has Xen map them (grant maps);
 * returns the first address, or NULL.
 */
void *vmap_reserve(unsigned int n);

/* Gives the pages back; they must be unmapped by then (a panic says if not). */
void vmap_release(void *va, unsigned int n);

#endif /* KERNEL_MM_H */
