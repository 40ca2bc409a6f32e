/*
 * xenstore's wire protocol, the hostile-input half (drivers/xenstore/xs_wire.c): building
 * requests, cutting the reply stream into messages, and taking replies apart.
 *
 * A message is a struct xsd_sockmsg header (type, req_id, tx_id, len; host
 * byte order) followed by exactly len payload bytes, len at most
 * XENSTORE_PAYLOAD_MAX.  Payloads are NUL-separated strings, except that a
 * READ reply and the value of a WRITE request are raw bytes.  The reply
 * stream carries replies (same type and req_id as the request, or XS_ERROR)
 * and XS_WATCH_EVENTs, which arrive at any time.
 *
 * Failure design.  The stream has no markers between messages, so a header
 * that cannot be right (len above XENSTORE_PAYLOAD_MAX, a type that does not
 * exist) means we can no longer tell where any later message starts.  Such
 * framing errors are therefore fatal and sticky: the parser enters a broken
 * state, every later call returns the same negative error and consumes
 * nothing.  The caller must treat the connection as lost; the only way back
 * is a fresh stream (xenstored's reconnection feature, after which
 * xs_parser_init() starts over).  Errors inside a well-framed message (an
 * unexpected req_id, a directory entry without its NUL, an unknown error
 * string) are per-message: the parser has consumed exactly that message,
 * the stream is still in step, and the caller may drop the message and carry
 * on.  No function here loops on the peer's say-so: each loop is bounded by
 * a length we checked, and the parser never asks for more than the rest of
 * the current header or payload.
 *
 * Errors are negative Xen errnos (<xen/errno.h>), as elsewhere in the kernel.
 */
#ifndef KERNEL_XS_WIRE_H
#define KERNEL_XS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>

/* The largest message on the wire: header plus the largest payload. */
#define XS_MSG_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* Whether @type is a message type that exists (XS_RESTRICT was removed). */
bool xs_type_valid(uint32_t type);

/*
 * Path rules, as xenstored applies them: characters from [A-Za-z0-9-/_@];
 * absolute ("/...") at most XENSTORE_ABS_PATH_MAX bytes, relative (to the
 * domain's home, or a special "@..." watch path) at most
 * XENSTORE_REL_PATH_MAX; not empty, no "//", no trailing '/' except "/".
 * Returns 0, -XEN_ENAMETOOLONG or -XEN_EINVAL.  Reads at most one byte past
 * the longest allowed path, so @path need not be terminated beyond that.
 */
int xs_path_check(const char *path);

/* ---- Building a request ----------------------------------------------- */

/*
 * A request under construction in a caller's buffer.  The add functions
 * never fail loudly: the first error is kept, later adds do nothing, and
 * xs_req_finish() reports it, so a request is built without an error check
 * per piece and can never be sent half-built.
 */
struct xs_request {
    char *buf;  /* header, then payload */
    size_t cap; /* size of buf */
    size_t len; /* payload bytes so far */
    int error;  /* first error, or 0 */
};

/*
 * Starts a request of @type (a request type: not XS_ERROR, XS_WATCH_EVENT
 * or an invalid one) in @buf of @cap bytes; XS_MSG_MAX always suffices.
 */
void xs_req_start(struct xs_request *r, void *buf, size_t cap, uint32_t type, uint32_t req_id,
                  uint32_t tx_id);

/* Appends @path with its NUL after xs_path_check(). */
void xs_req_add_path(struct xs_request *r, const char *path);

/* Appends @s with its NUL (a token, a permission, "T"/"F", a domid). */
void xs_req_add_string(struct xs_request *r, const char *s);

/* Appends @len raw bytes, no NUL: the value of an XS_WRITE. */
void xs_req_add_bytes(struct xs_request *r, const void *data, size_t len);

/*
 * Fills in the header.  Returns the message's total length (header +
 * payload) to put on the ring, or the first error: -XEN_EINVAL (bad type or
 * path), -XEN_ENAMETOOLONG (path), -XEN_E2BIG (payload over
 * XENSTORE_PAYLOAD_MAX), -XEN_ENOBUFS (@cap too small).
 */
long xs_req_finish(struct xs_request *r);

/* ---- Cutting the reply stream into messages ---------------------------- */

enum xs_parse_result {
    XS_PARSE_MORE = 0, /* need more bytes */
    XS_PARSE_DONE = 1, /* a whole message is ready: xs_parser_msg() */
};

/*
 * Holds one message.  The payload is followed by a NUL we add, so even a
 * payload without one (a READ value) can be handled as a C string.  About
 * 4 KiB: keep it static or on the heap, not on a small stack.
 */
struct xs_parser {
    struct xsd_sockmsg hdr; /* valid once the header is in */
    char payload[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t have; /* bytes of the current part received */
    int state;     /* private: header, payload, done, broken */
    int error;     /* when broken: the sticky error */
};

/* Ready for the first byte of a stream; also the reset after a reconnection. */
void xs_parser_init(struct xs_parser *p);

/*
 * Where the next bytes of the stream go: sets *@dst and returns how many are
 * wanted, never more than the rest of the current header or payload, so
 * reading straight into *@dst never takes a byte of the next message.
 * Returns 0 when a message is ready (call xs_parser_next()) or when broken.
 */
size_t xs_parser_space(struct xs_parser *p, void **dst);

/*
 * Accounts for @n bytes written at xs_parser_space()'s place.  Returns
 * XS_PARSE_MORE, XS_PARSE_DONE, or a negative error, after which the parser
 * is broken: -XEN_EMSGSIZE (len > XENSTORE_PAYLOAD_MAX), -XEN_EBADMSG
 * (unknown type), -XEN_EINVAL (@n more than was asked for: our bug).
 */
int xs_parser_commit(struct xs_parser *p, size_t n);

/*
 * The same from a buffer: takes bytes from @data (at most @len, and never
 * past the end of the current message), sets *@used to how many.  Feed the
 * rest again after xs_parser_next().
 */
int xs_parser_feed(struct xs_parser *p, const void *data, size_t len, size_t *used);

/*
 * The same straight from the xenstore reply ring (kernel/ring.h's
 * ring_read() with rsp, rsp_cons, rsp_prod): reads until a message is ready
 * or the ring is empty.  A ring whose index lies breaks the parser with
 * RING_ERR_INDEX.  Never waits.
 */
int xs_parser_pull(struct xs_parser *p, const volatile char *rsp, size_t size,
                   volatile uint32_t *rsp_cons, const volatile uint32_t *rsp_prod);

/* The ready message's header, and its payload in *@payload (NUL at [len]); NULL if none. */
const struct xsd_sockmsg *xs_parser_msg(const struct xs_parser *p, const char **payload);

/* Drops the ready message and waits for the next header.  No effect when broken. */
void xs_parser_next(struct xs_parser *p);

/* Whether the parser hit a framing error: the connection must be dropped or reset. */
bool xs_parser_broken(const struct xs_parser *p);

/* ---- Taking a message apart ---------------------------------------------
 * All of these read only payload[0..len) and never trust it to be
 * terminated: strings handed back point into the payload and end with a NUL
 * inside it.  Errors here are per-message; the stream is still in step.
 */

/*
 * Whether @reply answers the request (@req_id, @req_type): 0 if it does
 * (same id, and the request's type or XS_ERROR), -XEN_ESRCH if its id is
 * another one (so no outstanding request of ours may match it: drop it),
 * -XEN_EBADMSG if the id is ours but the type is wrong, or it is a watch
 * event (those are never replies; dispatch them before matching).
 */
int xs_reply_matches(const struct xsd_sockmsg *reply, uint32_t req_id, uint32_t req_type);

/*
 * An XS_ERROR's string ("ENOENT", with or without its NUL) as a negative Xen
 * errno, using xs_wire.h's table.  A string not in the table (or with bytes
 * after its NUL) gives -XEN_EIO: the daemon failed and we cannot say how.
 */
int xs_error_from_string(const char *s, size_t len);

/* 0 if @hdr is not an XS_ERROR, else xs_error_from_string() of its payload. */
int xs_reply_errno(const struct xsd_sockmsg *hdr, const char *payload);

/*
 * Iterates over the NUL-terminated strings of @payload[0..@len): from offset
 * *@pos, sets *@str and moves *@pos past its NUL.  Returns 1 for a string, 0
 * at the end, -XEN_EBADMSG if the bytes left have no NUL.  Every call moves
 * *@pos forward or ends, so a loop over it ends after at most @len strings.
 */
int xs_next_string(const char *payload, size_t len, size_t *pos, const char **str);

/*
 * A list of NUL-terminated strings: stores up to @max pointers in @strs and
 * returns how many strings there are (possibly more than @max), or
 * -XEN_EBADMSG if the last one lacks its NUL.  Strict on purpose: xenstored
 * terminates every string, so a missing NUL means a truncated or forged
 * list, and the caller gets no partial list it could mistake for a whole.
 * An empty payload is an empty list.
 */
long xs_split_strings(const char *payload, size_t len, const char **strs, size_t max);

/*
 * An XS_DIRECTORY reply: xs_split_strings() plus, for each name, what a node
 * name must be: not empty, and only [A-Za-z0-9-_@] (no '/', so a name joined
 * to its parent's path cannot point elsewhere).  -XEN_EBADMSG otherwise.
 */
long xs_parse_directory(const char *payload, size_t len, const char **names, size_t max);

/*
 * An XS_WATCH_EVENT payload: exactly two terminated strings, path and token,
 * the path not empty.  Returns 0 or -XEN_EBADMSG.
 */
int xs_parse_watch_event(const char *payload, size_t len, const char **path, const char **token);

/*
 * A decimal uint32 (a transaction id, a domid), optionally followed by one
 * NUL and nothing else.  No sign, no blanks, at least one digit.  Returns 0,
 * -XEN_EBADMSG or -XEN_ERANGE.
 */
int xs_parse_u32(const char *payload, size_t len, uint32_t *out);

#endif /* KERNEL_XS_WIRE_H */
