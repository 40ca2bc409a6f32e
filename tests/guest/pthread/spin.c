/* Spin locks: exclusion across vCPUs (and on one, where a waiter must yield). */
#include "pthread_tests.h"

static pthread_spinlock_t spin;
static long spin_counter;

static void *add_under_spin(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_spin_lock(&spin);
        long v = spin_counter;
        if (i % 256 == 0)
            sched_yield(); /* the others spin (and yield) meanwhile */
        spin_counter = v + 1;
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

TEST_DEFINE(test_spin_exclusion, "8 threads x 20,000 increments under one spin lock")
{
    pthread_t t[8];

    EXPECT_RC(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE), 0);
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, add_under_spin, NULL), 0);
    for (int i = 0; i < 8; i++)
        EXPECT_RC(pthread_join(t[i], NULL), 0);
    CHECK(spin_counter == 8 * 20000, "counter is %ld, want %d: the lock let two in", spin_counter,
          8 * 20000);
    EXPECT_RC(pthread_spin_destroy(&spin), 0);
}

static void *spin_probe(void *arg)
{
    int *rcs = arg;

    rcs[0] = pthread_spin_trylock(&spin);
    rcs[1] = pthread_spin_unlock(&spin);
    return NULL;
}

TEST_DEFINE(test_spin_errors, "EINVAL, EDEADLK, EBUSY, EPERM")
{
    pthread_t t;
    int rcs[2];

    EXPECT_RC(pthread_spin_init(&spin, 5), EINVAL);
    EXPECT_RC(pthread_spin_init(&spin, PTHREAD_PROCESS_SHARED), 0);
    EXPECT_RC(pthread_spin_unlock(&spin), EPERM);
    EXPECT_RC(pthread_spin_lock(&spin), 0);
    EXPECT_RC(pthread_spin_lock(&spin), EDEADLK);
    EXPECT_RC(pthread_spin_trylock(&spin), EBUSY);
    EXPECT_RC(pthread_spin_destroy(&spin), EBUSY);
    EXPECT_RC(pthread_create(&t, NULL, spin_probe, rcs), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    CHECK(rcs[0] == EBUSY, "trylock of a held lock by another thread gave %d", rcs[0]);
    CHECK(rcs[1] == EPERM, "unlock by another thread gave %d", rcs[1]);
    EXPECT_RC(pthread_spin_unlock(&spin), 0);
    EXPECT_RC(pthread_spin_trylock(&spin), 0);
    EXPECT_RC(pthread_spin_unlock(&spin), 0);
    EXPECT_RC(pthread_spin_destroy(&spin), 0);
}
