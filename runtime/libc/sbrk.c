/*
 * sbrk(): the C library's malloc grows a heap of its own, in a virtual
 * region of its own (at 32 TiB, far from RAM, stacks and mappings), backed
 * page by page with frames from the page allocator as the break moves up,
 * and given back when malloc trims it.  The region is as large as RAM, so
 * the heap is contiguous and bounded only by memory.  newlib calls sbrk with
 * its malloc lock held: no lock here.
 *
 * The heap never takes the last free frames: the kernel keeps a reserve for
 * the work it does on the application's behalf once the heap has taken
 * everything else (a C library lock for a new FILE, a thread's stack, page
 * tables of new mappings, timers and event structures).  Without it the
 * first printf after malloc had eaten all memory brought the kernel down;
 * with it, malloc fails with ENOMEM and the kernel goes on.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include <kernel/mm.h>
#include <minios/mm.h>
#include <minios/hypervisor.h>
#include <minios/page.h>

#include "libc_thread.h"

#define HEAP_START 0x0000200000000000UL

static unsigned long brk = HEAP_START;        /* the current break */
static unsigned long mapped_end = HEAP_START; /* pages mapped up to here */

/* 1/16 of the domain's memory, at least 256 KiB, at most 2 MiB. */
#define RESERVE_MIN_PAGES 64UL
#define RESERVE_MAX_PAGES 512UL

static unsigned long reserve_pages(void)
{
    unsigned long r = start_info.nr_pages / 16;

    if (r < RESERVE_MIN_PAGES)
        return RESERVE_MIN_PAGES;
    return r > RESERVE_MAX_PAGES ? RESERVE_MAX_PAGES : r;
}

/* Whether @pages more frames for the heap leave the kernel its reserve. */
static bool leaves_reserve(unsigned long pages)
{
    struct page_stats st;

    page_alloc_stats(&st);
    return st.free >= pages && st.free - pages >= reserve_pages();
}

void (*libc_reclaim_reent)(struct _reent *r); /* libc_thread.h */

void *sbrk(ptrdiff_t incr)
{
    unsigned long old = brk;
    unsigned long limit = HEAP_START + start_info.nr_pages * PAGE_SIZE;
    unsigned long want = brk + (unsigned long)incr;

    if ((incr > 0 && (want < brk || want > limit)) || (incr < 0 && want < HEAP_START)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    unsigned long need_end = (want + PAGE_SIZE - 1) & PAGE_MASK;

    if (need_end > mapped_end) {
        if (!leaves_reserve((need_end - mapped_end) / PAGE_SIZE) ||
            vmap_map_fresh(mapped_end, (need_end - mapped_end) / PAGE_SIZE, true)) {
            errno = ENOMEM;
            return (void *)-1;
        }
        mapped_end = need_end;
    } else if (need_end < mapped_end) {
        vmap_unmap_free(need_end, (mapped_end - need_end) / PAGE_SIZE);
        mapped_end = need_end;
    }
    brk = want;
    if (incr > 0) /* memory newlib may hand to a thread's struct _reent */
        __atomic_store_n(&libc_reclaim_reent, _reclaim_reent, __ATOMIC_RELEASE);
    return (void *)old;
}
