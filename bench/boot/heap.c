/*
 * The C library's malloc and free, timed: what newlib's heap checks
 * (scripts/newlib-patches/mallocr-checks.patch) cost.  One figure for the
 * simplest pattern (the same 64-byte block again and again) and one for a
 * mixed one (256 live blocks of 16 B to 4 KiB, replaced at random), each
 * the mean of one malloc + one free.
 */
#include <stdint.h>
#include <stdlib.h>

#include <minios/console.h>
#include <minios/time.h>

#include "bench.h"

#define SAME_ROUNDS  200000
#define MIXED_ROUNDS 200000
#define LIVE         256

void bench_heap(void)
{
    static void *live[LIVE];
    uint32_t seed = 12345;
    uint64_t t0, t1;

    t0 = monotonic_ns();
    for (int i = 0; i < SAME_ROUNDS; i++) {
        void *volatile p = malloc(64);

        free(p);
    }
    t1 = monotonic_ns();
    printk("bench malloc_free_64_ns %lu ns\n", (unsigned long)((t1 - t0) / SAME_ROUNDS));

    for (int i = 0; i < LIVE; i++)
        live[i] = malloc(16 + i * 16);
    t0 = monotonic_ns();
    for (int i = 0; i < MIXED_ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned int slot = (seed >> 8) % LIVE;

        free(live[slot]);
        live[slot] = malloc(16 + (seed >> 20) % 4081);
    }
    t1 = monotonic_ns();
    printk("bench malloc_free_mixed_ns %lu ns\n", (unsigned long)((t1 - t0) / MIXED_ROUNDS));
    for (int i = 0; i < LIVE; i++)
        free(live[i]);
}
