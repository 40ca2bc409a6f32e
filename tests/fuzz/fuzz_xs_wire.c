/*
 * libFuzzer target for drivers/xenstore/xs_wire.c.  The input is byte 0 (a seed for how
 * to cut the stream) followed by a reply stream as xenstored would write it.
 *
 * The stream is parsed three ways: fed whole, fed in pieces of seeded random
 * sizes, and pulled through a real 1 KiB ring refilled in random pieces.  All
 * three must see the same messages and end the same way (the same framing
 * error, or none), every message must have a valid type, len within
 * XENSTORE_PAYLOAD_MAX and the NUL after its payload, and a broken parser
 * must take nothing more.  Each message is then run through every payload
 * helper, whose answers are checked against naive re-implementations; and
 * the input's strings are used to build requests, which must either fail
 * with a reason or parse back to exactly what went in.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/ring.h>
#include <kernel/xs_text.h>
#include "xs_wire.h"
#include "fuzz_input.h"

#define HDR      sizeof(struct xsd_sockmsg)
#define MAX_MSGS 64

/* What a parse run saw: a digest per message and how it ended. */
struct run {
    int count;
    struct xsd_sockmsg hdr[MAX_MSGS];
    uint64_t hash[MAX_MSGS];
    int end;         /* XS_PARSE_MORE, or the framing error */
    size_t consumed; /* stream bytes taken */
};

static uint64_t rng;

static uint64_t rand64(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
    return h;
}

/* ---- Naive references for the helpers ---- */

static int ref_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-_@", c));
}

/* Counts terminated strings, or -1 if the payload does not end in a NUL. */
static long ref_count_strings(const char *p, size_t len)
{
    long n = 0;

    if (len && p[len - 1])
        return -1;
    for (size_t i = 0; i < len; i++)
        n += p[i] == '\0';
    return n;
}

static void check_helpers(const struct xsd_sockmsg *m, const char *pl)
{
    size_t len = m->len;
    /* An exact copy, so a helper reading past len is caught by ASan. */
    char *p = malloc(len ? len : 1);

    memcpy(p, pl, len);

    /* Error strings: the result is a negative errno, EIO unless the bytes are a known name. */
    int e = xs_error_from_string(p, len);

    ASSERT(e < 0);
    if (m->type == XS_ERROR)
        ASSERT(xs_reply_errno(m, pl) == e);
    else
        ASSERT(xs_reply_errno(m, pl) == 0);

    /* String lists against a plain count. */
    const char *strs[8];
    long want = ref_count_strings(p, len);
    long n = xs_split_strings(p, len, strs, 8);

    ASSERT(want < 0 ? n == -XEN_EBADMSG : n == want);
    for (long i = 0; i < n && i < 8; i++) {
        ASSERT(strs[i] >= p && strs[i] < p + len);
        ASSERT(i == 0 || strs[i] == strs[i - 1] + strlen(strs[i - 1]) + 1);
    }

    /* Directories: a list whose every name is non-empty and made of name characters. */
    long d = xs_parse_directory(p, len, strs, 8);
    int ok = want >= 0;

    for (size_t i = 0, start = 0; ok && i < len; i++) {
        if (p[i] == '\0') {
            ok = i > start;
            start = i + 1;
        } else {
            ok = ref_name_char(p[i]);
        }
    }
    ASSERT(ok ? d == want : d == -XEN_EBADMSG);

    /* Watch events: exactly two strings, the first not empty. */
    const char *path, *token;
    int w = xs_parse_watch_event(p, len, &path, &token);

    ASSERT((w == 0) == (want == 2 && p[0] != '\0'));
    if (w == 0) {
        ASSERT(path == p && token == p + strlen(p) + 1);
        ASSERT(token + strlen(token) + 1 == p + len);
    }

    /* Numbers: digits (then at most one NUL), the value in 64 bits. */
    uint32_t v = 7;
    int u = xs_parse_u32(p, len, &v);
    size_t digits = len && p[len - 1] == '\0' ? len - 1 : len;
    int syntax = digits > 0;
    uint64_t val = 0;

    for (size_t i = 0; i < digits; i++) {
        if (p[i] < '0' || p[i] > '9')
            syntax = 0;
        else if (val <= UINT32_MAX)
            val = val * 10 + (uint64_t)(p[i] - '0');
    }
    if (!syntax)
        ASSERT(u == -XEN_EBADMSG && v == 7);
    else if (val > UINT32_MAX)
        ASSERT(u == -XEN_ERANGE && v == 7);
    else
        ASSERT(u == 0 && v == val);

    /* Matching: decided by id and type only. */
    int r = xs_reply_matches(m, m->req_id, m->type);

    ASSERT(r == (m->type == XS_WATCH_EVENT ? -XEN_EBADMSG : 0));
    if (m->type != XS_WATCH_EVENT)
        ASSERT(xs_reply_matches(m, m->req_id + 1, m->type) == -XEN_ESRCH);
    free(p);
}

static void record(struct run *run, struct xs_parser *p)
{
    const char *pl;
    const struct xsd_sockmsg *m = xs_parser_msg(p, &pl);

    ASSERT(m && pl);
    ASSERT(xs_type_valid(m->type) && m->len <= XENSTORE_PAYLOAD_MAX);
    ASSERT(pl[m->len] == '\0');
    if (run->count < MAX_MSGS) {
        run->hdr[run->count] = *m;
        run->hash[run->count] = fnv(pl, m->len);
    }
    run->count++;
}

/* After a framing error: nothing more is taken, the same error comes back. */
static void check_broken(struct xs_parser *p, int err, const uint8_t *s, size_t len)
{
    size_t used;
    void *dst;
    const char *pl;

    ASSERT(xs_parser_broken(p));
    ASSERT(xs_parser_feed(p, s, len, &used) == err && used == 0);
    ASSERT(xs_parser_space(p, &dst) == 0);
    ASSERT(xs_parser_msg(p, &pl) == NULL);
}

/* Feeds @s in pieces: all at once if @chunky is 0, else random sizes up to 300. */
static void parse_fed(const uint8_t *s, size_t len, int chunky, struct run *run)
{
    static struct xs_parser p;
    size_t at = 0;

    memset(run, 0, sizeof(*run));
    xs_parser_init(&p);
    run->end = XS_PARSE_MORE;
    while (at < len) {
        size_t n = chunky ? 1 + rand64() % 300 : len - at;

        if (n > len - at)
            n = len - at;

        /* An exact copy of the piece: the parser must not read past it. */
        uint8_t *piece = malloc(n);
        size_t off = 0;

        memcpy(piece, s + at, n);
        while (off < n) {
            size_t used;
            int rc = xs_parser_feed(&p, piece + off, n - off, &used);

            ASSERT(used <= n - off);
            off += used;
            if (rc < 0) {
                run->end = rc;
                run->consumed = at + off;
                check_broken(&p, rc, s, len);
                free(piece);
                return;
            }
            if (rc == XS_PARSE_MORE) {
                ASSERT(off == n);
                break;
            }
            record(run, &p);
            xs_parser_next(&p);
        }
        free(piece);
        at += n;
    }
    run->consumed = at;
}

/* The same through a 1 KiB ring that the "daemon" refills in random pieces. */
static void parse_ring(const uint8_t *s, size_t len, struct run *run)
{
    static struct xs_parser p;
    char *rsp = malloc(XENSTORE_RING_SIZE);
    uint32_t cons = (uint32_t)rand64(), prod = cons;
    size_t sent = 0;

    memset(run, 0, sizeof(*run));
    xs_parser_init(&p);
    run->end = XS_PARSE_MORE;
    for (;;) {
        size_t piece = 1 + rand64() % 1100;
        long w = ring_write(rsp, XENSTORE_RING_SIZE, &cons, &prod, s + sent,
                            len - sent < piece ? len - sent : piece);

        ASSERT(w >= 0);
        sent += (size_t)w;

        int rc;

        while ((rc = xs_parser_pull(&p, rsp, XENSTORE_RING_SIZE, &cons, &prod)) == XS_PARSE_DONE) {
            record(run, &p);
            xs_parser_next(&p);
        }
        if (rc < 0) {
            run->end = rc;
            run->consumed = sent - (prod - cons);
            check_broken(&p, rc, s, len);
            break;
        }
        /* MORE: the parser emptied the ring. */
        ASSERT(prod == cons);
        if (sent == len) {
            run->consumed = sent;
            break;
        }
    }

    /* Then the daemon lies about its index: the parser must break, taking nothing. */
    if (!xs_parser_broken(&p)) {
        uint32_t c0 = cons;

        prod = cons + XENSTORE_RING_SIZE + 1 + (uint32_t)(rand64() % 0x80000000u);
        ASSERT(xs_parser_pull(&p, rsp, XENSTORE_RING_SIZE, &cons, &prod) == RING_ERR_INDEX);
        ASSERT(cons == c0);
        check_broken(&p, RING_ERR_INDEX, s, len);
    }
    free(rsp);
}

static void same_runs(const struct run *a, const struct run *b)
{
    ASSERT(a->count == b->count);
    ASSERT(a->end == b->end);
    ASSERT(a->consumed == b->consumed);
    for (int i = 0; i < a->count && i < MAX_MSGS; i++) {
        ASSERT(memcmp(&a->hdr[i], &b->hdr[i], HDR) == 0);
        ASSERT(a->hash[i] == b->hash[i]);
    }
}

/* Helpers on every message of the stream, once. */
static void run_helpers(const uint8_t *s, size_t len)
{
    static struct xs_parser p;
    size_t at = 0, used;

    xs_parser_init(&p);
    while (at < len && xs_parser_feed(&p, s + at, len - at, &used) == XS_PARSE_DONE) {
        const char *pl;
        const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);

        check_helpers(m, pl);
        at += used;
        xs_parser_next(&p);
    }
}

/* A naive path check: the rules of xs_path_check() written another way. */
static int ref_path_ok(const char *path)
{
    size_t n = strlen(path);
    size_t max = path[0] == '/' ? XENSTORE_ABS_PATH_MAX : XENSTORE_REL_PATH_MAX;

    if (n == 0 || n > max || strstr(path, "//"))
        return 0;
    if (n > 1 && path[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (path[i] != '/' && !ref_name_char(path[i]))
            return 0;
    }
    return 1;
}

/* Requests from the input's bytes: a path, a token and a value. */
static void build_requests(const uint8_t *s, size_t len)
{
    static struct xs_parser p;
    char *path = malloc(len + 1), *token;
    char *buf = malloc(XS_MSG_MAX);
    size_t plen = strnlen((const char *)s, len);

    memcpy(path, s, plen);
    path[plen] = '\0';
    token = path; /* the same bytes again as a token: any string will do */

    const uint8_t *value = s + (plen < len ? plen + 1 : len);
    size_t vlen = (size_t)(s + len - value);
    uint32_t type = len ? s[len - 1] % (XS_TYPE_COUNT + 2) : XS_READ;
    struct xs_request r;

    xs_req_start(&r, buf, XS_MSG_MAX, type, 0x1234, 0x5678);
    xs_req_add_path(&r, path);
    if (type == XS_WATCH)
        xs_req_add_string(&r, token);
    else
        xs_req_add_bytes(&r, value, vlen);

    long total = xs_req_finish(&r);
    int type_ok = xs_type_valid(type) && type != XS_ERROR && type != XS_WATCH_EVENT;
    int path_ok = ref_path_ok(path);
    size_t payload = plen + 1 + (type == XS_WATCH ? plen + 1 : vlen);

    ASSERT(xs_path_check(path) == 0 ? path_ok : !path_ok);
    if (!type_ok || !path_ok) {
        ASSERT(total == -XEN_EINVAL || total == -XEN_ENAMETOOLONG);
    } else if (payload > XENSTORE_PAYLOAD_MAX) {
        ASSERT(total == -XEN_E2BIG);
    } else {
        size_t used;
        const char *pl;

        ASSERT(total == (long)(HDR + payload));
        xs_parser_init(&p);
        ASSERT(xs_parser_feed(&p, buf, (size_t)total, &used) == XS_PARSE_DONE);
        ASSERT(used == (size_t)total);

        const struct xsd_sockmsg *m = xs_parser_msg(&p, &pl);

        ASSERT(m->type == type && m->req_id == 0x1234 && m->tx_id == 0x5678);
        ASSERT(m->len == payload);
        ASSERT(memcmp(pl, path, plen + 1) == 0);
        if (type == XS_WATCH)
            ASSERT(memcmp(pl + plen + 1, token, plen + 1) == 0);
        else
            ASSERT(memcmp(pl + plen + 1, value, vlen) == 0);
    }
    free(buf);
    free(path);
}

/*
 * The input as a watch token: taken only if it is exactly the token of the
 * id it names (a token we never gave must not find a watch).
 */
static void check_token(const uint8_t *s, size_t len)
{
    char *t = malloc(len + 1), mine[XS_WATCH_TOKEN_MAX];

    memcpy(t, s, len);
    t[len] = '\0';
    uint32_t id = xs_watch_token_id(t);

    if (id) {
        xs_watch_token(id, mine);
        if (strcmp(mine, t) != 0) {
            fprintf(stderr, "token \"%s\" taken as watch %u, whose token is %s\n", t, id, mine);
            abort();
        }
    }
    free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;

    const uint8_t *s = data + 1;
    size_t slen = len - 1;
    struct run whole, chunks, ring;

    rng = 0x9e3779b97f4a7c15ULL * (data[0] + 1);
    parse_fed(s, slen, 0, &whole);
    parse_fed(s, slen, 1, &chunks);
    parse_ring(s, slen, &ring);
    same_runs(&whole, &chunks);
    same_runs(&whole, &ring);
    run_helpers(s, slen);
    build_requests(s, slen);
    check_token(s, slen);
    return 0;
}
