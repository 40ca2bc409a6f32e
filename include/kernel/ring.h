/*
 * Byte-stream rings shared with another domain (lib/ring.c), in the layout
 * of the console ring (struct xencons_interface, <xen/io/console.h>) and the
 * xenstore ring (struct xenstore_domain_interface, <xen/io/xs_wire.h>).
 *
 * A ring is a byte array of power-of-two size plus two indices that only
 * ever count up and wrap at 2^32: the producer's (bytes ever written) and
 * the consumer's (bytes ever read).  Byte i lives at buf[i & (size - 1)],
 * and prod - cons (unsigned) is the number of unread bytes, which a correct
 * peer keeps within 0..size.
 *
 * The peer is another domain and is not trusted.  Each call therefore reads
 * both indices exactly once into locals (ours too: it sits in the shared
 * page, where the peer can scribble on it), rejects an unread count above
 * size with RING_ERR_INDEX before touching anything, and only then copies,
 * masking every offset, so no index value can move an access outside
 * buf[0..size).  Nothing here waits: a call moves what it can (possibly
 * nothing) and returns; waiting, with a deadline, is the caller's business.
 * Notifying the peer (an event channel send) is also the caller's.
 *
 * Errors are negative Xen errnos, as elsewhere in the kernel.
 */
#ifndef KERNEL_RING_H
#define KERNEL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

/* The peer's index is impossible (more than a ring's worth unread): the ring is broken. */
#define RING_ERR_INDEX (-XEN_EIO)
/* @size is not a power of two in 1..RING_SIZE_MAX: a bug in the caller, not the peer. */
#define RING_ERR_SIZE (-XEN_EINVAL)

/* Unread counts are uint32 differences, so a ring holds at most 2^31 bytes. */
#define RING_SIZE_MAX ((size_t)1 << 31)

/* True if @size is a ring size these functions accept. */
bool ring_size_ok(size_t size);

/*
 * Consumer side: copies up to @max unread bytes from @buf (of @size bytes)
 * into @dst and advances *@cons by as many.  @prod is the peer's index.
 * Returns the bytes copied (0 if the ring is empty or @max is 0), or
 * RING_ERR_INDEX / RING_ERR_SIZE with @dst and *@cons untouched.
 */
long ring_read(const volatile char *buf, size_t size, volatile uint32_t *cons,
               const volatile uint32_t *prod, void *dst, size_t max);

/*
 * Producer side: copies up to @len bytes from @src into the free part of
 * @buf and advances *@prod by as many.  @cons is the peer's index.  Returns
 * the bytes copied (0 if the ring is full or @len is 0), or RING_ERR_INDEX /
 * RING_ERR_SIZE with @buf and *@prod untouched.
 */
long ring_write(volatile char *buf, size_t size, const volatile uint32_t *cons,
                volatile uint32_t *prod, const void *src, size_t len);

/*
 * The number of unread bytes (consumer side) or of bytes in flight (producer
 * side): prod - cons, each read once, or RING_ERR_INDEX / RING_ERR_SIZE.
 */
long ring_used(size_t size, const volatile uint32_t *cons, const volatile uint32_t *prod);

/* The two shared rings minios speaks, as thin typed wrappers. */

/* Console input: the backend produces into `in`, we consume. */
static inline long xencons_read_in(struct xencons_interface *intf, void *dst, size_t max)
{
    return ring_read(intf->in, sizeof(intf->in), &intf->in_cons, &intf->in_prod, dst, max);
}

/* Console output: we produce into `out`, the backend consumes. */
static inline long xencons_write_out(struct xencons_interface *intf, const void *src, size_t len)
{
    return ring_write(intf->out, sizeof(intf->out), &intf->out_cons, &intf->out_prod, src, len);
}

/* xenstore requests: we produce into `req`, xenstored consumes. */
static inline long xenstore_write_req(struct xenstore_domain_interface *intf, const void *src,
                                      size_t len)
{
    return ring_write(intf->req, sizeof(intf->req), &intf->req_cons, &intf->req_prod, src, len);
}

/* xenstore replies and watch events: xenstored produces into `rsp`, we consume. */
static inline long xenstore_read_rsp(struct xenstore_domain_interface *intf, void *dst, size_t max)
{
    return ring_read(intf->rsp, sizeof(intf->rsp), &intf->rsp_cons, &intf->rsp_prod, dst, max);
}

#endif /* KERNEL_RING_H */
