/*
 * C11 threads (<threads.h>): the same guarantees as the pthreads they are
 * built on, through C11's names and result codes.
 */
#include <threads.h>

#include "pthread_tests.h"

#define C11_WORKERS 4
#define C11_ROUNDS  10000

static mtx_t counter_lock;
static long counter;
static tss_t slot;
static int destructed;
static once_flag once = ONCE_FLAG_INIT;
static int once_runs;

static void count_once(void)
{
    once_runs++;
}

static void note_destruction(void *value)
{
    __atomic_fetch_add(&destructed, (int)(intptr_t)value, __ATOMIC_RELAXED);
}

static int worker(void *arg)
{
    int id = (int)(intptr_t)arg;

    call_once(&once, count_once);
    if (tss_set(slot, (void *)(intptr_t)(id + 1)) != thrd_success)
        return -1;
    for (int i = 0; i < C11_ROUNDS; i++) {
        mtx_lock(&counter_lock);
        counter++;
        mtx_unlock(&counter_lock);
        if (i % 1000 == 0)
            thrd_yield();
    }
    /* Each thread sees its own value, untouched by the others. */
    return (int)(intptr_t)tss_get(slot) == id + 1 ? id * 10 : -1;
}

TEST_DEFINE(test_c11_threads, "thrd_create/join, mtx, tss with destructors, call_once")
{
    thrd_t t[C11_WORKERS];

    CHECK(mtx_init(&counter_lock, mtx_plain) == thrd_success, "mtx_init");
    CHECK(tss_create(&slot, note_destruction) == thrd_success, "tss_create");
    for (int i = 0; i < C11_WORKERS; i++)
        CHECK(thrd_create(&t[i], worker, (void *)(intptr_t)i) == thrd_success, "thrd_create %d", i);
    for (int i = 0; i < C11_WORKERS; i++) {
        int res = -100;

        CHECK(thrd_join(t[i], &res) == thrd_success && res == i * 10,
              "thread %d ended with %d, want %d", i, res, i * 10);
    }
    CHECK(counter == (long)C11_WORKERS * C11_ROUNDS, "counter %ld, want %d", counter,
          C11_WORKERS * C11_ROUNDS);
    CHECK(once_runs == 1, "call_once ran %d times", once_runs);
    /* Destructors ran once per thread with its value: 1 + 2 + 3 + 4. */
    CHECK(destructed == 10, "destructors saw %d, want 10", destructed);
    CHECK(thrd_equal(thrd_current(), thrd_current()), "thrd_current differs from itself");
    tss_delete(slot);
    mtx_destroy(&counter_lock);
}

/* Holds @arg for 100 ms: long enough for the other thread's try and timed lock. */
static int hold_awhile(void *arg)
{
    mtx_t *m = arg;

    mtx_lock(m);
    thrd_sleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    mtx_unlock(m);
    return 0;
}

TEST_DEFINE(test_c11_mutex_kinds, "mtx_trylock busy, mtx_timedlock times out, recursive, bad type")
{
    mtx_t m, r;
    thrd_t t;

    CHECK(mtx_init(&m, mtx_timed) == thrd_success, "mtx_init(timed)");
    CHECK(mtx_init(&r, mtx_plain | mtx_recursive) == thrd_success, "mtx_init(recursive)");
    CHECK(mtx_init(&r, 0x40) == thrd_error, "a type C11 does not define was accepted");
    CHECK(mtx_init(&r, mtx_plain | mtx_recursive) == thrd_success, "mtx_init(recursive)");

    /* Held by another thread: busy, then a timeout, then ours once it lets go. */
    CHECK(thrd_create(&t, hold_awhile, &m) == thrd_success, "thrd_create");
    thrd_sleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
    CHECK(mtx_trylock(&m) == thrd_busy, "mtx_trylock of a held mutex is not thrd_busy");
    /* C11's TIME_UTC is CLOCK_REALTIME (newlib 3.3 has no timespec_get). */
    struct timespec soon = in_ms(CLOCK_REALTIME, 10);
    CHECK(mtx_timedlock(&m, &soon) == thrd_timedout, "mtx_timedlock of a held mutex");
    CHECK(mtx_lock(&m) == thrd_success, "mtx_lock after the holder let go");
    mtx_unlock(&m);
    CHECK(thrd_join(t, NULL) == thrd_success, "thrd_join");

    CHECK(mtx_lock(&r) == thrd_success && mtx_lock(&r) == thrd_success,
          "a recursive mutex taken twice");
    mtx_unlock(&r);
    mtx_unlock(&r);
    CHECK(thrd_sleep(&(struct timespec){.tv_nsec = -1}, NULL) < -1,
          "thrd_sleep of a bad duration is not a negative error other than -1");
    mtx_destroy(&m);
    mtx_destroy(&r);
}

static mtx_t ready_lock;
static cnd_t ready;
static int ready_flag;

static int set_ready(void *unused)
{
    (void)unused;
    mtx_lock(&ready_lock);
    ready_flag = 1;
    cnd_signal(&ready);
    mtx_unlock(&ready_lock);
    return 0;
}

TEST_DEFINE(test_c11_condvars, "cnd_wait wakes on cnd_signal; cnd_timedwait times out")
{
    thrd_t t;
    struct timespec soon;

    CHECK(mtx_init(&ready_lock, mtx_plain) == thrd_success && cnd_init(&ready) == thrd_success,
          "init");
    mtx_lock(&ready_lock);
    CHECK(thrd_create(&t, set_ready, NULL) == thrd_success, "thrd_create");
    while (!ready_flag)
        CHECK(cnd_wait(&ready, &ready_lock) == thrd_success, "cnd_wait");
    soon = in_ms(CLOCK_REALTIME, 20);
    CHECK(cnd_timedwait(&ready, &ready_lock, &soon) == thrd_timedout,
          "cnd_timedwait without a signal did not time out");
    mtx_unlock(&ready_lock);
    CHECK(thrd_join(t, NULL) == thrd_success, "thrd_join");
    cnd_destroy(&ready);
    mtx_destroy(&ready_lock);
}
