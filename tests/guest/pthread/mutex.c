/* Mutexes of the three types, with their error returns. */
#include "pthread_tests.h"
#include <stdbool.h>
#include <unistd.h>

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
            sched_yield(); /* let others try the lock while it is held */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

TEST_DEFINE(test_mutex_exclusion, "8 threads x 20,000 increments under one mutex")
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

TEST_DEFINE(test_mutex_types, "normal/recursive/errorcheck: EDEADLK, EPERM, EBUSY, ETIMEDOUT")
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
    struct lock_probe p = {.m = &m};
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
    p = (struct lock_probe){.m = &m};
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
    struct timespec bad = {0, 1000000000L};
    p = (struct lock_probe){.m = &m};
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_lock(&m), 0);
    EXPECT_RC(pthread_create(&t, NULL, probe_other_thread, &p), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(p.timedlock_rc == ETIMEDOUT, "timedlock of a held normal mutex gave %d", p.timedlock_rc);
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_mutex_timedlock(&m, &bad), 0); /* free: the time is not looked at */
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

TEST_DEFINE(test_mutex_timedlock_waits, "timedlock waits for a release; bad time EINVAL")
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_t t;

    EXPECT_RC(pthread_create(&t, NULL, hold_for_a_while, &m), 0);
    while (pthread_mutex_trylock(&m) == 0) { /* until the thread has it */
        pthread_mutex_unlock(&m);
        sched_yield();
    }
    struct timespec bad = {0, -1};
    EXPECT_RC(pthread_mutex_timedlock(&m, &bad), EINVAL);
    struct timespec later = in_ms(CLOCK_REALTIME, 5000);
    EXPECT_RC(pthread_mutex_timedlock(&m, &later), 0); /* released long before */
    EXPECT_RC(pthread_mutex_unlock(&m), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
}
