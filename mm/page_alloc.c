/*
 * The page allocator: the buddy algorithm (mm/buddy.c) behind one lock,
 * with the checks a kernel wants: a clear panic naming the address on a
 * double or mismatched free, a one-line warning when memory runs out, and
 * in debug mode a poison pattern in free pages that must still be intact
 * when they are handed out again.
 */
#include <kernel/buddy.h>
#include <kernel/heap.h>
#include <kernel/rammap.h>
#include <kernel/page_alloc.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/irqflags.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/spinlock.h>

#define POISON 0x6b6b6b6b6b6b6b6bULL /* "kkkk...": freed, do not touch */

static struct buddy buddy;
static spinlock_t lock = SPINLOCK_INIT;
static bool debug;
static bool ready;

STATIC_ASSERT(MAX_PAGE_ORDER == BUDDY_MAX_ORDER, "one maximum order");

void page_alloc_init(void *maps, unsigned long nr_frames)
{
    uint8_t *state = maps;
    struct buddy_link *links = (struct buddy_link *)ALIGN_UP((uintptr_t)(state + nr_frames), 8);

    buddy_init(&buddy, nr_frames, state, links);
    ready = true;
}

void page_alloc_add(unsigned long start, unsigned long end)
{
    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    buddy_add_range(&buddy, start, end);
    spin_unlock(&lock);
    local_irq_restore(flags);
}

static void poison(unsigned long pfn, unsigned int order)
{
    uint64_t *p = pfn_to_virt(pfn);

    for (unsigned long i = 0; i < (PAGE_SIZE << order) / 8; i++)
        p[i] = POISON;
}

static void check_poison(unsigned long pfn, unsigned int order)
{
    const uint64_t *p = pfn_to_virt(pfn);

    for (unsigned long i = 0; i < (PAGE_SIZE << order) / 8; i++) {
        if (p[i] != POISON)
            panic("page allocator: free memory at %p was written after it was freed "
                  "(found %#lx, expected poison %#llx)",
                  (void *)&p[i], (unsigned long)p[i], POISON);
    }
}

/* Free blocks were never touched: map them before writing the poison. */
static void poison_free_block(unsigned long pfn, unsigned int order)
{
    ram_ensure_mapped(pfn, 1UL << order);
    poison(pfn, order);
}

/*
 * Switching debug on poisons every block that is free right now, so that
 * from then on every free frame carries the pattern.
 */
void page_alloc_set_debug(bool on)
{
    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    if (on && !debug)
        buddy_for_each_free(&buddy, poison_free_block);
    debug = on;
    spin_unlock(&lock);
    local_irq_restore(flags);
}

void *alloc_pages_quiet(unsigned int order)
{
    unsigned long flags;
    long pfn;

    if (!ready || order > MAX_PAGE_ORDER)
        return NULL;
    flags = local_irq_save();
    spin_lock(&lock);
    pfn = buddy_alloc(&buddy, order);
    spin_unlock(&lock);
    local_irq_restore(flags);
    if (pfn < 0)
        return NULL;
    /* Frames beyond Xen's bootstrap mapping are mapped on first use. */
    ram_ensure_mapped((unsigned long)pfn, 1UL << order);
    if (debug)
        check_poison((unsigned long)pfn, order);
    return pfn_to_virt((unsigned long)pfn);
}

void *alloc_pages(unsigned int order)
{
    void *p = alloc_pages_quiet(order);

    if (!p)
        printk("page allocator: out of memory for an order-%u block (%lu KiB)\n", order,
               (PAGE_SIZE << order) / 1024);
    return p;
}

void free_pages(void *addr, unsigned int order)
{
    unsigned long pfn = virt_to_pfn(addr);
    unsigned long flags;
    int rc;

    if (!addr)
        return;
    if ((unsigned long)addr & ~PAGE_MASK)
        panic("free_pages(%p, %u): not a page address", addr, order);
    if (debug && pfn < buddy.nr_frames)
        poison(pfn, order);
    flags = local_irq_save();
    spin_lock(&lock);
    rc = buddy_free(&buddy, pfn, order);
    spin_unlock(&lock);
    local_irq_restore(flags);
    switch (rc) {
    case BUDDY_OK:
        return;
    case BUDDY_DOUBLE_FREE:
        panic("free_pages(%p, %u): double free: the block is already free", addr, order);
    case BUDDY_WRONG_ORDER:
        panic("free_pages(%p, %u): the block was allocated with another order", addr, order);
    case BUDDY_NOT_A_BLOCK:
        panic("free_pages(%p, %u): not the start of an allocated block (double free?)", addr,
              order);
    default:
        panic("free_pages(%p, %u): not a page the allocator manages", addr, order);
    }
}

void page_alloc_stats(struct page_stats *stats)
{
    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    stats->total = buddy.managed_frames;
    stats->free = buddy.free_frames;
    int largest = buddy_largest_free_order(&buddy);
    stats->largest_free_order = largest < 0 ? 0 : (unsigned long)largest;
    spin_unlock(&lock);
    local_irq_restore(flags);
}
