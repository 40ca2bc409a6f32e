/*
 * drivers/xenbus/xenbus_fresh.c: hotplug's choice of a new device.  The
 * story of a vif (attached, opened, detached, made again under the same
 * id), devices that were never fresh, a device offered once only however
 * often the watch fires, and random listings against a model: every fresh
 * id is offered exactly once while it stays fresh, nothing else ever.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <kernel/xenbus_parse.h>
#include "unit.h"

#define MAX 16

static unsigned int offered[MAX];
static size_t nr_offered;

static long pick(const unsigned int *ids, const bool *fresh, size_t n)
{
    return xenbus_fresh_pick(ids, fresh, n, offered, &nr_offered, MAX);
}

static void test_story(void)
{
    unsigned int ids[] = {0, 1};
    bool fresh[] = {false, true};

    nr_offered = 0;
    CHECK(pick(ids, fresh, 0) == -1, "an empty directory");
    /* eth0 connected at boot (not fresh), vif 1 attached: offered once. */
    CHECK(pick(ids, fresh, 2) == 1, "the new vif");
    for (int i = 0; i < 5; i++)
        CHECK(pick(ids, fresh, 2) == -1, "the watch firing again: nothing new");
    /* Our frontend moved it on (Connected), then it was detached and removed. */
    fresh[1] = false;
    CHECK(pick(ids, fresh, 2) == -1, "connected: nothing new");
    CHECK(nr_offered == 0, "forgotten once not fresh (%zu kept)", nr_offered);
    CHECK(pick(ids, fresh, 1) == -1, "removed: nothing new");
    /* Made again under the same id. */
    fresh[1] = true;
    CHECK(pick(ids, fresh, 2) == 1, "the same id, made again");
    CHECK(pick(ids, fresh, 2) == -1, "and offered once");
    /* Gone while still fresh (the driver failed on it, the toolstack cleaned up), back again. */
    CHECK(pick(ids, fresh, 1) == -1, "gone");
    CHECK(pick(ids, fresh, 2) == 1, "back under the same id");
}

static void test_several(void)
{
    unsigned int ids[] = {0, 2, 3, 7};
    bool fresh[] = {true, false, true, true};

    nr_offered = 0;
    CHECK(pick(ids, fresh, 4) == 0, "the first fresh one first");
    CHECK(pick(ids, fresh, 4) == 3, "then the next, skipping one not fresh");
    CHECK(pick(ids, fresh, 4) == 7, "then the last");
    CHECK(pick(ids, fresh, 4) == -1, "then none");
    CHECK(nr_offered == 3, "three remembered (%zu)", nr_offered);
}

/* Random listings against a model of what was offered. */
static void test_random(void)
{
    unsigned long long seed = 0x5eed;
    bool model[64] = {false}; /* offered and still fresh */

    nr_offered = 0;
    for (int round = 0; round < 20000; round++) {
        unsigned int ids[MAX];
        bool fresh[MAX], listed_fresh[64] = {false};
        size_t n = 0;

        for (unsigned int id = 0; id < 64 && n < MAX; id++) {
            if (unit_rand(&seed) % 4 == 0) {
                ids[n] = id;
                fresh[n] = unit_rand(&seed) % 2;
                listed_fresh[id] = fresh[n];
                n++;
            }
        }
        for (unsigned int id = 0; id < 64; id++) {
            if (!listed_fresh[id])
                model[id] = false;
        }
        long got = pick(ids, fresh, n);
        long want = -1;

        for (size_t i = 0; i < n && want < 0; i++) {
            if (fresh[i] && !model[ids[i]])
                want = ids[i];
        }
        CHECK(got == want, "round %d: offered %ld, the model says %ld", round, got, want);
        if (want >= 0)
            model[want] = true;
        CHECK(nr_offered <= n, "round %d: %zu remembered of %zu listed", round, nr_offered, n);
    }
}

int main(void)
{
    test_story();
    test_several();
    test_random();
    return unit_result("xenbus_fresh");
}
