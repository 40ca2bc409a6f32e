/*
 * blkfront's pure logic (blkfront_ring.c): which ring slots are ours, and
 * taking blkback's responses off the shared ring.  The backend is another
 * domain: each response is copied out of the shared page once and judged
 * on the copy; the producer index is read once per call and refused when
 * it claims more responses than we have requests outstanding.  A response
 * for an id that is not in flight completes nothing (counted, reported);
 * one for a request in flight completes it exactly once, with -XEN_EIO
 * when its operation or status makes no sense.  Also the name of a disk
 * from its xenstore id (xvda...).  No allocation, no hypercall:
 * host-unit-tested (tests/unit/test_blkfront_ring.c) and fuzzed
 * (tests/fuzz/fuzz_blkfront.c).
 */
#ifndef BLKFRONT_RING_H
#define BLKFRONT_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/blkif.h>

/* One ring page holds 32 slots on x86-64 (notes: blkif's sizes); the slot is the request's id. */
#define BF_RING_SIZE 32U

enum bf_verdict {
    BF_EMPTY,  /* no response waiting */
    BF_DONE,   /* request .id completed with .status (0 or a negative Xen errno) */
    BF_LIE,    /* a response consumed for an id not in flight: nothing completed */
    BF_BROKEN, /* the producer index is impossible: the ring is unusable */
};

struct bf_ring {
    uint32_t rsp_cons;            /* responses taken */
    uint32_t req_prod;            /* requests posted (our copy, never read back) */
    bool in_flight[BF_RING_SIZE]; /* id -> awaits its response */
    uint8_t op[BF_RING_SIZE];     /* the operation each id's response must carry */
    bool indirect[BF_RING_SIZE];  /* posted as BLKIF_OP_INDIRECT (the response may say so) */
    unsigned long done, errors, lies;
};

struct bf_result {
    uint16_t id;  /* < BF_RING_SIZE when BF_DONE */
    int status;   /* 0, -XEN_EIO, -XEN_EOPNOTSUPP */
    int16_t said; /* the status as the backend wrote it */
    bool lied;    /* BF_DONE, but the response's operation or status was nonsense */
};

/* Takes a free id for a request of @op (marks it in flight), or -1 if all 32 are. */
int bf_slot_take(struct bf_ring *r, uint8_t op);

/*
 * The same for a BLKIF_OP_INDIRECT request of @inner_op (READ or WRITE):
 * its response may carry either (Linux's blkback echoes @inner_op).
 */
int bf_slot_take_indirect(struct bf_ring *r, uint8_t inner_op);

/* Responses waiting (0..outstanding), or -1 if the producer index is impossible. */
long bf_pending(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod);

/* Takes the next response (if any): see enum bf_verdict. */
enum bf_verdict bf_next(const blkif_sring_t *s, struct bf_ring *r, struct bf_result *out);

/*
 * The Linux-style name of the disk with xenstore id @vdev (device/vbd/<vdev>):
 * xvda..xvdp from Xen's (202 << 8 | disk << 4 | partition) encoding, the
 * extended (1 << 28 | disk << 8 | partition) one up to xvdzz, a partition
 * as a trailing number (xvda1); other encodings as "vbd<vdev>".  Returns
 * the length, or -1 if @size is too small.
 */
int bf_vdev_name(unsigned long vdev, char *buf, size_t size);

#endif /* BLKFRONT_RING_H */
