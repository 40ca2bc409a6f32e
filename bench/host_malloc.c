/*
 * The host's C library (glibc) on the guest's allocator workloads, run
 * natively in the same make bench: the baseline for newlib's malloc and
 * free (bench/boot/heap.c: one thread) and for the allocators under load
 * (bench/smp/alloc.c: one thread per CPU, operations per second).  Built
 * with the host's compiler, not for minios.
 *
 *   host_malloc            bench/boot's figures (ns per malloc + free)
 *   host_malloc THREADS    bench/smp's, THREADS threads at once (ops/s)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SAME_ROUNDS  200000
#define MIXED_ROUNDS 200000
#define LIVE         256

/* bench/smp/alloc.c's sizes: rounds per thread, pages in the window, live blocks. */
#define LOAD_ROUNDS 10000
#define LOAD_PAGES  16
#define LOAD_LIVE   64
#define MAX_THREADS 64

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void single(void)
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
}

static pthread_barrier_t start;

/* The page workload: glibc has no page allocator; 4 KiB blocks, 4 KiB aligned. */
static void *pages(void *arg)
{
    void *live[LOAD_PAGES] = {0};

    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < LOAD_ROUNDS; i++) {
        unsigned int slot = (unsigned int)i % LOAD_PAGES;

        free(live[slot]);
        live[slot] = aligned_alloc(4096, 4096);
    }
    for (int i = 0; i < LOAD_PAGES; i++)
        free(live[i]);
    return NULL;
}

static void *mixed(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg;
    void *live[LOAD_LIVE];

    for (int i = 0; i < LOAD_LIVE; i++)
        live[i] = malloc(16 + (size_t)i * 64);
    pthread_barrier_wait(&start);
    for (int i = 0; i < LOAD_ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned int slot = (seed >> 8) % LOAD_LIVE;

        free(live[slot]);
        live[slot] = malloc(16 + (seed >> 20) % 4081);
    }
    for (int i = 0; i < LOAD_LIVE; i++)
        free(live[i]);
    return NULL;
}

static void run(const char *name, void *(*fn)(void *), int n)
{
    pthread_t t[MAX_THREADS];

    pthread_barrier_init(&start, NULL, (unsigned int)n + 1);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, fn, (void *)(uintptr_t)(12345 + i))) {
            fprintf(stderr, "host_malloc: no thread\n");
            exit(1);
        }
    }
    pthread_barrier_wait(&start);
    uint64_t t0 = now_ns();

    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    uint64_t ns = now_ns() - t0;

    pthread_barrier_destroy(&start);
    printf("bench %s_ops_s %lu ops/s\n", name,
           (unsigned long)((uint64_t)LOAD_ROUNDS * n * 1000000000u / ns));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        single();
        return 0;
    }
    int n = atoi(argv[1]);

    if (n < 1 || n > MAX_THREADS) {
        fprintf(stderr, "usage: host_malloc [THREADS (1-%d)]\n", MAX_THREADS);
        return 2;
    }
    run("alloc_page", pages, n);
    run("malloc_mixed", mixed, n);
    return 0;
}
