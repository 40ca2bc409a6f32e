/*
 * xenstore's wire protocol: request building, the incremental reply parser
 * and the payload helpers (kernel/xs_wire.h has the API and the failure
 * design).  Everything that comes from xenstored is bounded by a length we
 * checked ourselves, never by a NUL or a count the daemon supplied.
 *
 * The error table: <xen/io/xs_wire.h> only defines xsd_errors[] when the
 * includer has errno names, and fills it with whatever numbers those names
 * have.  We give it Xen's numbers (the kernel's errno space) by defining the
 * sixteen names it uses before including it, first of all headers so that
 * nothing else can have included it without them.
 */
#include <stdint.h>
#include <xen/errno.h>

#if defined(EINVAL) || defined(ENOENT)
#error "host errno names leaked in: xsd_errors[] must be built with Xen's numbers"
#endif
#define EINVAL    XEN_EINVAL
#define EACCES    XEN_EACCES
#define EEXIST    XEN_EEXIST
#define EISDIR    XEN_EISDIR
#define ENOENT    XEN_ENOENT
#define ENOMEM    XEN_ENOMEM
#define ENOSPC    XEN_ENOSPC
#define EIO       XEN_EIO
#define ENOTEMPTY XEN_ENOTEMPTY
#define ENOSYS    XEN_ENOSYS
#define EROFS     XEN_EROFS
#define EBUSY     XEN_EBUSY
#define EAGAIN    XEN_EAGAIN
#define EISCONN   XEN_EISCONN
#define E2BIG     XEN_E2BIG
#define EPERM     XEN_EPERM
#include <xen/io/xs_wire.h>

#include <kernel/ring.h>
#include <kernel/string.h>
#include "xs_wire.h"

#define HDR_SIZE sizeof(struct xsd_sockmsg)

enum parser_state { P_HEADER, P_PAYLOAD, P_DONE, P_BROKEN };

bool xs_type_valid(uint32_t type)
{
    /* The slot after XS_SET_TARGET was XS_RESTRICT, since removed. */
    return type < XS_TYPE_COUNT && type != XS_SET_TARGET + 1;
}

/* A byte of a node name: xenstored's character set, without the separator. */
static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '@';
}

int xs_path_check(const char *path)
{
    size_t n = strnlen(path, XENSTORE_ABS_PATH_MAX + 1);

    if (n == 0)
        return -XEN_EINVAL;
    if (n > (path[0] == '/' ? XENSTORE_ABS_PATH_MAX : XENSTORE_REL_PATH_MAX))
        return -XEN_ENAMETOOLONG;
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '/') {
            if (i > 0 && path[i - 1] == '/')
                return -XEN_EINVAL;
        } else if (!name_char(path[i])) {
            return -XEN_EINVAL;
        }
    }
    if (n > 1 && path[n - 1] == '/')
        return -XEN_EINVAL;
    return 0;
}

/* ---- Requests ----------------------------------------------------------- */

void xs_req_start(struct xs_request *r, void *buf, size_t cap, uint32_t type, uint32_t req_id,
                  uint32_t tx_id)
{
    r->buf = buf;
    r->cap = cap;
    r->len = 0;
    r->error = 0;
    if (!xs_type_valid(type) || type == XS_ERROR || type == XS_WATCH_EVENT) {
        r->error = -XEN_EINVAL;
    } else if (cap < HDR_SIZE) {
        r->error = -XEN_ENOBUFS;
    } else {
        struct xsd_sockmsg hdr = {.type = type, .req_id = req_id, .tx_id = tx_id, .len = 0};

        /* The buffer need not be aligned for the header. */
        memcpy(r->buf, &hdr, HDR_SIZE);
    }
}

/* Checks that @n more payload bytes fit, recording the error if not. */
static bool reserve(struct xs_request *r, size_t n)
{
    if (r->error)
        return false;
    if (n > XENSTORE_PAYLOAD_MAX - r->len) {
        r->error = -XEN_E2BIG;
        return false;
    }
    if (n > r->cap - HDR_SIZE - r->len) {
        r->error = -XEN_ENOBUFS;
        return false;
    }
    return true;
}

void xs_req_add_bytes(struct xs_request *r, const void *data, size_t len)
{
    /* memcpy() may not be given a NULL @data, even for 0 bytes. */
    if (!reserve(r, len) || len == 0)
        return;
    memcpy(r->buf + HDR_SIZE + r->len, data, len);
    r->len += len;
}

void xs_req_add_string(struct xs_request *r, const char *s)
{
    if (r->error)
        return;

    /* Anything longer cannot fit with its NUL: no need to measure further. */
    size_t n = strnlen(s, XENSTORE_PAYLOAD_MAX);

    if (!reserve(r, n + 1))
        return;
    memcpy(r->buf + HDR_SIZE + r->len, s, n);
    r->buf[HDR_SIZE + r->len + n] = '\0';
    r->len += n + 1;
}

void xs_req_add_path(struct xs_request *r, const char *path)
{
    if (r->error)
        return;

    int rc = xs_path_check(path);

    if (rc) {
        r->error = rc;
        return;
    }
    xs_req_add_string(r, path);
}

long xs_req_finish(struct xs_request *r)
{
    if (r->error)
        return r->error;

    uint32_t len = (uint32_t)r->len;

    memcpy(r->buf + offsetof(struct xsd_sockmsg, len), &len, sizeof(len));
    return (long)(HDR_SIZE + r->len);
}

/* ---- The reply stream --------------------------------------------------- */

void xs_parser_init(struct xs_parser *p)
{
    memset(&p->hdr, 0, sizeof(p->hdr));
    p->payload[0] = '\0';
    p->have = 0;
    p->state = P_HEADER;
    p->error = 0;
}

static int parser_break(struct xs_parser *p, int error)
{
    p->state = P_BROKEN;
    p->error = error;
    return error;
}

static int parser_status(const struct xs_parser *p)
{
    if (p->state == P_BROKEN)
        return p->error;
    return p->state == P_DONE ? XS_PARSE_DONE : XS_PARSE_MORE;
}

size_t xs_parser_space(struct xs_parser *p, void **dst)
{
    switch (p->state) {
    case P_HEADER:
        *dst = (char *)&p->hdr + p->have;
        return HDR_SIZE - p->have;
    case P_PAYLOAD:
        *dst = p->payload + p->have;
        return p->hdr.len - p->have;
    default:
        *dst = NULL;
        return 0;
    }
}

int xs_parser_commit(struct xs_parser *p, size_t n)
{
    void *dst;
    size_t want = xs_parser_space(p, &dst);

    if (p->state == P_BROKEN || n == 0)
        return parser_status(p);
    if (n > want)
        return parser_break(p, -XEN_EINVAL);

    p->have += (uint32_t)n;
    if (p->state == P_HEADER) {
        if (p->have < HDR_SIZE)
            return XS_PARSE_MORE;
        /*
         * The header is now in our memory and is checked once, here: len
         * bounds every later access to the payload.
         */
        if (p->hdr.len > XENSTORE_PAYLOAD_MAX)
            return parser_break(p, -XEN_EMSGSIZE);
        if (!xs_type_valid(p->hdr.type))
            return parser_break(p, -XEN_EBADMSG);
        p->state = P_PAYLOAD;
        p->have = 0;
    }
    /* Also reached straight from the header when len is 0. */
    if (p->have < p->hdr.len)
        return XS_PARSE_MORE;
    p->payload[p->hdr.len] = '\0';
    p->state = P_DONE;
    return XS_PARSE_DONE;
}

int xs_parser_feed(struct xs_parser *p, const void *data, size_t len, size_t *used)
{
    *used = 0;
    /* At most two rounds, header then payload: each takes at least one byte. */
    for (;;) {
        void *dst;
        size_t want = xs_parser_space(p, &dst);
        size_t n = want < len - *used ? want : len - *used;

        if (n == 0)
            return parser_status(p);
        memcpy(dst, (const char *)data + *used, n);
        *used += n;

        int rc = xs_parser_commit(p, n);

        if (rc != XS_PARSE_MORE)
            return rc;
    }
}

int xs_parser_pull(struct xs_parser *p, const volatile char *rsp, size_t size,
                   volatile uint32_t *rsp_cons, const volatile uint32_t *rsp_prod)
{
    /*
     * Each round takes at least one byte and never more than the current
     * message needs, so this ends after at most one message (HDR_SIZE +
     * XENSTORE_PAYLOAD_MAX bytes), however fast the peer refills the ring.
     */
    for (;;) {
        void *dst;
        size_t want = xs_parser_space(p, &dst);

        if (want == 0)
            return parser_status(p);

        long n = ring_read(rsp, size, rsp_cons, rsp_prod, dst, want);

        if (n < 0)
            return parser_break(p, (int)n);
        if (n == 0)
            return XS_PARSE_MORE;

        int rc = xs_parser_commit(p, (size_t)n);

        if (rc != XS_PARSE_MORE)
            return rc;
    }
}

const struct xsd_sockmsg *xs_parser_msg(const struct xs_parser *p, const char **payload)
{
    if (p->state != P_DONE) {
        *payload = NULL;
        return NULL;
    }
    *payload = p->payload;
    return &p->hdr;
}

void xs_parser_next(struct xs_parser *p)
{
    if (p->state != P_DONE)
        return;
    p->state = P_HEADER;
    p->have = 0;
}

bool xs_parser_broken(const struct xs_parser *p)
{
    return p->state == P_BROKEN;
}

/* ---- Payloads ------------------------------------------------------------ */

int xs_reply_matches(const struct xsd_sockmsg *reply, uint32_t req_id, uint32_t req_type)
{
    if (reply->type == XS_WATCH_EVENT)
        return -XEN_EBADMSG;
    if (reply->req_id != req_id)
        return -XEN_ESRCH;
    if (reply->type != req_type && reply->type != XS_ERROR)
        return -XEN_EBADMSG;
    return 0;
}

int xs_error_from_string(const char *s, size_t len)
{
    if (len == 0)
        return -XEN_EIO;

    const char *nul = memchr(s, '\0', len);
    size_t n = len;

    if (nul) {
        /* One terminating NUL is expected; anything after it is not an error name. */
        if ((size_t)(nul - s) != len - 1)
            return -XEN_EIO;
        n = len - 1;
    }
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        const char *name = xsd_errors[i].errstring;

        if (strlen(name) == n && memcmp(name, s, n) == 0)
            return -xsd_errors[i].errnum;
    }
    return -XEN_EIO;
}

int xs_reply_errno(const struct xsd_sockmsg *hdr, const char *payload)
{
    if (hdr->type != XS_ERROR)
        return 0;
    return xs_error_from_string(payload, hdr->len);
}

int xs_next_string(const char *payload, size_t len, size_t *pos, const char **str)
{
    if (*pos >= len)
        return 0;

    const char *nul = memchr(payload + *pos, '\0', len - *pos);

    if (!nul)
        return -XEN_EBADMSG;
    *str = payload + *pos;
    *pos = (size_t)(nul - payload) + 1;
    return 1;
}

long xs_split_strings(const char *payload, size_t len, const char **strs, size_t max)
{
    /* Checked up front, so that no partial list is ever stored. */
    if (len > 0 && payload[len - 1] != '\0')
        return -XEN_EBADMSG;

    size_t pos = 0;
    long count = 0;
    const char *s;

    while (xs_next_string(payload, len, &pos, &s) > 0) {
        if ((size_t)count < max)
            strs[count] = s;
        count++;
    }
    return count;
}

long xs_parse_directory(const char *payload, size_t len, const char **names, size_t max)
{
    long count = xs_split_strings(payload, len, names, max);

    if (count < 0)
        return count;

    /* Every name is checked, not only the ones that fitted in @names. */
    size_t pos = 0;
    const char *s;

    while (xs_next_string(payload, len, &pos, &s) > 0) {
        if (*s == '\0')
            return -XEN_EBADMSG;
        for (; *s; s++) {
            if (!name_char(*s))
                return -XEN_EBADMSG;
        }
    }
    return count;
}

int xs_parse_watch_event(const char *payload, size_t len, const char **path, const char **token)
{
    size_t pos = 0;
    const char *p, *t, *extra;

    if (xs_next_string(payload, len, &pos, &p) != 1 || *p == '\0')
        return -XEN_EBADMSG;
    if (xs_next_string(payload, len, &pos, &t) != 1)
        return -XEN_EBADMSG;
    if (xs_next_string(payload, len, &pos, &extra) != 0)
        return -XEN_EBADMSG;
    *path = p;
    *token = t;
    return 0;
}

int xs_parse_u32(const char *payload, size_t len, uint32_t *out)
{
    size_t n = len;

    if (n > 0 && payload[n - 1] == '\0')
        n--;
    if (n == 0)
        return -XEN_EBADMSG;
    for (size_t i = 0; i < n; i++) {
        if (payload[i] < '0' || payload[i] > '9')
            return -XEN_EBADMSG;
    }

    uint32_t v = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t d = (uint32_t)(payload[i] - '0');

        if (v > (UINT32_MAX - d) / 10)
            return -XEN_ERANGE;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
