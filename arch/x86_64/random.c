/*
 * The CPU's random numbers: RDRAND (a DRBG reseeded from the on-chip
 * entropy source) and RDSEED (that source's conditioned output), where
 * Xen's CPUID policy for this guest shows them.  Both set CF when they
 * delivered a value; CF clear means "not now".  Intel's DRNG guide says a
 * healthy RDRAND fails 10 times in a row only if the generator is broken,
 * so that many retries and then failure; RDSEED may run dry under load and
 * is retried longer, with a pause between tries.  Under QEMU's TCG
 * (`-cpu max`) the guest sees RDRAND, emulated from the host's random
 * source, and no RDSEED.
 */
#include <stddef.h>

#include <kernel/arch.h>

#include <arch/cpuid.h>

#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100

enum source { UNKNOWN, NONE, RDRAND, RDSEED };

static enum source probe(void)
{
    static enum source src; /* in .bss: UNKNOWN; a race only probes twice */
    struct cpuid_regs r;

    if (src != UNKNOWN)
        return src;
    xen_cpuid(CPUID_FEATURES, 0, &r);
    if (r.ecx & CPUID_FEATURES_ECX_RDRAND) {
        src = RDRAND;
        return src;
    }
    xen_cpuid(0, 0, &r);
    if (r.eax >= CPUID_LEAF7) {
        xen_cpuid(CPUID_LEAF7, 0, &r);
        if (r.ebx & CPUID_7_0_EBX_RDSEED) {
            src = RDSEED;
            return src;
        }
    }
    src = NONE;
    return src;
}

const char *arch_random_source(void)
{
    switch (probe()) {
    case RDRAND:
        return "RDRAND";
    case RDSEED:
        return "RDSEED";
    default:
        return NULL;
    }
}

static bool rdrand(uint64_t *v)
{
    bool ok;

    __asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
    return ok;
}

static bool rdseed(uint64_t *v)
{
    bool ok;

    __asm__ __volatile__("rdseed %0" : "=r"(*v), "=@ccc"(ok));
    return ok;
}

bool arch_random_u64(uint64_t *v)
{
    switch (probe()) {
    case RDRAND:
        for (int i = 0; i < RDRAND_RETRIES; i++) {
            if (rdrand(v))
                return true;
        }
        return false;
    case RDSEED:
        for (int i = 0; i < RDSEED_RETRIES; i++) {
            if (rdseed(v))
                return true;
            __asm__ __volatile__("pause");
        }
        return false;
    default:
        return false;
    }
}
