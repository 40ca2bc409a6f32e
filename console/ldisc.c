/*
 * The console's line discipline (console/ldisc.h has the rules).
 *
 * The queue is a plain power-of-two FIFO of cooked bytes with free-running
 * indices; a ^D is stored as itself and acted on when read, so a read
 * stops in front of it and the next read takes it and returns 0.
 */
#include "ldisc.h"
#include <kernel/ring.h>
#include <kernel/string.h>

#define MASK(i) ((i) & (LDISC_SIZE - 1))

void ldisc_init(struct ldisc *l)
{
    l->head = l->tail = 0;
    l->after_cr = false;
    l->closed = false;
    l->mode = LDISC_CRNL | LDISC_EOF;
}

void ldisc_set_mode(struct ldisc *l, unsigned int mode)
{
    l->mode = mode & (LDISC_CRNL | LDISC_EOF);
    l->after_cr = false;
}

void ldisc_flush(struct ldisc *l)
{
    l->head = l->tail;
}

size_t ldisc_space(const struct ldisc *l)
{
    return LDISC_SIZE - (l->tail - l->head);
}

size_t ldisc_put(struct ldisc *l, const void *src, size_t len)
{
    const unsigned char *s = src;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (!(l->mode & LDISC_CRNL)) {
            if (l->tail - l->head == LDISC_SIZE)
                break;
            l->buf[MASK(l->tail++)] = (char)c;
            continue;
        }
        if (c == '\n' && l->after_cr) {
            /* The LF of a CR LF: the CR already gave the line end. */
            l->after_cr = false;
            continue;
        }
        if (l->tail - l->head == LDISC_SIZE)
            break;
        l->after_cr = c == '\r';
        l->buf[MASK(l->tail++)] = (char)(c == '\r' ? '\n' : c);
    }
    return i;
}

long ldisc_get(struct ldisc *l, void *dst, size_t max)
{
    char *d = dst;
    size_t n = 0;

    if (max == 0)
        return 0;
    if (l->head == l->tail)
        return l->closed ? 0 : LDISC_EMPTY;
    bool eof = l->mode & LDISC_EOF;

    if (eof && l->buf[MASK(l->head)] == LDISC_EOF_CHAR) {
        l->head++;
        return 0;
    }
    while (n < max && l->head != l->tail && !(eof && l->buf[MASK(l->head)] == LDISC_EOF_CHAR))
        d[n++] = l->buf[MASK(l->head++)];
    return (long)n;
}

bool ldisc_readable(const struct ldisc *l)
{
    return l->head != l->tail || l->closed;
}

void ldisc_close(struct ldisc *l)
{
    l->closed = true;
}

long ldisc_pull_ring(struct ldisc *l, struct xencons_interface *intf)
{
    /* Small: this runs in event handlers, on whatever stack was interrupted. */
    char chunk[128];
    long total = 0;

    /* Each pass takes at least one byte of our space or ends: bounded by us. */
    for (;;) {
        size_t space = ldisc_space(l);
        size_t want = space < sizeof(chunk) ? space : sizeof(chunk);
        long n;

        if (want == 0)
            break;
        n = xencons_read_in(intf, chunk, want);
        if (n < 0)
            return n;
        if (n == 0)
            break;
        ldisc_put(l, chunk, (size_t)n);
        total += n;
    }
    return total;
}
