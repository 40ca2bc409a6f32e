/*
 * drivers/netfront/netfront_ring.c against a simulated netback: honest
 * responses, then every lie a backend can tell in a response (a slot id
 * not ours, a length or offset past the page, a negative status, duplicate
 * and unknown TX ids) and in the producer index (ahead of our requests,
 * behind our consumer, across the 2^32 wrap); frames over several slots
 * (feature-sg) put together byte for byte, with extra-info slots skipped,
 * and the lies of a chain (unterminated, too long, too big, bad pieces,
 * unknown extra types); then 200,000 random responses against a naive
 * model, and 20,000 honest random chains.
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
    CHECK(rx.lies == 7 && rx.errors == 2 && rx.frames == 0, "counters: %lu lies %lu errors",
          rx.lies, rx.errors);
}

/* Takes responses until one that is not NF_PART; returns it, with the pieces' sum in *bytes. */
static enum nf_verdict rx_take_frame(struct nf_rx *rx, struct nf_result *r, uint32_t *bytes,
                                     unsigned int *pieces)
{
    enum nf_verdict v;

    *bytes = 0;
    *pieces = 0;
    while ((v = nf_rx_next(rx_ring, rx, r)) == NF_PART || v == NF_FRAME) {
        CHECK(r->first == (*pieces == 0), "first piece flagged (piece %u)", *pieces);
        CHECK(r->offset + r->len <= 4096, "piece inside its page");
        *bytes += r->len;
        ++*pieces;
        rx->req_prod++;
        if (v == NF_FRAME)
            return v;
    }
    if (v != NF_EMPTY)
        rx->req_prod++;
    return v;
}

static void test_rx_chains(void)
{
    struct nf_rx rx;
    struct nf_result r;
    uint32_t bytes;
    unsigned int pieces;

    /* 9014 bytes over 3 slots, checksum flags on the first. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data | NETRXF_data_validated | NETRXF_csum_blank, 4096);
    rx_respond(1, 1, 0, NETRXF_more_data, 4096);
    rx_respond(2, 2, 0, 0, 822);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_FRAME && bytes == 9014 && pieces == 3 &&
              r.total == 9014 && r.csum == (NETRXF_data_validated | NETRXF_csum_blank),
          "9014 bytes in 3 slots: %u bytes, %u pieces, total %u, csum %#x", bytes, pieces, r.total,
          r.csum);
    CHECK(rx.frames == 1 && rx.multi == 1 && rx.lies == 0, "counted as one multi-slot frame");
    /* The chain arriving slot by slot: NF_EMPTY in the middle, then the rest. */
    rx_respond(3, 3, 100, NETRXF_more_data, 1000);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_PART && r.first && r.offset == 100 && r.len == 1000,
          "first piece");
    rx.req_prod++;
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_EMPTY && nf_rx_in_frame(&rx), "waiting mid-chain");
    rx_respond(4, 4, 0, 0, 10);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && !r.first && r.total == 1010,
          "the rest later");
    rx.req_prod++;
    CHECK(!nf_rx_in_frame(&rx), "between frames");
    /* A first slot with two extra-info slots (GSO, hash) then a data slot. */
    netif_extra_info_t gso = {.type = XEN_NETIF_EXTRA_TYPE_GSO, .flags = XEN_NETIF_EXTRA_FLAG_MORE};
    netif_extra_info_t hash = {.type = XEN_NETIF_EXTRA_TYPE_HASH};

    rx_respond(5, 5, 0, NETRXF_extra_info | NETRXF_more_data, 2000);
    memcpy(&rx_ring->ring[6].rsp, &gso, sizeof(gso));
    memcpy(&rx_ring->ring[7].rsp, &hash, sizeof(hash));
    rx_respond(8, 8, 0, 0, 500);
    rx_ring->rsp_prod = 9;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_FRAME && bytes == 2500 && pieces == 4 &&
              r.total == 2500 && rx.extras == 2,
          "extras skipped: %u bytes %u pieces %lu extras", bytes, pieces, rx.extras);
    /* A one-slot frame whose extra-info slot ends it. */
    rx_respond(9, 9, 0, NETRXF_extra_info, 60);
    memcpy(&rx_ring->ring[10].rsp, &hash, sizeof(hash));
    rx_ring->rsp_prod = 11;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_FRAME && r.total == 60 && pieces == 2,
          "ended by its extra-info slot");
    /* Exactly NF_RX_SLOTS_MAX slots, a 14-byte frame in pieces of 1 (the last 0 bytes). */
    rx_reset(&rx, 0);
    for (uint32_t k = 0; k < NF_RX_SLOTS_MAX; k++)
        rx_respond(k, (uint16_t)k, 4095, k + 1 < NF_RX_SLOTS_MAX ? NETRXF_more_data : 0,
                   k < 14 ? 1 : 0);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_FRAME && r.total == 14 &&
              pieces == NF_RX_SLOTS_MAX,
          "18 slots: the most a frame may take (%u pieces)", pieces);
    CHECK(rx.lies == 0 && rx.frames == 1, "no lie");
}

static void test_rx_chain_lies(void)
{
    struct nf_rx rx;
    struct nf_result r;
    uint32_t bytes;
    unsigned int pieces;

    /* Unterminated: more_data on slot after slot, past NF_RX_SLOTS_MAX. */
    rx_reset(&rx, 0);
    for (uint32_t k = 0; k < 40; k++)
        rx_respond(k, (uint16_t)k, 0, k < 39 ? NETRXF_more_data : 0, 60);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && pieces == NF_RX_SLOTS_MAX &&
              rx.lies == 1,
          "chain over 18 slots: a lie at the 19th (%u pieces before)", pieces);
    for (uint32_t k = 19; k < 40; k++)
        CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "the rest of the chain dropped (%u)", k);
    rx.req_prod += 21;
    rx_respond(40, 40, 0, 0, 60);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.first && r.total == 60,
          "the frame after it, whole");
    rx.req_prod++;
    CHECK(rx.lies == 1 && rx.dropped == 21 && rx.frames == 1, "counters: %lu lies %lu dropped",
          rx.lies, rx.dropped);
    /* Over NF_FRAME_MAX bytes in 3 full pages. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 4096);
    rx_respond(1, 1, 0, NETRXF_more_data, 4096);
    rx_respond(2, 2, 0, 0, 4096);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && rx.lies == 1 && rx.frames == 0,
          "12288 bytes: over NF_FRAME_MAX");
    /* A piece past its page in the middle; the rest of the chain dropped. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 1000);
    rx_respond(1, 1, 4000, NETRXF_more_data, 200);
    rx_respond(2, 2, 0, 0, 100);
    rx_respond(3, 3, 0, 0, 100);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && pieces == 1,
          "a middle piece past its page");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "its last slot dropped");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.total == 100, "the next frame whole");
    rx.req_prod += 2;
    /* A wrong id in the middle; an error status in the middle. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 1000);
    rx_respond(1, 77, 0, 0, 100);
    rx_respond(2, 2, 0, NETRXF_more_data, 1000);
    rx_respond(3, 3, 0, NETRXF_more_data, NETIF_RSP_ERROR);
    rx_respond(4, 4, 0, 0, 100);
    rx_respond(5, 5, 0, 0, 60);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE, "a middle id not the slot's");
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_DROP && rx.errors == 1,
          "a middle error: the frame dropped");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP, "the error's chain rest");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.first && r.total == 60, "then a frame");
    rx.req_prod += 2;
    /* extra_info on a later slot; an unknown extra type; an extra past the slot limit. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 1000);
    rx_respond(1, 1, 0, NETRXF_extra_info, 100);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE, "extra_info not on the first slot");
    netif_extra_info_t bad = {.type = XEN_NETIF_EXTRA_TYPE_MAX}, none = {0};

    rx_respond(2, 2, 0, NETRXF_extra_info, 100);
    memcpy(&rx_ring->ring[3].rsp, &bad, sizeof(bad));
    rx_ring->rsp_prod = 4;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE, "extra type 5");
    rx_respond(4, 4, 0, NETRXF_extra_info, 100);
    memcpy(&rx_ring->ring[5].rsp, &none, sizeof(none));
    rx_ring->rsp_prod = 6;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE, "extra type 0 (NONE)");
    netif_extra_info_t more = {.type = XEN_NETIF_EXTRA_TYPE_GSO,
                               .flags = XEN_NETIF_EXTRA_FLAG_MORE};

    rx_respond(6, 6, 0, NETRXF_extra_info, 100);
    for (uint32_t k = 7; k < 7 + NF_RX_SLOTS_MAX; k++)
        memcpy(&rx_ring->ring[k].rsp, &more, sizeof(more));
    rx_ring->rsp_prod = 7 + NF_RX_SLOTS_MAX;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && pieces == NF_RX_SLOTS_MAX,
          "extra-info slots without end");
    CHECK(rx.lies == 4 && rx.frames == 0 && rx.extras == NF_RX_SLOTS_MAX - 1,
          "counters: %lu lies, %lu extras", rx.lies, rx.extras);
    /* A one-slot frame of 5 bytes ended by its extra-info slot: too short all the same. */
    netif_extra_info_t gso = {.type = XEN_NETIF_EXTRA_TYPE_GSO};

    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_extra_info, 5);
    memcpy(&rx_ring->ring[1].rsp, &gso, sizeof(gso));
    rx_ring->rsp_prod = 2;
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && rx.lies == 1 && rx.frames == 0,
          "5 bytes and an extra-info slot (found by fuzz_netfront)");
    /* A chain of pieces adding up to less than an Ethernet header. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 6);
    rx_respond(1, 1, 0, 0, 7);
    CHECK(rx_take_frame(&rx, &r, &bytes, &pieces) == NF_LIE && r.len == 0, "13 bytes in 2 slots");
    /* The receiver gives up mid-chain: the chain's rest is dropped, not taken as a frame. */
    rx_reset(&rx, 0);
    rx_respond(0, 0, 0, NETRXF_more_data, 1000);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_PART, "first piece");
    nf_rx_abandon(&rx);
    CHECK(!nf_rx_in_frame(&rx) && rx.dropped == 1, "abandoned");
    rx_respond(1, 1, 0, NETRXF_more_data, 1000);
    rx_respond(2, 2, 0, 0, 1000);
    rx_respond(3, 3, 0, 0, 60);
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_DROP && nf_rx_next(rx_ring, &rx, &r) == NF_DROP,
          "its late rest dropped");
    CHECK(nf_rx_next(rx_ring, &rx, &r) == NF_FRAME && r.first && r.total == 60, "the next whole");
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

/*
 * Random responses, honest or not (ids, offsets, lengths, more_data),
 * against a naive model of the chain rules: what each must come out as.
 */
static void test_rx_random(void)
{
    unsigned long long seed = 99;
    struct nf_rx rx;
    struct nf_result r;
    unsigned long frames = 0, lies = 0;
    bool skipping = false;
    uint32_t slots = 0, bytes = 0;

    rx_reset(&rx, (uint32_t)unit_rand(&seed));
    for (int k = 0; k < 200000; k++) {
        uint32_t i = rx.rsp_cons;
        uint16_t slot = (uint16_t)(i & (NF_RING_SIZE - 1));
        uint16_t id = unit_rand(&seed) % 32 ? slot : (uint16_t)unit_rand(&seed);
        uint16_t off =
            (uint16_t)(unit_rand(&seed) % 8 ? unit_rand(&seed) % 4096 : unit_rand(&seed));
        int16_t st = (int16_t)(unit_rand(&seed) % 8 ? unit_rand(&seed) % 4097 : unit_rand(&seed));
        uint16_t fl = unit_rand(&seed) % 3 ? 0 : NETRXF_more_data;

        rx_respond(i, id, off, fl, st);
        enum nf_verdict v = nf_rx_next(rx_ring, &rx, &r);

        /* The model. */
        enum nf_verdict want;
        bool more = fl != 0, bad;

        if (skipping) {
            want = NF_DROP;
            skipping = more;
        } else {
            bad = id != slot || st < 0 || off + st > 4096 || slots + 1 > NF_RX_SLOTS_MAX ||
                  bytes + (uint32_t)st > NF_FRAME_MAX;
            if (bad) {
                want = id != slot || st >= 0 ? NF_LIE : NF_DROP;
                skipping = more;
                slots = bytes = 0;
            } else {
                slots++;
                bytes += (uint32_t)st;
                want = more ? NF_PART : bytes < 14 ? NF_LIE : NF_FRAME;
                if (!more)
                    slots = bytes = 0;
            }
        }
        CHECK(v == want && r.id == slot, "step %d: verdict %d, model %d, id %u slot %u", k, v, want,
              r.id, slot);
        if (v == NF_FRAME || v == NF_PART)
            CHECK(r.offset == off && r.len == st && r.offset + r.len <= 4096, "piece bounds");
        frames += want == NF_FRAME;
        lies += want == NF_LIE;
        rx.req_prod++;
    }
    CHECK(rx.frames == frames && rx.lies == lies && frames > 1000 && rx.multi > 1000,
          "counters %lu/%lu, model %lu/%lu, %lu multi-slot", rx.frames, rx.lies, frames, lies,
          rx.multi);
}

/*
 * Honest random frames (14..NF_FRAME_MAX bytes, cut into random pieces,
 * sometimes with extra-info slots) written into simulated RX pages, put
 * together as netdev_recv() does, and compared byte for byte.
 */
static void test_rx_random_chains(void)
{
    static uint8_t pages[NF_RING_SIZE][4096], sent[NF_FRAME_MAX], got[NF_FRAME_MAX];
    unsigned long long seed = 7;
    struct nf_rx rx;
    struct nf_result r;
    uint32_t i = (uint32_t)unit_rand(&seed);
    unsigned long multi = 0;

    rx_reset(&rx, i);
    for (int f = 0; f < 20000; f++) {
        uint32_t len = 14 + (uint32_t)(unit_rand(&seed) % (NF_FRAME_MAX - 13)), put = 0, at = 0;
        bool extras = unit_rand(&seed) % 8 == 0;
        unsigned int pieces = 0, n_extras = 0;

        for (uint32_t b = 0; b < len; b++)
            sent[b] = (uint8_t)unit_rand(&seed);
        /* The backend: pieces of random sizes, at most 4096 - offset, at most 15 of them. */
        uint32_t first = i;

        while (put < len) {
            uint32_t left = len - put, off = (uint32_t)(unit_rand(&seed) % 64);
            uint32_t piece = left <= 4096 - off ? left : 4096 - off;

            if (pieces < 10 && unit_rand(&seed) % 2)
                piece = 1 + (uint32_t)(unit_rand(&seed) % piece);
            if (pieces == 14)
                off = 0, piece = left; /* the rest in the last slot (left <= 4096 by then) */
            CHECK(piece <= 4096 - off, "test: piece fits");
            memcpy(&pages[i & (NF_RING_SIZE - 1)][off], sent + put, piece);
            put += piece;
            uint16_t fl =
                (put < len ? NETRXF_more_data : 0) | (i == first && extras ? NETRXF_extra_info : 0);

            rx_respond(i, (uint16_t)(i & (NF_RING_SIZE - 1)), (uint16_t)off, fl, (int16_t)piece);
            i++;
            pieces++;
            if (i - 1 == first && extras) {
                netif_extra_info_t e = {.type = XEN_NETIF_EXTRA_TYPE_HASH,
                                        .flags = XEN_NETIF_EXTRA_FLAG_MORE};

                memcpy(&rx_ring->ring[i++ & (NF_RING_SIZE - 1)].rsp, &e, sizeof(e));
                e.flags = 0;
                memcpy(&rx_ring->ring[i++ & (NF_RING_SIZE - 1)].rsp, &e, sizeof(e));
                n_extras = 2;
                rx_ring->rsp_prod = i;
            }
        }
        /* The driver. */
        enum nf_verdict v;

        while ((v = nf_rx_next(rx_ring, &rx, &r)) == NF_PART || v == NF_FRAME) {
            if (r.first)
                at = 0;
            CHECK(at + r.len <= sizeof(got), "fits");
            memcpy(got + at, &pages[r.id][r.offset], r.len);
            at += r.len;
            rx.req_prod++;
            if (v == NF_FRAME)
                break;
        }
        CHECK(v == NF_FRAME && r.total == len && at == len && memcmp(got, sent, len) == 0,
              "frame %d: %u bytes in %u pieces (+%u extras): verdict %d, got %u", f, len, pieces,
              n_extras, v, at);
        multi += pieces + n_extras > 1;
    }
    CHECK(rx.frames == 20000 && rx.lies == 0 && rx.dropped == 0 && rx.multi == multi &&
              multi > 10000,
          "counters: %lu frames, %lu multi-slot", rx.frames, rx.multi);
}

int main(void)
{
    rx_ring = aligned_alloc(4096, 4096);
    tx_ring = aligned_alloc(4096, 4096);
    test_rx_honest();
    test_rx_lies();
    test_rx_chains();
    test_rx_chain_lies();
    test_rx_index_lies();
    test_tx();
    test_rx_random();
    test_rx_random_chains();
    free(rx_ring);
    free(tx_ring);
    return unit_result("netfront_ring");
}
