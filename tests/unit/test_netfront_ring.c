/*
 * drivers/netfront/netfront_ring.c against a simulated netback: honest
 * responses, then every lie a backend can tell in a response (a slot id
 * not ours, a length or offset past the page, a negative status, frames
 * over several slots, duplicate and unknown TX ids) and in the producer
 * index (ahead of our requests, behind our consumer, across the 2^32
 * wrap), then 200,000 random responses against a naive model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netfront_ring.h"
#include "unit.h"

static netif_rx_sring_t *rx_ring;
static netif_tx_sring_t *tx_ring;

static void rx_reset(struct nf_rx *rx, uint32_t start)
{
    memset(rx_ring, 0, 4096);
    memset(rx, 0, sizeof(*rx));
    rx->rsp_cons = start;
    rx->req_prod = start + NF_RING_SIZE; /* every slot posted */
    rx_ring->rsp_prod = start;
}

/* The backend's response at index @i (in the slot of the request at @i). */
static void rx_respond(uint32_t i, uint16_t id, uint16_t offset, uint16_t flags, int16_t status)
{
    netif_rx_response_t *r = &rx_ring->ring[i & (NF_RING_SIZE - 1)].rsp;

    r->id = id;
    r->offset = offset;
    r->flags = flags;
    r->status = status;
    rx_ring->rsp_prod = i + 1;
}

static void test_rx_honest(void)
{
    static const uint32_t starts[] = {0, 1000, UINT32_MAX - 5};

    for (size_t s = 0; s < 3; s++) {
        struct nf_rx rx;
        struct nf_result r;

        rx_reset(&rx, starts[s]);
        CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_EMPTY, "empty ring");
        for (uint32_t k = 0; k < 20; k++) {
            uint32_t i = starts[s] + k;
            uint16_t slot = (uint16_t)(i & (NF_RING_SIZE - 1));

            rx_respond(i, slot, (uint16_t)(k * 16), 0, (int16_t)(60 + k));
            CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.id == slot && r.offset == k * 16 &&
                      r.len == 60 + k,
                  "frame %u from %u: id %u offset %u len %u", k, starts[s], r.id, r.offset, r.len);
            CHECK(rx.rsp_cons == i + 1, "consumer advanced");
            rx.req_prod++; /* the driver reposts the slot */
        }
        CHECK(rx.frames == 20 && rx.lies == 0 && rx.dropped == 0, "counters");
    }
    /* The largest frame the page holds, and the smallest. */
    struct nf_rx rx;
    struct nf_result r;

    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, 0, 4096);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.len == 4096, "a whole page");
    rx_respond(1, 1, 4096 - 14, 0, 14);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.offset == 4082 && r.len == 14,
          "14 bytes at the end");
}

static void test_rx_lies(void)
{
    struct nf_rx rx;
    struct nf_result r;

    /* A response naming another slot. */
    rx_reset(&rx, 0);
    rx_respond(0, 7, 0, 0, 100);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE && r.id == 0 && rx.lies == 1,
          "wrong id: slot to repost %u", r.id);
    rx_respond(1, 0xffff, 0, 0, 100);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE && r.id == 1, "id 0xffff");
    /* Past the page. */
    rx_respond(2, 2, 4000, 0, 200);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE && r.len == 0, "offset + len past the page");
    rx_respond(3, 3, 0xffff, 0, 14);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE, "offset 0xffff");
    rx_respond(4, 4, 0, 0, 0x7fff);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE, "length 0x7fff");
    rx_respond(5, 5, 0, 0, 13);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE, "shorter than an Ethernet header");
    rx_respond(6, 6, 0, 0, NETIF_RSP_NULL);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_LIE, "status NULL (1)");
    /* The backend's own errors: counted, not lies. */
    rx_respond(7, 7, 0, 0, NETIF_RSP_ERROR);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP && rx.errors == 1, "NETIF_RSP_ERROR");
    rx_respond(8, 8, 0, 0, INT16_MIN);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP && rx.errors == 2, "status -32768");
    /* A frame over three slots (we never offered feature-sg): all dropped, the next one fine. */
    rx_respond(9, 9, 0, NETRXF_more_data, 100);
    rx_respond(10, 10, 0, NETRXF_more_data, 100);
    rx_respond(11, 11, 0, 0, 100);
    rx_respond(12, 12, 0, 0, 100);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "first of three");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "second of three");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "last of three");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.id == 12, "the frame after");
    CHECK(rx.lies == 7 && rx.dropped == 3 && rx.frames == 1, "counters: %lu lies %lu dropped",
          rx.lies, rx.dropped);
}

static void test_rx_index_lies(void)
{
    struct nf_rx rx;
    struct nf_result r;

    /* More responses than requests outstanding. */
    rx_reset(&rx, 0);
    rx.req_prod = 10;
    rx_ring->rsp_prod = 11;
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_BROKEN && rx.rsp_cons == 0, "ahead of requests");
    /* Behind our consumer: a huge unsigned distance. */
    rx_reset(&rx, 100);
    rx_ring->rsp_prod = 99;
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_BROKEN, "behind the consumer");
    /* Across the wrap, honest. */
    rx_reset(&rx, UINT32_MAX);
    rx_respond(UINT32_MAX, 255, 0, 0, 60);
    rx_respond(0, 0, 0, 0, 60);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.id == 255, "before the wrap");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.id == 0, "after the wrap");
    CHECK(nf_pending(5, 0, 4) == -1 && nf_pending(4, 0, 4) == 4 && nf_pending(0, 0, 0) == 0,
          "nf_pending");
    CHECK(nf_pending(0, 0, NF_RING_SIZE + 1) == -1, "more requests than slots");
}

static void tx_respond(uint32_t i, uint16_t id, int16_t status)
{
    tx_ring->ring[i & (NF_RING_SIZE - 1)].rsp.id = id;
    tx_ring->ring[i & (NF_RING_SIZE - 1)].rsp.status = status;
    tx_ring->rsp_prod = i + 1;
}

static void test_tx(void)
{
    struct nf_tx tx;
    struct nf_result r;

    memset(tx_ring, 0, 4096);
    memset(&tx, 0, sizeof(tx));
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_EMPTY, "empty");
    /* Three requests in flight: slots 5, 6, 7. */
    for (int s = 5; s < 8; s++)
        tx.in_flight[s] = true;
    tx.req_prod = 3;
    tx_respond(0, 6, NETIF_RSP_OKAY); /* out of order is fine */
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_FRAME && r.id == 6 && !tx.in_flight[6], "slot 6");
    tx_respond(1, 6, NETIF_RSP_OKAY);
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_LIE && tx.lies == 1, "slot 6 twice");
    tx_respond(2, 300, NETIF_RSP_OKAY);
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_LIE && r.id == 0, "id 300");
    tx_ring->rsp_prod = 4;
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_BROKEN, "a response never asked for");
    tx.req_prod = 5;
    tx_respond(3, 5, NETIF_RSP_DROPPED);
    CHECK(nf_tx_next(tx_ring, &tx, &r) == NF_FRAME && r.id == 5 && tx.errors == 1,
          "dropped by the backend: the slot is free, the error counted");
    CHECK(tx.in_flight[7] && tx.done == 1, "slot 7 still in flight");
}

/* Random responses, honest or not, against a model of what must come out. */
static void test_rx_random(void)
{
    unsigned long long seed = 99;
    struct nf_rx rx;
    struct nf_result r;
    unsigned long frames = 0, lies = 0;
    bool multi = false;

    rx_reset(&rx, (uint32_t)unit_rand(&seed));
    for (int k = 0; k < 200000; k++) {
        uint32_t i = rx.rsp_cons;
        uint16_t slot = (uint16_t)(i & (NF_RING_SIZE - 1));
        uint16_t id = unit_rand(&seed) % 8 ? slot : (uint16_t)unit_rand(&seed);
        uint16_t off =
            (uint16_t)(unit_rand(&seed) % 4 ? unit_rand(&seed) % 4096 : unit_rand(&seed));
        int16_t st = (int16_t)(unit_rand(&seed) % 4 ? unit_rand(&seed) % 4097 : unit_rand(&seed));
        uint16_t fl = unit_rand(&seed) % 16 ? 0 : NETRXF_more_data;

        rx_respond(i, id, off, fl, st);
        enum nf_verdict v = nf_rx_next(rx_ring, &rx, &r);

        /* The model. */
        bool cont = multi;
        enum nf_verdict want;

        multi = fl != 0;
        if (id != slot)
            want = NF_LIE;
        else if (st < 0 || fl || cont)
            want = NF_DROP;
        else if (st < 14 || off + st > 4096)
            want = NF_LIE;
        else
            want = NF_FRAME;
        CHECK(v == want && r.id == slot, "step %d: verdict %d, model %d, id %u slot %u", k, v, want,
              r.id, slot);
        if (v == NF_FRAME)
            CHECK(r.offset == off && r.len == st && r.offset + r.len <= 4096, "frame bounds");
        frames += want == NF_FRAME;
        lies += want == NF_LIE;
        rx.req_prod++;
    }
    CHECK(rx.frames == frames && rx.lies == lies, "counters %lu/%lu, model %lu/%lu", rx.frames,
          rx.lies, frames, lies);
}

int main(void)
{
    rx_ring = aligned_alloc(4096, 4096);
    tx_ring = aligned_alloc(4096, 4096);
    test_rx_honest();
    test_rx_lies();
    test_rx_index_lies();
    test_tx();
    test_rx_random();
    free(rx_ring);
    free(tx_ring);
    return unit_result("netfront_ring");
}
