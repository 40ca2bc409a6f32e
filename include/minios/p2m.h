/*
 * Pseudo-physical <-> machine frame numbers (arch/x86_64/p2m.c): the
 * translation every PV mapping needs.  <minios/mm.h> includes this header.
 */
#ifndef MINIOS_P2M_H
#define MINIOS_P2M_H

#include <stdint.h>
#include <minios/page.h>

#pragma GCC visibility push(default)

#define INVALID_MFN (~0UL)
#define INVALID_PFN (~0UL)

/* The machine frame behind pseudo-physical frame @pfn; INVALID_MFN if out of range. */
unsigned long pfn_to_mfn(unsigned long pfn);

/* The pfn of machine frame @mfn if it is ours; INVALID_PFN otherwise. */
unsigned long mfn_to_pfn(unsigned long mfn);

/* Machine address of a pointer into the 1:1 map (or INVALID_MFN << PAGE_SHIFT). */
uint64_t virt_to_machine(const void *va);

static inline unsigned long virt_to_pfn(const void *va)
{
    return (unsigned long)va >> PAGE_SHIFT;
}

static inline void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(pfn << PAGE_SHIFT);
}

static inline unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

#pragma GCC visibility pop

#endif /* MINIOS_P2M_H */
