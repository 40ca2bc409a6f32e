/*
 * POSIX barriers on a kernel mutex and condition variable (<minios/sync.h>).
 * A cycle ends when the count-th thread arrives: it is the serial thread and
 * wakes the others.  pthread_barrier_destroy() may be called as soon as any
 * wait has returned, so it waits until the woken threads have all left the
 * barrier's memory before it returns.
 */
#include <errno.h>
#include <pthread.h>

#include <minios/sync.h>

#include "pthread_impl.h"

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
    attr->__minios_pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared)
{
    if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    attr->__minios_pshared = pshared;
    return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared)
{
    *pshared = attr->__minios_pshared;
    return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
                         unsigned int count)
{
    (void)attr; /* both pshared values behave alike in one address space */
    if (count == 0)
        return EINVAL;
    mutex_init(KMUTEX(b), false);
    condvar_init(KCONDVAR(b));
    b->__minios_count = count;
    b->__minios_arrived = 0;
    b->__minios_cycle = 0;
    b->__minios_leaving = 0;
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
    int rc = 0;

    mutex_lock(KMUTEX(b));
    if (b->__minios_arrived) {
        rc = EBUSY;
    } else {
        while (b->__minios_leaving)
            condvar_wait(KCONDVAR(b), KMUTEX(b));
        b->__minios_count = 0; /* a wait on a destroyed barrier: EINVAL */
    }
    mutex_unlock(KMUTEX(b));
    return rc;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
    unsigned int cycle;

    mutex_lock(KMUTEX(b));
    if (b->__minios_count == 0) {
        mutex_unlock(KMUTEX(b));
        return EINVAL;
    }
    cycle = b->__minios_cycle;
    if (++b->__minios_arrived == b->__minios_count) {
        b->__minios_arrived = 0;
        b->__minios_cycle++;
        b->__minios_leaving += b->__minios_count - 1;
        condvar_broadcast(KCONDVAR(b));
        mutex_unlock(KMUTEX(b));
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while (b->__minios_cycle == cycle)
        condvar_wait(KCONDVAR(b), KMUTEX(b));
    if (--b->__minios_leaving == 0)
        condvar_broadcast(KCONDVAR(b)); /* a destroy waiting for us */
    mutex_unlock(KMUTEX(b));
    return 0;
}
