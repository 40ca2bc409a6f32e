/*
 * The slow path of spin_lock() (<minios/spinlock.h>): spin until the lock
 * is free, and call it a deadlock after SPIN_LIMIT_NS.  A holder is only
 * ever descheduled by the hypervisor or the host, for milliseconds, so 30 s
 * is no legitimate wait; a waiter past it would otherwise spin for ever,
 * usually with events off, so that not even the state dump could run.
 * The clock is read every 64 Ki spins: as PVH under TCG a read exits to Xen.
 */
#include <minios/kernel.h>
#include <minios/spinlock.h>
#include <minios/time.h>

#define SPIN_LIMIT_NS  (30 * NSEC_PER_SEC)
#define SPINS_PER_LOOK (1U << 16)

void spin_lock_contended(spinlock_t *lock)
{
    uint64_t start = 0;
    unsigned int spins = 0;

    while (!spin_trylock(lock)) {
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
            cpu_relax();
            if (++spins % SPINS_PER_LOOK)
                continue;
            uint64_t now = monotonic_ns();

            if (!start)
                start = now;
            else if (now - start > SPIN_LIMIT_NS)
                panic("spinlock %p still held after %lu s of waiting (events %s): a deadlock",
                      (void *)lock, (unsigned long)(SPIN_LIMIT_NS / NSEC_PER_SEC),
                      local_irq_is_enabled() ? "on" : "off");
        }
    }
}
