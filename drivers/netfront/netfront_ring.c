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

/* The frame being put together is lost; its chain's rest (if @more) is skipped. */
static enum nf_verdict rx_give_up(struct nf_rx *rx, bool more, enum nf_verdict v)
{
    rx->slots = 0;
    rx->bytes = 0;
    rx->extra = false;
    rx->more = false;
    rx->skipping = more;
    return v;
}

bool nf_rx_in_frame(const struct nf_rx *rx)
{
    return rx->slots != 0;
}

void nf_rx_abandon(struct nf_rx *rx)
{
    if (!nf_rx_in_frame(rx))
        return;
    rx->dropped++;
    /* What is left of the chain: data slots (unless only extra-info ones remain). */
    rx_give_up(rx, true, NF_DROP);
}

/* An extra-info slot (its 8 bytes as <xen/io/netif.h> lays them over a response). */
static enum nf_verdict rx_extra(struct nf_rx *rx, const netif_rx_response_t *copy,
                                struct nf_result *out)
{
    netif_extra_info_t ex;

    _Static_assert(sizeof(ex) == sizeof(*copy), "an extra-info slot is a response slot");
    __builtin_memcpy(&ex, copy, sizeof(ex));
    if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE || ex.type >= XEN_NETIF_EXTRA_TYPE_MAX ||
        ++rx->slots > NF_RX_SLOTS_MAX) {
        rx->lies++;
        return rx_give_up(rx, rx->more, NF_LIE);
    }
    rx->extras++;
    rx->extra = ex.flags & XEN_NETIF_EXTRA_FLAG_MORE;
    if (rx->extra || rx->more)
        return NF_PART;
    /* The frame was all in its first slot: it ends with its last extra. */
    if (rx->bytes < NF_FRAME_MIN) {
        rx->lies++;
        return rx_give_up(rx, false, NF_LIE);
    }
    out->total = rx->bytes;
    out->csum = rx->csum;
    rx->frames++;
    rx->multi++;
    rx_give_up(rx, false, NF_FRAME);
    return NF_FRAME;
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
    out->first = rx->slots == 0;
    out->csum = 0;
    out->total = 0;

    if (rx->extra)
        return rx_extra(rx, &rsp, out);

    bool more = rsp.flags & NETRXF_more_data;

    if (rx->skipping) {
        rx->skipping = more;
        rx->dropped++;
        return NF_DROP;
    }
    if (rsp.id != out->id || (!out->first && (rsp.flags & NETRXF_extra_info))) {
        rx->lies++;
        return rx_give_up(rx, more, NF_LIE);
    }
    if (rsp.status < 0) {
        rx->errors++;
        return rx_give_up(rx, more, NF_DROP);
    }
    if ((uint32_t)rsp.offset + (uint32_t)rsp.status > NF_PAGE_SIZE ||
        ++rx->slots > NF_RX_SLOTS_MAX || rx->bytes + (uint32_t)rsp.status > NF_FRAME_MAX) {
        rx->lies++;
        return rx_give_up(rx, more, NF_LIE);
    }
    rx->bytes += (uint32_t)rsp.status;
    out->offset = rsp.offset;
    out->len = (uint16_t)rsp.status;
    if (out->first) {
        rx->csum = rsp.flags & (NETRXF_data_validated | NETRXF_csum_blank);
        rx->extra = rsp.flags & NETRXF_extra_info;
    }
    rx->more = more;
    if (more || rx->extra)
        return NF_PART;
    if (rx->bytes < NF_FRAME_MIN) {
        rx->lies++;
        out->len = 0;
        return rx_give_up(rx, false, NF_LIE);
    }
    out->total = rx->bytes;
    out->csum = rx->csum;
    rx->frames++;
    rx->multi += rx->slots > 1;
    rx_give_up(rx, false, NF_FRAME);
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
