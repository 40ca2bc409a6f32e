/*
 * 64 threads over every vCPU, each filling its own copy with its own
 * pattern and checking it after every yield while the threads interleave
 * and each is moved from vCPU to vCPU.
 */
#include <pthread.h>
#include <sched.h>

#include <minios/smp.h>
#include <minios/thread.h>

#include "tls_tests.h"

#define MANY_THREADS 64
#define MANY_ROUNDS  300
#define MOVE_EVERY   20

struct worker {
    unsigned long seed;
    const char *wrong;
    void *tp;
    unsigned long cpus_seen; /* bit per vCPU */
    unsigned int bad_rounds;
};

static pthread_barrier_t start_line;

static void *worker(void *arg)
{
    struct worker *w = arg;
    unsigned int ncpus = smp_cpu_count();

    w->wrong = tls_check_fresh();
    w->tp = tls_thread_pointer();
    tls_fill(w->seed);
    pthread_barrier_wait(&start_line); /* all 64 exist at once from here */
    for (unsigned int r = 0; r < MANY_ROUNDS; r++) {
        if (r % MOVE_EVERY == 0)
            thread_set_affinity(thread_self(), (int)((w->seed + r / MOVE_EVERY) % ncpus));
        else if (r % MOVE_EVERY == 1)
            thread_set_affinity(thread_self(), THREAD_ANY_CPU);
        w->cpus_seen |= 1UL << thread_cpu();
        sched_yield();
        if (!tls_holds(w->seed) || tls_thread_pointer() != w->tp)
            w->bad_rounds++;
    }
    return NULL;
}

TEST_DEFINE(test_tls_64_threads,
            "64 threads keep their own values through thousands of switches and migrations")
{
    static struct worker w[MANY_THREADS];
    pthread_t t[MANY_THREADS];
    unsigned long switches = sched_switch_count();
    unsigned int ncpus = smp_cpu_count();

    pthread_barrier_init(&start_line, NULL, MANY_THREADS);
    for (int i = 0; i < MANY_THREADS; i++) {
        w[i] = (struct worker){.seed = 1000 + (unsigned long)i};
        if (pthread_create(&t[i], NULL, worker, &w[i])) {
            test_error("pthread_create %d failed", i);
            return; /* the others wait at the barrier: the run ends as a hang */
        }
    }
    for (int i = 0; i < MANY_THREADS; i++)
        pthread_join(t[i], NULL);
    switches = sched_switch_count() - switches;

    unsigned int moved = 0;

    for (int i = 0; i < MANY_THREADS; i++) {
        CHECK(!w[i].wrong, "thread %d at its start: %s", i, w[i].wrong);
        CHECK(w[i].bad_rounds == 0, "thread %d: its values changed in %u of %d rounds", i,
              w[i].bad_rounds, MANY_ROUNDS);
        for (int j = 0; j < i; j++)
            CHECK(w[i].tp != w[j].tp, "threads %d and %d share thread pointer %p", j, i, w[i].tp);
        moved += __builtin_popcountl(w[i].cpus_seen) >= (ncpus > 1 ? 2 : 1);
    }
    CHECK(moved == MANY_THREADS, "only %u of %d threads ran on more than one vCPU", moved,
          MANY_THREADS);
    CHECK(switches >= MANY_THREADS * MANY_ROUNDS, "only %lu switches", switches);
    test_note("%d threads on %u vCPUs, %lu switches", MANY_THREADS, ncpus, switches);
}
