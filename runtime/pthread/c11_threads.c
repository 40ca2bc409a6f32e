/*
 * C11 threads (<threads.h>) on our POSIX threads: each function is the
 * pthread call that does the same, with C11's result codes (thrd_success,
 * thrd_busy, thrd_timedout, thrd_nomem, thrd_error) for POSIX's errnos.
 * C11's timed waits take TIME_UTC times, which is CLOCK_REALTIME, the
 * default clock of pthread_mutex_timedlock and pthread_cond_timedwait.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

_Static_assert(sizeof(thrd_t) == sizeof(pthread_t), "a C11 thread is a pthread");

static int result(int err)
{
    switch (err) {
    case 0:
        return thrd_success;
    case EBUSY:
        return thrd_busy;
    case ETIMEDOUT:
        return thrd_timedout;
    case ENOMEM:
    case EAGAIN:
        return thrd_nomem;
    default:
        return thrd_error;
    }
}

/* What a C11 thread runs: int fn(void *), its int carried in the pthread's result. */
struct start {
    thrd_start_t fn;
    void *arg;
};

static void *run(void *p)
{
    struct start s = *(struct start *)p;

    free(p);
    return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
    struct start *s = malloc(sizeof(*s));
    int err;

    if (!s)
        return thrd_nomem;
    s->fn = fn;
    s->arg = arg;
    err = pthread_create(t, NULL, run, s);
    if (err)
        free(s);
    return result(err);
}

int thrd_join(thrd_t t, int *res)
{
    void *ret;
    int err = pthread_join(t, &ret);

    if (!err && res)
        *res = (int)(intptr_t)ret;
    return result(err);
}

_Noreturn void thrd_exit(int res)
{
    pthread_exit((void *)(intptr_t)res);
}

thrd_t thrd_current(void)
{
    return pthread_self();
}

int thrd_equal(thrd_t a, thrd_t b)
{
    return pthread_equal(a, b);
}

int thrd_detach(thrd_t t)
{
    return result(pthread_detach(t));
}

void thrd_yield(void)
{
    sched_yield();
}

/* 0 when the time passed; C11's -1 (a signal) cannot happen here; -2 for bad input. */
int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
    return nanosleep(duration, remaining) == 0 ? 0 : -2;
}

int mtx_init(mtx_t *m, int type)
{
    pthread_mutexattr_t attr;
    int err;

    /* C11's four: plain or timed, either one recursive or not. */
    if ((type & ~mtx_recursive) != mtx_plain && (type & ~mtx_recursive) != mtx_timed)
        return thrd_error;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, type & mtx_recursive ? PTHREAD_MUTEX_RECURSIVE
                                                          : PTHREAD_MUTEX_NORMAL);
    err = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return result(err);
}

int mtx_lock(mtx_t *m)
{
    return result(pthread_mutex_lock(m));
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict deadline)
{
    return result(pthread_mutex_timedlock(m, deadline));
}

int mtx_trylock(mtx_t *m)
{
    return result(pthread_mutex_trylock(m));
}

int mtx_unlock(mtx_t *m)
{
    return result(pthread_mutex_unlock(m));
}

void mtx_destroy(mtx_t *m)
{
    pthread_mutex_destroy(m);
}

int cnd_init(cnd_t *c)
{
    return result(pthread_cond_init(c, NULL));
}

int cnd_signal(cnd_t *c)
{
    return result(pthread_cond_signal(c));
}

int cnd_broadcast(cnd_t *c)
{
    return result(pthread_cond_broadcast(c));
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
    return result(pthread_cond_wait(c, m));
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict deadline)
{
    return result(pthread_cond_timedwait(c, m, deadline));
}

void cnd_destroy(cnd_t *c)
{
    pthread_cond_destroy(c);
}

int tss_create(tss_t *key, tss_dtor_t dtor)
{
    return result(pthread_key_create(key, dtor));
}

void *tss_get(tss_t key)
{
    return pthread_getspecific(key);
}

int tss_set(tss_t key, void *value)
{
    return result(pthread_setspecific(key, value));
}

void tss_delete(tss_t key)
{
    pthread_key_delete(key);
}

void call_once(once_flag *flag, void (*fn)(void))
{
    pthread_once(flag, fn);
}
