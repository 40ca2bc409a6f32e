/*
 * TLB shootdown, for pagetable.c.  As PV it is Xen's job:
 * MMUEXT_INVLPG_MULTI / MMUEXT_TLB_FLUSH_MULTI take a bitmap of vCPUs and
 * flush each of them, whether it is running, descheduled or down.  No
 * IPIs, and no waiting for other vCPUs.  As PVH, pvh/pagetable.c says.
 */
#include <arch/pagetable.h>
#include <arch/pvh.h>
#include <arch/vcpu.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/page.h>

static unsigned long flush_hypercalls; /* under pt_lock */

unsigned long x86_flush_hypercalls(void)
{
    return __atomic_load_n(&flush_hypercalls, __ATOMIC_RELAXED);
}

static xen_ulong_t all_vcpus_mask(void)
{
    unsigned int n = x86_vcpus_exist();

    return n >= 64 ? ~0UL : (1UL << n) - 1;
}

void x86_flush_tlbs(unsigned long va, unsigned int n)
{
    static struct mmuext_op ops[16]; /* under pt_lock */
    xen_ulong_t mask = all_vcpus_mask();
    unsigned int count;
    int rc;

    if (x86_is_pvh()) {
        pvh_flush_tlbs(va, n);
        return;
    }
    if (n <= ARRAY_SIZE(ops)) {
        for (unsigned int i = 0; i < n; i++) {
            ops[i].cmd = MMUEXT_INVLPG_MULTI;
            ops[i].arg1.linear_addr = va + i * PAGE_SIZE;
            set_xen_guest_handle(ops[i].arg2.vcpumask, &mask);
        }
        count = n;
    } else {
        ops[0].cmd = MMUEXT_TLB_FLUSH_MULTI;
        set_xen_guest_handle(ops[0].arg2.vcpumask, &mask);
        count = 1;
    }
    rc = HYPERVISOR_mmuext_op(ops, count, NULL, DOMID_SELF);
    __atomic_store_n(&flush_hypercalls, flush_hypercalls + 1, __ATOMIC_RELAXED);
    if (rc)
        panic("TLB shootdown (%s) failed: %d (%s)",
              count == 1 && n > 1 ? "TLB_FLUSH_MULTI" : "INVLPG_MULTI", rc, xen_strerror(rc));
}
