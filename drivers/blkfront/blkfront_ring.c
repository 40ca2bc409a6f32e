/*
 * Taking blkback's responses off the ring (blkfront_ring.h).  Freestanding:
 * the host unit tests and the fuzzer compile this file as it is.
 */
#include <minios/compiler.h>
#include <xen/errno.h>
#include "blkfront_ring.h"

int bf_slot_take(struct bf_ring *r, uint8_t op)
{
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if (!r->in_flight[i]) {
            r->in_flight[i] = true;
            r->op[i] = op;
            r->indirect[i] = false;
            return (int)i;
        }
    }
    return -1;
}

int bf_slot_take_indirect(struct bf_ring *r, uint8_t inner_op)
{
    int id = bf_slot_take(r, inner_op);

    if (id >= 0)
        r->indirect[id] = true;
    return id;
}

long bf_pending(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod)
{
    uint32_t waiting = rsp_prod - rsp_cons, outstanding = req_prod - rsp_cons;

    /* A backend answers only what we asked: more is a lie about the index. */
    if (waiting > outstanding || outstanding > BF_RING_SIZE)
        return -1;
    return (long)waiting;
}

enum bf_verdict bf_next(const blkif_sring_t *s, struct bf_ring *r, struct bf_result *out)
{
    long n = bf_pending(READ_ONCE(s->rsp_prod), r->rsp_cons, r->req_prod);
    uint32_t i = r->rsp_cons;
    const blkif_response_t *p;
    uint64_t id;
    uint8_t op;
    int16_t status;

    if (n < 0)
        return BF_BROKEN;
    if (n == 0)
        return BF_EMPTY;
    rmb(); /* the entry after the index that published it */
    p = &s->ring[i & (BF_RING_SIZE - 1)].rsp;
    id = READ_ONCE(p->id);
    op = READ_ONCE(p->operation);
    status = READ_ONCE(p->status);
    r->rsp_cons = i + 1;

    out->said = status;
    out->lied = false;
    out->status = 0;
    if (id >= BF_RING_SIZE || !r->in_flight[id]) {
        out->id = 0;
        r->lies++;
        return BF_LIE;
    }
    out->id = (uint16_t)id;
    r->in_flight[id] = false;
    bool op_ok = op == r->op[id] || (r->indirect[id] && op == BLKIF_OP_INDIRECT);

    if (!op_ok || status < BLKIF_RSP_EOPNOTSUPP || status > BLKIF_RSP_OKAY) {
        out->lied = true;
        out->status = -XEN_EIO;
        r->lies++;
        r->errors++;
        return BF_DONE;
    }
    if (status == BLKIF_RSP_OKAY) {
        r->done++;
    } else {
        out->status = status == BLKIF_RSP_EOPNOTSUPP ? -XEN_EOPNOTSUPP : -XEN_EIO;
        r->errors++;
    }
    return BF_DONE;
}

/* "a".."z", then "aa".."zz": Linux's disk letters. */
static int letters(unsigned long disk, char *p)
{
    if (disk < 26) {
        p[0] = (char)('a' + disk);
        return 1;
    }
    disk -= 26;
    if (disk >= 26 * 26)
        return -1;
    p[0] = (char)('a' + disk / 26);
    p[1] = (char)('a' + disk % 26);
    return 2;
}

static int put_decimal(unsigned long v, char *p)
{
    char tmp[24];
    int n = 0, len;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    len = n;
    while (n)
        *p++ = tmp[--n];
    return len;
}

int bf_vdev_name(unsigned long vdev, char *buf, size_t size)
{
    char tmp[40] = "xvd";
    unsigned long disk = 0, part = 0;
    int len, n = -1;

    if ((vdev >> 8) == 202) {
        disk = (vdev >> 4) & 15;
        part = vdev & 15;
        n = letters(disk, tmp + 3);
    } else if ((vdev >> 28) == 1) {
        disk = (vdev >> 8) & 0xfffff;
        part = vdev & 0xff;
        n = letters(disk, tmp + 3);
    }
    if (n < 0) { /* an encoding (or a disk number) without a xvd name */
        tmp[0] = 'v', tmp[1] = 'b', tmp[2] = 'd';
        len = 3 + put_decimal(vdev, tmp + 3);
    } else {
        len = 3 + n;
        if (part)
            len += put_decimal(part, tmp + len);
    }
    if ((size_t)len >= size)
        return -1;
    for (int k = 0; k < len; k++)
        buf[k] = tmp[k];
    buf[len] = '\0';
    return len;
}
