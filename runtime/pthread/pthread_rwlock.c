/*
 * POSIX reader-writer locks on a kernel mutex and condition variable
 * (<minios/sync.h>): the mutex guards who holds the lock, blocked threads
 * wait on the condition variable.  Readers are preferred (as glibc does by
 * default), so a thread may take a read lock again while it holds one; a
 * steady stream of readers can keep a writer waiting.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>

#include <minios/sync.h>

#include "pthread_impl.h"

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
    attr->__minios_pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared)
{
    if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    attr->__minios_pshared = pshared;
    return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared)
{
    *pshared = attr->__minios_pshared;
    return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
    (void)attr; /* both pshared values behave alike in one address space */
    mutex_init(KMUTEX(rw), false);
    condvar_init(KCONDVAR(rw));
    rw->__minios_writer = NULL;
    rw->__minios_readers = 0;
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
    int rc = 0;

    mutex_lock(KMUTEX(rw));
    if (rw->__minios_writer || rw->__minios_readers)
        rc = EBUSY;
    mutex_unlock(KMUTEX(rw));
    return rc;
}

static bool is_busy(const pthread_rwlock_t *rw, bool write)
{
    return rw->__minios_writer || (write && rw->__minios_readers);
}

/* @abstime: NULL to wait forever; @try: EBUSY rather than wait. */
static int acquire(pthread_rwlock_t *rw, bool write, bool try, const struct timespec *abstime)
{
    pthread_t self = pthread_self();
    uint64_t deadline = NO_DEADLINE;
    bool have_deadline = false;
    int rc = 0;

    mutex_lock(KMUTEX(rw));
    if (rw->__minios_writer == self) {
        rc = EDEADLK;
        goto out;
    }
    while (is_busy(rw, write)) {
        if (try) {
            rc = EBUSY;
            goto out;
        }
        /* POSIX: the time is only checked when the thread has to wait. */
        if (abstime && !have_deadline) {
            rc = pthread_deadline_of(abstime, CLOCK_REALTIME, &deadline);
            if (rc)
                goto out;
            have_deadline = true;
        }
        if (!condvar_wait_until(KCONDVAR(rw), KMUTEX(rw), deadline) && is_busy(rw, write)) {
            rc = ETIMEDOUT;
            goto out;
        }
    }
    if (write)
        rw->__minios_writer = self;
    else if (rw->__minios_readers == UINT_MAX)
        rc = EAGAIN;
    else
        rw->__minios_readers++;
out:
    mutex_unlock(KMUTEX(rw));
    return rc;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
    return acquire(rw, false, false, NULL);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
    return acquire(rw, false, true, NULL);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
    return abstime ? acquire(rw, false, false, abstime) : EINVAL;
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
    return acquire(rw, true, false, NULL);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
    return acquire(rw, true, true, NULL);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
    return abstime ? acquire(rw, true, false, abstime) : EINVAL;
}

/*
 * Readers are not recorded one by one: an unlock by a thread that holds no
 * lock (undefined in POSIX) is refused only when nobody holds it.
 */
int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    int rc = 0;

    mutex_lock(KMUTEX(rw));
    if (rw->__minios_writer == pthread_self()) {
        rw->__minios_writer = NULL;
        condvar_broadcast(KCONDVAR(rw)); /* every reader, or the writers to race */
    } else if (rw->__minios_readers) {
        /* Only writers wait while readers hold it: the last reader lets one in. */
        if (--rw->__minios_readers == 0)
            condvar_signal(KCONDVAR(rw));
    } else {
        rc = EPERM;
    }
    mutex_unlock(KMUTEX(rw));
    return rc;
}
