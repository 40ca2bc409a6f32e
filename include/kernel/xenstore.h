/*
 * The xenstore client's insides, shared by its files:
 *   drivers/xenstore/xenstore.c          the connection: ring, event channel, reader
 *                              thread, requests matched to replies
 *   drivers/xenstore/xenstore_ops.c      the operations of <minios/xenstore.h>
 *   drivers/xenstore/xenstore_watch.c    watches and the thread that runs callbacks
 *   drivers/xenstore/xenstore_control.c  control/shutdown and control/sysrq
 * The public API is <minios/xenstore.h>; docs/domu.md describes the design.
 */
#ifndef KERNEL_XENSTORE_H
#define KERNEL_XENSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <minios/xenstore.h>

/* One piece of a request's payload. */
enum xs_part_kind {
    XS_PART_PATH,   /* a path, checked, with its NUL */
    XS_PART_STRING, /* a string with its NUL */
    XS_PART_BYTES,  /* raw bytes (a written value) */
};

struct xs_part {
    enum xs_part_kind kind;
    const void *data;
    size_t len; /* XS_PART_BYTES only */
};

/* A reply's payload: our own kmalloc()ed copy, with a NUL added at [len]. */
struct xs_reply {
    char *data;
    uint32_t len;
};

/*
 * Boot, in start_kernel(): finds the ring, attaches the event channel and
 * starts the reader and watch threads.  Sends nothing, never blocks.
 */
void xenstore_init(void);

/*
 * Boot, in the first thread (requests need threads): starts setting up the
 * control/ watches and feature keys, in the background.  Failures are
 * logged, not fatal.
 */
void xenstore_start(void);

/* 0 while connected, else the error every call returns (-XEN_ENODEV, -XEN_EIO). */
int xs_status(void);

/*
 * Sends one request of @type in transaction @tx made of @parts and waits
 * for its reply.  Returns 0 with *@reply filled (free reply->data with
 * kfree()), or a negative Xen errno: xenstored's error, or ours (see
 * <minios/xenstore.h>).
 */
int xs_call(uint32_t type, xs_tx_t tx, const struct xs_part *parts, size_t nparts,
            struct xs_reply *reply);

/* The same for requests whose reply is "OK": anything else is -XEN_EBADMSG. */
int xs_call_ok(uint32_t type, xs_tx_t tx, const struct xs_part *parts, size_t nparts);

/* xenstore_watch.c: starts the watch thread (from xenstore_init). */
int xs_watch_init(void);

/* xenstore_watch.c: an XS_WATCH_EVENT's payload, from the reader thread. */
void xs_watch_event(const char *payload, size_t len);

/* xenstore_control.c: sets up control/shutdown and control/sysrq (from xenstore_start). */
void xs_control_init(void);

#endif /* KERNEL_XENSTORE_H */
