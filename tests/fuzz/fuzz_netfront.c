/*
 * libFuzzer target for drivers/netfront/netfront_ring.c and the xenbus
 * parsers netfront's connect path uses (drivers/xenbus/xenbus_parse.c).
 *
 * The input plays netback: each round it writes arbitrary responses and
 * producer indices into the RX and TX rings while the driver's side posts
 * requests and takes responses as the real driver does.  Whatever the
 * backend writes, every RX piece handed out lies inside its page, a frame
 * put together from pieces (NETRXF_more_data chains, extra-info slots
 * skipped) never passes NF_FRAME_MAX bytes nor NF_RX_SLOTS_MAX slots and
 * says its size right, every
 * slot id is below the ring size, the consumer never passes the requests
 * posted, a TX slot is freed only while in flight, and the counters add
 * up.  The last bytes go through the xenstore value parsers, checked
 * against naive versions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <kernel/xenbus_parse.h>
#include "netfront_ring.h"
#include "fuzz_input.h"

static void play_rings(struct input *in)
{
    static _Alignas(4096) uint8_t rx_page[4096], tx_page[4096];
    netif_rx_sring_t *rxs = (netif_rx_sring_t *)rx_page;
    netif_tx_sring_t *txs = (netif_tx_sring_t *)tx_page;
    struct nf_rx rx = {0};
    struct nf_tx tx = {0};
    unsigned long tx_freed = 0, tx_sent = 0, tx_lies = 0, rx_frames = 0;
    uint32_t assembled = 0, pieces = 0; /* the frame being put together, as netdev_recv() does */
    uint32_t start = next_u32(in);

    memset(rx_page, 0, sizeof(rx_page));
    memset(tx_page, 0, sizeof(tx_page));
    rx.rsp_cons = rx.req_prod = start;
    rx.req_prod += NF_RING_SIZE; /* every RX slot posted */
    rxs->rsp_prod = start;
    tx.rsp_cons = tx.req_prod = txs->rsp_prod = start;

    for (int round = 0; round < 64 && in->at < in->len; round++) {
        uint8_t op = next_byte(in);

        if (op & 1) { /* netback writes some RX responses and an index */
            unsigned int n = next_byte(in) % 8;

            for (unsigned int k = 0; k < n; k++) {
                netif_rx_response_t *r = &rxs->ring[next_byte(in)].rsp;

                r->id = (uint16_t)next_u32(in);
                r->offset = (uint16_t)next_u32(in);
                r->flags = (uint16_t)(next_byte(in) & 15); /* csum, more_data, extra_info */
                r->status = (int16_t)next_u32(in);
            }
            rxs->rsp_prod = op & 2 ? rx.rsp_cons + next_byte(in) % 12 : next_u32(in);
        }
        if (op & 4) { /* TX: we send up to 4 frames, then netback answers */
            for (unsigned int k = next_byte(in) % 5; k > 0; k--) {
                int slot = -1;

                for (unsigned int s = 0; s < NF_RING_SIZE && slot < 0; s++)
                    if (!tx.in_flight[s])
                        slot = (int)s;
                if (slot < 0 || tx.req_prod - tx.rsp_cons >= NF_RING_SIZE)
                    break;
                tx.in_flight[slot] = true;
                tx.req_prod++;
                tx_sent++;
            }
            for (unsigned int k = next_byte(in) % 6; k > 0; k--) {
                netif_tx_response_t *r = &txs->ring[next_byte(in)].rsp;

                r->id = (uint16_t)(next_byte(in) & 1 ? next_byte(in) : next_u32(in));
                r->status = (int16_t)(next_byte(in) % 4) - 2;
            }
            txs->rsp_prod = op & 8 ? tx.rsp_cons + next_byte(in) % 8 : next_u32(in);
        }
        /* The driver takes what there is, as netdev_recv() and tx_reclaim() do. */
        for (int k = 0; k < 16; k++) {
            struct nf_result r;
            enum nf_verdict v = nf_rx_next(rxs, &rx, &r);

            if (v == NF_EMPTY || v == NF_BROKEN)
                break;
            ASSERT(r.id < NF_RING_SIZE);
            ASSERT(rx.rsp_cons - (rx.req_prod - NF_RING_SIZE) <= NF_RING_SIZE);
            if (v == NF_PART || v == NF_FRAME) {
                ASSERT((uint32_t)r.offset + r.len <= NF_PAGE_SIZE);
                if (r.first)
                    assembled = pieces = 0;
                ASSERT(r.first == (pieces == 0));
                assembled += r.len;
                pieces++;
                ASSERT(assembled <= NF_FRAME_MAX && pieces <= NF_RX_SLOTS_MAX);
                ASSERT(nf_rx_in_frame(&rx) == (v == NF_PART));
            }
            if (v == NF_FRAME) {
                ASSERT(r.total == assembled && r.total >= NF_FRAME_MIN);
                ASSERT((r.csum & ~(NETRXF_data_validated | NETRXF_csum_blank)) == 0);
                rx_frames++;
            }
            if (v != NF_PART) {
                assembled = pieces = 0;
                ASSERT(!nf_rx_in_frame(&rx));
            }
            rx.req_prod++; /* slot r.id reposted */
        }
        if (op & 16 && nf_rx_in_frame(&rx)) { /* the receiver's deadline mid-chain */
            nf_rx_abandon(&rx);
            assembled = pieces = 0;
            ASSERT(!nf_rx_in_frame(&rx));
        }
        for (int k = 0; k < 16; k++) {
            struct nf_result r;
            unsigned long in_flight_before = 0, in_flight_after = 0;

            for (unsigned int s = 0; s < NF_RING_SIZE; s++)
                in_flight_before += tx.in_flight[s];
            enum nf_verdict v = nf_tx_next(txs, &tx, &r);

            if (v == NF_EMPTY || v == NF_BROKEN)
                break;
            for (unsigned int s = 0; s < NF_RING_SIZE; s++)
                in_flight_after += tx.in_flight[s];
            ASSERT(r.id < NF_RING_SIZE);
            ASSERT(in_flight_after == in_flight_before - (v == NF_FRAME));
            tx_freed += v == NF_FRAME;
            tx_lies += v == NF_LIE;
            ASSERT(tx.rsp_cons - start <= tx.req_prod - start);
        }
    }
    ASSERT(rx.frames == rx_frames && rx.multi <= rx.frames);
    ASSERT(tx.done + tx.errors == tx_freed && tx.lies == tx_lies && tx_freed <= tx_sent);
}

static void parse_values(struct input *in)
{
    char buf[64];
    size_t len;
    unsigned long v, max = next_u32(in);
    unsigned int st;
    uint8_t mac[6];

    len = in->len - in->at < sizeof(buf) ? in->len - in->at : sizeof(buf);
    memcpy(buf, in->data + in->at, len);
    int rc = xenbus_parse_ulong(buf, len, max, &v);
    bool digits = len > 0;
    unsigned long long naive = 0;

    for (size_t i = 0; i < len; i++) {
        digits = digits && buf[i] >= '0' && buf[i] <= '9';
        if (digits && naive <= max)
            naive = naive * 10 + (unsigned long long)(buf[i] - '0');
    }
    if (!digits)
        ASSERT(rc == -XEN_EINVAL);
    else if (naive > max)
        ASSERT(rc == -XEN_ERANGE);
    else
        ASSERT(rc == 0 && v == naive);
    rc = xenbus_parse_state(buf, len, &st);
    ASSERT(rc < 0 || (st <= XENBUS_STATE_MAX && len >= 1));
    if (xenbus_parse_mac(buf, len, mac) == 0)
        ASSERT(len == 17 && buf[2] == ':' && buf[14] == ':');
    if (xenbus_check_path(buf, len) == 0) {
        ASSERT(len >= 2 && len < XENBUS_PATH_MAX && buf[0] == '/' && buf[len - 1] != '/');
        for (size_t i = 1; i < len; i++)
            ASSERT(buf[i] != '\0' && !(buf[i] == '/' && buf[i - 1] == '/'));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size, 0};

    play_rings(&in);
    parse_values(&in);
    return 0;
}
