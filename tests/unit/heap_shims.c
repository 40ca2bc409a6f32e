/*
 * What mm/heap.c needs from the rest of the kernel, for the host: pages
 * from a buddy allocator over a malloc'd arena, printk to a counter, and a
 * panic that jumps back into the test (which expects some panics).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/buddy.h>
#include <kernel/heap.h>
#include <minios/mm.h>
#include <minios/spinlock.h>
#include "heap_shims.h"

struct buddy shim_buddy;
char *shim_arena;
unsigned long shim_frames;
jmp_buf shim_panic_jump;
int shim_panic_expected;
char shim_panic_message[256];
unsigned long shim_printk_lines;

static uint8_t *state;
static struct buddy_link *links;

void shim_init(unsigned long frames)
{
    shim_frames = frames;
    shim_arena = aligned_alloc(1UL << 22, frames * PAGE_SIZE);
    state = malloc(frames);
    links = malloc(frames * sizeof(*links));
    buddy_init(&shim_buddy, frames, state, links);
    buddy_add_range(&shim_buddy, 0, frames);
}

void *alloc_pages_quiet(unsigned int order)
{
    long pfn = buddy_alloc(&shim_buddy, order);

    return pfn < 0 ? NULL : shim_arena + pfn * PAGE_SIZE;
}

void *alloc_pages(unsigned int order)
{
    return alloc_pages_quiet(order);
}

void free_pages(void *addr, unsigned int order)
{
    int rc = buddy_free(&shim_buddy, (unsigned long)((char *)addr - shim_arena) / PAGE_SIZE, order);

    if (rc != BUDDY_OK) {
        fprintf(stderr, "free_pages(%p, %u): %d\n", addr, order, rc);
        abort();
    }
}

int printk(const char *fmt, ...)
{
    (void)fmt;
    shim_printk_lines++;
    return 0;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(shim_panic_message, sizeof(shim_panic_message), fmt, ap);
    va_end(ap);
    if (!shim_panic_expected) {
        fprintf(stderr, "unexpected panic: %s\n", shim_panic_message);
        abort();
    }
    longjmp(shim_panic_jump, 1);
}

unsigned long local_irq_save(void)
{
    return 0;
}

void local_irq_restore(unsigned long flags)
{
    (void)flags;
}

/* Lock recording (arch/x86_64/recovery_locks.c) is for in-guest tests: off here. */
bool spinlock_recording;

/* One thread on the host: a lock found held would never be released. */
void spin_lock_contended(spinlock_t *lock)
{
    fprintf(stderr, "spin_lock: %p is held and nothing else runs\n", (void *)lock);
    abort();
}

bool spin_trylock_recorded(spinlock_t *lock)
{
    return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

void spin_unlock_recorded(spinlock_t *lock)
{
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}
