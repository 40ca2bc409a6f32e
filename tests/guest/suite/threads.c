/*
 * Threads on the shared scheduler and their synchronisation: mutexes,
 * condition variables, semaphores, sleeps, per-thread FPU state, and
 * context switches that cost no hypercall.  Every wait has a deadline.
 */
#include <string.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/probe.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>
#include "suite.h"

/* --- a mutex-protected counter --- */

static struct mutex counter_lock = MUTEX_INIT(counter_lock);
static unsigned long counter;

static void *increment(void *arg)
{
    unsigned long n = (unsigned long)arg;

    for (unsigned long i = 0; i < n; i++) {
        mutex_lock(&counter_lock);
        counter++;
        mutex_unlock(&counter_lock);
        if (i % 512 == 0)
            thread_yield();
    }
    return NULL;
}

TEST_DEFINE(test_mutex_counter, "16 threads x 100,000 mutex-protected increments: exact total")
{
    enum { THREADS = 16, EACH = 100000 };
    struct thread *t[THREADS];
    uint64_t start = monotonic_ns();

    counter = 0;
    for (int i = 0; i < THREADS; i++)
        t[i] = thread_create(increment, (void *)(unsigned long)EACH, NULL);
    join_all(t, THREADS);
    CHECK(counter == (unsigned long)THREADS * EACH, "counter is %lu, expected %lu", counter,
          (unsigned long)THREADS * EACH);
    test_note("16 x 100,000 increments in %lu ms", (monotonic_ns() - start) / NSEC_PER_MSEC);

    struct mutex r;
    mutex_init(&r, true);
    mutex_lock(&r);
    CHECK(mutex_trylock(&r), "a recursive mutex refused its owner");
    mutex_unlock(&r);
    CHECK(mutex_owned_by_me(&r), "one unlock of two released a recursive mutex");
    mutex_unlock(&r);
    CHECK(!mutex_owned_by_me(&r), "the recursive mutex is still held");
}

/* --- producer / consumer through condition variables --- */

#define SLOTS 8

static struct {
    struct mutex lock;
    struct condvar not_empty, not_full;
    unsigned long items[SLOTS];
    unsigned int head, count;
    bool done;
} pc;

static void *producer(void *arg)
{
    unsigned long n = (unsigned long)arg;

    for (unsigned long i = 1; i <= n; i++) {
        mutex_lock(&pc.lock);
        while (pc.count == SLOTS) {
            if (!condvar_wait_until(&pc.not_full, &pc.lock, DEADLINE(20))) {
                mutex_unlock(&pc.lock);
                return (void *)1; /* lost wake-up */
            }
        }
        pc.items[(pc.head + pc.count) % SLOTS] = i;
        pc.count++;
        condvar_signal(&pc.not_empty);
        mutex_unlock(&pc.lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    unsigned long *sum = arg;

    for (;;) {
        mutex_lock(&pc.lock);
        while (pc.count == 0 && !pc.done) {
            if (!condvar_wait_until(&pc.not_empty, &pc.lock, DEADLINE(20))) {
                mutex_unlock(&pc.lock);
                return (void *)1;
            }
        }
        if (pc.count == 0 && pc.done) {
            mutex_unlock(&pc.lock);
            return NULL;
        }
        *sum += pc.items[pc.head];
        pc.head = (pc.head + 1) % SLOTS;
        pc.count--;
        condvar_signal(&pc.not_full);
        mutex_unlock(&pc.lock);
    }
}

TEST_DEFINE(test_producer_consumer, "producers and consumers on condvars: no lost wake-up")
{
    enum { PRODUCERS = 4, CONSUMERS = 4, EACH = 20000 };
    struct thread *p[PRODUCERS], *c[CONSUMERS];
    unsigned long sums[CONSUMERS] = {0}, total = 0;
    void *r;
    bool timed_out = false;

    mutex_init(&pc.lock, false);
    condvar_init(&pc.not_empty);
    condvar_init(&pc.not_full);
    pc.head = pc.count = 0;
    pc.done = false;
    for (int i = 0; i < CONSUMERS; i++)
        c[i] = thread_create(consumer, &sums[i], NULL);
    for (int i = 0; i < PRODUCERS; i++)
        p[i] = thread_create(producer, (void *)(unsigned long)EACH, NULL);
    for (int i = 0; i < PRODUCERS; i++) {
        thread_join(p[i], &r);
        timed_out |= r != NULL;
    }
    mutex_lock(&pc.lock);
    pc.done = true;
    condvar_broadcast(&pc.not_empty);
    mutex_unlock(&pc.lock);
    for (int i = 0; i < CONSUMERS; i++) {
        thread_join(c[i], &r);
        timed_out |= r != NULL;
        total += sums[i];
    }
    CHECK(!timed_out, "a producer or consumer waited 20 s: a lost wake-up");
    unsigned long want = (unsigned long)PRODUCERS * EACH * (EACH + 1) / 2;
    CHECK(total == want, "consumed sum %lu, produced %lu", total, want);
}

/* --- semaphores: a ping-pong --- */

static struct semaphore ping, pong;

static void *ponger(void *arg)
{
    unsigned long n = (unsigned long)arg;

    for (unsigned long i = 0; i < n; i++) {
        if (!semaphore_down_until(&ping, DEADLINE(20)))
            return (void *)1;
        semaphore_up(&pong);
    }
    return NULL;
}

TEST_DEFINE(test_semaphores, "a 5,000-round semaphore ping-pong; timed downs time out")
{
    enum { ROUNDS = 5000 };
    void *r;

    semaphore_init(&ping, 0);
    semaphore_init(&pong, 0);
    struct thread *t = thread_create(ponger, (void *)(unsigned long)ROUNDS, NULL);
    unsigned long done = 0;

    for (; done < ROUNDS; done++) {
        semaphore_up(&ping);
        if (!semaphore_down_until(&pong, DEADLINE(20)))
            break;
    }
    thread_join(t, &r);
    CHECK(done == ROUNDS && r == NULL, "ping-pong stopped after %lu of %d rounds", done, ROUNDS);
    CHECK(!semaphore_trydown(&ping), "a semaphore kept a count it should not have");
    semaphore_up(&ping);
    CHECK(semaphore_trydown(&ping), "trydown failed on a posted semaphore");
    uint64_t before = monotonic_ns();
    CHECK(!semaphore_down_until(&ping, monotonic_ns() + 5 * NSEC_PER_MSEC),
          "a timed down on an empty semaphore succeeded");
    CHECK(monotonic_ns() - before >= 5 * NSEC_PER_MSEC, "the timed down returned early");
}

/* --- sleep --- */

static void *sleeper(void *arg)
{
    uint64_t ns = (uint64_t)(unsigned long)arg;
    uint64_t start = monotonic_ns();

    thread_sleep_ns(ns);
    return (void *)(unsigned long)(monotonic_ns() - start < ns); /* 1 = too early */
}

TEST_DEFINE(test_thread_sleep, "sleeping threads wake no earlier than asked")
{
    struct thread *t[8];
    void *r;
    unsigned int early = 0;

    for (int i = 0; i < 8; i++)
        t[i] = thread_create(sleeper, (void *)(unsigned long)((i + 1) * 2 * NSEC_PER_MSEC), NULL);
    for (int i = 0; i < 8; i++) {
        thread_join(t[i], &r);
        early += r != NULL;
    }
    CHECK(early == 0, "%u sleepers woke before their time", early);
}

/* --- per-thread FPU/SSE state --- */

static void *fpu_worker(void *arg)
{
    double seed = (double)(unsigned long)arg, x = seed;

    /* A computation whose result depends on every step, with yields inside. */
    for (int i = 0; i < 2000; i++) {
        x = x * 1.0000001 + seed / (i + 1.0);
        if (i % 50 == 0)
            thread_yield();
    }
    double y = seed;
    for (int i = 0; i < 2000; i++)
        y = y * 1.0000001 + seed / (i + 1.0);
    return (void *)(unsigned long)(x == y);
}

TEST_DEFINE(test_fpu_per_thread, "each thread keeps its own FPU/SSE state across switches")
{
    struct thread *t[8];
    void *r;
    unsigned int bad = 0;

    for (int i = 0; i < 8; i++)
        t[i] = thread_create(fpu_worker, (void *)(unsigned long)(i + 1), NULL);
    for (int i = 0; i < 8; i++) {
        thread_join(t[i], &r);
        bad += r == NULL;
    }
    CHECK(bad == 0, "%u threads saw their floating-point state disturbed", bad);
}

/* --- zero hypercalls per context switch --- */

static struct semaphore yielders_done;
static struct waitq yield_gate = WAITQ_INIT(yield_gate), exit_gate = WAITQ_INIT(exit_gate);
static bool yield_go, exit_go;

static bool flag_set(void *arg)
{
    return *(bool *)arg;
}

static void open_gate(struct waitq *wq, bool *flag)
{
    unsigned long flags = spin_lock_irqsave(&wq->lock);

    *flag = true;
    spin_unlock_irqrestore(&wq->lock, flags);
    waitq_wake_all(wq);
}

static void *yielder(void *arg)
{
    waitq_wait(&yield_gate, flag_set, &yield_go, NO_DEADLINE);
    for (unsigned long i = 0; i < (unsigned long)arg; i++)
        thread_yield();
    semaphore_up(&yielders_done);
    waitq_wait(&exit_gate, flag_set, &exit_go, NO_DEADLINE);
    return NULL;
}

TEST_DEFINE(test_switch_hypercalls, "a context switch between threads costs no hypercall")
{
    enum { YIELDS = 10000 };
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    unsigned int cpu = thread_cpu();
    struct thread *a, *b;

    /* Everything on this vCPU, so the switches are all here and nobody needs waking. */
    thread_set_affinity(thread_self(), (int)cpu);
    cpu = thread_cpu();
    attr.cpu = (int)cpu;
    semaphore_init(&yielders_done, 0);
    yield_go = exit_go = false;
    a = thread_create(yielder, (void *)YIELDS, &attr);
    b = thread_create(yielder, (void *)YIELDS, &attr);
    thread_sleep_ns(10 * NSEC_PER_MSEC); /* both are waiting at the gate now */

    unsigned long switches = sched_switch_count();
    unsigned long before = hypercall_count_cpu(cpu), loads = thread_tls_loads_cpu(cpu);

    open_gate(&yield_gate, &yield_go);
    semaphore_down(&yielders_done);
    semaphore_down(&yielders_done);
    unsigned long calls = hypercall_count_cpu(cpu) - before;

    loads = thread_tls_loads_cpu(cpu) - loads;

    switches = sched_switch_count() - switches;
    open_gate(&exit_gate, &exit_go);
    thread_join(a, NULL);
    thread_join(b, NULL);
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);

    CHECK(switches >= 2 * YIELDS, "only %lu switches for %d yields", switches, 2 * YIELDS);
    CHECK(calls == 0, "%lu hypercalls on vCPU %u during %lu context switches", calls, cpu,
          switches);
    /* This image has no thread-local variables: the thread pointer is never touched. */
    CHECK(strcmp(thread_tls_method(), "none") == 0 && loads == 0,
          "no TLS in the image, yet the TLS method is %s and %lu loads were made",
          thread_tls_method(), loads);
    test_note("%lu context switches on vCPU %u, %lu hypercalls", switches, cpu, calls);
}
