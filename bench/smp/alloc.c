/*
 * Allocators under load, in operations per second (one operation: an
 * allocation and the free of an earlier block): one thread per vCPU, each
 * pinned, all started together, the time from the start to the last one's
 * end.  The same workloads as bench/host_malloc.c runs natively with glibc
 * (at 1 and 4 threads), so make bench sets these beside it:
 * - alloc_page: the page allocator, order 0, a window of 16 live pages;
 * - kmalloc_mixed: the kernel heap, 64 live blocks of 16 B to 4 KiB,
 *   replaced at random;
 * - malloc_mixed: newlib's malloc and free (with their checks,
 *   scripts/newlib-patches/) on the same pattern.
 */
#include <stdint.h>
#include <stdlib.h>

#include <minios/console.h>
#include <minios/mm.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include <minios/time.h>

#include "bench.h"

#define ROUNDS 10000 /* per thread */
#define PAGES  16
#define LIVE   64

static unsigned int ready;
static volatile int go;

static void wait_for_go(void)
{
    __atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        thread_yield(); /* cooperative: the starter may share this vCPU */
}

static void *pages(void *arg)
{
    void *live[PAGES] = {0};

    (void)arg;
    wait_for_go();
    for (int i = 0; i < ROUNDS; i++) {
        unsigned int slot = (unsigned int)i % PAGES;

        if (live[slot])
            free_page(live[slot]);
        live[slot] = alloc_page();
    }
    for (int i = 0; i < PAGES; i++) {
        if (live[i])
            free_page(live[i]);
    }
    return NULL;
}

/* The mixed pattern, through @alloc and @release. */
static void mixed(uint32_t seed, void *(*alloc)(size_t), void (*release)(void *))
{
    void *live[LIVE];

    for (int i = 0; i < LIVE; i++)
        live[i] = alloc(16 + (size_t)i * 64);
    wait_for_go();
    for (int i = 0; i < ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned int slot = (seed >> 8) % LIVE;

        release(live[slot]);
        live[slot] = alloc(16 + (seed >> 20) % 4081);
    }
    for (int i = 0; i < LIVE; i++)
        release(live[i]);
}

static void *kheap(void *arg)
{
    mixed((uint32_t)(uintptr_t)arg, kmalloc, kfree);
    return NULL;
}

static void *libc_heap(void *arg)
{
    mixed((uint32_t)(uintptr_t)arg, malloc, free);
    return NULL;
}

static void run(const char *name, void *(*fn)(void *))
{
    unsigned int n = smp_cpu_count();
    struct thread *t[n];
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    __atomic_store_n(&ready, 0, __ATOMIC_RELAXED);
    go = 0;
    for (unsigned int i = 0; i < n; i++) {
        attr.cpu = (int)i;
        t[i] = thread_create(fn, (void *)(uintptr_t)(12345 + i), &attr);
        if (!t[i]) {
            printk("bench: no thread for %s on vCPU %u\n", name, i);
            return;
        }
    }
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < n)
        thread_yield();
    uint64_t t0 = monotonic_ns();

    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (unsigned int i = 0; i < n; i++)
        thread_join(t[i], NULL);
    uint64_t ns = monotonic_ns() - t0;

    printk("bench %s_ops_s %lu ops/s\n", name,
           (unsigned long)((uint64_t)ROUNDS * n * 1000000000u / ns));
}

void bench_alloc(void)
{
    run("alloc_page", pages);
    run("kmalloc_mixed", kheap);
    run("malloc_mixed", libc_heap);
}
