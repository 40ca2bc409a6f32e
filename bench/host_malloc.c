/*
 * The host's C library (glibc) on bench/boot/heap.c's workload, run
 * natively in the same make bench: the baseline for newlib's malloc and
 * free in the guest.  Built with the host's compiler, not for minios.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SAME_ROUNDS  200000
#define MIXED_ROUNDS 200000
#define LIVE         256

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void)
{
    static void *live[LIVE];
    uint32_t seed = 12345;
    uint64_t t0, t1;

    t0 = now_ns();
    for (int i = 0; i < SAME_ROUNDS; i++) {
        void *volatile p = malloc(64);

        free(p);
    }
    t1 = now_ns();
    printf("bench malloc_free_64_ns %lu ns\n", (unsigned long)((t1 - t0) / SAME_ROUNDS));

    for (int i = 0; i < LIVE; i++)
        live[i] = malloc(16 + i * 16);
    t0 = now_ns();
    for (int i = 0; i < MIXED_ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned int slot = (seed >> 8) % LIVE;

        free(live[slot]);
        live[slot] = malloc(16 + (seed >> 20) % 4081);
    }
    t1 = now_ns();
    printf("bench malloc_free_mixed_ns %lu ns\n", (unsigned long)((t1 - t0) / MIXED_ROUNDS));
    for (int i = 0; i < LIVE; i++)
        free(live[i]);
    return 0;
}
