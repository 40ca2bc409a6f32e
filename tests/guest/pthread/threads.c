/* Creating, joining, detaching and pinning threads; sched_yield. */
#include "pthread_tests.h"
#include <unistd.h>

#include <minios/smp.h>
#include <minios/thread.h>

/* --- create, join, detach, exit, self, equal --- */

static void *return_arg_plus_one(void *arg)
{
    return (void *)((intptr_t)arg + 1);
}

static void *exit_early(void *arg)
{
    pthread_exit((void *)((intptr_t)arg * 2));
    return NULL; /* not reached */
}

static void *report_self(void *arg)
{
    *(pthread_t *)arg = pthread_self();
    return NULL;
}

TEST_DEFINE(test_create_join, "create/join/exit/self/equal; joining oneself is EDEADLK")
{
    enum { N = 32 };
    pthread_t t[N];
    void *r;
    int bad = 0;

    for (int i = 0; i < N; i++)
        EXPECT_RC(pthread_create(&t[i], NULL, i % 2 ? return_arg_plus_one : exit_early,
                                 (void *)(intptr_t)i),
                  0);
    for (int i = 0; i < N; i++) {
        EXPECT_RC(pthread_join(t[i], &r), 0);
        bad += (intptr_t)r != (i % 2 ? i + 1 : i * 2);
    }
    CHECK(bad == 0, "%d threads returned the wrong value", bad);

    pthread_t seen;
    EXPECT_RC(pthread_create(&t[0], NULL, report_self, &seen), 0);
    EXPECT_RC(pthread_join(t[0], NULL), 0);
    CHECK(pthread_equal(seen, t[0]), "pthread_self() in the thread differs from its pthread_t");
    CHECK(!pthread_equal(pthread_self(), t[0]), "two threads compare equal");
    CHECK(pthread_equal(pthread_self(), pthread_self()), "pthread_self() is not equal to itself");

    EXPECT_RC(pthread_join(pthread_self(), NULL), EDEADLK);
}

static volatile int detached_ran;

static void *mark_detached_ran(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&detached_ran, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static volatile int release_detached;

static void *wait_then_mark(void *arg)
{
    while (!__atomic_load_n(&release_detached, __ATOMIC_SEQ_CST))
        sched_yield();
    return mark_detached_ran(arg);
}

TEST_DEFINE(test_detach, "detached threads run and free themselves; join/detach then EINVAL")
{
    pthread_attr_t attr;
    pthread_t t;
    int state;

    detached_ran = 0;
    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_getdetachstate(&attr, &state), 0);
    CHECK(state == PTHREAD_CREATE_JOINABLE, "threads are not joinable by default");
    EXPECT_RC(pthread_attr_setdetachstate(&attr, 12345), EINVAL);
    EXPECT_RC(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
    EXPECT_RC(pthread_attr_getdetachstate(&attr, &state), 0);
    CHECK(state == PTHREAD_CREATE_DETACHED, "the detach state did not stick");
    for (int i = 0; i < 10; i++)
        EXPECT_RC(pthread_create(&t, &attr, mark_detached_ran, NULL), 0);
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    /*
     * Detached after creation; joining or detaching it again is an error
     * while it lives (once it ends, its pthread_t is gone: POSIX leaves
     * using it undefined), so it waits for the checks.
     */
    release_detached = 0;
    EXPECT_RC(pthread_create(&t, NULL, wait_then_mark, NULL), 0);
    EXPECT_RC(pthread_detach(t), 0);
    EXPECT_RC(pthread_join(t, NULL), EINVAL);
    EXPECT_RC(pthread_detach(t), EINVAL);
    __atomic_store_n(&release_detached, 1, __ATOMIC_SEQ_CST);

    for (int i = 0; i < 1000 && detached_ran < 11; i++)
        usleep(1000);
    CHECK(detached_ran == 11, "%d of 11 detached threads ran", detached_ran);
}

static void *use_stack(void *arg)
{
    size_t bytes = (size_t)arg;
    volatile unsigned char *buf = __builtin_alloca(bytes);

    for (size_t i = 0; i < bytes; i += 4096)
        buf[i] = (unsigned char)i;
    return (void *)(uintptr_t)buf[0];
}

TEST_DEFINE(test_stack_size, "stack size attribute is honoured; too small is EINVAL")
{
    pthread_attr_t attr;
    pthread_t t;
    size_t size;

    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1), EINVAL);
    EXPECT_RC(pthread_attr_setstacksize(&attr, 1 << 20), 0);
    EXPECT_RC(pthread_attr_getstacksize(&attr, &size), 0);
    CHECK(size == 1 << 20, "getstacksize gave %zu", size);
    /* 900 KiB of locals: only fits the 1 MiB stack asked for. */
    EXPECT_RC(pthread_create(&t, &attr, use_stack, (void *)(size_t)(900 << 10)), 0);
    EXPECT_RC(pthread_join(t, NULL), 0);
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    pthread_attr_t never_initialised;
    memset(&never_initialised, 0, sizeof(never_initialised));
    EXPECT_RC(pthread_create(&t, &never_initialised, use_stack, (void *)4096), EINVAL);
}

/* --- pinning to a vCPU (minios extension) --- */

static void *where_am_i(void *arg)
{
    int *cpus = arg;

    for (int i = 0; i < 50; i++) {
        cpus[i] = (int)thread_cpu();
        sched_yield();
    }
    return NULL;
}

TEST_DEFINE(test_pin, "pthread_attr_setcpu_np/pthread_setcpu_np pin to a vCPU; bad vCPU EINVAL")
{
    int n = (int)smp_cpu_count();
    pthread_attr_t attr;
    pthread_t t;
    int cpus[50];

    EXPECT_RC(pthread_attr_init(&attr), 0);
    EXPECT_RC(pthread_attr_setcpu_np(&attr, n), EINVAL);
    EXPECT_RC(pthread_attr_setcpu_np(&attr, -2), EINVAL);
    for (int cpu = 0; cpu < n; cpu++) {
        int wrong = 0;

        EXPECT_RC(pthread_attr_setcpu_np(&attr, cpu), 0);
        EXPECT_RC(pthread_create(&t, &attr, where_am_i, cpus), 0);
        EXPECT_RC(pthread_join(t, NULL), 0);
        for (int i = 0; i < 50; i++)
            wrong += cpus[i] != cpu;
        CHECK(wrong == 0, "a thread pinned to vCPU %d ran %d of 50 times elsewhere", cpu, wrong);
    }
    EXPECT_RC(pthread_attr_destroy(&attr), 0);

    /* Re-pinning the running thread moves it. */
    int last = n - 1;
    EXPECT_RC(pthread_setcpu_np(pthread_self(), last), 0);
    sched_yield();
    CHECK((int)thread_cpu() == last, "re-pinned to vCPU %d, running on %u", last, thread_cpu());
    EXPECT_RC(pthread_setcpu_np(pthread_self(), PTHREAD_ANY_CPU_NP), 0);
    EXPECT_RC(pthread_setcpu_np(pthread_self(), n + 5), EINVAL);
}

/* --- sched_yield and priorities --- */

static volatile int turns[2];
static volatile int turns_go;

/* Returns how often the other thread had moved on since this one's last turn. */
static void *take_turns(void *arg)
{
    int me = (int)(intptr_t)arg;
    intptr_t interleaved = 0;

    /* Wait for both to exist: with 4 vCPUs on 2 host cores, the creating thread's vCPU
     * can be descheduled long enough for the first thread to finish alone. */
    while (!turns_go)
        sched_yield();
    int seen = turns[!me];

    for (int i = 0; i < 100; i++) {
        turns[me]++;
        sched_yield();
        if (turns[!me] != seen)
            interleaved++;
        seen = turns[!me];
    }
    return (void *)interleaved;
}

TEST_DEFINE(test_sched_yield, "sched_yield lets another thread on the same vCPU run")
{
    pthread_attr_t attr;
    pthread_t t[2];

    /* Both on vCPU 0: only yielding lets the other one run. */
    pthread_attr_init(&attr);
    pthread_attr_setcpu_np(&attr, 0);
    void *interleaved[2];
    turns[0] = turns[1] = 0;
    turns_go = 0;
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_create(&t[i], &attr, take_turns, (void *)(intptr_t)i), 0);
    turns_go = 1;
    for (int i = 0; i < 2; i++)
        EXPECT_RC(pthread_join(t[i], &interleaved[i]), 0);
    pthread_attr_destroy(&attr);
    CHECK(turns[0] == 100 && turns[1] == 100, "turns %d and %d", turns[0], turns[1]);
    /* Each yield should let the other run: nearly every turn alternates. */
    CHECK((intptr_t)interleaved[0] >= 90 && (intptr_t)interleaved[1] >= 90,
          "the threads alternated %ld and %ld times in 100 yields each",
          (long)(intptr_t)interleaved[0], (long)(intptr_t)interleaved[1]);
    CHECK(sched_yield() == 0, "sched_yield failed");
    CHECK(sched_get_priority_min(SCHED_OTHER) <= sched_get_priority_max(SCHED_OTHER),
          "priority range is empty");
}
