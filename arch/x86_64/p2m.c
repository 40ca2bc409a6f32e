/*
 * Pseudo-physical <-> machine frame numbers.
 *
 * A PV guest sees two numberings of its memory: pseudo-physical frames
 * (pfns, 0 .. nr_pages-1, contiguous, ours) and the machine frames (mfns)
 * that really back them, scattered across the host.  Page-table entries
 * hold mfns, so every mapping needs the translation.
 *
 * p2m: the array Xen built at start_info.mfn_list, indexed by pfn.
 * m2p: Xen's read-only machine_to_phys_mapping, indexed by mfn, covering
 * every frame of the host.  An entry there for a frame that is not ours is
 * meaningless, so mfn_to_pfn() checks the answer against the p2m.
 */
#include <kernel/arch.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/p2m.h>
#include <arch/pvh.h>

static unsigned long m2p_max_mfn; /* m2p entries beyond this do not exist */

void arch_p2m_init(void)
{
    if (x86_is_pvh())
        return; /* no p2m, no m2p: frame numbers are guest-physical */

    struct xen_machphys_mapping mapping;
    long rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mapping);

    if (rc)
        panic("XENMEM_machphys_mapping failed: %ld (%s)", rc, xen_strerror(rc));
    m2p_max_mfn = mapping.max_mfn;

    /*
     * Tell the toolstack where our p2m is: `xl dump-core` (and save and
     * migration) read it through shared_info, as the linear list at
     * p2m_vaddr in the address space of p2m_cr3 (the frame-list tree is
     * the older way, marked unused by ~0).  Our page tables are the ones
     * Xen built, extended, so their root stays start_info.pt_base.
     */
    struct arch_shared_info *arch = &HYPERVISOR_shared_info->arch;

    arch->max_pfn = start_info.nr_pages;
    arch->p2m_vaddr = start_info.mfn_list;
    arch->p2m_generation = 0;
    arch->pfn_to_mfn_frame_list_list = ~0UL;
    arch->p2m_cr3 = xen_pfn_to_cr3(virt_to_mfn((const void *)start_info.pt_base));
}

unsigned long pfn_to_mfn(unsigned long pfn)
{
    if (pfn >= start_info.nr_pages)
        return INVALID_MFN;
    if (x86_is_pvh())
        return pfn;
    return ((const unsigned long *)start_info.mfn_list)[pfn];
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    if (x86_is_pvh())
        return mfn < start_info.nr_pages ? mfn : INVALID_PFN;
    if (mfn > m2p_max_mfn)
        return INVALID_PFN;
    unsigned long pfn = machine_to_phys_mapping[mfn];

    if (pfn >= start_info.nr_pages || pfn_to_mfn(pfn) != mfn)
        return INVALID_PFN;
    return pfn;
}

uint64_t virt_to_machine(const void *va)
{
    unsigned long mfn = virt_to_mfn(va);

    if (mfn == INVALID_MFN)
        return (uint64_t)INVALID_MFN << PAGE_SHIFT;
    return ((uint64_t)mfn << PAGE_SHIFT) | ((unsigned long)va & ~PAGE_MASK);
}
