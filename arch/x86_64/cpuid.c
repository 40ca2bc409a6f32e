/*
 * CPUID as Xen presents it to this guest.  A plain `cpuid` in a PV guest
 * runs on the real CPU (unless the hardware can fault it) and may report
 * features Xen does not give us.  Xen's forced-emulation prefix -- `ud2`
 * followed by the bytes "xen" -- makes Xen trap the instruction after it
 * and emulate it with the guest's own CPUID policy.
 */
#include <arch/cpuid.h>
#include <arch/pvh.h>

void xen_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    /* In PVH every cpuid exits to Xen, which answers with the policy. */
    if (x86_is_pvh()) {
        __asm__ __volatile__("cpuid"
                             : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
                             : "a"(leaf), "c"(subleaf));
        return;
    }
    __asm__ __volatile__("ud2a; .ascii \"xen\"; cpuid"
                         : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
                         : "a"(leaf), "c"(subleaf));
}

bool cpu_has_nx(void)
{
    static enum { UNKNOWN, ABSENT, PRESENT } nx; /* in .bss: UNKNOWN is 0 */
    struct cpuid_regs r;

    if (nx == UNKNOWN) {
        xen_cpuid(CPUID_EXT_MAX, 0, &r);
        nx = ABSENT;
        if (r.eax >= CPUID_EXT_FEATURES) {
            xen_cpuid(CPUID_EXT_FEATURES, 0, &r);
            if (r.edx & CPUID_EXT_FEATURES_EDX_NX)
                nx = PRESENT;
        }
    }
    return nx == PRESENT;
}
