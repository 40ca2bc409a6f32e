/*
 * The context switch with thread-local storage, as "bench NAME VALUE UNIT"
 * lines (bench/run.sh): two threads with their own TLS alternating on one
 * vCPU, so every switch loads the other's thread pointer (%fs base).  The
 * metric names carry the means the kernel chose ("wrfsbase" or
 * "set_segment_base"); bench/smp's switch_ns is the same switch in an
 * image without TLS.
 */
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/thread.h>
#include <minios/time.h>

#define YIELDS 20000

static _Thread_local unsigned long mine = 1;

static void *yielder(void *arg)
{
    mine = (unsigned long)arg;
    for (long i = 0; i < YIELDS; i++)
        thread_yield();
    return (void *)(unsigned long)(mine == (unsigned long)arg);
}

int main(void)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    unsigned int cpu = thread_cpu();
    const char *how = thread_tls_method();
    void *ok_a = NULL, *ok_b = NULL;

    thread_set_affinity(thread_self(), (int)cpu);
    attr.cpu = (int)cpu;
    unsigned long calls = hypercall_count_cpu(cpu), loads = thread_tls_loads_cpu(cpu);
    unsigned long switches = sched_switch_count();
    uint64_t t0 = monotonic_ns();
    struct thread *a = thread_create(yielder, (void *)2, &attr);
    struct thread *b = thread_create(yielder, (void *)3, &attr);

    thread_join(a, &ok_a);
    thread_join(b, &ok_b);
    uint64_t ns = monotonic_ns() - t0;

    switches = sched_switch_count() - switches;
    calls = hypercall_count_cpu(cpu) - calls;
    loads = thread_tls_loads_cpu(cpu) - loads;
    if (!ok_a || !ok_b || !switches) {
        printk("bench-tls: a thread's TLS value changed, or no switch happened\n");
        return 1;
    }
    printk("bench switch_tls_%s_ns %lu ns\n", how, (unsigned long)(ns / switches));
    /* Includes creating and freeing the two threads, as bench/smp's does. */
    printk("bench switch_tls_%s_hypercalls_per_1000 %lu count\n", how, calls * 1000 / switches);
    printk("bench switch_tls_%s_loads_per_1000 %lu count\n", how, loads * 1000 / switches);
    return 0;
}
