/*
 * Byte-stream rings shared with an untrusted domain (see kernel/ring.h for
 * the layout and the rules).  Pure logic: no waiting, no event channels, so
 * it is compiled into the kernel and into host tests and fuzzers alike.
 *
 * The one check that makes everything else safe: after reading both indices
 * once, prod - cons must be at most size.  Past that point every offset is
 * masked with size - 1 and every length is bounded by size, whatever the
 * peer does to the shared page meanwhile.
 */
#include <kernel/ring.h>
#include <kernel/string.h>
#include <minios/compiler.h>

bool ring_size_ok(size_t size)
{
    return size != 0 && size <= RING_SIZE_MAX && (size & (size - 1)) == 0;
}

/*
 * Reads both indices once.  The peer can rewrite either at any moment, so
 * the checked values in *@c and *@p are the only ones used afterwards.
 */
static long snapshot(size_t size, const volatile uint32_t *cons, const volatile uint32_t *prod,
                     uint32_t *c, uint32_t *p)
{
    if (!ring_size_ok(size))
        return RING_ERR_SIZE;
    *c = *cons;
    *p = *prod;

    uint32_t used = *p - *c;

    if (used > size)
        return RING_ERR_INDEX;
    return (long)used;
}

long ring_used(size_t size, const volatile uint32_t *cons, const volatile uint32_t *prod)
{
    uint32_t c, p;

    return snapshot(size, cons, prod, &c, &p);
}

long ring_read(const volatile char *buf, size_t size, volatile uint32_t *cons,
               const volatile uint32_t *prod, void *dst, size_t max)
{
    uint32_t c, p;
    long used = snapshot(size, cons, prod, &c, &p);

    if (used < 0)
        return used;
    if (used == 0 || max == 0)
        return 0;

    /* Do not read the data before the index that says it is there. */
    rmb();

    size_t n = (size_t)used < max ? (size_t)used : max;
    size_t off = c & (size - 1);
    size_t first = size - off < n ? size - off : n;

    /*
     * Casting away volatile: each byte is copied once into our memory and
     * only that copy is ever looked at, so a peer rewriting the data while we
     * copy can change what we read, never where.
     */
    memcpy(dst, (const char *)buf + off, first);
    memcpy((char *)dst + first, (const char *)buf, n - first);

    /*
     * Publishing cons hands the space back to the producer: our reads of it
     * must be complete first (a load-to-store ordering, hence the full
     * barrier).
     */
    mb();
    *cons = c + (uint32_t)n;
    return (long)n;
}

long ring_write(volatile char *buf, size_t size, const volatile uint32_t *cons,
                volatile uint32_t *prod, const void *src, size_t len)
{
    uint32_t c, p;
    long used = snapshot(size, cons, prod, &c, &p);

    if (used < 0)
        return used;

    size_t space = size - (size_t)used;
    size_t n = space < len ? space : len;

    if (n == 0)
        return 0;

    /*
     * The space is free only once we have seen cons say so: the peer may
     * still be reading it until then.  Our writes must not move above that
     * read (load-to-store again: full barrier).
     */
    mb();

    size_t off = p & (size - 1);
    size_t first = size - off < n ? size - off : n;

    memcpy((char *)buf + off, src, first);
    memcpy((char *)buf, (const char *)src + first, n - first);

    /* The peer must see the data before the index that says it is there. */
    wmb();
    *prod = p + (uint32_t)n;
    return (long)n;
}
