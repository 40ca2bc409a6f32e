/*
 * lib/ring.c against a peer that lies.  Every ring buffer and destination
 * is malloc'ed at its exact size, so AddressSanitizer stops any access
 * outside it.  Cases: ring sizes, indices that claim too much (ahead, behind,
 * far off, across the 2^32 wrap), a full and an empty ring, zero-length
 * calls, a write and read-back starting at every offset of the ring, and a
 * long random producer/consumer run checked against a plain FIFO model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/ring.h>
#include "unit.h"

static unsigned long long seed = 11;

static const size_t sizes[] = {1, 2, 4, 8, 16, 64, 1024, 2048};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Indices near 0, near the middle and just below the 2^32 wrap. */
static const uint32_t bases[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xfffffff0u, 0xffffffffu};
#define NBASES (sizeof(bases) / sizeof(bases[0]))

static void fill(unsigned char *p, size_t n, unsigned char v)
{
    memset(p, v, n);
}

static int all_are(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v)
            return 0;
    }
    return 1;
}

static void sizes_accepted(void)
{
    CHECK(!ring_size_ok(0), "size 0");
    CHECK(ring_size_ok(1), "size 1");
    CHECK(ring_size_ok(2), "size 2");
    CHECK(!ring_size_ok(3), "size 3");
    CHECK(!ring_size_ok(1000), "size 1000");
    CHECK(ring_size_ok(1024), "size 1024");
    CHECK(ring_size_ok(RING_SIZE_MAX), "size 2^31");
    CHECK(!ring_size_ok(RING_SIZE_MAX + 1), "size 2^31 + 1");
    CHECK(!ring_size_ok((size_t)1 << 32), "size 2^32");
    CHECK(!ring_size_ok(SIZE_MAX), "size SIZE_MAX");

    /* A bad size is refused before anything is read or written. */
    char buf[3] = {1, 2, 3};
    unsigned char dst[3] = {9, 9, 9};
    uint32_t cons = 0, prod = 2;

    CHECK(ring_read(buf, 3, &cons, &prod, dst, 3) == RING_ERR_SIZE, "read, size 3");
    CHECK(cons == 0 && all_are(dst, 3, 9), "read, size 3: untouched");
    CHECK(ring_write(buf, 0, &cons, &prod, "xyz", 3) == RING_ERR_SIZE, "write, size 0");
    CHECK(prod == 2 && buf[0] == 1, "write, size 0: untouched");
    CHECK(ring_used(6, &cons, &prod) == RING_ERR_SIZE, "used, size 6");
}

/*
 * Unread counts (prod - cons) that no honest peer can produce: one more than
 * the ring, a ring more, half of 2^32, and "behind" (cons past prod).
 */
static void lying_indices(void)
{
    for (size_t si = 0; si < NSIZES; si++) {
        size_t size = sizes[si];
        uint32_t s32 = (uint32_t)size;
        const uint32_t lies[] = {s32 + 1,     s32 + 2,     2 * s32,     0x7fffffffu,
                                 0x80000000u, 0xffffffffu, 0xfffffffeu, 0 - s32};

        for (size_t bi = 0; bi < NBASES; bi++) {
            for (size_t li = 0; li < sizeof(lies) / sizeof(lies[0]); li++) {
                char *buf = malloc(size);
                unsigned char *dst = malloc(size);
                uint32_t cons = bases[bi], prod = bases[bi] + lies[li];

                fill((unsigned char *)buf, size, 0x5a);
                fill(dst, size, 0xa5);
                CHECK(ring_read(buf, size, &cons, &prod, dst, size) == RING_ERR_INDEX,
                      "read: size %zu cons %#x prod %#x", size, cons, prod);
                CHECK(cons == bases[bi] && prod == bases[bi] + lies[li],
                      "read: indices moved on a lie");
                CHECK(all_are(dst, size, 0xa5), "read: dst written on a lie");
                CHECK(ring_used(size, &cons, &prod) == RING_ERR_INDEX, "used: lie accepted");

                /* The same numbers seen from the producer: cons claims too much. */
                CHECK(ring_write(buf, size, &cons, &prod, dst, size) == RING_ERR_INDEX,
                      "write: size %zu cons %#x prod %#x", size, cons, prod);
                CHECK(cons == bases[bi] && prod == bases[bi] + lies[li],
                      "write: indices moved on a lie");
                CHECK(all_are((unsigned char *)buf, size, 0x5a), "write: ring written on a lie");
                free(dst);
                free(buf);
            }
        }
    }
}

/* Exactly full, exactly empty, and zero-length calls. */
static void full_empty_zero(void)
{
    for (size_t si = 0; si < NSIZES; si++) {
        size_t size = sizes[si];

        for (size_t bi = 0; bi < NBASES; bi++) {
            char *buf = malloc(size);
            unsigned char *dst = malloc(size);
            uint32_t cons = bases[bi], prod = bases[bi];

            for (size_t i = 0; i < size; i++)
                buf[i] = (char)i;

            /* Empty. */
            CHECK(ring_read(buf, size, &cons, &prod, dst, size) == 0, "empty read");
            CHECK(ring_used(size, &cons, &prod) == 0, "empty used");
            CHECK(cons == bases[bi], "empty read moved cons");

            /* Zero-length calls on an empty ring; NULL buffers are fine with 0. */
            CHECK(ring_read(buf, size, &cons, &prod, NULL, 0) == 0, "zero read");
            CHECK(ring_write(buf, size, &cons, &prod, NULL, 0) == 0, "zero write");
            CHECK(cons == bases[bi] && prod == bases[bi], "zero-length calls moved an index");

            /* Full: a write takes nothing, a read gets all of it. */
            prod = cons + (uint32_t)size;
            CHECK(ring_used(size, &cons, &prod) == (long)size, "full used");
            CHECK(ring_write(buf, size, &cons, &prod, dst, 1) == 0, "write into a full ring");
            CHECK(prod == cons + (uint32_t)size, "full write moved prod");
            CHECK(ring_read(buf, size, &cons, &prod, NULL, 0) == 0, "zero read of a full ring");
            CHECK(cons == bases[bi], "zero read moved cons");
            CHECK(ring_read(buf, size, &cons, &prod, dst, size) == (long)size, "full read");
            CHECK(cons == prod, "full read: cons %#x prod %#x", cons, prod);
            for (size_t i = 0; i < size; i++) {
                size_t at = (bases[bi] + i) & (size - 1);

                CHECK(dst[i] == (unsigned char)at, "full read byte %zu", i);
            }
            free(dst);
            free(buf);
        }
    }
}

/*
 * For every start offset of the ring (and every length, on small rings),
 * from bases that cross 2^32: write len bytes, check where they landed and
 * that nothing else changed, read them back in two pieces.
 */
static void every_offset(void)
{
    for (size_t si = 0; si < NSIZES; si++) {
        size_t size = sizes[si];
        /* Below 2^32 by less than the ring: many of these writes straddle the wrap. */
        const uint32_t wrap_bases[] = {0, (uint32_t)0 - (uint32_t)size};

        for (size_t wb = 0; wb < 2; wb++) {
            for (size_t start = 0; start < size; start++) {
                size_t lens[] = {1, size / 2, size - 1 > 0 ? size - 1 : 1, size};
                size_t nlens = size <= 16 ? size : sizeof(lens) / sizeof(lens[0]);

                for (size_t li = 0; li < nlens; li++) {
                    size_t len = size <= 16 ? li + 1 : lens[li];

                    if (len == 0)
                        continue;

                    char *buf = malloc(size);
                    unsigned char *src = malloc(len);
                    unsigned char *dst = malloc(len);
                    uint32_t cons = wrap_bases[wb] + (uint32_t)start, prod = cons;

                    fill((unsigned char *)buf, size, 0xee);
                    for (size_t i = 0; i < len; i++)
                        src[i] = (unsigned char)(i * 7 + start + 1);

                    CHECK(ring_write(buf, size, &cons, &prod, src, len) == (long)len,
                          "write size %zu start %zu len %zu", size, start, len);
                    CHECK(prod == cons + (uint32_t)len, "prod advanced by len");
                    for (size_t i = 0; i < size; i++) {
                        size_t rel = (i - (cons & (size - 1))) & (size - 1);
                        unsigned char want = rel < len ? src[rel] : 0xee;

                        CHECK((unsigned char)buf[i] == want,
                              "size %zu start %zu len %zu: buf[%zu] = %#x, want %#x", size, start,
                              len, i, (unsigned char)buf[i], want);
                    }

                    /* Read back in two pieces; the second starts mid-ring. */
                    size_t part = len / 2;
                    unsigned char *dst2 = malloc(len - part > 0 ? len - part : 1);

                    CHECK(ring_read(buf, size, &cons, &prod, dst, part) == (long)part,
                          "first read");
                    CHECK(ring_read(buf, size, &cons, &prod, dst2, len - part) ==
                              (long)(len - part),
                          "second read");
                    CHECK(cons == prod, "all read");
                    CHECK(memcmp(dst, src, part) == 0 && memcmp(dst2, src + part, len - part) == 0,
                          "size %zu start %zu len %zu: read back differs", size, start, len);
                    free(dst2);
                    free(dst);
                    free(src);
                    free(buf);
                }
            }
        }
    }
}

/* A reader asks for more than there is, a writer offers more than fits. */
static void partial(void)
{
    size_t size = 16;
    char *buf = malloc(size);
    unsigned char src[40], dst[40];
    uint32_t cons = 0xfffffffau, prod = cons;

    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (unsigned char)i;
    CHECK(ring_write(buf, size, &cons, &prod, src, sizeof(src)) == 16, "write clipped to 16");
    CHECK(ring_write(buf, size, &cons, &prod, src, sizeof(src)) == 0, "then full");
    CHECK(ring_read(buf, size, &cons, &prod, dst, 5) == 5, "read 5");
    CHECK(ring_write(buf, size, &cons, &prod, src + 16, sizeof(src) - 16) == 5, "write 5 more");
    CHECK(ring_read(buf, size, &cons, &prod, dst + 5, sizeof(dst) - 5) == 16, "read the rest");
    CHECK(memcmp(dst, src, 21) == 0, "stream intact");
    CHECK(ring_read(buf, size, &cons, &prod, dst, sizeof(dst)) == 0, "then empty");
    free(buf);
}

/*
 * The reader never writes the ring, and the writer never touches the bytes
 * still unread: checked against copies, over random states.
 */
static void no_stray_writes(void)
{
    for (int round = 0; round < 20000; round++) {
        size_t size = sizes[unit_rand(&seed) % NSIZES];
        char *buf = malloc(size);
        char *copy = malloc(size);
        size_t max = unit_rand(&seed) % (size * 2 + 1);
        unsigned char *io = malloc(max ? max : 1);
        uint32_t cons = (uint32_t)unit_rand(&seed);
        uint32_t used = (uint32_t)(unit_rand(&seed) % (size + 1));
        uint32_t prod = cons + used;

        for (size_t i = 0; i < size; i++)
            buf[i] = (char)unit_rand(&seed);
        for (size_t i = 0; i < max; i++)
            io[i] = (unsigned char)unit_rand(&seed);
        memcpy(copy, buf, size);

        long n = ring_read(buf, size, &cons, &prod, io, max);
        size_t want = used < max ? used : max;

        CHECK(n == (long)want, "read %ld, want %zu", n, want);
        CHECK(memcmp(buf, copy, size) == 0, "reader wrote the ring");

        /* Now write: only the free part may change. */
        uint32_t c0 = cons, p0 = prod;

        n = ring_write(buf, size, &cons, &prod, io, max);
        size_t space = size - (p0 - c0);

        CHECK(n == (long)(space < max ? space : max), "write %ld", n);
        for (uint32_t k = c0; k != p0; k++)
            CHECK(buf[k & (size - 1)] == copy[k & (size - 1)], "writer overwrote unread byte");
        free(io);
        free(copy);
        free(buf);
    }
}

/* A long honest run in random chunks, against a FIFO model. */
static void random_stream(void)
{
    for (size_t si = 0; si < NSIZES; si++) {
        size_t size = sizes[si];
        char *buf = malloc(size);
        uint32_t cons = (uint32_t)0 - 3 * (uint32_t)size, prod = cons;
        unsigned char next_out = 0, next_in = 0;
        size_t in_flight = 0;

        for (int op = 0; op < 50000; op++) {
            size_t n = unit_rand(&seed) % (size + 3);
            unsigned char *tmp = malloc(n ? n : 1);

            if (unit_rand(&seed) & 1) {
                for (size_t i = 0; i < n; i++)
                    tmp[i] = (unsigned char)(next_out + i);
                long got = ring_write(buf, size, &cons, &prod, tmp, n);
                size_t want = size - in_flight < n ? size - in_flight : n;

                CHECK(got == (long)want, "size %zu: wrote %ld, want %zu", size, got, want);
                if (got > 0) {
                    next_out += (unsigned char)got;
                    in_flight += (size_t)got;
                }
            } else {
                long got = ring_read(buf, size, &cons, &prod, tmp, n);
                size_t want = in_flight < n ? in_flight : n;

                CHECK(got == (long)want, "size %zu: read %ld, want %zu", size, got, want);
                for (long i = 0; i < got; i++) {
                    CHECK(tmp[i] == next_in, "size %zu: stream byte wrong", size);
                    next_in++;
                }
                if (got > 0)
                    in_flight -= (size_t)got;
            }
            CHECK(prod - cons == in_flight, "indices disagree with the model");
            free(tmp);
        }
        free(buf);
    }
}

/* The typed wrappers reach the right halves of the real interface pages. */
static void wrappers(void)
{
    struct xencons_interface *con = calloc(1, sizeof(*con));
    struct xenstore_domain_interface *xs = calloc(1, sizeof(*xs));
    char out[4096];

    memset(out, 'x', sizeof(out));
    CHECK(xencons_write_out(con, out, sizeof(out)) == (long)sizeof(con->out), "console out");
    CHECK(con->out_prod == sizeof(con->out) && con->in_prod == 0, "console out index");
    con->in_prod = 3;
    memcpy(con->in, "abc", 3);
    CHECK(xencons_read_in(con, out, sizeof(out)) == 3 && memcmp(out, "abc", 3) == 0, "console in");
    CHECK(con->in_cons == 3, "console in index");
    con->in_prod = 3 + sizeof(con->in) + 1;
    CHECK(xencons_read_in(con, out, sizeof(out)) == RING_ERR_INDEX, "console in: lie");

    CHECK(xenstore_write_req(xs, out, sizeof(out)) == XENSTORE_RING_SIZE, "xenstore req");
    CHECK(xs->req_prod == XENSTORE_RING_SIZE && xs->rsp_prod == 0, "xenstore req index");
    xs->rsp_prod = 2;
    memcpy(xs->rsp, "ok", 2);
    CHECK(xenstore_read_rsp(xs, out, sizeof(out)) == 2 && memcmp(out, "ok", 2) == 0,
          "xenstore rsp");
    xs->req_cons = xs->req_prod + 1; /* the daemon claims to have read ahead of us */
    CHECK(xenstore_write_req(xs, out, 1) == RING_ERR_INDEX, "xenstore req: lie");
    free(xs);
    free(con);
}

int main(void)
{
    sizes_accepted();
    lying_indices();
    full_empty_zero();
    every_offset();
    partial();
    no_stray_writes();
    random_stream();
    wrappers();
    return unit_result("ring");
}
