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

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    attr->type = PTHREAD_MUTEX_DEFAULT;
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
    attr->type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
    *type = attr->type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    m->type = attr ? attr->type : PTHREAD_MUTEX_DEFAULT;
    mutex_init(&m->m, m->type == PTHREAD_MUTEX_RECURSIVE);
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return mutex_is_free(&m->m) ? 0 : EBUSY;
}

/* A monotonic deadline from an absolute time on @clock. */
static int deadline_of(const struct timespec *abstime, clockid_t clock, uint64_t *deadline)
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
    if (mutex_owned_by_me(&m->m)) {
        if (m->type == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
        if (m->type == PTHREAD_MUTEX_NORMAL)
            return EDEADLK; /* POSIX: a deadlock; we refuse instead of hanging */
    }
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    int rc = check_relock(m);

    if (rc)
        return rc;
    mutex_lock(&m->m);
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    if (m->type != PTHREAD_MUTEX_RECURSIVE && mutex_owned_by_me(&m->m))
        return m->type == PTHREAD_MUTEX_ERRORCHECK ? EDEADLK : EBUSY;
    return mutex_trylock(&m->m) ? 0 : EBUSY;
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
    uint64_t deadline;
    int rc = check_relock(m);

    if (rc)
        return rc;
    if (mutex_trylock(&m->m))
        return 0;
    rc = deadline_of(abstime, CLOCK_REALTIME, &deadline);
    if (rc)
        return rc;
    return mutex_lock_until(&m->m, deadline) ? 0 : ETIMEDOUT;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (!mutex_owned_by_me(&m->m))
        return EPERM;
    mutex_unlock(&m->m);
    return 0;
}

/* --- condition variables --- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
    attr->clock = CLOCK_REALTIME;
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
    attr->clock = clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
    *clock = attr->clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
    condvar_init(&c->c);
    c->clock = attr ? attr->clock : CLOCK_REALTIME;
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
    (void)c;
    return 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (!mutex_owned_by_me(&m->m))
        return EPERM;
    condvar_wait(&c->c, &m->m);
    return 0;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
    uint64_t deadline;
    int rc;

    if (!mutex_owned_by_me(&m->m))
        return EPERM;
    rc = deadline_of(abstime, c->clock, &deadline);
    if (rc)
        return rc;
    return condvar_wait_until(&c->c, &m->m, deadline) ? 0 : ETIMEDOUT;
}

int pthread_cond_signal(pthread_cond_t *c)
{
    condvar_signal(&c->c);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    condvar_broadcast(&c->c);
    return 0;
}
