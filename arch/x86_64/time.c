/*
 * Xen system time.  Xen publishes, per vCPU, a (TSC stamp, system time,
 * scale) triple in vcpu_time_info; the time now is the system time plus the
 * TSC ticks since the stamp, scaled.  Xen bumps `version` to odd while it
 * rewrites the triple and back to even after, so a reader retries until it
 * sees the same even version before and after its reads.
 *
 * Each vCPU's triple is calibrated separately, so two reads on different
 * vCPUs can disagree by a little; per vCPU we never go backwards.
 */
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/irqflags.h>
#include <minios/time.h>
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
    unsigned long flags = local_irq_save(); /* stay on this vCPU's triple */
    struct cpu *cpu = this_cpu();
    const volatile struct vcpu_time_info *t = &cpu->vcpu_info->time;
    uint32_t version, mul;
    uint64_t stamp, system, tsc, now;
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

    now = system + scale_delta(tsc - stamp, mul, shift);
    if (now < cpu->last_time)
        now = cpu->last_time;
    cpu->last_time = now;
    local_irq_restore(flags);
    return now;
}

uint64_t arch_cycles(void)
{
    return rdtsc();
}

uint64_t arch_cycles_to_ns(uint64_t cycles)
{
    const volatile struct vcpu_time_info *t = &this_cpu()->vcpu_info->time;

    return scale_delta(cycles, t->tsc_to_system_mul, t->tsc_shift);
}
