/*
 * This domain's page tables, read through the 1:1 map (VA = pseudo-physical
 * address; a table frame's pseudo-physical address is its m2p entry).
 */
#include <minios/hypervisor.h>
#include <minios/p2m.h>
#include "regress.h"

uint64_t pt_root_maddr(void)
{
    uint64_t cr3;

    __asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
    return cr3 & PTE_MFN;
}

const uint64_t *pt_entry(const void *va, int level, uint64_t *maddr)
{
    uint64_t table = pt_root_maddr();

    for (int l = 4; l >= level; l--) {
        unsigned int index = ((uintptr_t)va >> (12 + 9 * (l - 1))) & 511;
        unsigned long pfn = mfn_to_pfn(table >> 12);
        const uint64_t *e;

        if (pfn == INVALID_PFN)
            return NULL;
        e = (const uint64_t *)pfn_to_virt(pfn) + index;
        if (l == level) {
            if (maddr)
                *maddr = table + index * 8;
            return e;
        }
        if (!(*e & PTE_P) || (l < 4 && (*e & (1ULL << 7))))
            return NULL;
        table = *e & PTE_MFN;
    }
    return NULL;
}

bool regress_is_dom0(void)
{
    return xen_is_initial_domain();
}
