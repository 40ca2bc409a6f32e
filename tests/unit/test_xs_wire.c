/*
 * drivers/xenstore/xs_wire.c against a daemon that lies: request building and its
 * limits, the reply parser fed whole, byte by byte, split at every offset,
 * through a real ring and as random garbage; framing errors (oversized len,
 * unknown types) that must break the parser for good; and the payload
 * helpers (error strings, directory lists with and without their final NUL,
 * watch events, numbers, reply matching: test_xs_payload.c).  Inputs are malloc'ed at their
 * exact size, without any terminator we did not mean, so AddressSanitizer
 * catches a helper that reads past a payload.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/ring.h>
#include "xs_wire.h"
#include "unit.h"

#define HDR sizeof(struct xsd_sockmsg)

static unsigned long long seed = 5;

/* Appends a message to @out at *@at; returns its size. */
static size_t put_msg(unsigned char *out, size_t *at, uint32_t type, uint32_t req_id,
                      uint32_t tx_id, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = {.type = type, .req_id = req_id, .tx_id = tx_id, .len = len};

    memcpy(out + *at, &h, HDR);
    if (len)
        memcpy(out + *at + HDR, payload, len);
    *at += HDR + len;
    return HDR + len;
}

static void types(void)
{
    for (uint32_t t = 0; t < XS_TYPE_COUNT; t++)
        CHECK(xs_type_valid(t) == (t != XS_SET_TARGET + 1), "type %u", t);
    CHECK(xs_type_valid(XS_DIRECTORY_PART), "XS_DIRECTORY_PART");
    CHECK(!xs_type_valid(XS_TYPE_COUNT), "XS_TYPE_COUNT");
    CHECK(!xs_type_valid(XS_INVALID), "XS_INVALID");
    CHECK(!xs_type_valid(0x80000000u), "0x80000000");
    CHECK(!xs_type_valid(UINT32_MAX), "UINT32_MAX");
}

static void path_rules(void)
{
    static const struct {
        const char *path;
        int rc;
    } cases[] = {
        {"/", 0},
        {"/local/domain/0/name", 0},
        {"device/vif/0/state", 0},
        {"@releaseDomain", 0},
        {"a-b_c@d/9", 0},
        {"", -XEN_EINVAL},
        {"//", -XEN_EINVAL},
        {"/a//b", -XEN_EINVAL},
        {"/a/", -XEN_EINVAL},
        {"a/", -XEN_EINVAL},
        {"/a b", -XEN_EINVAL},
        {"/a.b", -XEN_EINVAL},
        {"/a\n", -XEN_EINVAL},
        {"/\xff", -XEN_EINVAL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = xs_path_check(cases[i].path);

        CHECK(rc == cases[i].rc, "path \"%s\": %d, want %d", cases[i].path, rc, cases[i].rc);
    }

    /* Lengths at and past each limit, in exact-size buffers (NUL included). */
    const struct {
        char first;
        size_t len;
        int rc;
    } lens[] = {
        {'/', XENSTORE_ABS_PATH_MAX, 0},
        {'/', XENSTORE_ABS_PATH_MAX + 1, -XEN_ENAMETOOLONG},
        {'/', 100000, -XEN_ENAMETOOLONG},
        {'a', XENSTORE_REL_PATH_MAX, 0},
        {'a', XENSTORE_REL_PATH_MAX + 1, -XEN_ENAMETOOLONG},
        {'a', XENSTORE_ABS_PATH_MAX + 5, -XEN_ENAMETOOLONG},
    };

    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        char *p = malloc(lens[i].len + 1);

        memset(p, 'x', lens[i].len);
        p[0] = lens[i].first;
        p[lens[i].len] = '\0';
        CHECK(xs_path_check(p) == lens[i].rc, "path of %zu bytes", lens[i].len);
        free(p);
    }

    /* An unterminated over-long path: only ABS_PATH_MAX + 1 bytes are looked at. */
    char *p = malloc(XENSTORE_ABS_PATH_MAX + 1);

    memset(p, 'a', XENSTORE_ABS_PATH_MAX + 1);
    p[0] = '/';
    CHECK(xs_path_check(p) == -XEN_ENAMETOOLONG, "unterminated path");
    free(p);
}

/* Builds a request into an exact-size buffer and checks every byte. */
static void requests(void)
{
    char *buf = malloc(XS_MSG_MAX);
    struct xs_request r;
    struct xsd_sockmsg h;

    xs_req_start(&r, buf, XS_MSG_MAX, XS_READ, 7, 3);
    xs_req_add_path(&r, "/local/domain/0/name");
    CHECK(xs_req_finish(&r) == (long)(HDR + 21), "READ length");
    memcpy(&h, buf, HDR);
    CHECK(h.type == XS_READ && h.req_id == 7 && h.tx_id == 3 && h.len == 21, "READ header");
    CHECK(memcmp(buf + HDR, "/local/domain/0/name", 21) == 0, "READ payload");

    /* WRITE: path NUL value, the value without a NUL. */
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 8, 0);
    xs_req_add_path(&r, "data/x");
    xs_req_add_bytes(&r, "v\0w", 3);
    CHECK(xs_req_finish(&r) == (long)(HDR + 10), "WRITE length");
    CHECK(memcmp(buf + HDR, "data/x\0v\0w", 10) == 0, "WRITE payload");

    /* WATCH: path NUL token NUL.  TRANSACTION_START: one empty string. */
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WATCH, 9, 0);
    xs_req_add_path(&r, "@introduceDomain");
    xs_req_add_string(&r, "tok 1");
    CHECK(xs_req_finish(&r) == (long)(HDR + 23), "WATCH length");
    CHECK(memcmp(buf + HDR, "@introduceDomain\0tok 1\0", 23) == 0, "WATCH payload");
    xs_req_start(&r, buf, XS_MSG_MAX, XS_TRANSACTION_START, 10, 0);
    xs_req_add_string(&r, "");
    CHECK(xs_req_finish(&r) == (long)(HDR + 1) && buf[HDR] == '\0', "TRANSACTION_START");

    /* Types that are never requests. */
    const uint32_t bad_types[] = {XS_ERROR, XS_WATCH_EVENT, XS_SET_TARGET + 1, XS_TYPE_COUNT,
                                  XS_INVALID};

    for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
        memset(buf, 0x77, HDR);
        xs_req_start(&r, buf, XS_MSG_MAX, bad_types[i], 1, 0);
        xs_req_add_string(&r, "x");
        CHECK(xs_req_finish(&r) == -XEN_EINVAL, "type %u accepted", bad_types[i]);
        CHECK((unsigned char)buf[0] == 0x77, "type %u: buffer written", bad_types[i]);
    }

    /* Sticky errors: a bad path spoils the request, later pieces are not added. */
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 1, 0);
    xs_req_add_path(&r, "/bad path");
    xs_req_add_path(&r, "/good");
    xs_req_add_bytes(&r, "v", 1);
    CHECK(xs_req_finish(&r) == -XEN_EINVAL && r.len == 0, "sticky path error");

    /* Empty pieces are fine, even without a buffer. */
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 1, 0);
    xs_req_add_path(&r, "/e");
    xs_req_add_bytes(&r, NULL, 0);
    CHECK(xs_req_finish(&r) == (long)(HDR + 3), "empty value");

    /* The largest payload fits exactly; one byte more is E2BIG. */
    char *big = malloc(XENSTORE_PAYLOAD_MAX + 1);

    memset(big, 'v', XENSTORE_PAYLOAD_MAX + 1);
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 1, 0);
    xs_req_add_path(&r, "/p");
    xs_req_add_bytes(&r, big, XENSTORE_PAYLOAD_MAX - 3);
    CHECK(xs_req_finish(&r) == (long)XS_MSG_MAX, "largest request");
    xs_req_add_bytes(&r, big, 1);
    CHECK(xs_req_finish(&r) == -XEN_E2BIG, "one byte over");
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 1, 0);
    xs_req_add_bytes(&r, big, XENSTORE_PAYLOAD_MAX + 1);
    CHECK(xs_req_finish(&r) == -XEN_E2BIG, "raw bytes over");

    /* A string of PAYLOAD_MAX bytes, unterminated: too long with its NUL, never over-read. */
    xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, 1, 0);
    xs_req_add_string(&r, big);
    CHECK(xs_req_finish(&r) == -XEN_E2BIG, "string over");
    free(big);
    free(buf);

    /* Buffers too small: for the header, and for the payload by one byte. */
    char *small = malloc(HDR - 1);

    xs_req_start(&r, small, HDR - 1, XS_READ, 1, 0);
    xs_req_add_path(&r, "/a");
    CHECK(xs_req_finish(&r) == -XEN_ENOBUFS, "buffer below header");
    free(small);
    small = malloc(HDR + 3);
    xs_req_start(&r, small, HDR + 3, XS_READ, 1, 0);
    xs_req_add_path(&r, "/a");
    CHECK(xs_req_finish(&r) == (long)(HDR + 3), "exact buffer");
    xs_req_start(&r, small, HDR + 3, XS_READ, 1, 0);
    xs_req_add_path(&r, "/ab");
    CHECK(xs_req_finish(&r) == -XEN_ENOBUFS, "buffer one short");
    free(small);
}

/* Feeds @len bytes in chunks of at most @chunk; collects messages in order. */
struct got {
    int count;
    uint32_t type[64], req_id[64], len[64];
    char payload[64][64];
    int end; /* last result: MORE, or the error */
};

static void feed_all(const unsigned char *s, size_t len, size_t chunk, struct got *g)
{
    static struct xs_parser p;
    size_t at = 0;

    memset(g, 0, sizeof(*g));
    xs_parser_init(&p);
    g->end = XS_PARSE_MORE;
    while (at < len) {
        size_t n = len - at < chunk ? len - at : chunk;
        unsigned char *piece = malloc(n); /* exact: the parser may not read past it */
        size_t off = 0;

        memcpy(piece, s + at, n);
        while (off < n) {
            size_t used;
            int rc = xs_parser_feed(&p, piece + off, n - off, &used);

            off += used;
            if (rc < 0) {
                g->end = rc;
                free(piece);
                return;
            }
            if (rc == XS_PARSE_DONE) {
                const char *pl;
                const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);

                if (g->count < 64) {
                    g->type[g->count] = m->type;
                    g->req_id[g->count] = m->req_id;
                    g->len[g->count] = m->len;
                    memcpy(g->payload[g->count], pl, m->len < 63 ? m->len + 1 : 64);
                }
                g->count++;
                xs_parser_next(&p);
            } else {
                CHECK(off == n, "MORE with bytes left over");
            }
        }
        free(piece);
        at += n;
    }
}

static void parser_basics(void)
{
    unsigned char s[512];
    size_t len = 0;

    put_msg(s, &len, XS_READ, 1, 0, "abc", 3); /* a READ value has no NUL */
    put_msg(s, &len, XS_DIRECTORY, 2, 0, "a\0b\0", 4);
    put_msg(s, &len, XS_WRITE, 3, 0, "OK", 3);
    put_msg(s, &len, XS_ERROR, 4, 0, "ENOENT", 7);
    put_msg(s, &len, XS_WATCH_EVENT, 0, 0, "/a\0tok", 7);
    put_msg(s, &len, XS_TRANSACTION_END, 5, 9, "", 0);

    /* Every chunk size from 1 byte (header split everywhere) to all at once. */
    for (size_t chunk = 1; chunk <= len; chunk++) {
        struct got g;

        feed_all(s, len, chunk, &g);
        CHECK(g.count == 6 && g.end == XS_PARSE_MORE, "chunk %zu: %d messages, end %d", chunk,
              g.count, g.end);
        if (g.count != 6)
            continue;
        CHECK(g.type[0] == XS_READ && g.len[0] == 3 && strcmp(g.payload[0], "abc") == 0,
              "chunk %zu: READ", chunk);
        CHECK(g.type[1] == XS_DIRECTORY && memcmp(g.payload[1], "a\0b\0", 5) == 0, "DIRECTORY");
        CHECK(g.type[3] == XS_ERROR && g.req_id[3] == 4, "ERROR");
        CHECK(g.type[4] == XS_WATCH_EVENT && g.len[4] == 7, "WATCH_EVENT");
        CHECK(g.type[5] == XS_TRANSACTION_END && g.len[5] == 0 && g.payload[5][0] == '\0',
              "empty payload");
    }

    /* Split in two at every offset. */
    for (size_t cut = 0; cut <= len; cut++) {
        static struct xs_parser p;
        int msgs = 0;
        size_t used, at = 0;

        xs_parser_init(&p);
        for (int piece = 0; piece < 2; piece++) {
            size_t end = piece == 0 ? cut : len;

            while (at < end) {
                int rc = xs_parser_feed(&p, s + at, end - at, &used);

                at += used;
                CHECK(rc >= 0, "cut %zu: error %d", cut, rc);
                if (rc != XS_PARSE_DONE)
                    break;
                msgs++;
                xs_parser_next(&p);
            }
        }
        CHECK(msgs == 6 && at == len, "cut %zu: %d messages", cut, msgs);
    }

    /* A truncated header is not a message. */
    static struct xs_parser p;
    size_t used;
    const char *pl;

    xs_parser_init(&p);
    CHECK(xs_parser_feed(&p, s, HDR - 1, &used) == XS_PARSE_MORE && used == HDR - 1,
          "truncated header");
    CHECK(xs_parser_msg(&p, &pl) == NULL && pl == NULL, "no message from half a header");
    CHECK(xs_parser_feed(&p, s + HDR - 1, 1 + 2, &used) == XS_PARSE_MORE && used == 3,
          "truncated payload");
    CHECK(xs_parser_feed(&p, s + HDR + 2, 100, &used) == XS_PARSE_DONE && used == 1,
          "takes only what the message needs");

    /* Feed after DONE takes nothing until next(). */
    CHECK(xs_parser_feed(&p, s, 10, &used) == XS_PARSE_DONE && used == 0, "feed after DONE");
    void *dst;
    CHECK(xs_parser_space(&p, &dst) == 0 && dst == NULL, "no space after DONE");
    CHECK(xs_parser_commit(&p, 1) == -XEN_EINVAL && xs_parser_broken(&p), "commit after DONE");
}

/* Headers that cannot be right break the parser, for good. */
static void parser_framing_errors(void)
{
    static struct xs_parser p;
    const struct {
        uint32_t type, len;
        int rc;
    } cases[] = {
        {XS_READ, XENSTORE_PAYLOAD_MAX + 1, -XEN_EMSGSIZE},
        {XS_READ, 0xffffffffu, -XEN_EMSGSIZE},
        {XS_READ, 0x80000000u, -XEN_EMSGSIZE},
        {XS_SET_TARGET + 1, 0, -XEN_EBADMSG},
        {XS_TYPE_COUNT, 4, -XEN_EBADMSG},
        {XS_INVALID, 0, -XEN_EBADMSG},
        {0xdeadbeefu, 10, -XEN_EBADMSG},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char s[HDR + 8];
        size_t len = 0, used;
        struct xsd_sockmsg h = {.type = cases[i].type, .req_id = 1, .len = cases[i].len};

        memcpy(s, &h, HDR);
        len = HDR;
        memset(s + len, 'x', 8);
        xs_parser_init(&p);
        CHECK(xs_parser_feed(&p, s, sizeof(s), &used) == cases[i].rc && used == HDR,
              "case %zu: rc or used wrong", i);
        CHECK(xs_parser_broken(&p), "case %zu: not broken", i);
        /* Sticky: nothing more is taken, the same error comes back. */
        CHECK(xs_parser_feed(&p, s + HDR, 8, &used) == cases[i].rc && used == 0,
              "case %zu: not sticky", i);
        void *dst;
        const char *pl;
        CHECK(xs_parser_space(&p, &dst) == 0, "case %zu: space when broken", i);
        CHECK(xs_parser_commit(&p, 0) == cases[i].rc, "case %zu: commit when broken", i);
        CHECK(xs_parser_msg(&p, &pl) == NULL, "case %zu: message when broken", i);
        xs_parser_next(&p);
        CHECK(xs_parser_broken(&p), "case %zu: next() repaired it", i);
        (void)len;
    }

    /* The largest payload is fine, and init() is the way back after a break. */
    unsigned char *s = malloc(HDR + XENSTORE_PAYLOAD_MAX);
    size_t len = 0, used;
    char *big = malloc(XENSTORE_PAYLOAD_MAX);

    memset(big, 'q', XENSTORE_PAYLOAD_MAX);
    put_msg(s, &len, XS_READ, 1, 0, big, XENSTORE_PAYLOAD_MAX);
    xs_parser_init(&p);
    CHECK(xs_parser_feed(&p, s, len, &used) == XS_PARSE_DONE && used == len, "largest payload");
    const char *pl;
    CHECK(xs_parser_msg(&p, &pl) && pl[XENSTORE_PAYLOAD_MAX] == '\0', "terminated after payload");
    free(big);
    free(s);

    /* Committing more than was asked for is our bug, and fatal too. */
    void *dst;
    xs_parser_init(&p);
    CHECK(xs_parser_space(&p, &dst) == HDR, "wants a header");
    CHECK(xs_parser_commit(&p, HDR + 1) == -XEN_EINVAL && xs_parser_broken(&p), "over-commit");
}

/* Messages through a real 1 KiB ring, including ones bigger than the ring. */
static void parser_ring(void)
{
    static struct xs_parser p;
    char *rsp = malloc(XENSTORE_RING_SIZE);
    uint32_t cons = 0xfffffe00u, prod = cons; /* crosses 2^32 on the way */
    unsigned char *stream = malloc(4 * (HDR + XENSTORE_PAYLOAD_MAX));
    size_t len = 0, sent = 0;
    char *big = malloc(XENSTORE_PAYLOAD_MAX);
    int msgs = 0, rounds = 0;

    for (size_t i = 0; i < XENSTORE_PAYLOAD_MAX; i++)
        big[i] = (char)('a' + i % 26);
    put_msg(stream, &len, XS_READ, 1, 0, big, XENSTORE_PAYLOAD_MAX);
    put_msg(stream, &len, XS_WATCH_EVENT, 0, 0, "/x\0t\0", 5);
    put_msg(stream, &len, XS_READ, 2, 0, big, 1500);
    put_msg(stream, &len, XS_ERROR, 3, 0, "EAGAIN", 7);

    xs_parser_init(&p);
    while (msgs < 4 && rounds++ < 1000) {
        /* The daemon refills what it can, in odd-sized pieces. */
        size_t piece = 1 + unit_rand(&seed) % 700;
        long w = ring_write(rsp, XENSTORE_RING_SIZE, &cons, &prod, stream + sent,
                            len - sent < piece ? len - sent : piece);

        CHECK(w >= 0, "ring_write %ld", w);
        sent += (size_t)w;

        int rc;

        while ((rc = xs_parser_pull(&p, rsp, XENSTORE_RING_SIZE, &cons, &prod)) == XS_PARSE_DONE) {
            const char *pl;
            const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);
            static const uint32_t want_type[] = {XS_READ, XS_WATCH_EVENT, XS_READ, XS_ERROR};
            static const uint32_t want_len[] = {XENSTORE_PAYLOAD_MAX, 5, 1500, 7};

            CHECK(m->type == want_type[msgs] && m->len == want_len[msgs], "message %d", msgs);
            if (m->type == XS_READ)
                CHECK(memcmp(pl, big, m->len) == 0 && pl[m->len] == '\0', "READ %d data", msgs);
            if (m->type == XS_ERROR)
                CHECK(xs_reply_errno(m, pl) == -XEN_EAGAIN, "EAGAIN through the ring");
            /* Only this message was taken: the rest of the stream is still in the ring. */
            size_t consumed = 0;
            for (int k = 0; k <= msgs; k++)
                consumed += HDR + want_len[k];
            CHECK(sent - (prod - cons) == consumed, "message %d: took %u bytes too many", msgs,
                  (unsigned)(sent - (prod - cons) - consumed));
            msgs++;
            xs_parser_next(&p);
        }
        CHECK(rc == XS_PARSE_MORE, "pull: %d", rc);
    }
    CHECK(msgs == 4 && sent == len, "ring: %d messages, %zu of %zu bytes", msgs, sent, len);

    /* The daemon lies about its index: the parser breaks with the ring's error. */
    xs_parser_init(&p);
    prod = cons + XENSTORE_RING_SIZE + 1;
    CHECK(xs_parser_pull(&p, rsp, XENSTORE_RING_SIZE, &cons, &prod) == RING_ERR_INDEX,
          "lying index");
    CHECK(xs_parser_broken(&p), "broken after a lying index");
    prod = cons;
    CHECK(xs_parser_pull(&p, rsp, XENSTORE_RING_SIZE, &cons, &prod) == RING_ERR_INDEX,
          "still broken");
    free(big);
    free(stream);
    free(rsp);
}

/* A request built by xs_req_* parses back unchanged. */
static void round_trip(void)
{
    static struct xs_parser p;
    char *buf = malloc(XS_MSG_MAX);

    for (int round = 0; round < 2000; round++) {
        struct xs_request r;
        uint32_t req_id = (uint32_t)unit_rand(&seed), tx_id = (uint32_t)unit_rand(&seed);
        size_t vlen = unit_rand(&seed) % (XENSTORE_PAYLOAD_MAX + 1);
        char *v = malloc(vlen ? vlen : 1);

        for (size_t i = 0; i < vlen; i++)
            v[i] = (char)unit_rand(&seed);
        xs_req_start(&r, buf, XS_MSG_MAX, XS_WRITE, req_id, tx_id);
        xs_req_add_path(&r, "/r");
        xs_req_add_bytes(&r, v, vlen);

        long total = xs_req_finish(&r);
        size_t used;

        if (vlen + 3 > XENSTORE_PAYLOAD_MAX) {
            CHECK(total == -XEN_E2BIG, "vlen %zu: %ld", vlen, total);
            free(v);
            continue;
        }
        CHECK(total == (long)(HDR + 3 + vlen), "vlen %zu: %ld", vlen, total);
        xs_parser_init(&p);
        CHECK(xs_parser_feed(&p, buf, (size_t)total, &used) == XS_PARSE_DONE &&
                  used == (size_t)total,
              "round trip parse");

        const char *pl;
        const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);

        CHECK(m && m->type == XS_WRITE && m->req_id == req_id && m->tx_id == tx_id &&
                  m->len == 3 + vlen && memcmp(pl, "/r", 3) == 0 && memcmp(pl + 3, v, vlen) == 0,
              "round trip content");
        free(v);
    }
    free(buf);
}

/* Random bytes in random chunks: ends, stays in bounds, breaks for good. */
static void garbage(void)
{
    static struct xs_parser p;

    for (int round = 0; round < 20000; round++) {
        size_t len = unit_rand(&seed) % 300;
        unsigned char *s = malloc(len ? len : 1);
        size_t at = 0;
        int broken = 0;

        for (size_t i = 0; i < len; i++)
            s[i] = (unsigned char)unit_rand(&seed);
        /* Often make it look nearly right, to get past the header checks. */
        if (len >= HDR && (round & 1)) {
            struct xsd_sockmsg h;

            memcpy(&h, s, HDR);
            h.type %= XS_TYPE_COUNT + 1;
            h.len %= 64;
            memcpy(s, &h, HDR);
        }
        xs_parser_init(&p);
        for (int steps = 0; at < len; steps++) {
            size_t n = 1 + unit_rand(&seed) % 40, used;

            n = n < len - at ? n : len - at;

            int rc = xs_parser_feed(&p, s + at, n, &used);

            CHECK(used <= n, "used %zu of %zu", used, n);
            CHECK(steps < 10000, "no progress");
            if (steps >= 10000)
                break;
            at += used;
            if (rc < 0) {
                CHECK(xs_parser_broken(&p) && used <= HDR, "error without break");
                broken = 1;
                break;
            }
            if (rc == XS_PARSE_DONE) {
                const char *pl;
                const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);

                CHECK(xs_type_valid(m->type) && m->len <= XENSTORE_PAYLOAD_MAX,
                      "bad message passed");
                CHECK(pl[m->len] == '\0', "payload not terminated");
                xs_parser_next(&p);
            }
        }
        if (broken) {
            size_t used;

            CHECK(xs_parser_feed(&p, s, len, &used) < 0 && used == 0, "broken parser took bytes");
        }
        free(s);
    }
}

int main(void)
{
    types();
    path_rules();
    requests();
    parser_basics();
    parser_framing_errors();
    parser_ring();
    round_trip();
    garbage();
    return unit_result("xs_wire");
}
