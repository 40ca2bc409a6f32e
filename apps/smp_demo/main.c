/*
 * The SMP demo: one worker thread per vCPU (and a few more), each counting
 * the primes in its share of a range with the C library's malloc'd sieve
 * segments, printing as it goes; then a summary of who did what, where.
 * Run it with several vCPUs: make run APP=apps/smp_demo VCPUS=4
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <minios/smp.h>
#include <minios/thread.h>

#define LIMIT 4000000UL
#define CHUNK 100000UL

struct worker {
    pthread_t thread;
    int id;
    unsigned long primes;
    unsigned long chunks;
    unsigned long cpus_seen; /* bit n: ran on vCPU n */
};

static pthread_mutex_t next_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long next_chunk;

/* Primes in [lo, hi) by a segmented sieve, with small primes found on the fly. */
static unsigned long count_primes(unsigned long lo, unsigned long hi)
{
    size_t n = hi - lo;
    unsigned char *composite = calloc(n, 1);
    unsigned long count = 0;

    if (!composite)
        return 0;
    for (unsigned long p = 2; p * p < hi; p++) {
        unsigned long start = (lo + p - 1) / p * p;

        if (start < p * p)
            start = p * p;
        for (unsigned long m = start; m < hi; m += p)
            composite[m - lo] = 1;
    }
    for (unsigned long i = 0; i < n; i++) {
        if (!composite[i] && lo + i >= 2)
            count++;
    }
    free(composite);
    return count;
}

static void *work(void *arg)
{
    struct worker *w = arg;

    for (;;) {
        pthread_mutex_lock(&next_lock);
        unsigned long lo = next_chunk;

        next_chunk += CHUNK;
        pthread_mutex_unlock(&next_lock);
        if (lo >= LIMIT)
            break;
        w->primes += count_primes(lo, lo + CHUNK);
        w->chunks++;
        w->cpus_seen |= 1UL << thread_cpu();
        if (w->chunks % 8 == 0)
            printf("worker %d: %lu chunks done, on vCPU %u now\n", w->id, w->chunks, thread_cpu());
        sched_yield();
    }
    return NULL;
}

int main(void)
{
    unsigned int cpus = smp_cpu_count();
    int n = (int)cpus + 2;
    struct worker *workers = calloc((size_t)n, sizeof(*workers));
    struct timespec t0, t1;
    unsigned long total = 0;

    if (!workers)
        return 1;
    printf("smp_demo: counting primes below %lu with %d threads on %u vCPUs\n", LIMIT, n, cpus);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        workers[i].id = i;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < n; i++)
        pthread_join(workers[i].thread, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    printf("\nworker  chunks  primes    vCPUs it ran on\n");
    for (int i = 0; i < n; i++) {
        printf("%6d  %6lu  %7lu   ", i, workers[i].chunks, workers[i].primes);
        for (unsigned int c = 0; c < cpus; c++) {
            if (workers[i].cpus_seen & (1UL << c))
                printf("%u ", c);
        }
        printf("\n");
        total += workers[i].primes;
    }
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

    printf("\n%lu primes below %lu (expected 283146) in %.2f s\n", total, LIMIT, seconds);
    free(workers);
    return total == 283146 ? 0 : 1;
}
