/*
 * mm/bootmem.c against a bitmap model: random reservations (overlapping,
 * adjacent, out of range, under a few names), early allocations of single
 * frames and runs, and the free-run walk, checked frame by frame.
 */
#include <stdlib.h>
#include <string.h>
#include <kernel/bootmem.h>
#include "unit.h"

#define FRAMES 4000

static unsigned long long seed = 5;
static const char *names[3] = {"a", "b", "c"};
static const char *model[FRAMES]; /* NULL = free, else the name */

static void check_model(const struct bootmem *bm, const char *when)
{
    unsigned long bad = 0;

    for (unsigned long p = 0; p < FRAMES; p++)
        bad += bootmem_is_reserved(bm, p) != (model[p] != NULL);
    CHECK(bad == 0, "%s: %lu frames disagree with the model", when, bad);
    for (unsigned int i = 0; i < bm->count; i++) {
        const struct bootmem_range *r = &bm->ranges[i];

        CHECK(r->start < r->end, "%s: empty range %u", when, i);
        if (i)
            CHECK(bm->ranges[i - 1].end <= r->start, "%s: ranges %u and %u overlap or are unsorted",
                  when, i - 1, i);
        for (unsigned long p = r->start; p < r->end; p++) {
            if (model[p] != r->what) {
                CHECK(0, "%s: frame %lu is named %s, the model says %s", when, p, r->what,
                      model[p] ? model[p] : "free");
                break;
            }
        }
    }
}

static unsigned long walked;
static void count_free(unsigned long start, unsigned long end, void *arg)
{
    for (unsigned long p = start; p < end; p++) {
        if (model[p])
            walked = ~0UL;
    }
    if (walked != ~0UL)
        walked += end - start;
    (void)arg;
}

int main(void)
{
    static struct bootmem bm;

    for (int round = 0; round < 300; round++) {
        bootmem_init(&bm, FRAMES);
        memset(model, 0, sizeof(model));
        for (int op = 0; op < 12; op++) {
            unsigned long start = unit_rand(&seed) % (FRAMES + 100);
            unsigned long len = unit_rand(&seed) % 300;
            const char *name = names[unit_rand(&seed) % 3];

            if (!bootmem_reserve(&bm, start, start + len, name))
                break; /* table full: allowed, and the model is not updated */
            for (unsigned long p = start; p < start + len && p < FRAMES; p++) {
                if (!model[p])
                    model[p] = name;
            }
        }
        check_model(&bm, "after reserving");

        unsigned long limit = unit_rand(&seed) % FRAMES;
        unsigned long pfn = bootmem_alloc(&bm, limit, names[0]);
        if (pfn != ~0UL) {
            CHECK(pfn < limit && model[pfn] == NULL, "bootmem_alloc gave %lu (limit %lu)", pfn,
                  limit);
            model[pfn] = names[0];
        } else {
            for (unsigned long p = 0; p < limit; p++)
                CHECK(model[p] != NULL, "bootmem_alloc failed but %lu < %lu is free", p, limit);
        }
        unsigned long count = 1 + unit_rand(&seed) % 200;
        unsigned long run = bootmem_alloc_run(&bm, count, FRAMES, names[1]);
        if (run != ~0UL) {
            for (unsigned long p = run; p < run + count; p++) {
                CHECK(model[p] == NULL, "run frame %lu was not free", p);
                model[p] = names[1];
            }
        }
        check_model(&bm, "after allocating");

        walked = 0;
        bootmem_for_each_free(&bm, count_free, NULL);
        unsigned long free_frames = 0;
        for (unsigned long p = 0; p < FRAMES; p++)
            free_frames += model[p] == NULL;
        CHECK(walked == free_frames, "the free walk covered %lu frames, %lu are free", walked,
              free_frames);
        CHECK(bootmem_free_count(&bm) == free_frames, "free count %lu, model %lu",
              bootmem_free_count(&bm), free_frames);
    }

    /* Same-named neighbours merge; different names stay apart. */
    bootmem_init(&bm, 100);
    bootmem_reserve(&bm, 10, 20, names[0]);
    bootmem_reserve(&bm, 20, 30, names[0]);
    bootmem_reserve(&bm, 30, 40, names[1]);
    CHECK(bm.count == 2 && bm.ranges[0].end == 30, "merging went wrong (%u ranges)", bm.count);
    CHECK(bootmem_is_reserved(&bm, 100) && bootmem_is_reserved(&bm, 1000),
          "frames past the end must count as reserved");
    return unit_result("bootmem");
}
