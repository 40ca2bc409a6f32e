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

/*
 * Maps all RAM, applies W^X, reclaims the bootstrap region and starts the
 * page allocator and the heap.  Boot vCPU, events masked.
 */
void mm_init(void);

/* Figures from boot, for the banner, the boot profile and tests. */
struct mm_boot_info {
    unsigned long reserved_at_start; /* frames in use before mm_init() */
    unsigned long bootstrap_mapped;  /* frames Xen's tables mapped */
    unsigned long table_frames;      /* frames reserved for the 1:1 map's tables */
    unsigned long eager_regions;     /* regions mapped at boot beyond Xen's */
    unsigned long free_after_boot;   /* frames given to the page allocator */
};

extern struct mm_boot_info mm_boot_info;

/* Page protections, architecture-neutral. */
#define PROT_NONE  0U /* not mapped */
#define PROT_READ  (1U << 0)
#define PROT_WRITE (1U << 1)
#define PROT_EXEC  (1U << 2)

/*
 * Maps @n freshly allocated frames (zeroed if @zero) at @va, outside the
 * 1:1 map; 0 or -XEN_ENOMEM, in which case nothing stays mapped.
 */
int vmap_map_fresh(unsigned long va, unsigned long n, bool zero);

/* Unmaps [va, va + n pages) and frees the frames that were mapped there. */
void vmap_unmap_free(unsigned long va, unsigned long n);

/*
 * Changes the protection of [va, va + n pages), all mapped by
 * vmap_map_fresh(): PROT_NONE makes them fault on any touch while keeping
 * their frames and contents for a later change back.  0 or -XEN_EINVAL.
 */
int vmap_protect(unsigned long va, unsigned long n, unsigned int prot);

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
