/* Barriers: nobody passes before all have arrived, one serial thread a cycle. */
#include "pthread_tests.h"
#include <unistd.h>

#define BARRIER_THREADS 4
#define BARRIER_ROUNDS  200

static pthread_barrier_t barrier;
static int slot[BARRIER_THREADS];
static int serial_returns, early_passes, bad_returns;

static void count_return(int rc)
{
    if (rc == PTHREAD_BARRIER_SERIAL_THREAD)
        __atomic_add_fetch(&serial_returns, 1, __ATOMIC_RELAXED);
    else if (rc != 0)
        __atomic_add_fetch(&bad_returns, 1, __ATOMIC_RELAXED);
}

static void *barrier_worker(void *arg)
{
    int me = (int)(long)arg;

    for (int round = 1; round <= BARRIER_ROUNDS; round++) {
        __atomic_store_n(&slot[me], round, __ATOMIC_RELEASE);
        count_return(pthread_barrier_wait(&barrier));
        for (int i = 0; i < BARRIER_THREADS; i++)
            if (__atomic_load_n(&slot[i], __ATOMIC_ACQUIRE) != round)
                __atomic_add_fetch(&early_passes, 1, __ATOMIC_RELAXED);
        count_return(pthread_barrier_wait(&barrier)); /* nobody writes the next round yet */
    }
    return NULL;
}

TEST_DEFINE(test_barrier_cycles, "4 threads x 200 rounds: all arrive first, one serial a cycle")
{
    pthread_t t[BARRIER_THREADS];

    EXPECT_RC(pthread_barrier_init(&barrier, NULL, BARRIER_THREADS), 0);
    for (long i = 0; i < BARRIER_THREADS; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, barrier_worker, (void *)i), 0);
    for (int i = 0; i < BARRIER_THREADS; i++)
        EXPECT_RC(pthread_join(t[i], NULL), 0);
    CHECK(early_passes == 0, "%d times a thread passed before all had arrived", early_passes);
    CHECK(serial_returns == 2 * BARRIER_ROUNDS, "%d PTHREAD_BARRIER_SERIAL_THREAD returns, want %d",
          serial_returns, 2 * BARRIER_ROUNDS);
    CHECK(bad_returns == 0, "%d waits returned an error", bad_returns);
    EXPECT_RC(pthread_barrier_destroy(&barrier), 0);
}

static void *wait_once(void *arg)
{
    return (void *)(long)pthread_barrier_wait(arg);
}

TEST_DEFINE(test_barrier_errors, "count 0 EINVAL, destroy with a waiter EBUSY, count 1 serial")
{
    pthread_barrierattr_t attr;
    pthread_barrier_t b;
    pthread_t t;
    void *rc;
    int pshared;

    EXPECT_RC(pthread_barrierattr_init(&attr), 0);
    EXPECT_RC(pthread_barrierattr_getpshared(&attr, &pshared), 0);
    CHECK(pshared == PTHREAD_PROCESS_PRIVATE, "default pshared is %d", pshared);
    EXPECT_RC(pthread_barrierattr_setpshared(&attr, -3), EINVAL);
    EXPECT_RC(pthread_barrier_init(&b, &attr, 0), EINVAL);
    EXPECT_RC(pthread_barrier_init(&b, &attr, 1), 0);
    EXPECT_RC(pthread_barrier_wait(&b), PTHREAD_BARRIER_SERIAL_THREAD);
    EXPECT_RC(pthread_barrier_destroy(&b), 0);

    EXPECT_RC(pthread_barrier_init(&b, &attr, 2), 0);
    EXPECT_RC(pthread_create(&t, NULL, wait_once, &b), 0);
    usleep(10000); /* let it arrive */
    EXPECT_RC(pthread_barrier_destroy(&b), EBUSY);
    int mine = pthread_barrier_wait(&b);
    EXPECT_RC(pthread_barrier_destroy(&b), 0); /* right away: POSIX allows it */
    EXPECT_RC(pthread_join(t, &rc), 0);
    CHECK((mine == PTHREAD_BARRIER_SERIAL_THREAD) !=
              ((int)(long)rc == PTHREAD_BARRIER_SERIAL_THREAD),
          "serial returns: mine %d, the thread's %d; want exactly one", mine, (int)(long)rc);
    CHECK(mine == 0 || (int)(long)rc == 0, "neither wait returned 0");
    EXPECT_RC(pthread_barrierattr_destroy(&attr), 0);
}
