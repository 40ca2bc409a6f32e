/* Condition variables and pthread_once. */
#include "pthread_tests.h"
#include <stdbool.h>
#include <unistd.h>

/* --- condition variables --- */

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int items[4];
    int head, count;
    bool closed;
};

static void *producer(void *arg)
{
    struct queue *q = arg;

    for (int i = 1; i <= 5000; i++) {
        pthread_mutex_lock(&q->lock);
        while (q->count == 4)
            pthread_cond_wait(&q->not_full, &q->lock);
        q->items[(q->head + q->count++) % 4] = i;
        pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct queue *q = arg;
    long sum = 0;

    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->count == 0 && !q->closed)
            pthread_cond_wait(&q->not_empty, &q->lock);
        if (q->count == 0) {
            pthread_mutex_unlock(&q->lock);
            return (void *)sum;
        }
        sum += q->items[q->head];
        q->head = (q->head + 1) % 4;
        q->count--;
        pthread_cond_signal(&q->not_full);
        pthread_mutex_unlock(&q->lock);
    }
}

TEST_DEFINE(test_cond_producer_consumer, "condvars: 2 producers, 3 consumers, bounded queue")
{
    struct queue q = {.lock = PTHREAD_MUTEX_INITIALIZER,
                      .not_empty = PTHREAD_COND_INITIALIZER,
                      .not_full = PTHREAD_COND_INITIALIZER};
    pthread_t prod[2], cons[3];
    long total = 0;
    void *r;

    for (int i = 0; i < 3; i++)
        EXPECT_RC(pthread_create(&cons[i], NULL, consumer, &q), 0);
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_create(&prod[i], NULL, producer, &q), 0);
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_join(prod[i], NULL), 0);
    pthread_mutex_lock(&q.lock);
    q.closed = true;
    EXPECT_RC(pthread_cond_broadcast(&q.not_empty), 0);
    pthread_mutex_unlock(&q.lock);
    for (int i = 0; i < 3; i++) {
        EXPECT_RC(pthread_join(cons[i], &r), 0);
        total += (long)r;
    }
    CHECK(total == 2L * 5000 * 5001 / 2, "consumers summed %ld, want %ld", total,
          2L * 5000 * 5001 / 2);
}

TEST_DEFINE(test_cond_timedwait,
            "cond_timedwait on both clocks times out, never early; EPERM, EINVAL")
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_condattr_t attr;
    pthread_cond_t mono, real = PTHREAD_COND_INITIALIZER;
    clockid_t clock;

    EXPECT_RC(pthread_condattr_init(&attr), 0);
    EXPECT_RC(pthread_condattr_getclock(&attr, &clock), 0);
    CHECK(clock == CLOCK_REALTIME, "the default clock is %d", (int)clock);
    EXPECT_RC(pthread_condattr_setclock(&attr, 42), EINVAL);
    EXPECT_RC(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
    EXPECT_RC(pthread_cond_init(&mono, &attr), 0);
    EXPECT_RC(pthread_condattr_destroy(&attr), 0);

    EXPECT_RC(pthread_cond_wait(&mono, &m), EPERM); /* mutex not held */
    pthread_mutex_lock(&m);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec at = in_ms(CLOCK_MONOTONIC, 20);
    EXPECT_RC(pthread_cond_timedwait(&mono, &m, &at), ETIMEDOUT);
    uint64_t waited = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(waited >= 20000000ULL, "a 20 ms monotonic timedwait returned after %llu us",
          (unsigned long long)(waited / 1000));
    CHECK(pthread_mutex_trylock(&m) == EBUSY, "timedwait returned without the mutex");

    t0 = now_ns(CLOCK_MONOTONIC);
    at = in_ms(CLOCK_REALTIME, 20);
    EXPECT_RC(pthread_cond_timedwait(&real, &m, &at), ETIMEDOUT);
    waited = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(waited >= 20000000ULL, "a 20 ms realtime timedwait returned after %llu us",
          (unsigned long long)(waited / 1000));

    at = (struct timespec){0, 0}; /* long past */
    EXPECT_RC(pthread_cond_timedwait(&mono, &m, &at), ETIMEDOUT);
    at = (struct timespec){0, 2000000000L};
    EXPECT_RC(pthread_cond_timedwait(&mono, &m, &at), EINVAL);
    pthread_mutex_unlock(&m);
    EXPECT_RC(pthread_cond_destroy(&mono), 0);
    EXPECT_RC(pthread_cond_destroy(&real), 0);
}

struct wake_probe {
    pthread_mutex_t m;
    pthread_cond_t c;
    bool ready;
};

static void *signal_soon(void *arg)
{
    struct wake_probe *w = arg;

    usleep(10000);
    pthread_mutex_lock(&w->m);
    w->ready = true;
    pthread_cond_signal(&w->c);
    pthread_mutex_unlock(&w->m);
    return NULL;
}

TEST_DEFINE(test_cond_timedwait_woken, "a signal ends cond_timedwait before its deadline")
{
    struct wake_probe w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    pthread_t t;
    int rc = 0;

    EXPECT_RC(pthread_create(&t, NULL, signal_soon, &w), 0);
    pthread_mutex_lock(&w.m);
    struct timespec at = in_ms(CLOCK_REALTIME, 10000);
    while (!w.ready && rc == 0)
        rc = pthread_cond_timedwait(&w.c, &w.m, &at);
    pthread_mutex_unlock(&w.m);
    CHECK(rc == 0 && w.ready, "a signalled timedwait gave %d", rc);
    EXPECT_RC(pthread_join(t, NULL), 0);
}

/* --- once --- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static volatile int once_value;

static void slow_init(void)
{
    once_runs++;
    usleep(5000); /* others arrive while it runs */
    once_value = 42;
}

static void *call_once(void *arg)
{
    (void)arg;
    pthread_once(&once, slow_init);
    return (void *)(intptr_t)once_value;
}

TEST_DEFINE(test_once, "pthread_once runs once; no caller returns before it finished")
{
    pthread_t t[8];
    void *r;
    int early = 0;

    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, call_once, NULL), 0);
    for (int i = 0; i < 8; i++) {
        EXPECT_RC(pthread_join(t[i], &r), 0);
        early += (intptr_t)r != 42;
    }
    EXPECT_RC(pthread_once(&once, slow_init), 0);
    CHECK(once_runs == 1, "the once function ran %d times", once_runs);
    CHECK(early == 0, "%d threads returned from pthread_once before it finished", early);
}
