/*
 * A tiny host-side test harness: CHECK() records a failure with its
 * location and carries on, so one run reports every broken case; main()
 * returns unit_result() which prints a summary line.
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long unit_checks, unit_failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        unit_checks++;                                                                             \
        if (!(cond)) {                                                                             \
            unit_failures++;                                                                       \
            if (unit_failures <= 50) {                                                             \
                fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);           \
                fprintf(stderr, __VA_ARGS__);                                                      \
                fputc('\n', stderr);                                                               \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static inline int unit_result(const char *name)
{
    printf("%s: %lu checks, %lu failed\n", name, unit_checks, unit_failures);
    return unit_failures ? 1 : 0;
}

/* @len bytes of @s in a buffer of exactly that size (no terminator added). */
static inline char *unit_exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);

    memcpy(p, s, len);
    return p;
}

/* xorshift64*: deterministic, so a failing case can be reproduced. */
static inline unsigned long long unit_rand(unsigned long long *state)
{
    unsigned long long x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

#endif /* TESTS_UNIT_H */
