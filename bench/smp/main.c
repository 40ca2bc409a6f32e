/*
 * SMP figures, as "bench NAME VALUE UNIT" lines (bench/run.sh runs this at
 * 1, 2 and 4 vCPUs): the cost of one event-channel send, an IPI round trip,
 * smp_call_function to every vCPU, a context switch (time and hypercalls),
 * a CPU-bound workload whose time, compared across vCPU counts, gives
 * the speed-up, and the allocators under load (alloc.c).
 */
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>

#include "bench.h"

#define ROUNDS 2000

static void nothing(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
}

/* The unit the other costs are set beside: the cheapest hypercall there is. */
static void bench_null_hypercall(void)
{
    uint64_t t0 = monotonic_ns();

    for (int i = 0; i < ROUNDS; i++) {
        long v = HYPERVISOR_xen_version(XENVER_version, NULL);

        if (v < 0) {
            printk("bench: xen_version(XENVER_version) failed: %ld (%s)\n", v, xen_strerror(v));
            return;
        }
    }
    printk("bench null_hypercall_ns %lu ns\n", (monotonic_ns() - t0) / ROUNDS);
}

/* One EVTCHNOP_send to a masked port: the hypercall alone, no delivery. */
static void bench_send(void)
{
    evtchn_port_t rx, tx;

    if (evtchn_alloc_unbound(DOMID_SELF, nothing, NULL, &rx) ||
        evtchn_bind_interdomain(DOMID_SELF, rx, nothing, NULL, &tx))
        return;
    evtchn_mask(rx);
    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < ROUNDS; i++)
        evtchn_send(tx);
    printk("bench evtchn_send_ns %lu ns\n", (monotonic_ns() - t0) / ROUNDS);
    evtchn_close(tx);
    evtchn_close(rx);
}

static void count(void *arg)
{
    __atomic_fetch_add((unsigned long *)arg, 1, __ATOMIC_RELAXED);
}

static void bench_ipi(void)
{
    unsigned long n = 0;
    unsigned int other = thread_cpu() == 0 ? 1 : 0;

    if (smp_cpu_count() < 2)
        return;
    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < ROUNDS; i++)
        smp_call_function_single(other, count, &n, true);
    printk("bench ipi_roundtrip_ns %lu ns\n", (monotonic_ns() - t0) / ROUNDS);

    t0 = monotonic_ns();
    for (int i = 0; i < ROUNDS / 4; i++)
        smp_call_function(smp_online_mask(), count, &n, true);
    printk("bench call_all_ns %lu ns\n", (monotonic_ns() - t0) / (ROUNDS / 4));
}

static void *yielder(void *arg)
{
    for (long i = 0; i < (long)arg; i++)
        thread_yield();
    return NULL;
}

static void bench_switch(void)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    enum { YIELDS = 20000 };

    thread_set_affinity(thread_self(), (int)thread_cpu());
    attr.cpu = (int)thread_cpu();
    unsigned long calls = hypercall_count_cpu(thread_cpu());
    unsigned long switches = sched_switch_count();
    uint64_t t0 = monotonic_ns();
    struct thread *a = thread_create(yielder, (void *)YIELDS, &attr);
    struct thread *b = thread_create(yielder, (void *)YIELDS, &attr);

    thread_join(a, NULL);
    thread_join(b, NULL);
    uint64_t ns = monotonic_ns() - t0;

    switches = sched_switch_count() - switches;
    calls = hypercall_count_cpu(thread_cpu()) - calls;
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
    printk("bench switch_ns %lu ns\n", ns / switches);
    /* Includes creating and freeing the two threads: ~6 in all. */
    printk("bench switch_hypercalls_per_1000 %lu count\n", calls * 1000 / switches);
}

static volatile unsigned long sink;

/* What a switch is set beside: a call that the compiler may not inline or drop. */
static __attribute__((noinline)) void plain_call(long i)
{
    __atomic_fetch_add(&sink, (unsigned long)i & 1, __ATOMIC_RELAXED);
}

static void bench_call_loop(void)
{
    enum { CALLS = 200000 };
    uint64_t t0 = monotonic_ns();

    for (long i = 0; i < CALLS; i++)
        plain_call(i);
    printk("bench function_call_ps %lu ps\n", (monotonic_ns() - t0) * 1000 / CALLS);
}

static void *crunch(void *arg)
{
    unsigned long x = (unsigned long)arg;

    for (long i = 0; i < 16000000; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    __atomic_fetch_add(&sink, x & 1, __ATOMIC_RELAXED);
    return NULL;
}

/*
 * Eight equal CPU-bound threads; the time to finish all, at this vCPU count.
 * 16 M rounds each (0.2 s in all at 1 vCPU under TCG): long beside what
 * does not scale (creating and joining the threads, the last one's tail).
 */
static void bench_cpu_bound(void)
{
    struct thread *t[8];
    uint64_t t0 = monotonic_ns();

    for (int i = 0; i < 8; i++)
        t[i] = thread_create(crunch, (void *)(unsigned long)i, NULL);
    for (int i = 0; i < 8; i++)
        thread_join(t[i], NULL);
    printk("bench cpu_bound_8x16M_ns %lu ns\n", monotonic_ns() - t0);
}

int main(void)
{
    printk("bench vcpus %u count\n", smp_cpu_count());
    bench_null_hypercall();
    bench_send();
    bench_ipi();
    bench_switch();
    bench_call_loop();
    bench_cpu_bound();
    bench_alloc();
    return 0;
}
