/*
 * libFuzzer target for lib/ring.c.  The input is a script: the first byte
 * picks the ring size (1..2048), the next four the starting index, then
 * each pair of bytes is one operation on two rings, rx (the peer produces,
 * we consume) and tx (we produce, the peer consumes).  The peer either
 * plays fair or sets its index to four bytes of the input.
 *
 * Every result is checked against a naive model that recomputes the answer
 * byte by byte with % instead of masks: the error exactly when prod - cons
 * exceeds the size, nothing touched on error, the right bytes copied, no
 * other ring byte changed.  While the peer is honest, the byte stream through
 * each ring must also arrive intact and in order.  Buffers are malloc'ed at
 * their exact size, so AddressSanitizer reports any access outside them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/ring.h>
#include "fuzz_input.h"

/* One ring and what the model knows about it. */
struct ring {
    char *buf;
    size_t size;
    uint32_t cons, prod;
    int honest;              /* no index lie since the last reset */
    uint8_t seq_in, seq_out; /* the honest stream: next byte expected / produced */
};

static void reset(struct ring *r, uint32_t base)
{
    r->cons = r->prod = base;
    r->honest = 1;
    r->seq_in = r->seq_out = 0;
}

/* We consume from rx, asking for up to @max bytes. */
static void our_read(struct ring *r, size_t max)
{
    uint8_t *dst = malloc(max ? max : 1);
    char *before = malloc(r->size);
    uint32_t c0 = r->cons, p0 = r->prod;

    memset(dst, 0xcc, max);
    memcpy(before, r->buf, r->size);

    long n = ring_read(r->buf, r->size, &r->cons, &r->prod, dst, max);

    ASSERT(memcmp(before, r->buf, r->size) == 0); /* a reader never writes the ring */
    ASSERT(r->prod == p0);
    if ((uint32_t)(p0 - c0) > r->size) {
        ASSERT(n == RING_ERR_INDEX);
        ASSERT(r->cons == c0);
        for (size_t i = 0; i < max; i++)
            ASSERT(dst[i] == 0xcc);
    } else {
        uint32_t avail = p0 - c0;
        size_t want = avail < max ? avail : max;

        ASSERT(n == (long)want);
        ASSERT(r->cons == c0 + (uint32_t)want);
        for (size_t i = 0; i < want; i++)
            ASSERT(dst[i] == (uint8_t)r->buf[(uint32_t)(c0 + i) % r->size]);
        for (size_t i = want; i < max; i++)
            ASSERT(dst[i] == 0xcc);
        if (r->honest) {
            for (size_t i = 0; i < want; i++)
                ASSERT(dst[i] == r->seq_in++);
        }
    }
    free(before);
    free(dst);
}

/* We produce @len bytes into tx: the honest stream, or input bytes once it is not. */
static void our_write(struct ring *r, size_t len)
{
    uint8_t *src = malloc(len ? len : 1);
    char *before = malloc(r->size);
    uint32_t c0 = r->cons, p0 = r->prod;

    for (size_t i = 0; i < len; i++)
        src[i] = (uint8_t)(r->seq_out + i);
    memcpy(before, r->buf, r->size);

    long n = ring_write(r->buf, r->size, &r->cons, &r->prod, src, len);

    ASSERT(r->cons == c0);
    if ((uint32_t)(p0 - c0) > r->size) {
        ASSERT(n == RING_ERR_INDEX);
        ASSERT(r->prod == p0);
        ASSERT(memcmp(before, r->buf, r->size) == 0);
    } else {
        size_t space = r->size - (p0 - c0);
        size_t want = space < len ? space : len;

        ASSERT(n == (long)want);
        ASSERT(r->prod == p0 + (uint32_t)want);
        /* Exactly the @want bytes from prod on changed, to src's bytes. */
        for (size_t k = 0; k < r->size; k++) {
            size_t rel = (k + r->size - p0 % r->size) % r->size;

            if (rel < want)
                ASSERT((uint8_t)r->buf[k] == src[rel]);
            else
                ASSERT(r->buf[k] == before[k]);
        }
        r->seq_out += (uint8_t)want;
    }
    free(before);
    free(src);
}

/* The peer produces into rx, honestly. */
static void peer_produce(struct ring *r, size_t len)
{
    uint32_t used = r->prod - r->cons;

    if (used > r->size)
        return;
    if (len > r->size - used)
        len = r->size - used;
    for (size_t i = 0; i < len; i++)
        r->buf[(r->prod + i) % r->size] = (char)r->seq_out++;
    r->prod += (uint32_t)len;
}

/* The peer consumes from tx, honestly, checking the stream. */
static void peer_consume(struct ring *r, size_t len)
{
    uint32_t used = r->prod - r->cons;

    if (used > r->size)
        return;
    if (len > used)
        len = used;
    for (size_t i = 0; i < len; i++) {
        if (r->honest)
            ASSERT((uint8_t)r->buf[(r->cons + i) % r->size] == r->seq_in++);
    }
    r->cons += (uint32_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct input in = {data, len, 0};
    size_t size = (size_t)1 << (next_byte(&in) % 12);
    uint32_t base = next_u32(&in);
    struct ring rx = {.buf = malloc(size), .size = size};
    struct ring tx = {.buf = malloc(size), .size = size};

    memset(rx.buf, 0, size);
    memset(tx.buf, 0, size);
    reset(&rx, base);
    reset(&tx, base ^ 0x80000000u);

    while (in.at < in.len) {
        uint8_t op = next_byte(&in);
        /* Lengths up to a little over the ring, to cover clipping. */
        size_t arg = next_byte(&in) % (size + 3);

        switch (op % 10) {
        case 0:
            peer_produce(&rx, arg);
            break;
        case 1:
            our_read(&rx, arg);
            break;
        case 2:
            rx.prod = next_u32(&in);
            rx.honest = 0;
            break;
        case 3:
            our_write(&tx, arg);
            break;
        case 4:
            peer_consume(&tx, arg);
            break;
        case 5:
            tx.cons = next_u32(&in);
            tx.honest = 0;
            break;
        case 6:
            /* The peer rewrites our own index too: it is in the shared page. */
            if (op & 0x80) {
                rx.cons = next_u32(&in);
                rx.honest = 0;
            } else {
                tx.prod = next_u32(&in);
                tx.honest = 0;
            }
            break;
        case 7: {
            long u = ring_used(size, &rx.cons, &rx.prod);
            uint32_t d = rx.prod - rx.cons;

            ASSERT(u == (d > size ? RING_ERR_INDEX : (long)d));
            our_read(&rx, 0);
            our_write(&tx, 0);
            break;
        }
        case 8:
            reset(op & 0x80 ? &rx : &tx, next_u32(&in));
            break;
        default:
            /* A peer index a small distance off the legal range, both ways. */
            rx.prod = rx.cons + (uint32_t)size + (uint32_t)(op >> 4) - 8;
            rx.honest = 0;
            break;
        }
    }
    free(tx.buf);
    free(rx.buf);
    return 0;
}
