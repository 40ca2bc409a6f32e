/*
 * drivers/blkfront/blkfront_ring.c against a simulated blkback: honest
 * responses (in and out of order, across the 2^32 wrap), every lie a
 * backend can tell in a response (an id out of range or not in flight, a
 * second response for one request, another operation, a status that is
 * none) and in the producer index (ahead of our requests, behind our
 * consumer), 300,000 random responses against a model (each request
 * completed at most once, never one not posted), indirect requests' two
 * accepted answers, and the disk names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include "blkfront_ring.h"
#include "unit.h"

static blkif_sring_t *ring;

static void reset(struct bf_ring *r, uint32_t start)
{
    memset(ring, 0, 4096);
    memset(r, 0, sizeof(*r));
    r->rsp_cons = r->req_prod = ring->rsp_prod = start;
}

/* We post a request of @op: its id. */
static int post(struct bf_ring *r, uint8_t op)
{
    int id = bf_slot_take(r, op);

    if (id >= 0)
        r->req_prod++;
    return id;
}

/* The backend's response at index @i. */
static void respond(uint32_t i, uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t *p = &ring->ring[i & (BF_RING_SIZE - 1)].rsp;

    p->id = id;
    p->operation = op;
    p->status = status;
    ring->rsp_prod = i + 1;
}

static void test_honest(void)
{
    static const uint32_t starts[] = {0, 77, UINT32_MAX - 10};

    for (size_t s = 0; s < 3; s++) {
        struct bf_ring r;
        struct bf_result res;
        int ids[BF_RING_SIZE];

        reset(&r, starts[s]);
        CHECK(bf_next(ring, &r, &res) == BF_EMPTY, "empty ring");
        for (unsigned int k = 0; k < BF_RING_SIZE; k++)
            CHECK((ids[k] = post(&r, k & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ)) == (int)k,
                  "slot %u taken as %d", k, ids[k]);
        CHECK(post(&r, BLKIF_OP_READ) == -1, "a 33rd request has no slot");
        /* Answered in reverse order: ids, not positions, say which. */
        for (unsigned int k = 0; k < BF_RING_SIZE; k++) {
            unsigned int id = BF_RING_SIZE - 1 - k;

            respond(starts[s] + k, id, id & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ,
                    k == 5   ? BLKIF_RSP_ERROR
                    : k == 6 ? BLKIF_RSP_EOPNOTSUPP
                             : BLKIF_RSP_OKAY);
            CHECK(bf_next(ring, &r, &res) == BF_DONE && res.id == id && !res.lied,
                  "response %u: id %u", k, res.id);
            CHECK(res.status == (k == 5   ? -XEN_EIO
                                 : k == 6 ? -XEN_EOPNOTSUPP
                                          : 0),
                  "status %d for %u", res.status, k);
            CHECK(!r.in_flight[id], "id %u free again", id);
        }
        CHECK(bf_next(ring, &r, &res) == BF_EMPTY, "all taken");
        CHECK(r.done == BF_RING_SIZE - 2 && r.errors == 2 && r.lies == 0, "counters %lu %lu %lu",
              r.done, r.errors, r.lies);
        CHECK(post(&r, BLKIF_OP_FLUSH_DISKCACHE) == 0, "slot 0 again");
    }
}

static void test_lies(void)
{
    struct bf_ring r;
    struct bf_result res;

    reset(&r, 1000);
    post(&r, BLKIF_OP_READ);  /* id 0 */
    post(&r, BLKIF_OP_WRITE); /* id 1 */
    post(&r, BLKIF_OP_READ);  /* id 2 */
    post(&r, BLKIF_OP_READ);  /* id 3 */
    respond(1000, 32, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_LIE, "id 32 is past the ring");
    respond(1001, (1ULL << 32) | 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_LIE, "a 64-bit id that truncates to 0");
    CHECK(r.in_flight[0], "id 0 still waits");
    respond(1002, 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.id == 0 && res.status == 0, "id 0 done");
    respond(1003, 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_LIE, "id 0 a second time completes nothing");
    CHECK(r.rsp_cons == 1004 && bf_next(ring, &r, &res) == BF_EMPTY,
          "four responses for four requests: no more");
    /* The index: more responses than requests outstanding. */
    reset(&r, 50);
    post(&r, BLKIF_OP_WRITE);
    ring->rsp_prod = 52;
    CHECK(bf_next(ring, &r, &res) == BF_BROKEN, "index ahead of our requests");
    ring->rsp_prod = 49;
    CHECK(bf_next(ring, &r, &res) == BF_BROKEN, "index behind our consumer");
    CHECK(r.rsp_cons == 50 && r.in_flight[0], "nothing taken from a broken ring");
    respond(50, 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.lied && res.status == -XEN_EIO,
          "a read answering a write: failed, counted");
    CHECK(!r.in_flight[0], "and completed once");
    post(&r, BLKIF_OP_WRITE);
    respond(51, 0, BLKIF_OP_WRITE, 1);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.lied && res.status == -XEN_EIO && res.said == 1,
          "status 1 is none");
    post(&r, BLKIF_OP_WRITE);
    respond(52, 0, BLKIF_OP_WRITE, -3);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.lied && res.status == -XEN_EIO,
          "status -3 is none");
    CHECK(r.lies == 3 && r.errors == 3, "lies %lu errors %lu", r.lies, r.errors);
    CHECK(bf_pending(10, 0, 40) == -1 && bf_pending(5, 0, 4) == -1 && bf_pending(3, 0, 4) == 3 &&
              bf_pending(1, UINT32_MAX, 1) == 2,
          "bf_pending");
}

/* BLKIF_OP_INDIRECT: the response may carry the inner operation or INDIRECT; nothing else. */
static void test_indirect(void)
{
    struct bf_ring r;
    struct bf_result res;
    int id;

    reset(&r, 7);
    CHECK((id = bf_slot_take_indirect(&r, BLKIF_OP_READ)) == 0, "indirect read takes slot 0");
    r.req_prod++;
    respond(7, 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && !res.lied && res.status == 0,
          "answered as READ (Linux's blkback)");
    bf_slot_take_indirect(&r, BLKIF_OP_WRITE);
    r.req_prod++;
    respond(8, 0, BLKIF_OP_INDIRECT, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && !res.lied, "answered as INDIRECT");
    bf_slot_take_indirect(&r, BLKIF_OP_WRITE);
    r.req_prod++;
    respond(9, 0, BLKIF_OP_READ, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.lied && res.status == -XEN_EIO,
          "an indirect write answered as a read: failed");
    post(&r, BLKIF_OP_READ); /* slot 0 again, direct this time */
    respond(10, 0, BLKIF_OP_INDIRECT, 0);
    CHECK(bf_next(ring, &r, &res) == BF_DONE && res.lied, "a direct read answered as INDIRECT");
}

/* Random responses and indices against a model: a request completes at most once. */
static void test_random(void)
{
    unsigned long long seed = 12345;
    struct bf_ring r;
    struct bf_result res;
    bool model[BF_RING_SIZE] = {false};
    uint8_t model_op[BF_RING_SIZE];
    unsigned long completed = 0, posted = 0, broken = 0, abandoned = 0, done_before = 0;

    reset(&r, (uint32_t)unit_rand(&seed));
    for (int k = 0; k < 300000; k++) {
        unsigned int what = unit_rand(&seed) % 8;

        if (what < 3) {
            uint8_t op = (uint8_t)(unit_rand(&seed) % 4);
            int id = post(&r, op);

            if (id >= 0) {
                CHECK(!model[id], "step %d: id %d handed out while in flight", k, id);
                model[id] = true;
                model_op[id] = op;
                posted++;
            } else {
                for (unsigned int i = 0; i < BF_RING_SIZE; i++)
                    CHECK(model[i], "step %d: no slot although %u is free", k, i);
            }
            continue;
        }
        /*
         * Lies consume responses, so every slot can end up in flight with
         * nothing outstanding: the driver's timeout kills such a disk; here
         * a new disk starts.
         */
        if (r.req_prod == r.rsp_cons && memchr(model, false, sizeof(model)) == NULL) {
            abandoned += BF_RING_SIZE;
            memset(model, 0, sizeof(model));
            done_before += r.done + r.errors;
            reset(&r, (uint32_t)unit_rand(&seed));
            continue;
        }
        /* The backend answers: usually honestly, sometimes not. */
        if (r.req_prod == r.rsp_cons && unit_rand(&seed) % 16)
            continue; /* mostly, nothing asked: nothing said */
        uint32_t i = r.rsp_cons;
        unsigned int pick = unit_rand(&seed) % BF_RING_SIZE;

        for (unsigned int n = 0; n < BF_RING_SIZE && !model[pick]; n++)
            pick = (pick + 1) % BF_RING_SIZE; /* a request in flight, if there is one */
        uint64_t id = unit_rand(&seed) % 6 ? pick : unit_rand(&seed);
        uint8_t op = unit_rand(&seed) % 8 ? model_op[pick] : (uint8_t)unit_rand(&seed);
        int16_t st = (int16_t)(unit_rand(&seed) % 4 ? 0 : (int)(unit_rand(&seed) % 7) - 4);

        respond(i, id, op, st);
        if (unit_rand(&seed) % 50 == 0)
            ring->rsp_prod = (uint32_t)unit_rand(&seed);
        long pend = bf_pending(ring->rsp_prod, r.rsp_cons, r.req_prod);
        enum bf_verdict v = bf_next(ring, &r, &res);

        if (pend < 0) {
            CHECK(v == BF_BROKEN, "step %d: verdict %d on a broken index", k, v);
            broken++;
            ring->rsp_prod = r.rsp_cons; /* the test's backend recovers */
            continue;
        }
        if (pend == 0) {
            CHECK(v == BF_EMPTY, "step %d: verdict %d with nothing pending", k, v);
            continue;
        }
        if (id >= BF_RING_SIZE || !model[id]) {
            CHECK(v == BF_LIE, "step %d: id %llu not in flight gave %d", k, (unsigned long long)id,
                  v);
            continue;
        }
        bool sane = op == model_op[id] && st >= -2 && st <= 0;

        CHECK(v == BF_DONE && res.id == id && res.lied == !sane, "step %d: verdict %d id %u", k, v,
              res.id);
        CHECK(res.status == (!sane      ? -XEN_EIO
                             : st == 0  ? 0
                             : st == -1 ? -XEN_EIO
                                        : -XEN_EOPNOTSUPP),
              "step %d: status %d for %d", k, res.status, st);
        model[id] = false;
        completed++;
    }
    unsigned long inflight = 0;

    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        CHECK(r.in_flight[i] == model[i], "slot %u agrees with the model", i);
        inflight += model[i];
    }
    CHECK(completed + inflight + abandoned == posted,
          "completed %lu + in flight %lu + abandoned %lu = posted %lu", completed, inflight,
          abandoned, posted);
    CHECK(done_before + r.done + r.errors == completed, "counters %lu + %lu + %lu vs %lu",
          done_before, r.done, r.errors, completed);
    CHECK(completed > 10000 && broken > 100, "the random run reached both (%lu, %lu)", completed,
          broken);
}

static void test_names(void)
{
    static const struct {
        unsigned long vdev;
        const char *name;
    } table[] = {
        {51712, "xvda"},
        {51728, "xvdb"},
        {51713, "xvda1"},
        {51967, "xvdp15"},
        {(1UL << 28) | (16 << 8), "xvdq"},
        {(1UL << 28) | (26 << 8) | 3, "xvdaa3"},
        {(1UL << 28) | (701 << 8), "xvdzz"},
        {(1UL << 28) | (702 << 8), "vbd268615168"},
        {768, "vbd768"},
        {0, "vbd0"},
    };
    char buf[24];

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        int n = bf_vdev_name(table[i].vdev, buf, sizeof(buf));

        CHECK(n == (int)strlen(table[i].name) && strcmp(buf, table[i].name) == 0,
              "%lu: '%s' (%d), want %s", table[i].vdev, n >= 0 ? buf : "", n, table[i].name);
    }
    CHECK(bf_vdev_name(51712, buf, 4) == -1 && bf_vdev_name(51712, buf, 5) == 4, "buffer sizes");
}

int main(void)
{
    ring = aligned_alloc(4096, 4096);
    test_honest();
    test_lies();
    test_indirect();
    test_random();
    test_names();
    free(ring);
    return unit_result("blkfront_ring");
}
