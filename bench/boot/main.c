/*
 * Boot and memory figures, as machine-readable "bench NAME VALUE UNIT" lines
 * (bench/run.sh collects them across memory sizes).
 */
#include <minios/console.h>
#include <minios/debug.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/time.h>

#include "bench.h"

static unsigned long total_hypercalls(void)
{
    unsigned long n = 0;

    for (unsigned int nr = 0; nr < 64; nr++)
        n += hypercall_count(nr);
    return n;
}

int main(void)
{
    struct page_stats stats;
    uint64_t t0, t1;
    unsigned long h0, h1, frames = 0;

    page_alloc_stats(&stats);
    printk("bench boot_ns %lu ns\n", debug_boot_ns());
    printk("bench boot_hypercalls %lu count\n", debug_boot_hypercalls());
    printk("bench mm_setup_ns %lu ns\n", debug_boot_phase_ns("map") +
                                             debug_boot_phase_ns("protect") +
                                             debug_boot_phase_ns("memory"));
    printk("bench free_frames_after_boot %lu frames\n", stats.free);

    /* Touch all free memory once: maps every region not mapped yet. */
    h0 = total_hypercalls();
    t0 = monotonic_ns();
    void *chain = NULL;
    for (;;) {
        void **page = alloc_pages(9); /* 2 MiB blocks, then smaller */

        if (!page)
            break;
        *page = chain;
        chain = page;
        frames += 512;
    }
    t1 = monotonic_ns();
    h1 = total_hypercalls();
    printk("bench map_all_ns %lu ns\n", t1 - t0);
    printk("bench map_all_hypercalls %lu count\n", h1 - h0);
    printk("bench map_all_frames %lu frames\n", frames);
    while (chain) {
        void **page = chain;

        chain = *page;
        free_pages(page, 9);
    }
    printk("bench guest_exit_ns %lu ns\n", monotonic_ns());
    bench_heap(); /* after the exit figure, which it would distort */
    return 0;
}
