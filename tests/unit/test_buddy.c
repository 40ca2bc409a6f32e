/*
 * mm/buddy.c against a reference model: frame-by-frame ownership.  Millions
 * of random allocations and frees of random orders over a frame space with
 * holes; after each step the free count must match the model, each block
 * handed out must be aligned, managed and free in the model; every so often
 * the allocator's own invariants are verified, and a failed allocation is
 * checked against the model (no free aligned block of that order may exist).
 * Then exhaustion, full coalescing, and each kind of bad free.
 */
#include <stdlib.h>
#include <string.h>
#include <kernel/buddy.h>
#include "unit.h"

#define FRAMES  (1UL << 16)
#define OPS     2000000
#define MAXLIVE 4096

static unsigned long long seed = 99;
static uint8_t state[FRAMES];
static struct buddy_link links[FRAMES];
static int owner[FRAMES]; /* -1 absent, 0 free, n > 0 allocation n */
static struct {
    unsigned long pfn;
    unsigned int order;
} live[MAXLIVE];
static unsigned int nlive;

static void add(struct buddy *b, unsigned long start, unsigned long end)
{
    buddy_add_range(b, start, end);
    for (unsigned long p = start; p < end; p++)
        owner[p] = 0;
}

static unsigned long model_free(void)
{
    unsigned long n = 0;

    for (unsigned long p = 0; p < FRAMES; p++)
        n += owner[p] == 0;
    return n;
}

static int model_has_block(unsigned int order)
{
    for (unsigned long p = 0; p + (1UL << order) <= FRAMES; p += 1UL << order) {
        unsigned long i = 0;

        while (i < (1UL << order) && owner[p + i] == 0)
            i++;
        if (i == (1UL << order))
            return 1;
    }
    return 0;
}

static void setup(struct buddy *b)
{
    buddy_init(b, FRAMES, state, links);
    for (unsigned long p = 0; p < FRAMES; p++)
        owner[p] = -1;
    /* Holes at the start, in the middle and at odd places, like real RAM. */
    add(b, 1, 300);
    add(b, 301, 20000);
    add(b, 20480, 40000);
    add(b, 40003, FRAMES - 7);
    nlive = 0;
}

static void random_ops(struct buddy *b)
{
    unsigned long free_now = b->free_frames;
    int next_id = 1;

    CHECK(free_now == model_free(), "initial free count %lu, model %lu", free_now, model_free());
    for (long op = 0; op < OPS; op++) {
        if (nlive < MAXLIVE && (nlive == 0 || unit_rand(&seed) % 2)) {
            unsigned int order =
                unit_rand(&seed) % 4 ? unit_rand(&seed) % 4 : unit_rand(&seed) % 12;
            long pfn = buddy_alloc(b, order);

            if (pfn < 0) {
                if (op % 64 == 0)
                    CHECK(!model_has_block(order), "order %u failed with a free block present",
                          order);
                continue;
            }
            CHECK(((unsigned long)pfn & ((1UL << order) - 1)) == 0,
                  "block %ld misaligned for order %u", pfn, order);
            for (unsigned long i = 0; i < (1UL << order); i++) {
                if (owner[pfn + i] != 0) {
                    CHECK(0, "block %ld+%lu handed out but owned by %d", pfn, i, owner[pfn + i]);
                    break;
                }
                owner[pfn + i] = next_id;
            }
            next_id++;
            live[nlive].pfn = (unsigned long)pfn;
            live[nlive].order = order;
            nlive++;
            free_now -= 1UL << order;
        } else {
            unsigned int i = (unsigned int)(unit_rand(&seed) % nlive);
            int rc = buddy_free(b, live[i].pfn, live[i].order);

            CHECK(rc == BUDDY_OK, "freeing %lu order %u gave %d", live[i].pfn, live[i].order, rc);
            for (unsigned long j = 0; j < (1UL << live[i].order); j++)
                owner[live[i].pfn + j] = 0;
            free_now += 1UL << live[i].order;
            live[i] = live[--nlive];
        }
        CHECK(b->free_frames == free_now, "op %ld: free count %lu, expected %lu", op,
              b->free_frames, free_now);
        if (op % 20000 == 0) {
            const char *why = buddy_verify(b);

            CHECK(why == NULL, "op %ld: %s", op, why);
        }
    }
    while (nlive) {
        nlive--;
        CHECK(buddy_free(b, live[nlive].pfn, live[nlive].order) == BUDDY_OK, "final free failed");
    }
}

static void exhaustion_and_coalescing(struct buddy *b)
{
    unsigned long blocks_before[BUDDY_MAX_ORDER + 1];
    unsigned long managed = b->managed_frames, got = 0;
    static uint32_t taken[FRAMES];

    memcpy(blocks_before, b->free_blocks, sizeof(blocks_before));
    for (;;) {
        long pfn = buddy_alloc(b, 0);

        if (pfn < 0)
            break;
        taken[got++] = (uint32_t)pfn;
    }
    CHECK(got == managed, "allocated %lu single frames of %lu", got, managed);
    CHECK(b->free_frames == 0 && buddy_largest_free_order(b) == -1, "something is still free");
    /* Free in a scrambled order: everything must merge back as it was. */
    for (unsigned long i = got; i > 1; i--) {
        unsigned long j = unit_rand(&seed) % i;
        uint32_t t = taken[i - 1];

        taken[i - 1] = taken[j];
        taken[j] = t;
    }
    for (unsigned long i = 0; i < got; i++)
        CHECK(buddy_free(b, taken[i], 0) == BUDDY_OK, "free of %u failed", taken[i]);
    CHECK(memcmp(blocks_before, b->free_blocks, sizeof(blocks_before)) == 0,
          "blocks did not coalesce back to the initial shape");
    CHECK(buddy_verify(b) == NULL, "after coalescing: %s", buddy_verify(b));
}

static void bad_frees(struct buddy *b)
{
    long a = buddy_alloc(b, 3);

    CHECK(a >= 0, "alloc failed");
    CHECK(buddy_free(b, (unsigned long)a, 2) == BUDDY_WRONG_ORDER, "wrong order not caught");
    CHECK(buddy_free(b, (unsigned long)a + 1, 0) == BUDDY_NOT_A_BLOCK, "interior frame not caught");
    CHECK(buddy_free(b, 0, 0) == BUDDY_NOT_A_BLOCK, "an absent frame was accepted");
    CHECK(buddy_free(b, FRAMES + 5, 0) == BUDDY_OUT_OF_RANGE, "out of range not caught");
    CHECK(buddy_free(b, (unsigned long)a, 3) == BUDDY_OK, "the real free failed");
    int rc = buddy_free(b, (unsigned long)a, 3);
    CHECK(rc == BUDDY_DOUBLE_FREE || rc == BUDDY_NOT_A_BLOCK, "double free not caught (%d)", rc);
    CHECK(buddy_alloc(b, BUDDY_MAX_ORDER + 1) == -1, "an impossible order was served");
    CHECK(buddy_verify(b) == NULL, "after bad frees: %s", buddy_verify(b));
}

int main(void)
{
    static struct buddy b;

    setup(&b);
    random_ops(&b);
    CHECK(buddy_verify(&b) == NULL, "after random ops: %s", buddy_verify(&b));
    exhaustion_and_coalescing(&b);
    bad_frees(&b);
    return unit_result("buddy");
}
