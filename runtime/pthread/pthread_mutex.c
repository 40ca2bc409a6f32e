/*
 * POSIX mutexes and condition variables on kernel ones (<minios/sync.h>).
 * The kernel mutex panics on misuse (a normal mutex locked twice by its
 * owner, unlocked by another thread); POSIX wants errors for error-checking
 * mutexes, so those cases are caught here first.  Absolute times are on
 * CLOCK_REALTIME (mutexes, condition variables by default) or
 * CLOCK_MONOTONIC, converted to the kernel's monotonic deadlines.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>

#include "pthread_impl.h"

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    attr->__minios_type = PTHREAD_MUTEX_DEFAULT;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    attr->__minios_type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
    *type = attr->__minios_type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    m->__minios_type = attr ? attr->__minios_type : PTHREAD_MUTEX_DEFAULT;
    mutex_init(KMUTEX(m), m->__minios_type == PTHREAD_MUTEX_RECURSIVE);
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return mutex_is_free(KMUTEX(m)) ? 0 : EBUSY;
}

int pthread_deadline_of(const struct timespec *abstime, clockid_t clock, uint64_t *deadline)
{
    uint64_t now_on_clock, abs_ns;

    if (!abstime || abstime->tv_nsec < 0 || abstime->tv_nsec >= (long)NSEC_PER_SEC ||
        abstime->tv_sec < 0)
        return EINVAL;
    abs_ns = (uint64_t)abstime->tv_sec * NSEC_PER_SEC + (uint64_t)abstime->tv_nsec;
    now_on_clock = clock == CLOCK_MONOTONIC ? monotonic_ns() : wallclock_ns();
    *deadline = monotonic_ns() + (abs_ns > now_on_clock ? abs_ns - now_on_clock : 0);
    return 0;
}

/* The error-checking cases POSIX defines, before the kernel mutex sees them. */
static int check_relock(pthread_mutex_t *m)
{
    if (mutex_owned_by_me(KMUTEX(m))) {
        if (m->__minios_type == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
        if (m->__minios_type == PTHREAD_MUTEX_NORMAL)
            return EDEADLK; /* POSIX: a deadlock; we refuse instead of hanging */
    }
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    int rc = check_relock(m);

    if (rc)
        return rc;
    mutex_lock(KMUTEX(m));
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    if (m->__minios_type != PTHREAD_MUTEX_RECURSIVE && mutex_owned_by_me(KMUTEX(m)))
        return m->__minios_type == PTHREAD_MUTEX_ERRORCHECK ? EDEADLK : EBUSY;
    return mutex_trylock(KMUTEX(m)) ? 0 : EBUSY;
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
    uint64_t deadline;
    int rc = check_relock(m);

    if (rc)
        return rc;
    if (mutex_trylock(KMUTEX(m)))
        return 0;
    rc = pthread_deadline_of(abstime, CLOCK_REALTIME, &deadline);
    if (rc)
        return rc;
    return mutex_lock_until(KMUTEX(m), deadline) ? 0 : ETIMEDOUT;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (!mutex_owned_by_me(KMUTEX(m)))
        return EPERM;
    mutex_unlock(KMUTEX(m));
    return 0;
}

/* --- condition variables --- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
    attr->__minios_clock = CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return EINVAL;
    attr->__minios_clock = clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
    *clock = attr->__minios_clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
    condvar_init(KCONDVAR(c));
    c->__minios_clock = attr ? attr->__minios_clock : CLOCK_REALTIME;
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
    (void)c;
    return 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (!mutex_owned_by_me(KMUTEX(m)))
        return EPERM;
    condvar_wait(KCONDVAR(c), KMUTEX(m));
    return 0;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
    uint64_t deadline;
    int rc;

    if (!mutex_owned_by_me(KMUTEX(m)))
        return EPERM;
    rc = pthread_deadline_of(abstime, c->__minios_clock, &deadline);
    if (rc)
        return rc;
    return condvar_wait_until(KCONDVAR(c), KMUTEX(m), deadline) ? 0 : ETIMEDOUT;
}

int pthread_cond_signal(pthread_cond_t *c)
{
    condvar_signal(KCONDVAR(c));
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    condvar_broadcast(KCONDVAR(c));
    return 0;
}
