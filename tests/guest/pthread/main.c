/*
 * POSIX threads on minios, one test per function family, each checking
 * what the function does and the errors POSIX says it returns.  Run with
 * 1 and 4 vCPUs by tests/guest.sh; the tests that need several vCPUs say so.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <minios/smp.h>
#include <minios/test.h>
#include <minios/thread.h>

#define EXPECT_RC(call, want)                                                   \
    do {                                                                        \
        int rc_ = (call);                                                       \
        CHECK(rc_ == (want), "%s returned %d (%s), want %d (%s)", #call, rc_,  \
              strerror(rc_), (want), strerror(want));                           \
    } while (0)

static uint64_t now_ns(clockid_t clock)
{
    struct timespec t;

    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static struct timespec in_ms(clockid_t clock, long ms)
{
    uint64_t at = now_ns(clock) + (uint64_t)ms * 1000000ULL;

    return (struct timespec){ (time_t)(at / 1000000000ULL), (long)(at % 1000000000ULL) };
}

/* --- create, join, detach, exit, self, equal --- */

static void *return_arg_plus_one(void *arg)
{
    return (void *)((intptr_t)arg + 1);
}

static void *exit_early(void *arg)
{
    pthread_exit((void *)((intptr_t)arg * 2));
    return NULL;    /* not reached */
}

static void *report_self(void *arg)
{
    *(pthread_t *)arg = pthread_self();
    return NULL;
}

static void test_create_join(void)
{
    enum { N = 32 };
    pthread_t t[N];
    void *r;
    int bad = 0;

    for (int i = 0; i < N; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, i % 2 ? return_arg_plus_one : exit_early,
                                 (void *)(intptr_t)i), 0);
    for (int i = 0; i < N; i++) {
        EXPECT_RC(pthread_join(t[i], &r), 0);
        bad += (intptr_t)r != (i % 2 ? i + 1 : i * 2);
    }
    CHECK(bad == 0, "%d threads returned the wrong value", bad);

    pthread_t seen;
    EXPECT_RC(pthread_create(&t[0], NULL, report_self, &seen), 0);
    EXPECT_RC(pthread_join(t[0], NULL), 0);
    CHECK(pthread_equal(seen, t[0]), "pthread_self() in the thread differs from its pthread_t");
    CHECK(!pthread_equal(pthread_self(), t[0]), "two threads compare equal");
    CHECK(pthread_equal(pthread_self(), pthread_self()), "pthread_self() is not equal to itself");

    EXPECT_RC(pthread_join(pthread_self(), NULL), EDEADLK);
}

static volatile int detached_ran;

static void *mark_detached_ran(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&detached_ran, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static volatile int release_detached;

static void *wait_then_mark(void *arg)
{
    while (!__atomic_load_n(&release_detached, __ATOMIC_SEQ_CST))
        sched_yield();
    return mark_detached_ran(arg);
}

static void test_detach(void)
{
    pthread_attr_t attr;
    pthread_t t;
    int state;

    detached_ran = 0;
    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_getdetachstate(&attr, &state), 0);
    CHECK(state == PTHREAD_CREATE_JOINABLE, "threads are not joinable by default");
    EXPECT_RC(pthread_attr_setdetachstate(&attr, 12345), EINVAL);
    EXPECT_RC(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
    EXPECT_RC(pthread_attr_getdetachstate(&attr, &state), 0);
    CHECK(state == PTHREAD_CREATE_DETACHED, "the detach state did not stick");
    for (int i = 0; i < 10; i++)
        EXPECT_RC(pthread_create(&t, &attr, mark_detached_ran, NULL), 0);
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    /*
     * Detached after creation; joining or detaching it again is an error
     * while it lives (once it ends, its pthread_t is gone: POSIX leaves
     * using it undefined), so it waits for the checks.
     */
    release_detached = 0;
    EXPECT_RC(pthread_create(&t, NULL, wait_then_mark, NULL), 0);
    EXPECT_RC(pthread_detach(t), 0);
    EXPECT_RC(pthread_join(t, NULL), EINVAL);
    EXPECT_RC(pthread_detach(t), EINVAL);
    __atomic_store_n(&release_detached, 1, __ATOMIC_SEQ_CST);

    for (int i = 0; i < 1000 && detached_ran < 11; i++)
        usleep(1000);
    CHECK(detached_ran == 11, "%d of 11 detached threads ran", detached_ran);
}

static void *use_stack(void *arg)
{
    size_t bytes = (size_t)arg;
    volatile unsigned char *buf = __builtin_alloca(bytes);

    for (size_t i = 0; i < bytes; i += 4096)
        buf[i] = (unsigned char)i;
    return (void *)(uintptr_t)buf[0];
}

static void test_stack_size(void)
{
    pthread_attr_t attr;
    pthread_t t;
    size_t size;

    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1), EINVAL);
    EXPECT_RC(pthread_attr_setstacksize(&attr, 1 << 20), 0);
    EXPECT_RC(pthread_attr_getstacksize(&attr, &size), 0);
    CHECK(size == 1 << 20, "getstacksize gave %zu", size);
    /* 900 KiB of locals: only fits the 1 MiB stack asked for. */
    EXPECT_RC(pthread_create(&t, &attr, use_stack, (void *)(size_t)(900 << 10)), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    pthread_attr_t never_initialised;
    memset(&never_initialised, 0, sizeof(never_initialised));
    EXPECT_RC(pthread_create(&t, &never_initialised, use_stack, (void *)4096), EINVAL);
}

/* --- pinning to a vCPU (minios extension) --- */

static void *where_am_i(void *arg)
{
    int *cpus = arg;

    for (int i = 0; i < 50; i++) {
        cpus[i] = (int)thread_cpu();
        sched_yield();
    }
    return NULL;
}

static void test_pin(void)
{
    int n = (int)smp_cpu_count();
    pthread_attr_t attr;
    pthread_t t;
    int cpus[50];

    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_setcpu_np(&attr, n), EINVAL);
    EXPECT_RC(pthread_attr_setcpu_np(&attr, -2), EINVAL);
    for (int cpu = 0; cpu < n; cpu++) {
        int wrong = 0;

        EXPECT_RC(pthread_attr_setcpu_np(&attr, cpu), 0);
        EXPECT_RC(pthread_create(&t, &attr, where_am_i, cpus), 0);
        EXPECT_RC(pthread_join(t, NULL), 0);
        for (int i = 0; i < 50; i++)
            wrong += cpus[i] != cpu;
        CHECK(wrong == 0, "a thread pinned to vCPU %d ran %d of 50 times elsewhere", cpu, wrong);
    }
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    /* Re-pinning the running thread moves it. */
    int last = n - 1;
    EXPECT_RC(pthread_setcpu_np(pthread_self(), last), 0);
    sched_yield();
    CHECK((int)thread_cpu() == last, "re-pinned to vCPU %d, running on %u", last, thread_cpu());
    EXPECT_RC(pthread_setcpu_np(pthread_self(), PTHREAD_ANY_CPU_NP), 0);
    EXPECT_RC(pthread_setcpu_np(pthread_self(), n + 5), EINVAL);
}

/* --- mutexes --- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_under_lock(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 64 == 0)
            sched_yield();      /* let others try the lock while it is held */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void test_mutex_exclusion(void)
{
    pthread_t t[8];

    counter = 0;
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, add_under_lock, NULL), 0);
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_join(t[i], NULL), 0);
    CHECK(counter == 8 * 20000, "counter is %ld, want %d: the mutex let two in", counter,
          8 * 20000);
}

struct lock_probe {
    pthread_mutex_t *m;
    int trylock_rc;
    int unlock_rc;
    int timedlock_rc;
};

static void *probe_other_thread(void *arg)
{
    struct lock_probe *p = arg;
    struct timespec soon = in_ms(CLOCK_REALTIME, 20);

    p->trylock_rc = pthread_mutex_trylock(p->m);
    p->unlock_rc = pthread_mutex_unlock(p->m);
    p->timedlock_rc = pthread_mutex_timedlock(p->m, &soon);
    return NULL;
}

static void test_mutex_types(void)
{
    pthread_mutexattr_t attr;
    pthread_mutex_t m;
    pthread_t t;
    int type;

    EXPECT_RC(pthread_mutexattr_init(&attr), 0);
    EXPECT_RC(pthread_mutexattr_gettype(&attr, &type), 0);
    CHECK(type == PTHREAD_MUTEX_DEFAULT, "default mutex type is %d", type);
    EXPECT_RC(pthread_mutexattr_settype(&attr, 99), EINVAL);

    /* Error-checking: relock, trylock and unlock by a non-owner are errors. */
    EXPECT_RC(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), 0);
    EXPECT_RC(pthread_mutex_init(&m, &attr), 0);
    EXPECT_RC(pthread_mutex_unlock(&m), EPERM);
    EXPECT_RC(pthread_mutex_lock(&m), 0);
    EXPECT_RC(pthread_mutex_lock(&m), EDEADLK);
    EXPECT_RC(pthread_mutex_trylock(&m), EDEADLK);
    EXPECT_RC(pthread_mutex_destroy(&m), EBUSY);
    struct lock_probe p = { .m = &m };
    EXPECT_RC(pthread_create(&t, NULL, probe_other_thread, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.trylock_rc == EBUSY, "trylock of a held mutex by another thread gave %d", p.trylock_rc);
    CHECK(p.unlock_rc == EPERM, "unlock by a non-owner gave %d", p.unlock_rc);
    CHECK(p.timedlock_rc == ETIMEDOUT, "timedlock of a held mutex gave %d", p.timedlock_rc);
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_destroy(&m), 0);

    /* Recursive: the owner may lock again, and must unlock as often. */
    EXPECT_RC(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE), 0);
    EXPECT_RC(pthread_mutex_init(&m, &attr), 0);
    EXPECT_RC(pthread_mutex_lock(&m), 0);
    EXPECT_RC(pthread_mutex_lock(&m), 0);
    EXPECT_RC(pthread_mutex_trylock(&m), 0);
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    p = (struct lock_probe){ .m = &m };
    EXPECT_RC(pthread_create(&t, NULL, probe_other_thread, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.trylock_rc == EBUSY, "a recursive mutex held once more was free to another thread");
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_unlock(&m), EPERM);
    EXPECT_RC(pthread_mutex_destroy(&m), 0);

    /* Normal: free again after unlock; timedlock rejects a bad time. */
    EXPECT_RC(pthread_mutex_init(&m, NULL), 0);
    EXPECT_RC(pthread_mutex_trylock(&m), 0);
    EXPECT_RC(pthread_mutex_trylock(&m), EBUSY);
    struct timespec bad = { 0, 1000000000L };
    p = (struct lock_probe){ .m = &m };
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_lock(&m), 0);
    EXPECT_RC(pthread_create(&t, NULL, probe_other_thread, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.timedlock_rc == ETIMEDOUT, "timedlock of a held normal mutex gave %d", p.timedlock_rc);
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_timedlock(&m, &bad), 0);    /* free: the time is not looked at */
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_destroy(&m), 0);
    EXPECT_RC(pthread_mutexattr_destroy(&attr), 0);
}

static void *hold_for_a_while(void *arg)
{
    pthread_mutex_t *m = arg;

    pthread_mutex_lock(m);
    usleep(30000);
    pthread_mutex_unlock(m);
    return NULL;
}

static void test_mutex_timedlock_waits(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_t t;

    EXPECT_RC(pthread_create(&t, NULL, hold_for_a_while, &m), 0);
    while (pthread_mutex_trylock(&m) == 0) {       /* until the thread has it */
        pthread_mutex_unlock(&m);
        sched_yield();
    }
    struct timespec bad = { 0, -1 };
    EXPECT_RC(pthread_mutex_timedlock(&m, &bad), EINVAL);
    struct timespec later = in_ms(CLOCK_REALTIME, 5000);
    EXPECT_RC(pthread_mutex_timedlock(&m, &later), 0);  /* released long before */
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
}

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

static void test_cond_producer_consumer(void)
{
    struct queue q = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
                       .not_full = PTHREAD_COND_INITIALIZER };
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

static void test_cond_timedwait(void)
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

    EXPECT_RC(pthread_cond_wait(&mono, &m), EPERM);     /* mutex not held */
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

    at = (struct timespec){ 0, 0 };                     /* long past */
    EXPECT_RC(pthread_cond_timedwait(&mono, &m, &at), ETIMEDOUT);
    at = (struct timespec){ 0, 2000000000L };
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

static void test_cond_timedwait_woken(void)
{
    struct wake_probe w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false };
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
    usleep(5000);               /* others arrive while it runs */
    once_value = 42;
}

static void *call_once(void *arg)
{
    (void)arg;
    pthread_once(&once, slow_init);
    return (void *)(intptr_t)once_value;
}

static void test_once(void)
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

/* --- keys --- */

static pthread_key_t key_a, key_b;
static int destructed_a, destructed_b;

static void destroy_a(void *value)
{
    __atomic_add_fetch(&destructed_a, (int)(intptr_t)value, __ATOMIC_SEQ_CST);
}

/* Sets a new value once: the destructors run again for it (POSIX). */
static void destroy_b(void *value)
{
    __atomic_add_fetch(&destructed_b, 1, __ATOMIC_SEQ_CST);
    if ((intptr_t)value == 1)
        pthread_setspecific(key_b, (void *)2);
}

static void *use_keys(void *arg)
{
    intptr_t mine = (intptr_t)arg;

    if (pthread_getspecific(key_a) != NULL)
        return (void *)1;
    pthread_setspecific(key_a, (void *)mine);
    pthread_setspecific(key_b, (void *)1);
    sched_yield();
    return pthread_getspecific(key_a) == (void *)mine ? NULL : (void *)1;
}

static void test_keys(void)
{
    pthread_t t[6];
    void *r;
    int bad = 0;

    destructed_a = destructed_b = 0;
    EXPECT_RC(pthread_key_create(&key_a, destroy_a), 0);
    EXPECT_RC(pthread_key_create(&key_b, destroy_b), 0);
    CHECK(key_a != key_b, "two keys are the same");
    for (int i = 0; i < 6; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, use_keys, (void *)(intptr_t)(i + 1)), 0);
    for (int i = 0; i < 6; i++) {
        EXPECT_RC(pthread_join(t[i], &r), 0);
        bad += r != NULL;
    }
    CHECK(bad == 0, "%d threads saw another thread's value", bad);
    CHECK(destructed_a == 1 + 2 + 3 + 4 + 5 + 6, "key a's destructor saw a sum of %d, want 21",
          destructed_a);
    CHECK(destructed_b == 12, "key b's destructor ran %d times, want 12 (twice per thread)",
          destructed_b);

    EXPECT_RC(pthread_setspecific(key_a, (void *)7), 0);
    CHECK(pthread_getspecific(key_a) == (void *)7, "the main thread's value did not stick");
    EXPECT_RC(pthread_key_delete(key_a), 0);
    EXPECT_RC(pthread_key_delete(key_a), EINVAL);
    EXPECT_RC(pthread_setspecific(key_a, (void *)1), EINVAL);
    pthread_key_t again;
    EXPECT_RC(pthread_key_create(&again, NULL), 0);
    CHECK(pthread_getspecific(again) == NULL, "a new key starts with an old key's value");
    EXPECT_RC(pthread_key_delete(again), 0);
    EXPECT_RC(pthread_key_delete(key_b), 0);
    EXPECT_RC(pthread_key_delete(PTHREAD_KEYS_MAX + 3), EINVAL);

    pthread_key_t many[PTHREAD_KEYS_MAX + 1];
    int made = 0, rc = 0;
    while (made <= PTHREAD_KEYS_MAX && (rc = pthread_key_create(&many[made], NULL)) == 0)
        made++;
    CHECK(rc == EAGAIN && made == PTHREAD_KEYS_MAX, "made %d keys, then %d; want %d, then EAGAIN",
          made, rc, PTHREAD_KEYS_MAX);
    while (made > 0)
        pthread_key_delete(many[--made]);
}

/* --- sched_yield and priorities --- */

static volatile int turns[2];

/* Returns how often the other thread had moved on since this one's last turn. */
static void *take_turns(void *arg)
{
    int me = (int)(intptr_t)arg;
    int seen = turns[!me];
    intptr_t interleaved = 0;

    for (int i = 0; i < 100; i++) {
        turns[me]++;
        sched_yield();
        if (turns[!me] != seen)
            interleaved++;
        seen = turns[!me];
    }
    return (void *)interleaved;
}

static void test_sched_yield(void)
{
    pthread_attr_t attr;
    pthread_t t[2];

    /* Both on vCPU 0: only yielding lets the other one run. */
    pthread_attr_init(&attr);
    pthread_attr_setcpu_np(&attr, 0);
    void *interleaved[2];
    turns[0] = turns[1] = 0;
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_create(&t[i], &attr, take_turns, (void *)(intptr_t)i), 0);
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_join(t[i], &interleaved[i]), 0);
    pthread_attr_destroy(&attr);
    CHECK(turns[0] == 100 && turns[1] == 100, "turns %d and %d", turns[0], turns[1]);
    /* Each yield should let the other run: nearly every turn alternates. */
    CHECK((intptr_t)interleaved[0] >= 90 && (intptr_t)interleaved[1] >= 90,
          "the threads alternated %ld and %ld times in 100 yields each",
          (long)(intptr_t)interleaved[0], (long)(intptr_t)interleaved[1]);
    CHECK(sched_yield() == 0, "sched_yield failed");
    CHECK(sched_get_priority_min(SCHED_OTHER) <= sched_get_priority_max(SCHED_OTHER),
          "priority range is empty");
}

static const struct test tests[] = {
    TEST(test_create_join, "create/join/exit/self/equal; joining oneself is EDEADLK"),
    TEST(test_detach, "detached threads run and free themselves; join/detach then EINVAL"),
    TEST(test_stack_size, "stack size attribute is honoured; too small is EINVAL"),
    TEST(test_pin, "pthread_attr_setcpu_np/pthread_setcpu_np pin to a vCPU; bad vCPU EINVAL"),
    TEST(test_mutex_exclusion, "8 threads x 20,000 increments under one mutex"),
    TEST(test_mutex_types, "normal/recursive/errorcheck: EDEADLK, EPERM, EBUSY, ETIMEDOUT"),
    TEST(test_mutex_timedlock_waits, "timedlock waits for a release; bad time EINVAL"),
    TEST(test_cond_producer_consumer, "condvars: 2 producers, 3 consumers, bounded queue"),
    TEST(test_cond_timedwait, "cond_timedwait on both clocks times out, never early; EPERM, EINVAL"),
    TEST(test_cond_timedwait_woken, "a signal ends cond_timedwait before its deadline"),
    TEST(test_once, "pthread_once runs once; no caller returns before it finished"),
    TEST(test_keys, "keys: per-thread values, destructors (re-run), delete, EINVAL, EAGAIN"),
    TEST(test_sched_yield, "sched_yield lets another thread on the same vCPU run"),
};

int main(int argc, char **argv)
{
    return test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
