/*
 * The PVH half of gnttab.c.
 *
 * Table frames: each new grant-table frame is placed with
 * XENMEM_add_to_physmap (XENMAPSPACE_grant_table, frame index i) at the
 * guest-physical frame of a page from our allocator, which Xen takes back
 * in exchange.  The page is never freed: the table only grows.
 *
 * Mapped grants: for a translated guest, GNTTABOP_map_grant_ref's
 * host_addr is a guest-physical address, and Xen points that frame of our
 * physical map at the granted page.  The frame must be one Xen backs with
 * nothing: over RAM, Xen would drop our page there, and over one of its
 * own or a device's frames, worse.  So grants go to a window of
 * WINDOW_FRAMES frames in the first gap of the memory map above RAM
 * (pvh_memmap_gap()), handed out one at a time, and our own page table
 * maps the caller's vmap address to the window frame: two steps where PV
 * has one (Xen writes a PV guest's PTE itself).
 */
#include <arch/pagetable.h>
#include <arch/pvh.h>
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <minios/console.h>
#include <minios/irqflags.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/spinlock.h>

#define WINDOW_FRAMES 1024 /* grants mapped at once, at most: 4 MiB of gap */

static spinlock_t window_lock = SPINLOCK_INIT;
static unsigned long window_base; /* first frame; 0 until the first map */
static uint64_t window_used[WINDOW_FRAMES / 64];
static bool window_none; /* the memory map has no gap: said once */

int pvh_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n)
{
    for (unsigned int i = first; i < first + n; i++) {
        void *page = alloc_page();

        if (!page)
            return -XEN_ENOMEM;
        struct xen_add_to_physmap xatp = {
            .domid = DOMID_SELF,
            .space = XENMAPSPACE_grant_table,
            .idx = i,
            .gpfn = virt_to_pfn(page),
        };
        long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

        if (rc) {
            printk("gnttab: XENMEM_add_to_physmap(grant-table frame %u at pfn %#lx) failed: "
                   "%ld (%s)\n",
                   i, (unsigned long)xatp.gpfn, rc, xen_strerror(rc));
            free_page(page);
            return (int)rc;
        }
        frames[i] = xatp.gpfn;
    }
    return 0;
}

/*
 * The toolstack filled entries 0 and 1 with the console and xenstore
 * rings' frames where Xen put them (its special pages, above RAM); the
 * boot moved both into our .bss (pvh/setup.c).  The entries follow, so a
 * backend that maps a ring through its reserved grant finds it.
 */
void pvh_gnttab_reserved(grant_entry_v1_t *entries)
{
    for (unsigned int ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++) {
        grant_entry_v1_t *e = &entries[ref];
        unsigned long to;

        if ((READ_ONCE(e->flags) & GTF_type_mask) == GTF_invalid)
            continue;
        to = pvh_moved_ring(READ_ONCE(e->frame));
        if (to)
            WRITE_ONCE(e->frame, (uint32_t)to);
    }
}

/* A free frame of the window, or 0 (said why). */
static unsigned long window_take(void)
{
    unsigned long flags = local_irq_save();
    unsigned long pfn = 0;

    spin_lock(&window_lock);
    if (!window_base && !window_none) {
        window_base = pvh_memmap_gap(WINDOW_FRAMES);
        if (!window_base) {
            window_none = true;
            printk("gnttab: the PVH memory map has no gap of %u frames below 4 GiB "
                   "to map grants at\n",
                   WINDOW_FRAMES);
        }
    }
    for (unsigned int i = 0; window_base && i < WINDOW_FRAMES; i++) {
        if (!(window_used[i / 64] & (1ULL << (i % 64)))) {
            window_used[i / 64] |= 1ULL << (i % 64);
            pfn = window_base + i;
            break;
        }
    }
    spin_unlock(&window_lock);
    local_irq_restore(flags);
    if (window_base && !pfn)
        printk("gnttab: all %u frames of the PVH grant window are in use\n", WINDOW_FRAMES);
    return pfn;
}

static bool in_window(unsigned long pfn)
{
    return window_base && pfn >= window_base && pfn < window_base + WINDOW_FRAMES;
}

static void window_give(unsigned long pfn)
{
    unsigned long flags = local_irq_save();
    unsigned long i = pfn - window_base;

    spin_lock(&window_lock);
    if (!(window_used[i / 64] & (1ULL << (i % 64))))
        panic("gnttab: PVH grant window frame %#lx freed twice", pfn);
    window_used[i / 64] &= ~(1ULL << (i % 64));
    spin_unlock(&window_lock);
    local_irq_restore(flags);
}

int pvh_gnttab_map(struct gnttab_map_grant_ref *op, void *va)
{
    unsigned long pfn = window_take();
    int rc;

    if (!pfn) {
        op->status = GNTST_no_space; /* as when no virtual address is free: said why */
        return 0;
    }
    op->host_addr = (uint64_t)pfn << PAGE_SHIFT;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, op, 1);
    if (rc < 0 || op->status != GNTST_okay) {
        window_give(pfn);
        return rc;
    }
    x86_pvh_set_leaf(
        (unsigned long)va,
        ((pte_t)pfn << PAGE_SHIFT) |
            x86_leaf_flags(PROT_READ | ((op->flags & GNTMAP_readonly) ? 0 : PROT_WRITE)));
    return rc;
}

/*
 * Our PTE goes first, so that no vCPU reaches the window frame after Xen
 * emptied it; if Xen refuses, the PTE comes back.  An address that maps
 * no window frame (unmapped already) is passed as frame 0, which holds no
 * grant: Xen's verdict on the handle stands.
 */
int pvh_gnttab_unmap(struct gnttab_unmap_grant_ref *op, void *va)
{
    pte_t old = arch_lookup_pte((unsigned long)va);
    unsigned long pfn = (old & _PAGE_PRESENT) ? pte_mfn(old) : 0;
    int rc;

    if (!in_window(pfn))
        pfn = 0;
    if (pfn)
        x86_pvh_set_leaf((unsigned long)va, 0);
    op->host_addr = (uint64_t)pfn << PAGE_SHIFT;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, op, 1);
    if (rc < 0 || op->status != GNTST_okay) {
        if (pfn)
            x86_pvh_set_leaf((unsigned long)va, old);
        return rc;
    }
    if (pfn)
        window_give(pfn);
    return rc;
}
