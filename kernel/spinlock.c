/*
 * The slow path of spin_lock() (<minios/spinlock.h>): spin until the lock
 * is free, and call it a deadlock after the limit.  A holder is only ever
 * descheduled by the hypervisor or the host, for milliseconds, so 30 s is
 * no legitimate wait; a waiter past it would otherwise spin for ever,
 * usually with events off, so that not even the state dump could run.
 * The clock is read every 64 Ki spins: as PVH under TCG a read exits to Xen.
 */
#include <minios/kernel.h>
#include <minios/spinlock.h>
#include <minios/time.h>

#define SPINS_PER_LOOK (1U << 16)

static unsigned int limit_s = 30;

unsigned int spin_lock_set_limit(unsigned int seconds)
{
    return __atomic_exchange_n(&limit_s, seconds ? seconds : 1, __ATOMIC_RELAXED);
}

void spin_lock_contended(spinlock_t *lock)
{
    uint64_t start = 0;
    uint64_t limit_ns = (uint64_t)__atomic_load_n(&limit_s, __ATOMIC_RELAXED) * NSEC_PER_SEC;
    unsigned int spins = 0;

    while (!spin_trylock(lock)) {
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
            cpu_relax();
            if (++spins % SPINS_PER_LOOK)
                continue;
            uint64_t now = monotonic_ns();

            if (!start)
                start = now;
            else if (now - start > limit_ns)
                panic("spinlock %p still held after %lu s of waiting (events %s): a deadlock",
                      (void *)lock, (unsigned long)(limit_ns / NSEC_PER_SEC),
                      local_irq_is_enabled() ? "on" : "off");
        }
    }
}
