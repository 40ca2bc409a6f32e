/*
 * POSIX spin locks.  The lock word holds its owner's pthread_t, so relocking
 * and unlocking by another thread are errors rather than hangs.  Threads are
 * scheduled cooperatively: a waiter spins briefly (the holder may be running
 * on another vCPU) and then yields, or on one vCPU the holder would never
 * run again to release it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include <minios/compiler.h>
#include <minios/thread.h>

#include "pthread_impl.h"

/* Rounds of pause between yields: a few microseconds. */
#define SPINS_BEFORE_YIELD 128

int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
    if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    __atomic_store_n(s, 0, __ATOMIC_RELEASE);
    return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
    return __atomic_load_n(s, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

static bool try_take(pthread_spinlock_t *s, unsigned long self)
{
    unsigned long expected = 0;

    return __atomic_compare_exchange_n(s, &expected, self, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
    unsigned long self = (unsigned long)pthread_self();

    if (__atomic_load_n(s, __ATOMIC_RELAXED) == self)
        return EDEADLK;
    while (!try_take(s, self)) {
        for (int i = 0; i < SPINS_BEFORE_YIELD && __atomic_load_n(s, __ATOMIC_RELAXED); i++)
            cpu_relax();
        if (__atomic_load_n(s, __ATOMIC_RELAXED))
            thread_yield();
    }
    return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
    return try_take(s, (unsigned long)pthread_self()) ? 0 : EBUSY;
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
    if (__atomic_load_n(s, __ATOMIC_RELAXED) != (unsigned long)pthread_self())
        return EPERM;
    __atomic_store_n(s, 0, __ATOMIC_RELEASE);
    return 0;
}
