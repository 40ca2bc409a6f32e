/*
 * The PVH half of pagetable.c.  Page tables hold guest-physical frames
 * (pfn == frame number, no p2m) and we write them ourselves: no
 * mmu_update, no validation by Xen.  The 1:1 map keeps table frames
 * read-only as in PV (a stray write into a table faults rather than
 * corrupting it), so every write to a table goes through a one-page
 * window: the page at PVH_WINDOW_VA, whose entry (in pvh_window_l1, a
 * writable page of our .bss that pvh/head.S hooked in) is pointed at the
 * table frame for the write.  The window also reaches a new table's frame
 * before the 1:1 map covers it (the
 * first region mapped takes its L1 from frames in that region).  All
 * callers hold pagetable.c's pt_lock, or run at boot before other vCPUs.
 */
#include <arch/pagetable.h>
#include <arch/pvh.h>
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/p2m.h>

extern pte_t pvh_window_l1[PT_ENTRIES];

#define window      ((char *)PVH_WINDOW_VA)
#define window_slot (&pvh_window_l1[0])

static void invlpg(const void *va)
{
    __asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* Maps frame @pfn at the window; pvh_window_close() when done. */
static pte_t *window_open(unsigned long pfn)
{
    *window_slot = ((pte_t)pfn << PAGE_SHIFT) | x86_leaf_flags(PROT_READ | PROT_WRITE);
    invlpg(window);
    return (pte_t *)window;
}

static void window_close(void)
{
    *window_slot = 0;
    invlpg(window);
}

/* "*entry = val" for an entry of a table mapped (read-only) in the 1:1 map. */
void pvh_set_entry(const pte_t *entry, pte_t val)
{
    unsigned long pfn = virt_to_pfn(entry);

    window_open(pfn)[((unsigned long)entry & ~PAGE_MASK) / sizeof(pte_t)] = val;
    window_close();
}

/* A fresh table from the reserved run, cleared, hooked at @table[@idx]. */
static unsigned long new_table(unsigned long table, unsigned int idx)
{
    unsigned long pfn = x86_take_table_frame();

    memset(window_open(pfn), 0, PAGE_SIZE);
    window_open(table)[idx] = ((pte_t)pfn << PAGE_SHIFT) | PTE_TABLE;
    window_close();
    return pfn;
}

void pvh_map_ram_region(unsigned long first, unsigned long end)
{
    unsigned long va = first << PAGE_SHIFT;
    unsigned long table = virt_to_pfn((const void *)start_info.pt_base);
    pte_t *w;

    for (int level = PT_LEVELS; level > 1; level--) {
        unsigned int idx = PT_INDEX(va, level);
        pte_t e = window_open(table)[idx];

        window_close();
        if (!(e & _PAGE_PRESENT))
            table = new_table(table, idx);
        else if (level == 2)
            panic("arch_map_ram_region: pfn %#lx is already mapped", first);
        else
            table = pte_mfn(e);
    }
    w = window_open(table);
    for (unsigned long pfn = first; pfn < end; pfn++)
        w[pfn - first] = ((pte_t)pfn << PAGE_SHIFT) | x86_leaf_flags(PROT_READ | PROT_WRITE);
    window_close();
}

static void flush_local(unsigned long va, unsigned int n)
{
    if (n > 16) {
        unsigned long cr3;

        __asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
        return;
    }
    for (unsigned int i = 0; i < n; i++)
        invlpg((const void *)(va + i * PAGE_SIZE));
}

/*
 * The others' TLBs: HVMOP_flush_tlbs flushes every vCPU of the domain
 * (Xen pauses them for it); with one vCPU the local flush is enough.
 */
void pvh_flush_tlbs(unsigned long va, unsigned int n)
{
    flush_local(va, n);
    if (x86_vcpus_exist() > 1) {
        long rc = HYPERVISOR_hvm_op(HVMOP_flush_tlbs, NULL);

        if (rc)
            panic("HVMOP_flush_tlbs failed: %ld (%s)", rc, xen_strerror(rc));
    }
}
