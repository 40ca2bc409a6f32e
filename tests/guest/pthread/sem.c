/* Unnamed semaphores (<semaphore.h>): counting, waking, timing out, errno. */
#include "pthread_tests.h"
#include <semaphore.h>
#include <unistd.h>

static sem_t items, slots;
static long produced_sum, consumed_sum;

#define SEM_ITEMS 5000

static void *producer(void *arg)
{
    (void)arg;
    for (long i = 1; i <= SEM_ITEMS; i++) {
        sem_wait(&slots);
        __atomic_add_fetch(&produced_sum, i, __ATOMIC_RELAXED);
        sem_post(&items);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (long i = 1; i <= SEM_ITEMS; i++) {
        sem_wait(&items);
        __atomic_add_fetch(&consumed_sum, i, __ATOMIC_RELAXED);
        sem_post(&slots);
    }
    return NULL;
}

TEST_DEFINE(test_sem_counting, "2 producers, 2 consumers x 5,000 through an 8-slot semaphore pair")
{
    pthread_t t[4];
    int v;

    EXPECT_RC(sem_init(&items, 0, 0), 0);
    EXPECT_RC(sem_init(&slots, 0, 8), 0);
    for (int i = 0; i < 4; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, i % 2 ? consumer : producer, NULL), 0);
    for (int i = 0; i < 4; i++)
        EXPECT_RC(pthread_join(t[i], NULL), 0);
    CHECK(produced_sum == consumed_sum && produced_sum == 2L * SEM_ITEMS * (SEM_ITEMS + 1) / 2,
          "produced %ld, consumed %ld", produced_sum, consumed_sum);
    EXPECT_RC(sem_getvalue(&items, &v), 0);
    CHECK(v == 0, "items left: %d", v);
    EXPECT_RC(sem_getvalue(&slots, &v), 0);
    CHECK(v == 8, "slots left: %d, want 8", v);
    EXPECT_RC(sem_destroy(&items), 0);
    EXPECT_RC(sem_destroy(&slots), 0);
}

static void *post_later(void *arg)
{
    usleep(20000);
    sem_post(arg);
    return NULL;
}

/* -1 with errno @want, or a message. */
#define EXPECT_ERRNO(call, want)                                                                   \
    do {                                                                                           \
        errno = 0;                                                                                 \
        int rc_ = (call);                                                                          \
        CHECK(rc_ == -1 && errno == (want), "%s returned %d, errno %d (%s), want -1 and %s",       \
              #call, rc_, errno, strerror(errno), strerror(want));                                 \
    } while (0)

TEST_DEFINE(test_sem_errors, "trywait EAGAIN, timedwait ETIMEDOUT/EINVAL/woken, post EOVERFLOW")
{
    struct timespec bad = {0, -1}, soon;
    pthread_t t;
    sem_t s;
    int v;

    EXPECT_ERRNO(sem_init(&s, 0, (unsigned int)SEM_VALUE_MAX + 1), EINVAL);
    EXPECT_RC(sem_init(&s, 1, 1), 0);
    EXPECT_RC(sem_timedwait(&s, &bad), 0); /* no wait: the time is not looked at */
    EXPECT_ERRNO(sem_trywait(&s), EAGAIN);
    EXPECT_ERRNO(sem_timedwait(&s, &bad), EINVAL);
    soon = in_ms(CLOCK_REALTIME, 20);
    uint64_t start = now_ns(CLOCK_MONOTONIC);
    EXPECT_ERRNO(sem_timedwait(&s, &soon), ETIMEDOUT);
    CHECK(now_ns(CLOCK_MONOTONIC) - start >= 15000000, "a 20 ms timeout took %llu ns",
          (unsigned long long)(now_ns(CLOCK_MONOTONIC) - start));
    EXPECT_RC(pthread_create(&t, NULL, post_later, &s), 0);
    soon = in_ms(CLOCK_REALTIME, 5000);
    EXPECT_RC(sem_timedwait(&s, &soon), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    EXPECT_RC(sem_getvalue(&s, &v), 0);
    CHECK(v == 0, "value %d after the post was taken", v);
    EXPECT_RC(sem_destroy(&s), 0);

    EXPECT_RC(sem_init(&s, 0, SEM_VALUE_MAX), 0);
    EXPECT_ERRNO(sem_post(&s), EOVERFLOW);
    EXPECT_RC(sem_trywait(&s), 0);
    EXPECT_RC(sem_post(&s), 0);
    EXPECT_RC(sem_getvalue(&s, &v), 0);
    CHECK(v == SEM_VALUE_MAX, "value %d, want SEM_VALUE_MAX", v);
    EXPECT_RC(sem_destroy(&s), 0);
}
