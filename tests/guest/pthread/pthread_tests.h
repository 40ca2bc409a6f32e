/* What the pthread conformance tests share (tests/guest/pthread/). */
#ifndef PTHREAD_TESTS_H
#define PTHREAD_TESTS_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <minios/test.h>

#define EXPECT_RC(call, want)                                                                      \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        CHECK(rc_ == (want), "%s returned %d (%s), want %d (%s)", #call, rc_, strerror(rc_),       \
              (want), strerror(want));                                                             \
    } while (0)

static inline uint64_t now_ns(clockid_t clock)
{
    struct timespec t;

    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static inline struct timespec in_ms(clockid_t clock, long ms)
{
    uint64_t at = now_ns(clock) + (uint64_t)ms * 1000000ULL;

    return (struct timespec){(time_t)(at / 1000000000ULL), (long)(at % 1000000000ULL)};
}

/* threads.c */
/* mutex.c */
/* cond.c */
/* keys.c */
/* rwlock.c, barrier.c, spin.c, sem.c */

#endif /* PTHREAD_TESTS_H */
