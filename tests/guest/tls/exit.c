/*
 * Thread exit: C11 tss_* and POSIX key destructors run on the exiting
 * thread, whose own thread-local variables are still there for them.
 */
#include <pthread.h>
#include <threads.h>

#include "tls_tests.h"

#define EXITING 8

static tss_t c11_slot;
static pthread_key_t posix_slot;
static int c11_ran, posix_ran, c11_saw_own, posix_saw_own;

/* @value is the address of the thread's own counter, set at its start. */
static void c11_destructor(void *value)
{
    __atomic_fetch_add(&c11_ran, 1, __ATOMIC_RELAXED);
    if (value == &tls_counter && tls_holds(tls_counter))
        __atomic_fetch_add(&c11_saw_own, 1, __ATOMIC_RELAXED);
}

static void posix_destructor(void *value)
{
    __atomic_fetch_add(&posix_ran, 1, __ATOMIC_RELAXED);
    if (value == &tls_counter && tls_holds(tls_counter))
        __atomic_fetch_add(&posix_saw_own, 1, __ATOMIC_RELAXED);
}

static int exiting(void *arg)
{
    tls_fill(5000 + (unsigned long)(uintptr_t)arg);
    tss_set(c11_slot, &tls_counter);
    pthread_setspecific(posix_slot, &tls_counter);
    if ((uintptr_t)arg % 2)
        thrd_exit(0); /* the destructors run on this path too */
    return 0;
}

TEST_DEFINE(test_tls_destructors,
            "tss and key destructors run at thread exit and see the thread's own TLS")
{
    thrd_t t[EXITING];

    c11_ran = posix_ran = c11_saw_own = posix_saw_own = 0;
    if (tss_create(&c11_slot, c11_destructor) != thrd_success ||
        pthread_key_create(&posix_slot, posix_destructor)) {
        test_error("tss_create or pthread_key_create failed");
        return;
    }
    for (int i = 0; i < EXITING; i++)
        CHECK(thrd_create(&t[i], exiting, (void *)(uintptr_t)i) == thrd_success,
              "thrd_create %d failed", i);
    for (int i = 0; i < EXITING; i++)
        thrd_join(t[i], NULL);
    CHECK(c11_ran == EXITING && posix_ran == EXITING,
          "destructors ran %d (tss) and %d (keys) times for %d threads", c11_ran, posix_ran,
          EXITING);
    CHECK(c11_saw_own == EXITING && posix_saw_own == EXITING,
          "only %d (tss) and %d (keys) destructors saw their thread's own TLS", c11_saw_own,
          posix_saw_own);
    tss_delete(c11_slot);
    pthread_key_delete(posix_slot);
}
