/*
 * libFuzzer target for drivers/blkfront/blkfront_ring.c: the input plays
 * blkback.  Each round the driver's side posts requests as blkdev_submit()
 * does, and the input writes arbitrary responses (ids, operations,
 * statuses) and an arbitrary producer index into the shared ring; the
 * driver's side then takes what there is, as the completion thread does.
 * Whatever the backend writes: a request completes at most once and only
 * while posted, ids handed out are below the ring size and never in use
 * twice, the consumer never passes the requests posted, statuses are 0,
 * -XEN_EIO or -XEN_EOPNOTSUPP, the counters add up; and disk names fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include "blkfront_ring.h"
#include "fuzz_input.h"

static void play_ring(struct input *in)
{
    static _Alignas(4096) uint8_t page[4096];
    blkif_sring_t *s = (blkif_sring_t *)page;
    struct bf_ring r = {0};
    bool posted[BF_RING_SIZE] = {false};
    unsigned long completed = 0, lies = 0, sent = 0;
    uint32_t start = next_u32(in);

    memset(page, 0, sizeof(page));
    r.rsp_cons = r.req_prod = s->rsp_prod = start;
    for (int round = 0; round < 64 && in->at < in->len; round++) {
        uint8_t op = next_byte(in);

        for (unsigned int k = op % 6; k > 0; k--) { /* we post requests */
            uint8_t b = next_byte(in);
            /* Ops 0-3 direct; 4 and 5 an indirect read or write. */
            int id = b % 6 < 4 ? bf_slot_take(&r, (uint8_t)(b % 6))
                               : bf_slot_take_indirect(&r, (uint8_t)(b % 6 - 4));

            if (id < 0)
                break;
            if (id >= (int)BF_RING_SIZE || posted[id])
                abort();
            posted[id] = true;
            r.req_prod++;
            sent++;
        }
        for (unsigned int k = next_byte(in) % 6; k > 0; k--) { /* blkback writes responses */
            blkif_response_t *p = &s->ring[next_byte(in) % BF_RING_SIZE].rsp;

            p->id = next_byte(in) & 1 ? next_byte(in) % 40
                                      : ((uint64_t)next_u32(in) << 32) | next_u32(in);
            p->operation = next_byte(in) % 8;
            p->status = (int16_t)next_u32(in);
        }
        s->rsp_prod = op & 0x80 ? r.rsp_cons + next_byte(in) % 8 : next_u32(in);
        for (int k = 0; k < 40; k++) { /* the completion thread takes what there is */
            struct bf_result res;
            uint32_t before = r.rsp_cons;
            enum bf_verdict v = bf_next(s, &r, &res);

            if (v == BF_EMPTY || v == BF_BROKEN) {
                if (r.rsp_cons != before)
                    abort();
                break;
            }
            if (r.rsp_cons != before + 1 || r.req_prod - r.rsp_cons > BF_RING_SIZE)
                abort();
            if (v == BF_LIE) {
                lies++;
                continue;
            }
            if (v != BF_DONE || res.id >= BF_RING_SIZE || !posted[res.id] || r.in_flight[res.id])
                abort();
            if (res.status != 0 && res.status != -XEN_EIO && res.status != -XEN_EOPNOTSUPP)
                abort();
            posted[res.id] = false;
            completed++;
        }
        for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
            if (posted[i] != r.in_flight[i])
                abort();
        }
    }
    if (r.done + r.errors != completed || completed > sent || r.lies < lies)
        abort();
}

static void names(struct input *in)
{
    char buf[16];
    unsigned long vdev = ((unsigned long)next_u32(in) << 32) | next_u32(in);
    size_t size = next_byte(in) % sizeof(buf) + 1;
    int n = bf_vdev_name(vdev, buf, size);

    if (n >= 0 && ((size_t)n >= size || strlen(buf) != (size_t)n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size, 0};

    play_ring(&in);
    names(&in);
    return 0;
}
