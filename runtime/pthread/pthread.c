/*
 * POSIX threads: creation, joining, attributes, once, pinning -- thin
 * layers over minios threads (<minios/thread.h>).  A pthread_t is the
 * struct thread itself (pthread_impl.h).  Errors are returned, as POSIX has it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/thread.h>

#include "../libc/libc_thread.h"
#include "pthread_impl.h"

int pthread_attr_init(pthread_attr_t *attr)
{
    attr->stacksize = THREAD_STACK_DEFAULT;
    attr->detachstate = PTHREAD_CREATE_JOINABLE;
    attr->cpu = PTHREAD_ANY_CPU_NP;
    attr->initialised = 1;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    attr->initialised = 0;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
    if (size < PTHREAD_STACK_MIN)
        return EINVAL;
    attr->stacksize = size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->stacksize;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    attr->detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
    *state = attr->detachstate;
    return 0;
}

int pthread_attr_setcpu_np(pthread_attr_t *attr, int cpu)
{
    if (cpu != PTHREAD_ANY_CPU_NP && (cpu < 0 || cpu >= (int)smp_cpu_count()))
        return EINVAL;
    attr->cpu = cpu;
    return 0;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    struct thread_attr a = THREAD_ATTR_DEFAULT;

    a.name = "pthread";
    if (attr) {
        if (!attr->initialised)
            return EINVAL;
        a.stack_size = attr->stacksize;
        a.detached = attr->detachstate == PTHREAD_CREATE_DETACHED;
        a.cpu = attr->cpu;
    }
    *thread = pthread_of(thread_create(fn, arg, &a));
    return *thread ? 0 : EAGAIN;
}

int pthread_join(pthread_t thread, void **result)
{
    struct libc_thread *lt;

    if (!thread)
        return ESRCH;
    if (thread == pthread_self())
        return EDEADLK;
    lt = libc_thread_of(thread_of(thread), false);
    if (lt && lt->detached)
        return EINVAL;
    return thread_join(thread_of(thread), result) == 0 ? 0 : EINVAL;
}

int pthread_detach(pthread_t thread)
{
    struct libc_thread *lt;

    if (!thread)
        return ESRCH;
    lt = libc_thread_of(thread_of(thread), true);
    if (lt && lt->detached)
        return EINVAL;
    if (lt)
        lt->detached = true;
    thread_detach(thread_of(thread));
    return 0;
}

void pthread_exit(void *result)
{
    thread_exit(result);
}

pthread_t pthread_self(void)
{
    return pthread_of(thread_self());
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

int pthread_setcpu_np(pthread_t thread, int cpu)
{
    return thread_set_affinity(thread_of(thread), cpu) == 0 ? 0 : EINVAL;
}

/* --- once --- */

#define ONCE_NOT_RUN 0
#define ONCE_RUNNING 1
#define ONCE_DONE    2

/* One queue for everyone waiting on a once that another thread is running. */
static struct waitq once_waiters;

static bool once_finished(void *arg)
{
    return __atomic_load_n(&((pthread_once_t *)arg)->__minios_state, __ATOMIC_ACQUIRE) == ONCE_DONE;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
    int expected = ONCE_NOT_RUN;

    if (__atomic_load_n(&once->__minios_state, __ATOMIC_ACQUIRE) == ONCE_DONE)
        return 0;
    if (__atomic_compare_exchange_n(&once->__minios_state, &expected, ONCE_RUNNING, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        fn();
        __atomic_store_n(&once->__minios_state, ONCE_DONE, __ATOMIC_RELEASE);
        waitq_wake_all(&once_waiters);
        return 0;
    }
    waitq_wait(&once_waiters, once_finished, once, NO_DEADLINE);
    return 0;
}

/* --- sched.h extras that have nothing behind them --- */

int sched_get_priority_max(int policy)
{
    (void)policy;
    return 0;
}

int sched_get_priority_min(int policy)
{
    (void)policy;
    return 0;
}
