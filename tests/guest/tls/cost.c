/*
 * What TLS costs a context switch: the thread pointer is loaded only when
 * the next thread's differs from the one the vCPU holds, by wrfsbase (no
 * hypercall) where Xen allows it, else by one set_segment_base hypercall;
 * a switch to the idle thread and back loads nothing.
 */
#include <pthread.h>
#include <string.h>

#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>

#include "tls_tests.h"

#define PINGS 5000

static volatile bool go;

static void *pinger(void *arg)
{
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        thread_yield();
    tls_fill((unsigned long)(uintptr_t)arg);
    for (int i = 0; i < PINGS; i++)
        thread_yield();
    return (void *)(uintptr_t)tls_holds((unsigned long)(uintptr_t)arg);
}

static bool by_hypercall(void)
{
    return strcmp(thread_tls_method(), "set_segment_base") == 0;
}

TEST_DEFINE(test_tls_switch_cost,
            "two TLS threads: one load per switch, 0 hypercalls (wrfsbase) or 1 (set_segment_base)")
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    unsigned int cpu;
    struct thread *a, *b;

    /* Everything on one vCPU, so every switch and every load is counted there. */
    thread_set_affinity(thread_self(), (int)thread_cpu());
    cpu = thread_cpu();
    attr.cpu = (int)cpu;
    go = false;
    a = thread_create(pinger, (void *)1, &attr);
    b = thread_create(pinger, (void *)2, &attr);
    if (!a || !b) {
        test_error("thread_create failed");
        return;
    }
    thread_yield(); /* both are spinning on `go` behind us now */

    unsigned long loads = thread_tls_loads_cpu(cpu), calls = hypercall_count_cpu(cpu);
    unsigned long segs = hypercall_count_nr_cpu(__HYPERVISOR_set_segment_base, cpu);
    uint64_t t0 = monotonic_ns();
    void *kept_a = NULL, *kept_b = NULL;

    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    thread_join(a, &kept_a); /* blocks: a and b have the vCPU to themselves */
    thread_join(b, &kept_b);
    uint64_t ns = monotonic_ns() - t0;

    loads = thread_tls_loads_cpu(cpu) - loads;
    calls = hypercall_count_cpu(cpu) - calls;
    segs = hypercall_count_nr_cpu(__HYPERVISOR_set_segment_base, cpu) - segs;
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);

    CHECK(kept_a && kept_b, "a thread's values changed while the two alternated");
    CHECK(loads >= 2 * PINGS, "%lu thread-pointer loads for %d alternations", loads, 2 * PINGS);
    /*
     * Other hypercalls on this vCPU (the joins blocking, the last exit's
     * wake-up, a xenstore thread's visit as a domU, a late timer under
     * a loaded host) do not scale with the switches; a switch path that
     * made a second hypercall would add one per load.
     */
    unsigned long others = calls - segs;
    if (by_hypercall()) {
        CHECK(segs == loads, "%lu set_segment_base calls on vCPU %u for %lu loads", segs, cpu,
              loads);
    } else {
        CHECK(segs == 0, "%lu set_segment_base calls with wrfsbase", segs);
    }
    CHECK(calls >= segs && others <= loads / 50,
          "%lu hypercalls on vCPU %u besides %lu set_segment_base, for %lu loads", others, cpu,
          segs, loads);
    test_note("%lu loads by %s, %lu hypercalls on vCPU %u, %lu ns per load", loads,
              thread_tls_method(), calls, cpu, (unsigned long)(ns / (loads ? loads : 1)));
}

/*
 * As a domU the kernel's xenstore threads (which have TLS like any thread,
 * since they run the application's watch callbacks) wake now and then and
 * may visit this vCPU while it naps: two honest loads per visit, which this
 * test could not tell from the loads it looks for.  As dom0 nothing else
 * runs.
 */
static const char *with_service_threads(void)
{
    return xen_is_initial_domain() ? NULL : "the kernel's xenstore threads share the vCPUs";
}

TEST_DEFINE(test_tls_idle_switch_free,
            "a thread that sleeps and wakes (to idle and back) never reloads its thread pointer",
            .not_here = with_service_threads)
{
    enum { NAPS = 50 };
    unsigned int cpu;

    thread_set_affinity(thread_self(), (int)thread_cpu());
    cpu = thread_cpu();

    unsigned long loads = thread_tls_loads_cpu(cpu);
    unsigned long segs = hypercall_count_nr_cpu(__HYPERVISOR_set_segment_base, cpu);
    unsigned long switches = sched_switch_count();

    for (int i = 0; i < NAPS; i++)
        thread_sleep_ns(100 * NSEC_PER_USEC);
    loads = thread_tls_loads_cpu(cpu) - loads;
    segs = hypercall_count_nr_cpu(__HYPERVISOR_set_segment_base, cpu) - segs;
    switches = sched_switch_count() - switches;
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);

    CHECK(switches >= NAPS, "only %lu switches for %d naps", switches, NAPS);
    CHECK(loads == 0, "%lu thread-pointer loads on vCPU %u for %d naps", loads, cpu, NAPS);
    CHECK(segs == 0, "%lu set_segment_base calls", segs);
    CHECK(tls_thread_pointer() == *(void **)tls_thread_pointer(), "%%fs:0 changed");
}
