/*
 * Spinlocks.
 *
 * A test-and-test-and-set lock rather than a ticket lock: under a hypervisor
 * the vCPU whose turn a ticket lock insists on may not be running, and every
 * other waiter would then spin behind it.  Hold spinlocks briefly and never
 * across anything that sleeps.
 */
#ifndef MINIOS_SPINLOCK_H
#define MINIOS_SPINLOCK_H

#include <stdbool.h>
#include <minios/compiler.h>
#include <minios/irqflags.h>

#pragma GCC visibility push(default)

typedef struct {
    unsigned int locked;
} spinlock_t;

/* clang-format off */
#define SPINLOCK_INIT { 0 }
/* clang-format on */

/*
 * While a test runs under a recovery point (<minios/test.h>), the locks it
 * takes are recorded, so that the runner can release those a fault or a
 * timeout left held: then taking and releasing go through the recorded
 * versions, which do the lock operation and its record with events masked
 * (no upcall can end the test between the two).  Otherwise one flag test.
 */
extern bool spinlock_recording;
bool spin_trylock_recorded(spinlock_t *lock);
void spin_unlock_recorded(spinlock_t *lock);

static inline bool spin_trylock(spinlock_t *lock)
{
    if (__builtin_expect(__atomic_load_n(&spinlock_recording, __ATOMIC_RELAXED), 0))
        return spin_trylock_recorded(lock);
    return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/*
 * Out of line, the wait for a lock someone holds: it spins, and a lock still
 * held after the limit (30 s unless set) is a deadlock (locks are held for
 * microseconds), reported by a panic with this vCPU's backtrace and every
 * thread's rather than a silent hang with events off (kernel/spinlock.c).
 */
void spin_lock_contended(spinlock_t *lock);

/* The deadlock limit, in whole seconds (at least 1); returns the old one. */
unsigned int spin_lock_set_limit(unsigned int seconds);

static inline void spin_lock(spinlock_t *lock)
{
    if (__builtin_expect(!spin_trylock(lock), 0))
        spin_lock_contended(lock);
}

static inline void spin_unlock(spinlock_t *lock)
{
    if (__builtin_expect(__atomic_load_n(&spinlock_recording, __ATOMIC_RELAXED), 0))
        spin_unlock_recorded(lock);
    else
        __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/*
 * The variants to use for any lock an event handler may also take: events
 * stay masked on this vCPU while the lock is held, so a handler cannot
 * interrupt the holder and spin on it forever.
 */
static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
    unsigned long flags = local_irq_save();

    spin_lock(lock);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
    spin_unlock(lock);
    local_irq_restore(flags);
}

static inline bool spin_is_locked(const spinlock_t *lock)
{
    return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

#pragma GCC visibility pop

#endif /* MINIOS_SPINLOCK_H */
