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

/*
 * A received frame may span several slots (feature-sg: NETRXF_more_data),
 * each slot's piece within its page.  The largest frame we take: a 9000-byte
 * MTU and its Ethernet header (NETDEV_FRAME_BIG); the most slots one frame
 * (with its extra-info slots) may take: Xen's minimum for a packet,
 * XEN_NETIF_NR_SLOTS_MIN (18), far more than 9014 bytes need (3 packed).
 * A chain over either limit is a lie.
 */
#define NF_FRAME_MAX    9014U
#define NF_RX_SLOTS_MAX 18U
#define NF_TX_SLOTS_MAX ((NF_FRAME_MAX + NF_PAGE_SIZE - 1) / NF_PAGE_SIZE)

enum nf_verdict {
    NF_EMPTY,  /* no response waiting */
    NF_FRAME,  /* RX: a frame's last (or only) piece in slot .id at .offset, .len bytes
                  (.len may be 0 after extra-info slots); TX: slot .id is free again */
    NF_PART,   /* RX: a piece of a frame that goes on in the next slots (.len may be 0:
                  an extra-info slot, skipped) */
    NF_DROP,   /* a response consumed, nothing to deliver (slot .id to repost / free) */
    NF_LIE,    /* a response consumed that makes no sense: counted, nothing to deliver */
    NF_BROKEN, /* the producer index is impossible: the ring is unusable */
};

/*
 * RX state.  A frame is taken piece by piece: NF_PART for each slot but
 * the last, NF_FRAME for the last; the caller appends each piece and
 * delivers at NF_FRAME.  NF_DROP and NF_LIE mean the frame being put
 * together (if any) is lost: the caller forgets its pieces.  After a bad
 * slot in a chain, the chain's remaining slots are consumed as NF_DROP
 * without counting again (.skipping), as far as their own flags say.
 */
struct nf_rx {
    uint32_t rsp_cons;     /* responses taken */
    uint32_t req_prod;     /* requests posted (our private copy, never read back) */
    uint32_t bytes;        /* in the frame being put together */
    uint16_t slots;        /* slots the frame took so far; 0: the next slot starts one */
    uint16_t csum;         /* its first slot's NETRXF_data_validated | NETRXF_csum_blank */
    bool extra;            /* the next slot is a netif_extra_info */
    bool more;             /* data slots follow the extra-info slots */
    bool skipping;         /* dropping the rest of a bad chain */
    unsigned long frames;  /* frames delivered */
    unsigned long multi;   /* of which over several slots */
    unsigned long extras;  /* extra-info slots skipped */
    unsigned long dropped; /* frames given up (nf_rx_abandon), chain slots after a bad one */
    unsigned long errors, lies;
};

struct nf_tx {
    uint32_t rsp_cons;
    uint32_t req_prod;
    bool in_flight[NF_RING_SIZE]; /* slot id -> a request of ours awaits its response */
    unsigned long done, errors, lies;
};

struct nf_result {
    uint16_t id;     /* the slot (always < NF_RING_SIZE when set) */
    uint16_t offset; /* RX piece: offset + len <= NF_PAGE_SIZE */
    uint16_t len;
    int16_t status; /* the backend's status as it said it */
    bool first;     /* RX NF_PART/NF_FRAME: the frame's first piece */
    uint16_t csum;  /* RX NF_FRAME: the frame's NETRXF_data_validated | NETRXF_csum_blank */
    uint32_t total; /* RX NF_FRAME: the whole frame's bytes (<= NF_FRAME_MAX) */
};

/*
 * Takes the next RX response (if any).  With NF_FRAME, NF_PART, NF_DROP
 * and NF_LIE one response was consumed and .id names the slot to repost
 * (RX slots are answered in place: the response at index i is for the
 * request at i, so its id must be i's slot; a response naming another is
 * a lie).  Extra-info slots (after a first slot with NETRXF_extra_info)
 * are checked for a known type and skipped: we ask for nothing they carry.
 */
enum nf_verdict nf_rx_next(const netif_rx_sring_t *s, struct nf_rx *rx, struct nf_result *out);

/* True between a frame's first piece and its last. */
bool nf_rx_in_frame(const struct nf_rx *rx);

/*
 * Gives up the frame being put together (its rest never came in time):
 * counted as dropped, and the rest of its chain, if it comes, is dropped.
 */
void nf_rx_abandon(struct nf_rx *rx);

/*
 * Takes the next TX response.  NF_FRAME: slot .id was ours and is free
 * again (.status says how it went; errors are counted).  NF_LIE: an id not
 * in flight (consumed, nothing freed).
 */
enum nf_verdict nf_tx_next(const netif_tx_sring_t *s, struct nf_tx *tx, struct nf_result *out);

/* Responses waiting (0..outstanding), or -1 if the producer index is impossible. */
long nf_pending(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod);

#endif /* NETFRONT_RING_H */
