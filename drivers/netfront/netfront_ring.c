/*
 * Taking netback's responses off the rings (netfront_ring.h).  Freestanding:
 * the host unit tests and the fuzzer compile this file as it is.
 */
#include <minios/compiler.h>
#include "netfront_ring.h"

long nf_pending(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod)
{
    uint32_t waiting = rsp_prod - rsp_cons, outstanding = req_prod - rsp_cons;

    /* A backend answers only what we asked: more is a lie about the index. */
    if (waiting > outstanding || outstanding > NF_RING_SIZE)
        return -1;
    return (long)waiting;
}

enum nf_verdict nf_rx_next(const netif_rx_sring_t *s, struct nf_rx *rx, struct nf_result *out)
{
    long n = nf_pending(READ_ONCE(s->rsp_prod), rx->rsp_cons, rx->req_prod);
    uint32_t i = rx->rsp_cons;
    const netif_rx_response_t *r;
    netif_rx_response_t rsp;

    if (n < 0)
        return NF_BROKEN;
    if (n == 0)
        return NF_EMPTY;
    rmb(); /* the entry after the index that published it */
    r = &s->ring[i & (NF_RING_SIZE - 1)].rsp;
    rsp.id = READ_ONCE(r->id);
    rsp.offset = READ_ONCE(r->offset);
    rsp.flags = READ_ONCE(r->flags);
    rsp.status = READ_ONCE(r->status);
    rx->rsp_cons = i + 1;

    /* The slot to repost is ours to know, whatever the response says. */
    out->id = (uint16_t)(i & (NF_RING_SIZE - 1));
    out->offset = 0;
    out->len = 0;
    out->status = rsp.status;

    /* A frame over several slots (we offer no feature-sg, so a backend should not): drop it all. */
    bool more = rsp.flags & (NETRXF_more_data | NETRXF_extra_info);
    bool continuation = rx->in_multi;

    rx->in_multi = more;
    if (rsp.id != out->id) {
        rx->lies++;
        return NF_LIE;
    }
    if (rsp.status < 0) {
        rx->errors++;
        return NF_DROP;
    }
    if (more || continuation) {
        rx->dropped++;
        return NF_DROP;
    }
    if (rsp.status < (int)NF_FRAME_MIN ||
        (uint32_t)rsp.offset + (uint32_t)rsp.status > NF_PAGE_SIZE) {
        rx->lies++;
        return NF_LIE;
    }
    out->offset = rsp.offset;
    out->len = (uint16_t)rsp.status;
    rx->frames++;
    return NF_FRAME;
}

enum nf_verdict nf_tx_next(const netif_tx_sring_t *s, struct nf_tx *tx, struct nf_result *out)
{
    long n = nf_pending(READ_ONCE(s->rsp_prod), tx->rsp_cons, tx->req_prod);
    uint32_t i = tx->rsp_cons;
    const netif_tx_response_t *r;
    uint16_t id;
    int16_t status;

    if (n < 0)
        return NF_BROKEN;
    if (n == 0)
        return NF_EMPTY;
    rmb();
    r = &s->ring[i & (NF_RING_SIZE - 1)].rsp;
    id = READ_ONCE(r->id);
    status = READ_ONCE(r->status);
    tx->rsp_cons = i + 1;

    out->offset = 0;
    out->len = 0;
    out->status = status;
    if (id >= NF_RING_SIZE || !tx->in_flight[id]) {
        out->id = 0;
        tx->lies++;
        return NF_LIE;
    }
    tx->in_flight[id] = false;
    out->id = id;
    if (status != NETIF_RSP_OKAY)
        tx->errors++;
    else
        tx->done++;
    return NF_FRAME;
}
