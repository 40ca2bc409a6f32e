/*
 * Xen system time.  Xen publishes, per vCPU, a (TSC stamp, system time,
 * scale) triple in vcpu_time_info; the time now is the system time plus the
 * TSC ticks since the stamp, scaled.  Xen bumps `version` to odd while it
 * rewrites the triple and back to even after, so a reader retries until it
 * sees the same even version before and after its reads.
 */
#include <minios/time.h>
#include <minios/hypervisor.h>
#include <arch/x86.h>

static uint64_t scale_delta(uint64_t delta, uint32_t mul_frac, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    /* mul_frac is a 32.32 fixed-point fraction: (delta * mul) >> 32. */
    return (uint64_t)(((unsigned __int128)delta * mul_frac) >> 32);
}

uint64_t monotonic_ns(void)
{
    const volatile struct vcpu_time_info *t = &HYPERVISOR_shared_info->vcpu_info[0].time;
    uint32_t version, mul;
    uint64_t stamp, system, tsc;
    int8_t shift;

    do {
        version = t->version;
        rmb();
        stamp = t->tsc_timestamp;
        system = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = rdtsc();
        rmb();
    } while ((version & 1) || version != t->version);

    return system + scale_delta(tsc - stamp, mul, shift);
}
