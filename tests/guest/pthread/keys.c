/* Thread-specific data: keys and their destructors. */
#include "pthread_tests.h"

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

TEST_DEFINE(test_keys, "keys: per-thread values, destructors (re-run), delete, EINVAL, EAGAIN")
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
