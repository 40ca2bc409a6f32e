/*
 * sbrk(): the C library's malloc grows a heap of its own, in a virtual
 * region of its own (at 32 TiB, far from RAM, stacks and mappings), backed
 * page by page with frames from the page allocator as the break moves up,
 * and given back when malloc trims it.  The region is as large as RAM, so
 * the heap is contiguous and bounded only by memory.  newlib calls sbrk with
 * its malloc lock held: no lock here.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include <kernel/mm.h>
#include <minios/hypervisor.h>
#include <minios/page.h>

#define HEAP_START 0x0000200000000000UL

static unsigned long brk = HEAP_START;          /* the current break */
static unsigned long mapped_end = HEAP_START;   /* pages mapped up to here */

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
        if (vmap_map_fresh(mapped_end, (need_end - mapped_end) / PAGE_SIZE, true)) {
            errno = ENOMEM;
            return (void *)-1;
        }
        mapped_end = need_end;
    } else if (need_end < mapped_end) {
        vmap_unmap_free(need_end, (mapped_end - need_end) / PAGE_SIZE);
        mapped_end = need_end;
    }
    brk = want;
    return (void *)old;
}
