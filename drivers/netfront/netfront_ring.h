/*
 * netfront's pure ring logic (netfront_ring.c): taking the backend's
 * responses off the shared TX and RX rings.  The backend is another
 * domain, so each response is copied out of the shared page once, field
 * by field, and judged on the copy; the producer index is read once per
 * call and refused when it claims more responses than we have requests
 * outstanding.  A response that lies (an id we did not post, an offset or
 * length outside the page) is consumed, counted and reported, and its
 * frame dropped: it never indexes our arrays or buffers.  No allocation,
 * no hypercall: host-unit-tested (tests/unit/test_netfront_ring.c) and
 * fuzzed (tests/fuzz/fuzz_netfront.c).
 */
#ifndef NETFRONT_RING_H
#define NETFRONT_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

/* Both rings are one page: 256 slots each (notes: netif's sizes on x86-64). */
#define NF_RING_SIZE 256U
#define NF_PAGE_SIZE 4096U

/* The smallest frame: an Ethernet header. */
#define NF_FRAME_MIN 14U

enum nf_verdict {
    NF_EMPTY,  /* no response waiting */
    NF_FRAME,  /* RX: a frame in slot .id at .offset, .len bytes; TX: slot .id is free again */
    NF_DROP,   /* a response consumed, nothing to deliver (slot .id to repost / free) */
    NF_LIE,    /* a response consumed that makes no sense: counted, nothing to deliver */
    NF_BROKEN, /* the producer index is impossible: the ring is unusable */
};

struct nf_rx {
    uint32_t rsp_cons; /* responses taken */
    uint32_t req_prod; /* requests posted (our private copy, never read back) */
    bool in_multi;     /* inside a frame spread over slots: dropping its rest */
    unsigned long frames, dropped, errors, lies;
};

struct nf_tx {
    uint32_t rsp_cons;
    uint32_t req_prod;
    bool in_flight[NF_RING_SIZE]; /* slot id -> a request of ours awaits its response */
    unsigned long done, errors, lies;
};

struct nf_result {
    uint16_t id;     /* the slot (always < NF_RING_SIZE when set) */
    uint16_t offset; /* RX frame: offset + len <= NF_PAGE_SIZE */
    uint16_t len;
    int16_t status; /* the backend's status as it said it */
};

/*
 * Takes the next RX response (if any).  With NF_FRAME, NF_DROP and NF_LIE
 * one response was consumed and .id names the slot to repost (RX slots are
 * answered in place: the response at index i is for the request at i, so
 * its id must be i's slot; a response naming another is a lie).
 */
enum nf_verdict nf_rx_next(const netif_rx_sring_t *s, struct nf_rx *rx, struct nf_result *out);

/*
 * Takes the next TX response.  NF_FRAME: slot .id was ours and is free
 * again (.status says how it went; errors are counted).  NF_LIE: an id not
 * in flight (consumed, nothing freed).
 */
enum nf_verdict nf_tx_next(const netif_tx_sring_t *s, struct nf_tx *tx, struct nf_result *out);

/* Responses waiting (0..outstanding), or -1 if the producer index is impossible. */
long nf_pending(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod);

#endif /* NETFRONT_RING_H */
