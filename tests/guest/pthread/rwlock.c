/* Reader-writer locks: readers together, writers alone, and the error returns. */
#include "pthread_tests.h"
#include <stdbool.h>
#include <unistd.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long pair[2];       /* writers keep them equal under the write lock */
static int readers_inside; /* how many readers hold it at once */
static int most_readers_inside;
static int torn_reads;

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        pthread_rwlock_wrlock(&rw);
        pair[0]++;
        if (i % 16 == 0)
            sched_yield(); /* a reader or writer let in now would see it half done */
        pair[1]++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        pthread_rwlock_rdlock(&rw);
        int inside = __atomic_add_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
        int most = __atomic_load_n(&most_readers_inside, __ATOMIC_RELAXED);
        while (inside > most &&
               !__atomic_compare_exchange_n(&most_readers_inside, &most, inside, false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            ;
        long a = __atomic_load_n(&pair[0], __ATOMIC_RELAXED);
        if (i % 8 == 0)
            sched_yield(); /* hold it while the other readers come in */
        if (__atomic_load_n(&pair[1], __ATOMIC_RELAXED) != a)
            __atomic_add_fetch(&torn_reads, 1, __ATOMIC_RELAXED);
        __atomic_sub_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

TEST_DEFINE(test_rwlock_exclusion, "4 writers x 2,000 and 4 readers x 2,000: readers share it")
{
    pthread_t t[8];

    pair[0] = pair[1] = 0;
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, i % 2 ? reader : writer, NULL), 0);
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_join(t[i], NULL), 0);
    CHECK(pair[0] == 4 * 2000 && pair[1] == 4 * 2000,
          "counters %ld/%ld, want %d: writers overlapped", pair[0], pair[1], 4 * 2000);
    CHECK(torn_reads == 0, "%d reads saw a writer half done", torn_reads);
    CHECK(most_readers_inside >= 2, "at most %d reader(s) held it at once: readers excluded",
          most_readers_inside);
    EXPECT_RC(pthread_rwlock_destroy(&rw), 0);
}

struct rw_probe {
    pthread_rwlock_t *rw;
    int tryrd, trywr, timedrd, timedwr, unlock;
    uint64_t waited_ns;
};

static void *probe_rwlock(void *arg)
{
    struct rw_probe *p = arg;
    struct timespec soon = in_ms(CLOCK_REALTIME, 20);
    uint64_t start = now_ns(CLOCK_MONOTONIC);

    p->tryrd = pthread_rwlock_tryrdlock(p->rw);
    if (p->tryrd == 0)
        pthread_rwlock_unlock(p->rw);
    p->trywr = pthread_rwlock_trywrlock(p->rw);
    if (p->trywr == 0)
        pthread_rwlock_unlock(p->rw);
    p->timedwr = pthread_rwlock_timedwrlock(p->rw, &soon);
    if (p->timedwr == 0)
        pthread_rwlock_unlock(p->rw);
    p->timedrd = pthread_rwlock_timedrdlock(p->rw, &soon);
    if (p->timedrd == 0)
        pthread_rwlock_unlock(p->rw);
    p->waited_ns = now_ns(CLOCK_MONOTONIC) - start;
    p->unlock = p->tryrd ? pthread_rwlock_unlock(p->rw) : 0;
    return NULL;
}

static void *hold_write_for_a_while(void *arg)
{
    pthread_rwlock_t *l = arg;

    pthread_rwlock_wrlock(l);
    usleep(30000);
    pthread_rwlock_unlock(l);
    return NULL;
}

TEST_DEFINE(test_rwlock_errors, "EDEADLK, EBUSY, ETIMEDOUT, EPERM, EINVAL; read lock taken twice")
{
    pthread_rwlockattr_t attr;
    pthread_rwlock_t l;
    struct rw_probe p;
    struct timespec bad = {0, 1000000000L};
    pthread_t t;
    int pshared;

    EXPECT_RC(pthread_rwlockattr_init(&attr), 0);
    EXPECT_RC(pthread_rwlockattr_getpshared(&attr, &pshared), 0);
    CHECK(pshared == PTHREAD_PROCESS_PRIVATE, "default pshared is %d", pshared);
    EXPECT_RC(pthread_rwlockattr_setpshared(&attr, 7), EINVAL);
    EXPECT_RC(pthread_rwlock_init(&l, &attr), 0);
    EXPECT_RC(pthread_rwlockattr_destroy(&attr), 0);
    EXPECT_RC(pthread_rwlock_unlock(&l), EPERM);

    /* Held for writing: relocking is EDEADLK, the others wait or give EBUSY. */
    EXPECT_RC(pthread_rwlock_wrlock(&l), 0);
    EXPECT_RC(pthread_rwlock_wrlock(&l), EDEADLK);
    EXPECT_RC(pthread_rwlock_rdlock(&l), EDEADLK);
    EXPECT_RC(pthread_rwlock_destroy(&l), EBUSY);
    p = (struct rw_probe){.rw = &l};
    EXPECT_RC(pthread_create(&t, NULL, probe_rwlock, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.tryrd == EBUSY && p.trywr == EBUSY, "try under a writer gave %d/%d", p.tryrd, p.trywr);
    CHECK(p.timedrd == ETIMEDOUT && p.timedwr == ETIMEDOUT, "timed under a writer gave %d/%d",
          p.timedrd, p.timedwr);
    CHECK(p.waited_ns >= 20000000, "two 20 ms timeouts took %llu ns",
          (unsigned long long)p.waited_ns);
    CHECK(p.unlock == EPERM, "unlock of another thread's write lock gave %d", p.unlock);
    EXPECT_RC(pthread_rwlock_timedrdlock(&l, &bad), EDEADLK);
    EXPECT_RC(pthread_rwlock_unlock(&l), 0);

    /* Held for reading, twice: other readers get in, writers do not. */
    EXPECT_RC(pthread_rwlock_rdlock(&l), 0);
    EXPECT_RC(pthread_rwlock_tryrdlock(&l), 0);
    EXPECT_RC(pthread_rwlock_trywrlock(&l), EBUSY);
    p = (struct rw_probe){.rw = &l};
    EXPECT_RC(pthread_create(&t, NULL, probe_rwlock, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.tryrd == 0 && p.timedrd == 0, "a second reader got %d/%d", p.tryrd, p.timedrd);
    CHECK(p.trywr == EBUSY && p.timedwr == ETIMEDOUT, "a writer under readers got %d/%d", p.trywr,
          p.timedwr);
    EXPECT_RC(pthread_rwlock_unlock(&l), 0);
    EXPECT_RC(pthread_rwlock_trywrlock(&l), EBUSY); /* one read lock still held */
    EXPECT_RC(pthread_rwlock_unlock(&l), 0);
    EXPECT_RC(pthread_rwlock_unlock(&l), EPERM);

    /* A bad time is EINVAL only when the caller has to wait. */
    EXPECT_RC(pthread_rwlock_timedwrlock(&l, &bad), 0);
    EXPECT_RC(pthread_rwlock_unlock(&l), 0);
    EXPECT_RC(pthread_create(&t, NULL, hold_write_for_a_while, &l), 0);
    while (pthread_rwlock_trywrlock(&l) == 0) {
        pthread_rwlock_unlock(&l); /* not taken yet */
        sched_yield();
    }
    EXPECT_RC(pthread_rwlock_timedrdlock(&l, &bad), EINVAL);
    struct timespec later = in_ms(CLOCK_REALTIME, 5000);
    EXPECT_RC(pthread_rwlock_timedwrlock(&l, &later), 0); /* waits for the release */
    EXPECT_RC(pthread_rwlock_unlock(&l), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    EXPECT_RC(pthread_rwlock_destroy(&l), 0);
}
