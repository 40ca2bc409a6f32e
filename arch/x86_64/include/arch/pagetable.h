/*
 * x86-64 4-level paging as a PV guest sees it.  Page-table pages are ours
 * but Xen's to validate: we may read them (they are mapped read-only), and
 * change them only through HYPERVISOR_mmu_update, naming an entry by its
 * machine address.
 */
#ifndef ARCH_PAGETABLE_H
#define ARCH_PAGETABLE_H

#include <stdint.h>
#include <minios/page.h>
#include <minios/xen.h>
#include <arch/x86.h>

typedef uint64_t pte_t;

#define PT_LEVELS       4
#define PT_ENTRIES      512
#define LEVEL_SHIFT(l)  (PAGE_SHIFT + 9 * ((l)-1)) /* 12, 21, 30, 39 */
#define LEVEL_SIZE(l)   (1UL << LEVEL_SHIFT(l))
#define PT_INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & (PT_ENTRIES - 1))

/* An entry that points at a lower-level table. */
#define PTE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

/* Leaf flags; _PAGE_NX is added by pt_leaf_flags() only where the CPU has NX. */
#define PTE_LEAF (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

static inline unsigned long pte_mfn(pte_t pte)
{
    return (unsigned long)((pte & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

/* Leaf flags for a protection (pagetable.c). */
pte_t x86_leaf_flags(unsigned int prot);

/* The next frame of the run reserved for the 1:1 map's tables (pagetable.c). */
unsigned long x86_take_table_frame(void);

/* PVH: @va's L1 entry becomes @pte, any frame; the old one is flushed (pagetable.c). */
void x86_pvh_set_leaf(unsigned long va, pte_t pte);

/*
 * Every vCPU's TLB loses @n pages' entries from @va (all of them for a
 * large @n); the caller holds pagetable.c's pt_lock (pagetable_flush.c).
 */
void x86_flush_tlbs(unsigned long va, unsigned int n);
unsigned long x86_flush_hypercalls(void);

#endif /* ARCH_PAGETABLE_H */
