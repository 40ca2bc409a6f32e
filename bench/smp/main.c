/*
 * SMP figures, as "bench NAME VALUE UNIT" lines (bench/run.sh runs this at
 * 1, 2 and 4 vCPUs): the cost of one event-channel send, an IPI round trip,
 * smp_call_function to every vCPU, a TLB shootdown (one page unmapped, and a
 * whole flush, on every vCPU), a context switch (time and hypercalls),
 * a CPU-bound workload whose time, compared across vCPU counts, gives
 * the speed-up, and the allocators under load (alloc.c).
 */
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/p2m.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>

#include "bench.h"

#define ROUNDS 2000
/*
 * The cross-vCPU loops stop after this long even before ROUNDS: an IPI
 * round trip costs ms as PVH under TCG and with 4 vCPUs on 2 host cores,
 * and 2000 of them would be most of a boot's time.
 */
#define CALL_BUDGET_NS 1000000000ULL

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
    uint64_t t0 = monotonic_ns(), t = t0;
    int i;

    for (i = 0; i < ROUNDS && t - t0 < CALL_BUDGET_NS; i++, t = monotonic_ns())
        smp_call_function_single(other, count, &n, true);
    printk("bench ipi_roundtrip_ns %lu ns\n", (t - t0) / i);

    t0 = t = monotonic_ns();
    for (i = 0; i < ROUNDS / 4 && t - t0 < CALL_BUDGET_NS; i++, t = monotonic_ns())
        smp_call_function(smp_online_mask(), count, &n, true);
    printk("bench call_all_ns %lu ns\n", (t - t0) / i);
}

/*
 * TLB shootdowns, by whichever means the boot mode uses (PV: Xen's
 * MMUEXT_INVLPG_MULTI / TLB_FLUSH_MULTI with a vCPU mask; PVH: invlpg or a
 * CR3 reload, plus HVMOP_flush_tlbs with more than one vCPU): one page
 * unmapped (its PTE cleared and flushed everywhere; mapping it again is
 * not timed), and a whole flush of every vCPU.
 */
static void bench_tlb_shootdown(void)
{
    enum { SHOOTS = 500 };
    uint64_t *page = alloc_page(), ns = 0;
    unsigned long mfn;

    if (!page) {
        printk("bench: no page for the TLB shootdown\n");
        return;
    }
    mfn = virt_to_mfn(page);
    for (int i = 0; i < SHOOTS; i++) {
        volatile uint64_t *alias = map_frames(&mfn, 1, 0, DOMID_SELF);

        if (!alias) {
            printk("bench: map_frames failed\n");
            free_page(page);
            return;
        }
        (void)*alias; /* the translation is in this vCPU's TLB */
        uint64_t t0 = monotonic_ns();
        unmap_frames((void *)alias, 1);
        ns += monotonic_ns() - t0;
    }
    free_page(page);
    printk("bench tlb_shootdown_page_ns %lu ns\n", ns / SHOOTS);

    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < SHOOTS; i++)
        tlb_flush_all_cpus();
    printk("bench tlb_flush_all_ns %lu ns\n", (monotonic_ns() - t0) / SHOOTS);
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
    bench_tlb_shootdown();
    bench_switch();
    bench_call_loop();
    bench_cpu_bound();
    bench_alloc();
    return 0;
}
