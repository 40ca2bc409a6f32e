/*
 * mm/heap.c against a reference model: every live allocation remembers its
 * size and a fill byte.  Random kmalloc/krealloc/kfree/kcalloc over a small
 * arena, until it runs dry and back: contents must survive (no overlap, no
 * corruption), alignment must hold, exhaustion must give NULL, and after
 * freeing everything the heap must have given back all but one slab per
 * class.  Then the panics: double free, interior pointer, foreign pointer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <kernel/heap.h>
#include <minios/mm.h>
#include "heap_shims.h"
#include "unit.h"

#define FRAMES 2048 /* 8 MiB arena: tight enough to run dry */
#define SLOTS  3000
#define OPS    600000

static unsigned long long seed = 2024;
static struct {
    unsigned char *p;
    size_t size;
    unsigned char fill;
} slot[SLOTS];
static uint8_t kind[FRAMES];

static size_t pick_size(void)
{
    switch (unit_rand(&seed) % 10) {
    case 0:
        return 2049 + unit_rand(&seed) % 60000; /* large */
    case 1:
        return 1 + unit_rand(&seed) % 16;
    default:
        return 1 + unit_rand(&seed) % 2048;
    }
}

static int intact(int i)
{
    for (size_t j = 0; j < slot[i].size; j++) {
        if (slot[i].p[j] != slot[i].fill)
            return 0;
    }
    return 1;
}

static void fill(int i)
{
    memset(slot[i].p, slot[i].fill, slot[i].size);
}

static void random_ops(void)
{
    unsigned long nulls = 0;

    for (long op = 0; op < OPS; op++) {
        int i = (int)(unit_rand(&seed) % SLOTS);

        if (!slot[i].p) {
            size_t size = pick_size();

            slot[i].p = unit_rand(&seed) % 16 ? kmalloc(size) : kcalloc(1, size);
            if (!slot[i].p) {
                nulls++;
                continue;
            }
            CHECK(kmalloc_size(slot[i].p) >= size, "kmalloc_size %zu < %zu",
                  kmalloc_size(slot[i].p), size);
            size_t align = size > 2048 ? PAGE_SIZE : 16;
            CHECK(((uintptr_t)slot[i].p & (align - 1)) == 0, "%zu bytes misaligned at %p", size,
                  (void *)slot[i].p);
            if (size <= 2048) {
                size_t cls = 16;

                while (cls < size)
                    cls *= 2;
                CHECK(((uintptr_t)slot[i].p & (cls - 1)) == 0, "%zu bytes not aligned to %zu", size,
                      cls);
            }
            slot[i].size = size;
            slot[i].fill = (unsigned char)unit_rand(&seed);
            fill(i);
        } else if (unit_rand(&seed) % 5 == 0) {
            CHECK(intact(i), "op %ld: object %d corrupted before krealloc", op, i);
            size_t size = pick_size();
            unsigned char *q = krealloc(slot[i].p, size);

            if (!q) {
                nulls++;
                continue;
            }
            size_t keep = size < slot[i].size ? size : slot[i].size;
            for (size_t j = 0; j < keep; j++) {
                if (q[j] != slot[i].fill) {
                    CHECK(0, "krealloc lost byte %zu", j);
                    break;
                }
            }
            slot[i].p = q;
            slot[i].size = size;
            fill(i);
        } else {
            CHECK(intact(i), "op %ld: object %d (%zu bytes) corrupted", op, i, slot[i].size);
            kfree(slot[i].p);
            slot[i].p = NULL;
        }
    }
    printf("  %lu allocations hit exhaustion (NULL) along the way\n", nulls);
}

static void drain(void)
{
    for (int i = 0; i < SLOTS; i++) {
        if (slot[i].p) {
            CHECK(intact(i), "object %d corrupted at the end", i);
            kfree(slot[i].p);
            slot[i].p = NULL;
        }
    }
}

static void exhaustion(void)
{
    unsigned long lines = shim_printk_lines;
    int n = 0;

    while (n < SLOTS && (slot[n].p = kmalloc(100000)) != NULL) {
        slot[n].size = 100000;
        slot[n].fill = (unsigned char)n;
        fill(n);
        n++;
    }
    CHECK(n < SLOTS && n > 0, "exhaustion never came (%d large blocks)", n);
    CHECK(shim_printk_lines > lines, "exhaustion was not reported");
    drain();
}

#define EXPECT_PANIC(what, code, needle)                                                           \
    do {                                                                                           \
        shim_panic_expected = 1;                                                                   \
        shim_panic_message[0] = '\0';                                                              \
        if (setjmp(shim_panic_jump) == 0) {                                                        \
            code;                                                                                  \
            CHECK(0, "%s did not panic", what);                                                    \
        } else {                                                                                   \
            CHECK(strstr(shim_panic_message, needle) != NULL, "%s panicked with \"%s\"", what,     \
                  shim_panic_message);                                                             \
        }                                                                                          \
        shim_panic_expected = 0;                                                                   \
    } while (0)

static void misuse(void)
{
    char *p = kmalloc(40), *big = kmalloc(10000);
    static char not_heap[64];

    kfree(p);
    EXPECT_PANIC("double kfree", kfree(p), "double free");
    char *q = kmalloc(40);
    EXPECT_PANIC("kfree of an interior pointer", kfree(q + 16), "not the start");
    EXPECT_PANIC("kfree inside a large block", kfree(big + 4096), "not a pointer kmalloc");
    EXPECT_PANIC("kfree of a foreign pointer", kfree(not_heap), "not a pointer kmalloc");
    kfree(q);
    kfree(big);
    EXPECT_PANIC("double kfree of a large block", kfree(big), "not a pointer kmalloc");
    CHECK(kcalloc(SIZE_MAX / 2, 3) == NULL, "kcalloc overflow not caught");
    CHECK(kmalloc(0) == NULL, "kmalloc(0) returned memory");
}

int main(void)
{
    shim_init(FRAMES);
    heap_init(kind, (uintptr_t)shim_arena / PAGE_SIZE, FRAMES);
    unsigned long free_at_start = shim_buddy.free_frames;

    random_ops();
    drain();
    exhaustion();
    unsigned long kept = free_at_start - shim_buddy.free_frames;
    /* One slab per class stays: 5 classes x 1 page + 3 classes x 8 pages. */
    CHECK(kept <= 29, "the empty heap kept %lu frames", kept);
    CHECK(buddy_verify(&shim_buddy) == NULL, "page allocator: %s", buddy_verify(&shim_buddy));
    misuse();
    return unit_result("heap");
}
