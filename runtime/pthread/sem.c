/*
 * POSIX unnamed semaphores (<semaphore.h>) on the kernel's counting
 * semaphores (<minios/sync.h>).  POSIX reports their errors through errno.
 * The count is read without the kernel's lock for sem_getvalue() and for
 * the SEM_VALUE_MAX check: a value it had during the call, as POSIX allows.
 */
#include <errno.h>
#include <semaphore.h>

#include <minios/sync.h>

#include "pthread_impl.h"

static int fail(int err)
{
    errno = err;
    return -1;
}

static long count_of(sem_t *sem)
{
    return __atomic_load_n(&KSEMAPHORE(sem)->count, __ATOMIC_RELAXED);
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
    (void)pshared; /* one address space: shared and private are alike */
    if (value > SEM_VALUE_MAX)
        return fail(EINVAL);
    semaphore_init(KSEMAPHORE(sem), (long)value);
    return 0;
}

int sem_destroy(sem_t *sem)
{
    (void)sem;
    return 0;
}

int sem_wait(sem_t *sem)
{
    semaphore_down(KSEMAPHORE(sem));
    return 0;
}

int sem_trywait(sem_t *sem)
{
    return semaphore_trydown(KSEMAPHORE(sem)) ? 0 : fail(EAGAIN);
}

int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
    uint64_t deadline;
    int rc;

    /* POSIX: the time is only checked when the caller has to wait. */
    if (semaphore_trydown(KSEMAPHORE(sem)))
        return 0;
    rc = pthread_deadline_of(abstime, CLOCK_REALTIME, &deadline);
    if (rc)
        return fail(rc);
    return semaphore_down_until(KSEMAPHORE(sem), deadline) ? 0 : fail(ETIMEDOUT);
}

int sem_post(sem_t *sem)
{
    if (count_of(sem) >= SEM_VALUE_MAX)
        return fail(EOVERFLOW);
    semaphore_up(KSEMAPHORE(sem));
    return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
    *value = (int)count_of(sem);
    return 0;
}
